"""A snooze years away is a typo: refused in the dialog and by the CLI; a later year is named."""
from __future__ import annotations

from tests.cli.test_cli import run
from datetime import date

from tests.tui.conftest import SIZE, TODAY, make_app, settle
from tests.tui.test_flows import screen_text, type_text


async def test_snooze_dialog_refuses_a_typo_year_and_names_a_next_year(small_db):
    from netjournal.store import undo

    app = make_app(small_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        await type_text(pilot, "9999-12-31")
        await pilot.press("enter")
        await settle(pilot)
        assert "more than five years away" in screen_text(app)
        assert app.screen.__class__.__name__ == "SnoozeModal"  # the text is still there to fix
        assert app.screen.query_one("#until").value == "9999-12-31"
        for _ in range(10):
            await pilot.press("backspace")
        await type_text(pilot, "2027-06-01")
        await pilot.press("enter")
        await settle(pilot)
        assert any("until Tue 01 Jun 2027" in str(n.message) for n in app._notifications)
        hidden = undo.hidden_reminders(small_db, TODAY)
        assert [(h.what, h.until) for h in hidden] == [("snooze", date(2027, 6, 1))]


def test_cli_snooze_refuses_a_typo_year(capsys):
    assert run(capsys, "add", "Ada", "Lovelace")[0] == 0
    code, _, err = run(capsys, "snooze", "ada", "--until", "9999-12-31")
    assert code == 2 and err.count("\n") == 1 and "more than five years away" in err
