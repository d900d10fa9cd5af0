"""Snapshots of every screen and dialog at 80×24 (usable on the smallest terminal) and 160×50,
on a fixed demo journal (today pinned to 2026-11-24).

Update with: pytest tests/tui/test_snapshots.py --snapshot-update
"""
from __future__ import annotations

import pytest

from tests.tui.conftest import make_app, settle


async def quiet(pilot) -> None:
    """Wait for the data, then stop every blinking cursor."""
    await settle(pilot)
    from textual.widgets import Input, TextArea

    for w in pilot.app.screen.query("Input, TextArea"):
        w.cursor_blink = False
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


def run(*keys, setup=None):
    async def run_before(pilot) -> None:
        await settle(pilot)
        if setup:
            await setup(pilot)
            await settle(pilot)
        for k in keys:
            await pilot.press(k)
            await settle(pilot, 2)
        await quiet(pilot)
    return run_before


async def _open_busiest_contact(pilot) -> None:
    app = pilot.app
    from netjournal.store import api

    best = max(api.list_contacts(app.db), key=lambda c: (c.touch_count, -c.id))
    app.open_contact(best.id)


async def _open_followup(pilot) -> None:
    from netjournal.store import api

    pilot.app.open_followup(api.list_followups(pilot.app.db)[0].id)


async def _dismiss_and_snooze(pilot) -> None:
    from datetime import date

    from netjournal.store import api

    db = pilot.app.db
    items = pilot.app.queue_items()
    api.dismiss(db, items[0].contact_id, kind=items[0].kind, today=date(2026, 11, 24))
    api.snooze(db, items[1].contact_id, until=date(2026, 12, 1), today=date(2026, 11, 24), kind=items[1].kind)
    pilot.app.data_changed([items[0].contact_id, items[1].contact_id])


CASES = {
    "today": run(),
    "contacts": run("c"),
    "contacts_filtered": run("c", "f", "m", "a"),
    "contact_detail": run(setup=_open_busiest_contact),
    "followups": run("F"),
    "followup_editor": run(setup=_open_followup),
    "journal": run("J", "left_square_bracket"),
    "search": run("slash", "c", "o", "f"),
    "insights": run("i"),
    "help": run("question_mark"),
    "why": run("w"),
    "log_touch_who": run("J", "l", "m", "a"),
    "log_touch_channel": run("J", "l", "m", "a", "enter", "enter"),
    "log_touch_details": run("J", "l", "m", "a", "enter", "enter", "c", "enter"),
    "add_contact": run("a"),
    "plan_followup": run("f"),
    "snooze": run("s"),
    "hidden_reminders": run("H", setup=_dismiss_and_snooze),
    "import": run("I"),
    "delete_contact": run("D", setup=_open_busiest_contact),
    "today_editing": run("e", "M", "e", "t", "space", "at"),
}


SIZES = {"80x24": (80, 24), "160x50": (160, 50)}


@pytest.mark.parametrize("size", sorted(SIZES))
@pytest.mark.parametrize("name", sorted(CASES))
def test_screen(name, size, demo_db, snap_compare):
    assert snap_compare(make_app(demo_db), terminal_size=SIZES[size], run_before=CASES[name])


@pytest.mark.parametrize("size", sorted(SIZES))
def test_empty_journal(size, empty_db, snap_compare):
    assert snap_compare(make_app(empty_db), terminal_size=SIZES[size], run_before=run())


@pytest.mark.parametrize("size", sorted(SIZES))
def test_markup_names_literal(size, small_db, snap_compare):
    assert snap_compare(make_app(small_db), terminal_size=SIZES[size], run_before=run("c"))
