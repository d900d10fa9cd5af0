"""Changing what is already recorded: edit and delete a touch (contact timeline, Today), archive
and delete a contact, handles/tags/dates in the contact form; the key bar fits at 120 columns."""
from __future__ import annotations

from datetime import date

import pytest

from tests.tui.conftest import SIZE, TODAY, make_app, settle
from tests.tui.test_flows import screen_text, table, type_text


def _contact(db, name):
    from netjournal.store import api

    return api.resolve_contact(db, name, include_archived=True)


async def _open(pilot, db, name):
    pilot.app.open_contact(_contact(db, name).id)
    await settle(pilot)


def _timeline_touches(app):
    return [e for e in table(app, "#timeline").rows if e.kind == "touch"]


async def _cursor_to(pilot, app, pred):
    t = table(app, "#timeline")
    t.focus()
    for i, row in enumerate(t.rows):
        if pred(row):
            t.cursor = i
            await pilot.pause()
            return row
    raise AssertionError("no such timeline row")


# ------------------------------------------------------------------ touches

async def test_edit_touch_from_contact_timeline(small_db):
    from netjournal.store import api
    from netjournal.tui.dialogs.log_touch import LogTouchModal

    app = make_app(small_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _open(pilot, small_db, "Ada Lovelace")
        text = screen_text(app)
        assert "newest first" in text
        days = [e.day for e in table(app, "#timeline").rows]
        assert days == sorted(days, reverse=True)
        row = await _cursor_to(pilot, app, lambda e: e.kind == "touch" and e.title == "caught up")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LogTouchModal) and app.screen.edit is not None
        assert "Edit the touch" in screen_text(app)
        summary = app.screen.query_one("#summary")
        assert summary.value == "caught up"
        assert app.screen.query_one("#when").value == "2026-09-01"
        summary.value = ""
        summary.focus()
        await type_text(pilot, "long call [b]x[/b]")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, LogTouchModal)
        t = api.get_touch(small_db, row.ref_id)
        assert t.summary == "long call [b]x[/b]" and t.occurred_on == date(2026, 9, 1) and t.channel == "call"
        assert "long call [b]x[/b]" in screen_text(app)  # the timeline reloaded, text literal


async def test_delete_touch_from_contact_timeline_asks_first(small_db):
    from netjournal.store import api
    from netjournal.tui.dialogs.common import ConfirmWriteModal

    app = make_app(small_db)
    ada = _contact(small_db, "Ada Lovelace")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _open(pilot, small_db, "Ada Lovelace")
        before = len(_timeline_touches(app))
        row = await _cursor_to(pilot, app, lambda e: e.kind == "touch")
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmWriteModal)
        assert "Delete this touch?" in screen_text(app)
        await pilot.press("n")  # keep
        await settle(pilot)
        assert len(api.list_touches(small_db, contact_id=ada.id)) == before
        await pilot.press("delete")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert len(api.list_touches(small_db, contact_id=ada.id)) == before - 1
        assert row.ref_id not in {t.id for t in api.list_touches(small_db, contact_id=ada.id)}
        assert len(_timeline_touches(app)) == before - 1


async def test_edit_and_delete_touch_from_today(small_db):
    from netjournal.store import api
    from netjournal.tui.dialogs.common import ConfirmWriteModal
    from netjournal.tui.dialogs.log_touch import LogTouchModal

    bob = _contact(small_db, "Bob Stone")
    api.log_touch(small_db, contact_ids=[bob.id], channel="message", day=TODAY, summary="route beta")
    app = make_app(small_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        touches = table(app, "#touches")
        assert [t.summary for t in touches.rows] == ["route beta"]
        touches.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LogTouchModal) and app.screen.edit is not None
        await pilot.press("ctrl+b")  # back to the direction step: they reached out
        await pilot.press("i")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        t = api.list_touches(small_db, day=TODAY)[0]
        assert t.direction == "in" and t.summary == "route beta"
        table(app, "#touches").focus()
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmWriteModal)
        await pilot.press("y")
        await settle(pilot)
        assert api.list_touches(small_db, day=TODAY) == []
        assert "Logged today (0)" in screen_text(app)


# ------------------------------------------------------------------ contacts

async def test_archive_and_unarchive(small_db):
    app = make_app(small_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _open(pilot, small_db, "Bob Stone")
        await pilot.press("A")
        await settle(pilot)
        assert _contact(small_db, "Bob Stone") and _archived(small_db, "Bob Stone")
        assert "archived" in screen_text(app)
        assert all(r[1] != "Bob Stone" for r in app.names)
        await pilot.press("A")
        await settle(pilot)
        assert not _archived(small_db, "Bob Stone")


def _archived(db, name) -> bool:
    from netjournal.store import api

    return api.get_contact(db, _contact(db, name).id).archived


async def test_delete_contact_says_what_goes(small_db):
    from netjournal.store import api
    from netjournal.tui.dialogs.common import ConfirmWriteModal
    from netjournal.tui.screens.contact import ContactScreen

    app = make_app(small_db)
    bob = _contact(small_db, "Bob Stone")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await _open(pilot, small_db, "Bob Stone")
        await pilot.press("D")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmWriteModal)
        text = screen_text(app)
        assert "Delete Bob Stone?" in text and "follow-up" in text and "group touch" in text
        await pilot.press("escape")
        await settle(pilot)
        assert api.get_contact(small_db, bob.id)
        await pilot.press("D")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert not isinstance(app.screen, ContactScreen)
        assert all(c.name != "Bob Stone" for c in api.list_contacts(small_db, include_archived=True))
        assert all(c.name != "Bob Stone" for c in table(app, "#contacts-table").rows)
        # the group touch stays, with the other contact
        odd = _contact(small_db, "[bold]x[/]")
        assert [t.summary for t in api.list_touches(small_db, contact_id=odd.id)] == ["climbing [red]night[/]"]


async def _edit_form(pilot, db, name):
    from netjournal.tui.dialogs.contact_form import ContactFormModal

    await _open(pilot, db, name)
    await pilot.press("e")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ContactFormModal)
    return pilot.app.screen


def _set(form, fid, value):
    from textual.widgets import TextArea

    w = form.query_one(f"#{fid}")
    if isinstance(w, TextArea):
        w.text = value
    else:
        w.value = value


async def test_edit_handles_tags_and_dates(small_db):
    from netjournal.store import api

    app = make_app(small_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        form = await _edit_form(pilot, small_db, "Ada Lovelace")
        assert form.query_one("#handles").text == "email: ada@example.org"
        assert form.query_one("#tags").value == "london math"
        assert form.query_one("#birthday").value == "10 Dec 1815"
        _set(form, "handles", "email: ada@example.org\nphone: +44 20 7946 0000\nhttps://github.com/ada")
        _set(form, "tags", "#math poetry, engines")
        _set(form, "birthday", "--12-10")
        _set(form, "anniversary", "8 jul")
        await pilot.press("ctrl+s")
        await settle(pilot)
        c = api.get_contact(small_db, _contact(small_db, "Ada Lovelace").id)
        assert sorted((h.kind, h.value) for h in c.handles) == [
            ("email", "ada@example.org"), ("github", "https://github.com/ada"), ("phone", "+44 20 7946 0000")]
        assert c.tags == ("engines", "math", "poetry")
        assert {(d.kind, d.month, d.day, d.year) for d in c.dates} == {("birthday", 12, 10, None),
                                                                       ("anniversary", 7, 8, None)}
        # removing: a handle gone, the anniversary emptied
        form = await _edit_form(pilot, small_db, "Ada Lovelace")
        _set(form, "handles", "phone: +44 20 7946 0000")
        _set(form, "anniversary", "")
        await pilot.press("ctrl+s")
        await settle(pilot)
        c = api.get_contact(small_db, c.id)
        assert [(h.kind, h.value) for h in c.handles] == [("phone", "+44 20 7946 0000")]
        assert [d.kind for d in c.dates] == ["birthday"]


@pytest.mark.parametrize("fid,value,message", [
    ("birthday", "31 feb", "no such date"),
    ("anniversary", "0000-04-15", "out of range"),
    ("handles", "email: ok@example.org\nphone:   ", "line 2"),
    ("tags", "#", ""),
])
async def test_bad_form_field_changes_nothing(small_db, fid, value, message):
    from netjournal.store import api

    app = make_app(small_db)
    ada = _contact(small_db, "Ada Lovelace")
    before = api.get_contact(small_db, ada.id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        form = await _edit_form(pilot, small_db, "Ada Lovelace")
        _set(form, fid, value)
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        after = api.get_contact(small_db, ada.id)
        if fid == "tags":  # a lone '#' is no tag: nothing to store, accepted
            assert after.tags == ()
            return
        assert after == before
        err = str(form.query_one(f"#{fid}-error").content)
        assert message in err
        assert app.screen is form


# ------------------------------------------------------------------ key bar

SCREENS = [("t", None), ("c", None), ("F", None), ("J", None), ("slash", None), ("i", None)]


@pytest.mark.parametrize("key", ["t", "c", "F", "J", "slash", "i", "contact", "followup"])
async def test_footer_fits_at_120_columns(demo_db, key):
    from netjournal.store import api

    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        if key == "contact":
            app.open_contact(api.list_contacts(demo_db)[0].id)
        elif key == "followup":
            app.open_followup(api.list_followups(demo_db)[0].id)
        elif key != "t":
            await pilot.press(key)
        await settle(pilot)
        if key == "slash":
            app.screen.query_one("#results").focus()  # out of the search box: the screen's keys
            await settle(pilot)
        last = screen_text(app).splitlines()[-1]
        assert "Keys" in last and "…" not in last, last


async def test_screen_actions_are_in_the_palette(small_db):
    app = make_app(small_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _open(pilot, small_db, "Bob Stone")
        await pilot.press("ctrl+p")
        await settle(pilot)
        await type_text(pilot, "archive")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert _archived(small_db, "Bob Stone")


async def test_remapped_new_action(small_db):
    from netjournal.config import Config
    from netjournal.tui.dialogs.common import ConfirmWriteModal

    app = make_app(small_db, Config(keys={"contact_delete_touch": "z"}))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _open(pilot, small_db, "Ada Lovelace")
        await _cursor_to(pilot, app, lambda e: e.kind == "touch")
        await pilot.press("z")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmWriteModal)
