"""Import from the TUI: preview first, then a one-transaction import with a progress bar."""
from __future__ import annotations

from pathlib import Path

from textual.widgets import Button, Input, ProgressBar, Static

from netjournal.store import api
from netjournal.store.db import open_database
from netjournal.tui.app import NetJournalApp

VCF = """BEGIN:VCARD
VERSION:3.0
FN:Doe\\, John
N:Doe;John;;;
EMAIL;TYPE=INTERNET:john@example.com
BDAY:--0415
END:VCARD
BEGIN:VCARD
VERSION:2.1
N;ENCODING=QUOTED-PRINTABLE:Ren=C3=A9e;Marie;;;
FN;ENCODING=QUOTED-PRINTABLE:Marie Ren=C3=A9e
TEL;CELL:+33 6 12 34 56 78
END:VCARD
"""


async def _settle(pilot, until, tries=6000):  # up to 5 min: only a hang runs out
    for _ in range(tries):
        await pilot.pause(0.05)
        if until():
            return True
    return False


async def test_import_with_preview_and_progress(tmp_path):
    url = "sqlite:///" + str(tmp_path / "journal.db")
    open_database(url).dispose()
    f = tmp_path / "phone export.vcf"
    f.write_text(VCF, encoding="utf-8")
    app = NetJournalApp(url=url)
    async with app.run_test(size=(120, 36)) as pilot:
        assert await _settle(pilot, lambda: app.db is not None)
        await pilot.press("I")
        assert await _settle(pilot, lambda: app.screen.__class__.__name__ == "ImportModal")
        modal = app.screen
        modal.query_one("#import-path", Input).value = str(f)
        await pilot.press("enter")  # preview: nothing written yet
        assert await _settle(pilot, lambda: not modal.query_one("#import", Button).disabled)
        summary = str(modal.query_one("#import-summary", Static).render())
        assert "would add 2" in summary
        assert api.contact_names(app.db) == []
        await pilot.click("#import")
        assert await _settle(pilot, lambda: app.screen is not modal)
        names = sorted(n for _, n, _ in api.contact_names(app.db))
        assert names == ["Doe, John", "Marie Renée"]


async def test_import_missing_file_says_so(tmp_path):
    url = "sqlite:///" + str(tmp_path / "journal.db")
    open_database(url).dispose()
    app = NetJournalApp(url=url)
    async with app.run_test(size=(120, 36)) as pilot:
        assert await _settle(pilot, lambda: app.db is not None)
        await pilot.press("I")
        assert await _settle(pilot, lambda: app.screen.__class__.__name__ == "ImportModal")
        app.screen.query_one("#import-path", Input).value = str(Path(tmp_path) / "nope.vcf")
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert "no such file" in str(app.screen.query_one("#import-error").render())
