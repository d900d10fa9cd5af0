"""Issue 12 in the app: a future date is asked about (never saved silently); Today says what
the daily caps held back and shows everything due on one key."""
from __future__ import annotations

from datetime import date

import pytest

from tests.tui.conftest import SIZE, TODAY, make_app, settle
from tests.tui.test_flows import screen_text, table, type_text


async def _to_details(pilot, who: str = "bob") -> None:
    """From the journal screen (it preselects nobody): l, a name, call, I reached out."""
    await settle(pilot)
    await pilot.press("J")
    await settle(pilot)
    await pilot.press("l")
    await settle(pilot)
    await type_text(pilot, who)
    for k in ("enter", "enter", "c", "enter"):
        await pilot.press(k)
        await settle(pilot, 1)


async def _log(pilot, day: str, summary: str) -> None:
    """A touch with Bob through the log dialog: the date, enter, the summary, enter (saves)."""
    await _to_details(pilot)
    await type_text(pilot, day)
    await pilot.press("enter")
    await type_text(pilot, summary)
    await pilot.press("enter")  # enter on the summary saves
    await settle(pilot)


def _saved(db, summary: str) -> list:
    from netjournal.store import api

    return [t for t in api.list_touches(db, limit=100) if t.summary == summary]


# ------------------------------------------------------------------ the future date

def test_how_far_reads_like_a_person():
    from netjournal.tui.dialogs.future_date import future_question, how_far

    assert how_far(date(2062, 11, 30), TODAY) == "in 36 years"
    assert how_far(date(2027, 11, 23), TODAY) == "in 11 months"
    assert how_far(date(2027, 11, 24), TODAY) == "in 1 year"
    assert how_far(date(2026, 12, 10), TODAY) == "in 2 weeks"
    assert how_far(date(2026, 11, 28), TODAY) == "in 4 days"
    assert how_far(date(2026, 11, 25), TODAY) == "tomorrow"
    assert future_question(date(2062, 11, 30), TODAY).startswith(
        "That date is in 36 years (30 Nov 2062). Log it anyway?")


async def test_future_date_is_asked_no_keeps_the_text_yes_saves(small_db):
    from netjournal.tui.dialogs.common import ConfirmModal
    from netjournal.tui.dialogs.log_touch import LogTouchModal

    app = make_app(small_db)
    async with app.run_test(size=SIZE) as pilot:
        await _log(pilot, "2062-11-30", "routes typo")
        assert isinstance(app.screen, ConfirmModal)
        assert "That date is in 36 years (30 Nov 2062). Log it anyway?" in screen_text(app)
        assert not _saved(small_db, "routes typo")

        await pilot.press("n")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, LogTouchModal)
        assert dialog.query_one("#when").value == "2062-11-30"  # nothing typed is lost
        assert dialog.query_one("#summary").value == "routes typo"
        assert dialog.focused is dialog.query_one("#when")  # back on the date
        assert "Not saved" in screen_text(app)
        assert not _saved(small_db, "routes typo")

        await pilot.press("ctrl+s")  # asked again (the answer was no)
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await settle(pilot)
        assert not isinstance(app.screen, (ConfirmModal, LogTouchModal))
        saved = _saved(small_db, "routes typo")
        assert [(t.occurred_on, [r.name for r in t.contacts]) for t in saved] == [(date(2062, 11, 30), ["Bob Stone"])]


async def test_past_date_never_asks(small_db, monkeypatch):
    from netjournal.store import api
    from netjournal.tui.dialogs.common import ConfirmModal

    calls = []
    real = api.log_touch

    def log_touch(*args, **kwargs):  # the store's own future-date rule is applied: today is passed
        calls.append((kwargs.get("today"), kwargs.get("allow_future")))
        return real(*args, **kwargs)

    monkeypatch.setattr(api, "log_touch", log_touch)
    app = make_app(small_db)
    async with app.run_test(size=SIZE) as pilot:
        await _log(pilot, "2026-11-20", "old call")
        assert not isinstance(app.screen, ConfirmModal)
        saved = _saved(small_db, "old call")
        assert [t.occurred_on for t in saved] == [date(2026, 11, 20)]
        assert calls == [(TODAY, False)]


async def test_a_changed_date_is_asked_about_again(small_db):
    """A yes holds for the date it was given to: typing another future date asks again."""
    from netjournal.tui.dialogs.common import ConfirmModal

    app = make_app(small_db)
    async with app.run_test(size=SIZE) as pilot:
        await _log(pilot, "2062-11-30", "fixed")
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")
        await settle(pilot)
        when = app.screen.query_one("#when")
        when.value = ""
        await type_text(pilot, "2026-11-22")  # the typo fixed: saves without asking
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmModal)
        saved = _saved(small_db, "fixed")
        assert [t.occurred_on for t in saved] == [date(2026, 11, 22)]


async def test_editing_a_touch_to_a_future_date_asks(small_db):
    from netjournal.store import api
    from netjournal.tui.dialogs.common import ConfirmModal
    from netjournal.tui.dialogs.log_touch import LogTouchModal, edit_touch

    touch = api.log_touch(small_db, contact_ids=[api.resolve_contact(small_db, "Bob Stone").id], channel="call",
                          day=TODAY, summary="today's call")
    app = make_app(small_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        edit_touch(app, api.get_touch(small_db, touch.id))
        await settle(pilot)
        assert isinstance(app.screen, LogTouchModal)
        when = app.screen.query_one("#when")
        when.value = ""
        when.focus()
        await type_text(pilot, "2062-11-24")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal) and "in 36 years" in screen_text(app)
        await pilot.press("escape")  # esc answers no
        await settle(pilot)
        assert isinstance(app.screen, LogTouchModal) and app.screen.query_one("#when").value == "2062-11-24"
        assert api.get_touch(small_db, touch.id).occurred_on == TODAY
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert api.get_touch(small_db, touch.id).occurred_on == date(2062, 11, 24)


def test_the_worker_keeps_the_stores_rule():
    """What the dialog runs in its worker (the store's update_touch, with today) refuses a
    future date unless the answer was yes."""
    from netjournal.store import api
    from netjournal.store.validate import FutureDateError

    with pytest.raises(FutureDateError):
        api.update_touch(None, 1, today=TODAY, allow_future=False, day=date(2062, 11, 30))


# ------------------------------------------------------------------ what the caps held back

@pytest.fixture
def owed_db(nj_env):
    """Eight close contacts who wrote two days ago: replies owed over the daily cap (3)."""
    from netjournal.store import api
    from tests.tui.conftest import _open

    db = _open(nj_env)
    for i in range(8):
        c = api.add_contact(db, name=f"Person {i:02}", tier="close")
        api.log_touch(db, contact_ids=[c.id], channel="message", day=date(2026, 11, 22), direction="in",
                      summary=f"hello {i}")
    yield db
    db.dispose()


def _kinds(rows) -> list:
    from netjournal.tui.widgets.vtable import Group

    return [("--", r.label) if isinstance(r, Group) else (r.contact_name, r.kind) for r in rows]


async def test_held_line_says_what_the_caps_held_back(owed_db, capsys):
    from datetime import datetime

    from netjournal.cli import main
    from netjournal.store import reminders

    q = reminders.queue(owed_db, datetime(2026, 11, 24, 9))
    assert len(q) == 3 and q.held == {"reply": 5}  # the journal the test means
    app = make_app(owed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert len(table(app, "#queue").rows) == 3
        text = screen_text(app)
        assert "Held back today: 5 more replies owed" in text
        assert "Reach out today (3) · 5 held back (A shows all)" in text
    # the same words as `netjournal due` (same journal: the data dir's journal.db)
    capsys.readouterr()
    assert main(["due"]) == 0
    assert "… 5 more replies owed (netjournal due --all)" in capsys.readouterr().out


async def test_a_shows_everything_due_and_back(owed_db):
    from netjournal.tui.widgets.vtable import Group

    app = make_app(owed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        today = _kinds(table(app, "#queue").rows)
        await pilot.press("A")
        await settle(pilot)
        rows = table(app, "#queue").rows
        kinds = _kinds(rows)
        assert kinds[:3] == today  # today's queue first, as it was
        assert kinds[3] == ("--", "Not on today's queue (5): held back by the caps and the budget")
        assert sorted(n for n, k in kinds[4:]) == [f"Person {i:02}" for i in range(3, 8)]
        assert all(k == "reply" for n, k in kinds[4:])
        text = screen_text(app)
        assert "Everything due (3 today + 5 more)" in text
        assert "A back to today's queue" in text
        # the cursor skips the heading: j from the third row lands on a held item, which acts
        q = table(app, "#queue")
        q.focus()
        for _ in range(3):
            await pilot.press("j")
        assert not isinstance(q.current, Group) and q.current.contact_name.startswith("Person")
        await pilot.press("A")
        await settle(pilot)
        assert _kinds(table(app, "#queue").rows) == today
        assert "Held back today: 5 more replies owed" in screen_text(app)


async def test_a_typed_in_the_journal_is_text(owed_db):
    """A is a screen key: typed in today's journal it is a letter, the view does not change."""
    app = make_app(owed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        assert len(table(app, "#queue").rows) == 3
        assert app.screen.query_one("#journal").area.text.endswith("A")


async def test_everything_due_follows_a_write(owed_db):
    """Dismissing a held item in the everything view re-reads everything due (in its worker)."""
    from netjournal.store import api

    app = make_app(owed_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        q = table(app, "#queue")
        q.focus()
        for _ in range(3):
            await pilot.press("j")
        name = q.current.contact_name
        await pilot.press("d")
        await settle(pilot)
        names = [n for n, k in _kinds(q.rows)]
        assert name not in names and len(names) == 8  # 3 today + heading + 4 more
        assert "Everything due (3 today + 4 more)" in screen_text(app)
        assert api.resolve_contact(owed_db, name)


async def test_no_held_line_when_nothing_is_held(small_db):
    app = make_app(small_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Held back" not in screen_text(app)
        assert not app.screen.query_one("#held").display
