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


async def _preview(pilot, path) -> tuple:
    """Open the import dialog (I), give it ``path``, preview (enter) until Import is enabled:
    (the dialog, the preview's text)."""
    app = pilot.app
    assert await _settle(pilot, lambda: app.db is not None)
    await pilot.press("I")
    assert await _settle(pilot, lambda: app.screen.__class__.__name__ == "ImportModal")
    modal = app.screen
    modal.query_one("#import-path", Input).value = str(path)
    await pilot.press("enter")  # preview: nothing written yet
    assert await _settle(pilot, lambda: not modal.query_one("#import", Button).disabled)
    return modal, str(modal.query_one("#import-summary", Static).render())


async def test_import_with_preview_and_progress(tmp_path):
    url = "sqlite:///" + str(tmp_path / "journal.db")
    open_database(url).dispose()
    f = tmp_path / "phone export.vcf"
    f.write_text(VCF, encoding="utf-8")
    app = NetJournalApp(url=url)
    async with app.run_test(size=(120, 36)) as pilot:
        modal, summary = await _preview(pilot, f)
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


CHAT = Path(__file__).resolve().parents[1] / "fixtures" / "touches" / "whatsapp-nicknames.txt"


async def _open_import(app, pilot, path):
    await pilot.press("I")
    assert await _settle(pilot, lambda: app.screen.__class__.__name__ == "ImportModal")
    modal = app.screen
    modal.query_one("#import-path", Input).value = str(path)
    await pilot.press("enter")
    return modal


async def test_chat_names_are_asked_once_mapped_skipped_and_remembered(tmp_path):
    """A WhatsApp group whose names match no contact: 'Bobby 🚲' is mapped to Bob Stone (fuzzy
    pick), 'Ada' is me, 'Dana K.' is skipped; the touches land on Bob; a second import asks nothing."""
    url = "sqlite:///" + str(tmp_path / "journal.db")
    db = open_database(url)
    bob = api.add_contact(db, name="Bob Stone")
    db.dispose()
    app = NetJournalApp(url=url)
    async with app.run_test(size=(120, 36)) as pilot:
        assert await _settle(pilot, lambda: app.db is not None)
        modal = await _open_import(app, pilot, CHAT)
        assert await _settle(pilot, lambda: app.screen.__class__.__name__ == "WhoIsWhoModal")
        who = app.screen
        title = lambda: str(who.query_one("#who-title", Static).render())  # noqa: E731
        assert "Bobby 🚲" in title() and "1 of 3" in title()
        assert "3 messages on 2 days" in str(who.query_one("#who-stats", Static).render())
        await pilot.press(*"bob")
        await pilot.press("enter")                       # Bobby 🚲 → Bob Stone
        assert await _settle(pilot, lambda: "Ada" in title())
        await pilot.press("ctrl+r")                      # Ada: that's me
        assert await _settle(pilot, lambda: "Dana K." in title())
        await pilot.press("ctrl+k")                      # Dana K.: skip
        assert await _settle(pilot, lambda: app.screen is modal)
        # the preview ran again with the choices
        assert await _settle(pilot, lambda: not modal.query_one("#import", Button).disabled)
        assert "touches would add 2" in str(modal.query_one("#import-summary", Static).render())
        assert api.list_touches(app.db, contact_id=bob.id) == []
        await pilot.click("#import")
        assert await _settle(pilot, lambda: app.screen is not modal)
        touches = api.list_touches(app.db, contact_id=bob.id)
        assert sorted(t.occurred_on.isoformat() for t in touches) == ["2025-05-13", "2025-05-14"]
        assert {t.direction for t in touches} == {"in"}     # Bobby wrote first both days
        assert sorted(n for _, n, _ in api.contact_names(app.db)) == ["Bob Stone"]   # Dana not added
        # the same chat again: no question, nothing added
        modal = await _open_import(app, pilot, CHAT)
        assert await _settle(pilot, lambda: "touches would add 0" in str(
            modal.query_one("#import-summary", Static).render()))
        await pilot.pause(0.2)
        assert app.screen is modal and len(api.list_touches(app.db, contact_id=bob.id)) == 2


async def test_a_calendar_that_only_cancels_a_meeting_can_be_imported(tmp_path, monkeypatch):
    """Found by hand in tmux: a .ics whose only effect is to cancel a follow-up previewed right
    ("follow-ups would cancel 1") but its Import button stayed disabled."""
    from datetime import date

    from netjournal.formats.importing import import_path

    monkeypatch.setenv("NETJOURNAL_TODAY", "2026-11-24")
    url = "sqlite:///" + str(tmp_path / "journal.db")
    db = open_database(url)
    api.add_contact(db, name="Ada Walker", handles=[("email", "ada@example.org")])
    event = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{method}BEGIN:VEVENT\r\nUID:coffee-1@example.org\r\n"
             "DTSTART:20270115T140000Z\r\nSUMMARY:Coffee with Ada\r\nORGANIZER:mailto:me@example.org\r\n"
             "ATTENDEE:mailto:ada@example.org\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    (tmp_path / "a.ics").write_text(event.format(method=""))
    (tmp_path / "b.ics").write_text(event.format(method="METHOD:CANCEL\r\n"))
    rep = import_path(db, tmp_path / "a.ics", today=date(2026, 11, 24), me_emails=["me@example.org"])
    assert rep.followups_added == 1
    db.dispose()
    app = NetJournalApp(url=url)
    async with app.run_test(size=(120, 36)) as pilot:
        modal, summary = await _preview(pilot, tmp_path / "b.ics")
        assert "follow-ups would cancel 1" in summary and "not imported: 1 cancelled events" in summary
        assert "was cancelled by the organizer" in summary
        await pilot.click("#import")
        assert await _settle(pilot, lambda: app.screen is not modal)
        assert api.list_followups(app.db) == []
        assert [f.title for f in api.list_followups(app.db, status="cancelled")] == ["Coffee with Ada"]
