"""Pilot: the People section, adding a link from the contact screen, who can introduce me, the
Insights card; and the keyboard rule (typing in the dialog fires no screen key)."""
from __future__ import annotations

from datetime import date

import pytest

from tests.tui.conftest import SIZE, make_app, nj_env, settle  # noqa: F401  (nj_env: the pinned TUI environment)


def screen_text(app) -> str:
    return "\n".join(s.text for s in app.screen._compositor.render_strips())


async def type_text(pilot, text: str) -> None:
    for ch in text:
        await pilot.press("space" if ch == " " else ch)


@pytest.fixture
def people_db(nj_env):
    from netjournal.store import api
    from netjournal.store.db import open_database

    db = open_database(str(nj_env / "data" / "journal.db"))
    ada = api.add_contact(db, name="Ada Lovelace", tier="close")
    api.add_contact(db, name="Byron", tier="network")
    api.add_contact(db, name="Charles Babbage", company="Analytical Engines")
    api.log_touch(db, contact_ids=[ada.id], channel="call", direction="in", day=date(2026, 11, 20), summary="news")
    yield db
    db.dispose()


async def _open(pilot, app, db, name):
    from netjournal.store import api

    await settle(pilot)
    app.open_contact(api.resolve_contact(db, name).id)
    await settle(pilot)


async def test_add_link_from_the_contact_screen(people_db):
    from netjournal.store import api, links

    app = make_app(people_db)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, app, people_db, "Byron")
        assert "No links yet" in screen_text(app)
        await pilot.press("K")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "LinkModal"
        # typing "n" and "k" into the picker types them: no screen key fires
        await type_text(pilot, "ada")
        await pilot.press("enter")
        await type_text(pilot, "parent")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "ContactScreen"
        ada = api.resolve_contact(people_db, "Ada Lovelace")
        assert [r.describe() for r in links.list_links(people_db, ada.id)] == ["child of Byron"]
        await settle(pilot)
        text = screen_text(app)
        assert "People" in text and "parent of" in text and "Ada Lovelace" in text


async def test_link_dialog_shows_errors_and_writes_nothing(people_db):
    from netjournal.store import links

    app = make_app(people_db)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, app, people_db, "Byron")
        await pilot.press("K")
        await settle(pilot)
        await type_text(pilot, "char")
        await pilot.press("enter")
        await type_text(pilot, "nemesis")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "LinkModal"
        assert "unknown link type" in str(app.screen.query_one("#link-error").content)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "ContactScreen"
    assert links.all_links(people_db) == []


async def test_who_can_introduce_me_then_plan_in_one_key(people_db):
    from netjournal.store import api, links

    ada = api.resolve_contact(people_db, "Ada Lovelace")
    charles = api.resolve_contact(people_db, "Charles Babbage")
    links.add_link(people_db, ada.id, charles.id, "colleague", company="Analytical Engines")
    app = make_app(people_db)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, app, people_db, "Charles Babbage")
        assert "colleague of" in screen_text(app)
        await pilot.press("n")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "IntroduceModal"
        text = screen_text(app)
        assert "Who can introduce you to Charles Babbage?" in text
        assert "Ada Lovelace" in text and "colleague of Charles Babbage" in text and "close tier" in text
        await pilot.press("p")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "ContactScreen"
    fus = api.list_followups(people_db)
    assert [(f.kind, f.title) for f in fus] == [("introduce", "Ask Ada Lovelace to introduce you to Charles Babbage")]


async def test_insights_card_lists_connected_and_introducers(people_db):
    from netjournal.store import api, links

    ids = {n: api.resolve_contact(people_db, n).id for n in ("Ada Lovelace", "Byron", "Charles Babbage")}
    links.add_link(people_db, ids["Ada Lovelace"], ids["Byron"], "introduced-by")
    links.add_link(people_db, ids["Charles Babbage"], ids["Byron"], "introduced-by")
    app = make_app(people_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        app.screen.query_one("#network").scroll_visible(animate=False)
        await settle(pilot)
        text = screen_text(app)
        assert "Most connected" in text and "Top introducers" in text and "Byron" in text


async def test_today_nudges_an_introduction_when_the_introducer_is_due(people_db):
    from netjournal.store import api, links

    ada = api.resolve_contact(people_db, "Ada Lovelace")
    charles = api.resolve_contact(people_db, "Charles Babbage")
    api.update_contact(people_db, charles.id, target_priority=1)
    links.add_link(people_db, ada.id, charles.id, "friend")
    api.log_touch(people_db, contact_ids=[ada.id], channel="message", direction="in", day=date(2026, 11, 21))
    app = make_app(people_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#queue")
        assert "Ada Lovelace" in [r.contact_name for r in table.rows]
        for _ in range(len(table.rows)):
            if table.current.contact_name == "Ada Lovelace":
                break
            await pilot.press("down")
        await settle(pilot)
        text = screen_text(app)
        assert "While you're at it: ask them to introduce you to Charles Babbage (target #1)" in text
