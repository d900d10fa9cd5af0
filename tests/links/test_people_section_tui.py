"""Pilot: the People list on the contact screen — change a link, remove it, undo both; accept a
suggested link; the link dialog's bad input (itself, a duplicate, a reports-to cycle)."""
from __future__ import annotations

from datetime import date

import pytest

from tests.links.test_links_tui import _open, screen_text, type_text
from tests.tui.conftest import SIZE, make_app, nj_env, settle  # noqa: F401


@pytest.fixture
def net_db(nj_env):
    from netjournal.store import api, links
    from netjournal.store.db import open_database

    db = open_database(str(nj_env / "data" / "journal.db"))
    ada = api.add_contact(db, name="Ada Lovelace", tier="close")
    bob = api.add_contact(db, name="Bob Stone", tier="friend")
    cat = api.add_contact(db, name="Cat Ng", tier="network")
    dan = api.add_contact(db, name="Dan Roe", tier="network")
    t = api.log_touch(db, contact_ids=[ada.id, bob.id], channel="in_person", day=date(2026, 3, 1), summary="met")
    links.add_link(db, ada.id, bob.id, "introduced-by", since=date(2026, 3, 1), touch_id=t.id)
    links.add_link(db, ada.id, cat.id, "colleague", company="Engines")
    for d in (5, 12, 19):  # Ada and Dan: three group touches, not linked
        api.log_touch(db, contact_ids=[ada.id, dan.id], channel="event", day=date(2026, 10, d), summary="meetup")
    yield db
    db.dispose()


def _records(db):
    from netjournal.store import links

    return sorted(tuple(sorted(r.items())) for r in links.all_links(db))


def _people(app):
    return app.screen.query_one("#people-list")


async def _to_row(pilot, app, pred):
    table = _people(app)
    for _ in range(len(table.rows) + 1):
        if table.current is not None and pred(table.current):
            return table.current
        await pilot.press("j")
    raise AssertionError("no such row in People")


def _toasts(app):
    return [str(n.message) for n in app._notifications]


async def test_remove_a_link_then_undo_brings_it_back_exactly(net_db):
    app = make_app(net_db)
    before = _records(net_db)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, app, net_db, "Ada Lovelace")
        await pilot.press("P")
        assert app.screen.focused is _people(app)
        await _to_row(pilot, app, lambda r: getattr(r, "kind", "") == "introduced_by")
        await pilot.press("x")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "ConfirmWriteModal"
        assert "introduced by Bob Stone" in screen_text(app)
        await pilot.press("n")  # no: kept
        await settle(pilot)
        assert _records(net_db) == before
        await pilot.press("delete")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert len(_records(net_db)) == len(before) - 1
        assert any(t.startswith("Removed: Ada Lovelace — introduced by Bob Stone since 2026-03-01") and "u to undo" in t
                   for t in _toasts(app))
        assert "introduced by" not in screen_text(app)
        await pilot.press("u")
        await settle(pilot)
        assert _records(net_db) == before  # same id, kind, date and touch
        assert "introduced by" in screen_text(app) and "Bob Stone" in screen_text(app)


async def test_change_a_link_from_the_list_then_undo(net_db):
    from netjournal.store import api, links

    app = make_app(net_db)
    before = _records(net_db)
    ada = api.resolve_contact(net_db, "Ada Lovelace").id
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, app, net_db, "Cat Ng")  # the colleague link, from Cat's side
        await pilot.press("P", "enter")
        await settle(pilot)
        modal = app.screen
        assert modal.__class__.__name__ == "LinkModal"
        assert modal.query_one("#link-kind").value == "colleague"
        assert modal.query_one("#link-company").value == "Engines"
        assert "Change how Cat Ng knows Ada Lovelace" in screen_text(app)
        assert modal.focused is modal.query_one("#link-kind")
        modal.query_one("#link-kind").value = ""
        await type_text(pilot, "manages")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "ContactScreen"
        assert [r.describe() for r in links.list_links(net_db, ada) if r.other.name == "Cat Ng"] == ["reports to Cat Ng"]
        assert "manages" in screen_text(app)
        assert any(t.startswith("Changed: Cat Ng — manages Ada Lovelace") for t in _toasts(app))
        await pilot.press("u")
        await settle(pilot)
        assert _records(net_db) == before
        assert "colleague of" in screen_text(app)


async def test_accept_a_suggested_link_with_y_and_undo(net_db):
    from netjournal.store import api, links

    app = make_app(net_db)
    ada = api.resolve_contact(net_db, "Ada Lovelace").id
    before = _records(net_db)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, app, net_db, "Ada Lovelace")
        text = screen_text(app)
        assert "Seem to know each other" in text and "Dan Roe · together 3×" in text
        await pilot.press("P")
        await pilot.press("y")  # on a link, not a suggestion: says how, writes nothing
        await settle(pilot)
        assert _records(net_db) == before
        await _to_row(pilot, app, lambda r: hasattr(r, "together"))
        await pilot.press("y")
        await settle(pilot)
        assert [r.describe() for r in links.list_links(net_db, ada) if r.other.name == "Dan Roe"] == ["knows Dan Roe"]
        text = screen_text(app)
        assert "Seem to know each other" not in text and "knows" in text
        await pilot.press("u")
        await settle(pilot)
        assert _records(net_db) == before
        assert "Dan Roe · together 3×" in screen_text(app)
        # enter on a suggestion: the dialog with Dan picked, to choose how they know each other
        await pilot.press("P")
        await _to_row(pilot, app, lambda r: hasattr(r, "together"))
        await pilot.press("enter")
        await settle(pilot)
        modal = app.screen
        assert modal.__class__.__name__ == "LinkModal" and modal.other.name == "Dan Roe"
        modal.query_one("#link-kind").value = ""
        await type_text(pilot, "friend")
        await pilot.press("enter")
        await settle(pilot)
        assert [r.describe() for r in links.list_links(net_db, ada) if r.other.name == "Dan Roe"] == ["friend of Dan Roe"]


async def test_escape_leaves_the_people_list_for_the_timeline(net_db):
    app = make_app(net_db)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, app, net_db, "Ada Lovelace")
        await pilot.press("P")
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "ContactScreen"
        assert app.screen.focused is app.screen.query_one("#timeline")
        await pilot.press("x")  # on the timeline x is still about touches
        await settle(pilot)
        assert app.screen.__class__.__name__ == "ConfirmWriteModal" and "Delete this touch?" in screen_text(app)


async def test_bad_links_in_the_dialog_say_one_line_and_keep_the_typing(net_db):
    from netjournal.store import api, links

    cat = api.resolve_contact(net_db, "Cat Ng").id
    dan = api.resolve_contact(net_db, "Dan Roe").id
    links.add_link(net_db, cat, dan, "reports-to")
    before = _records(net_db)
    app = make_app(net_db)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, app, net_db, "Dan Roe")
        # itself: not offered, and the picker says why
        await pilot.press("K")
        await settle(pilot)
        await type_text(pilot, "dan roe")
        await settle(pilot)
        assert "Dan Roe cannot be linked to themselves" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        # a reports-to cycle: Cat reports to Dan already, so Dan cannot report to Cat
        for kind, says in (("reports-to", "Dan Roe cannot report to Cat Ng"),
                           ("manages", "already linked to")):
            await pilot.press("K")
            await settle(pilot)
            await type_text(pilot, "cat")
            await pilot.press("enter")
            await type_text(pilot, kind)
            await pilot.press("ctrl+s")
            await settle(pilot)
            modal = app.screen
            assert modal.__class__.__name__ == "LinkModal"
            error = str(modal.query_one("#link-error").content)
            assert says in error and "\n" not in error
            assert modal.query_one("#link-kind").value == kind and modal.other.name == "Cat Ng"
            assert _records(net_db) == before
            await pilot.press("escape")
            await settle(pilot)
    assert _records(net_db) == before


async def test_screen_keys_typed_in_the_link_dialog_are_text(net_db):
    from tests.tui.test_keyboard import SCREEN_KEYS

    before = _records(net_db)
    app = make_app(net_db)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, app, net_db, "Bob Stone")
        await pilot.press("P")
        await pilot.press("enter")  # change Bob's link to Ada
        await settle(pilot)
        modal = app.screen
        for sel in ("#link-kind", "#link-company", "#link-label"):
            field = modal.query_one(sel)
            field.focus()
            await pilot.pause()
            await pilot.press("end")  # (a prefilled field is all selected when focused: typing replaces it)
            start = field.value
            await type_text(pilot, SCREEN_KEYS.replace("?", "").replace("/", ""))
            await settle(pilot)
            assert app.screen is modal and modal.focused is field
            assert field.value == start + SCREEN_KEYS.replace("?", "").replace("/", "")
        assert _records(net_db) == before


async def test_delete_contact_says_their_links_go_and_undo_brings_them_back(net_db):
    before = _records(net_db)
    app = make_app(net_db)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, app, net_db, "Ada Lovelace")
        await pilot.press("D")
        await settle(pilot)
        assert "2 links to people they know" in screen_text(app)
        await pilot.press("y")
        await settle(pilot)
        assert _records(net_db) == []
        await pilot.press("u")
        await settle(pilot)
        assert _records(net_db) == before
