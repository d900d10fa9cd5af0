"""Pilot tests: press keys, then look at the screen and in the store."""
from __future__ import annotations

from datetime import date

import pytest

from netjournal.config import Config
from tests.tui.conftest import SIZE, TODAY, make_app, settle


def screen_text(app) -> str:
    return "\n".join(s.text for s in app.screen._compositor.render_strips())


async def type_text(pilot, text: str) -> None:
    for ch in text:
        await pilot.press("space" if ch == " " else ch)


def label_text(app, sel) -> str:
    return str(app.screen.query_one(sel).content)


def table(app, sel):
    from netjournal.tui.widgets.vtable import VirtualTable

    return app.screen.query_one(sel, VirtualTable)


# ------------------------------------------------------------------ Today

async def test_today_queue_reason_and_why(small_db):
    app = make_app(small_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        q = table(app, "#queue")
        assert q.rows, "the queue should not be empty"
        text = screen_text(app)
        assert "Reach out today" in text
        assert "Coffee about the engine" in text or "Ada Lovelace" in text
        await pilot.press("w")
        await settle(pilot)
        from netjournal.tui.dialogs.common import WhyModal

        assert isinstance(app.screen, WhyModal)
        assert "score" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, WhyModal)


async def test_snooze_and_dismiss(small_db):
    from netjournal.store.reminders import load_inputs

    app = make_app(small_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first = table(app, "#queue").current
        await pilot.press("s")
        await settle(pilot)
        await type_text(pilot, "3d")
        await pilot.press("enter")
        await settle(pilot)
        c = load_inputs(small_db, [first.contact_id])[0]
        assert any(s.until == date(2026, 11, 27) for s in c.snoozes)
        assert all((it.contact_id, it.kind) != (first.contact_id, first.kind) for it in table(app, "#queue").rows)
        second = table(app, "#queue").current
        if second is not None:
            await pilot.press("d")
            await settle(pilot)
            c2 = load_inputs(small_db, [second.contact_id])[0]
            assert any(d.kind == second.kind for d in c2.dismissals)


async def test_snooze_bad_date_says_why(small_db):
    app = make_app(small_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        await type_text(pilot, "yesterday")
        await pilot.press("enter")
        await settle(pilot)
        assert "after today" in screen_text(app)


async def test_empty_journal_shows_how_to_start(empty_db):
    app = make_app(empty_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "Your journal is empty" in text
        assert "netjournal import" in text and "demo" in text


async def test_open_failure_is_shown_not_raised(nj_env):
    bad = nj_env / "a-directory"
    bad.mkdir()
    from netjournal.tui.app import NetJournalApp

    app = NetJournalApp(str(bad), Config())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Cannot open the journal" in screen_text(app)


# ------------------------------------------------------------------ logging

async def test_log_touch_in_few_keys(small_db):
    from netjournal.store import api

    app = make_app(small_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("J")  # the journal screen preselects nobody
        await settle(pilot)
        keys = ["l"]
        await pilot.press("l")
        await settle(pilot)
        await type_text(pilot, "bob")
        for k in ("enter", "enter", "c", "enter", "enter"):
            keys.append(k)
            await pilot.press(k)
            await settle(pilot, 1)
        await type_text(pilot, "talked routes")
        keys.append("enter")
        await pilot.press("enter")
        await settle(pilot)
        assert len(keys) <= 10
        touches = api.list_touches(small_db, day=TODAY)
        assert [(t.channel, t.summary, [r.name for r in t.contacts]) for t in touches] == [
            ("call", "talked routes", ["Bob Stone"])]


async def test_group_touch_with_followup(small_db):
    from netjournal.store import api

    app = make_app(small_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("J")
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        await type_text(pilot, "ada")
        await pilot.press("enter")
        await type_text(pilot, "carla")
        await pilot.press("enter", "enter", "p", "m")
        await settle(pilot)
        await type_text(pilot, "yesterday")
        await pilot.press("enter")
        await type_text(pilot, "lunch")
        await pilot.press("ctrl+f", "ctrl+s")
        await settle(pilot)
        from netjournal.tui.dialogs.followup import PlanFollowupModal

        assert isinstance(app.screen, PlanFollowupModal)
        await type_text(pilot, "dinner next")
        await pilot.press("ctrl+s")
        await settle(pilot)
        t = api.list_touches(small_db, day=date(2026, 11, 23))
        assert len(t) == 1 and {r.name for r in t[0].contacts} == {"Ada Lovelace", "Carla Díaz"}
        assert t[0].channel == "in_person" and t[0].direction == "mutual"
        fus = [f for f in api.list_followups(small_db) if f.title == "dinner next"]
        assert fus and fus[0].from_touch_id == t[0].id


async def test_log_touch_bad_when(small_db):
    app = make_app(small_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("J")
        await settle(pilot)
        await pilot.press("l")
        await type_text(pilot, "bob")
        await pilot.press("enter", "enter", "e", "enter")
        await type_text(pilot, "blorp")
        await pilot.press("enter")
        await settle(pilot)
        assert "not a date" in screen_text(app)


# ------------------------------------------------------------------ contacts

async def test_contacts_filter_sort_and_markup_name(small_db):
    app = make_app(small_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        t = table(app, "#contacts-table")
        assert len(t.rows) == 4
        assert "[bold]x[/]" in screen_text(app)  # shown literally
        assert app.screen.focused is app.screen.query_one("#filter")  # Contacts opens ready to filter
        await type_text(pilot, "ada")
        await pilot.pause()
        assert [c.name for c in t.rows] == ["Ada Lovelace"]
        for _ in range(3):
            await pilot.press("backspace")
        await type_text(pilot, "tier:friend")
        await pilot.pause()
        assert [c.name for c in t.rows] == ["Bob Stone"]
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "#math")
        await pilot.pause()
        assert [c.name for c in t.rows] == ["Ada Lovelace"]
        await pilot.press("ctrl+a", "ctrl+k", "escape", "o")  # sort by tier
        await pilot.pause()
        assert t.rows[0].tier == "close"


async def test_add_contact_form_errors_and_save(small_db):
    from netjournal.store import api

    app = make_app(small_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "name" in screen_text(app).lower() and "Fix the fields" in screen_text(app)
        await type_text(pilot, "Dora Maar")
        app.screen.query_one("#rhythm_days").value = "often"
        app.screen.query_one("#birthday").value = "31 feb"
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "rhythm must be a number" in label_text(app, "#rhythm_days-error")
        assert "no such date" in label_text(app, "#birthday-error")
        app.screen.query_one("#rhythm_days").value = "21"
        app.screen.query_one("#birthday").value = "29 feb"
        app.screen.query_one("#tags").value = "art, paris"
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        c = api.get_contact(small_db, api.resolve_contact(small_db, "Dora Maar").id)
        assert c.rhythm_days == 21 and c.tags == ("art", "paris") and c.birthday.month == 2


async def test_contact_detail_and_stage_key(small_db):
    from netjournal.store import api

    ada = api.resolve_contact(small_db, "Ada Lovelace")
    app = make_app(small_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_contact(ada.id)
        await settle(pilot)
        text = screen_text(app)
        assert "Analytical Engines" in text and "ada@example.org" in text and "10 Dec 1815" in text
        assert "Loves poetry" in text and "caught up" in text and "Coffee about the engine" in text
        assert "Rhythm" in text
        await pilot.press("greater_than_sign")
        await settle(pilot)
        assert api.get_contact(small_db, ada.id).stage == "audience"
        await pilot.press("less_than_sign", "less_than_sign")
        await settle(pilot)
        assert api.get_contact(small_db, ada.id).stage == "attraction"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "TodayScreen"


# ------------------------------------------------------------------ follow-ups

async def test_followups_grouped_and_meeting_completed(small_db):
    from netjournal.store import api

    app = make_app(small_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("F")
        await settle(pilot)
        text = screen_text(app)
        assert "Overdue (1)" in text and "This week (1)" in text
        await pilot.press("enter")
        await settle(pilot)
        from netjournal.tui.screens.followup import FollowupScreen

        assert isinstance(app.screen, FollowupScreen)
        app.screen.query_one("#meeting_notes").focus()
        await type_text(pilot, "talked about engines")
        app.screen.query_one("#outcome").load_text("great")
        app.screen.query_one("#next").load_text("send the paper; friday\nintro to Bob")
        await pilot.press("ctrl+g")
        await settle(pilot)
        f = [x for x in api.list_followups(small_db, status="done")][0]
        assert f.meeting_notes == "talked about engines" and f.outcome == "great" and f.done_touch_id
        touch = api.get_touch(small_db, f.done_touch_id)
        assert touch.channel == "in_person" and touch.occurred_on == TODAY
        open_titles = {x.title: x.due_on for x in api.list_followups(small_db)}
        assert open_titles["send the paper"] == date(2026, 11, 27) and "intro to Bob" in open_titles


async def test_followup_agenda_saved_and_draft_removed(small_db):
    from netjournal.tui import drafts
    from netjournal.store import api

    app = make_app(small_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        fid = api.list_followups(small_db)[0].id
        app.open_followup(fid)
        await settle(pilot)
        app.screen.query_one("#agenda").focus()
        await type_text(pilot, "ask about")
        app.screen.query_one("#agenda").flush_draft()
        key = drafts.key_for("followup", fid, "agenda")
        assert drafts.load(key).text.endswith("ask about")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert api.get_followup(small_db, fid).agenda.endswith("ask about")
        assert drafts.load(key) is None


async def test_tab_in_the_followup_texts_goes_to_the_next_field(small_db):
    """Found by hand in tmux: on the follow-up screen (a form of text fields) tab stayed in the
    agenda and said "tab completes an @name", which these fields do not do. It now goes on to the
    meeting notes; Today's journal editor keeps its rule (tab never drops onto the lists)."""
    from netjournal.store import api

    app = make_app(small_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        fid = api.list_followups(small_db)[0].id
        app.open_followup(fid)
        await settle(pilot)
        app.screen.query_one("#agenda").focus()
        await type_text(pilot, "the lease")
        await pilot.press("tab")
        await type_text(pilot, "she liked the plan")
        await pilot.press("ctrl+s")
        await settle(pilot)
        saved = api.get_followup(small_db, fid)
        assert saved.agenda.endswith("the lease") and saved.meeting_notes == "she liked the plan"
        assert not any("@name" in str(n.message) for n in app._notifications)
        await pilot.press("escape", "escape", "t")   # Today: tab in the journal editor stays
        await settle(pilot)
        await pilot.press("e")
        await type_text(pilot, "no mention")
        await pilot.press("tab")
        await settle(pilot)
        assert app.screen.focused is app.screen.query_one("#journal").area
        assert any("tab completes an @name" in str(n.message) for n in app._notifications)


# ------------------------------------------------------------------ journal

async def test_journal_mention_completion_and_save(small_db):
    from netjournal.store import api

    app = make_app(small_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("J")
        await settle(pilot)
        await pilot.press("e")
        await type_text(pilot, "Lunch with @ad")
        await pilot.pause()
        assert "Ada Lovelace" in screen_text(app)
        await pilot.press("tab")
        await type_text(pilot, "today")
        await pilot.press("escape")
        await settle(pilot)
        day = api.get_journal(small_db, TODAY)
        assert day.body == "Lunch with @[Ada Lovelace] today"
        assert [r.name for r in day.mentions] == ["Ada Lovelace"]
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert "Monday 23 November 2026" in screen_text(app)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert "Lunch with" in screen_text(app)
        await pilot.press("m", "enter")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "ContactScreen"


async def test_draft_offered_back_after_crash(small_db):
    from netjournal.tui import drafts
    from netjournal.store import api

    drafts.save(drafts.key_for("journal", TODAY.isoformat()), "typed before the crash")
    app = make_app(small_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        from netjournal.tui.dialogs.common import ConfirmModal

        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await settle(pilot)
        assert "typed before the crash" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
    assert api.get_journal(small_db, TODAY).body == "typed before the crash"
    assert drafts.load(drafts.key_for("journal", TODAY.isoformat())) is None


# ------------------------------------------------------------------ search, insights, help

async def test_search_groups_and_opens(small_db):
    app = make_app(small_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        await type_text(pilot, "engine")
        await settle(pilot)
        text = screen_text(app)
        assert "Contacts (1)" in text and "Follow-ups (1)" in text
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "ContactScreen"


async def test_insights_screen(demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        text = screen_text(app)
        for word in ("Stage funnel", "Attention", "Tiers", "/ 150", "Touches per week", "Offline share",
                     "One-sided", "Fading"):
            assert word in text, word


async def test_help_lists_every_action(small_db):
    from netjournal.tui import actions

    app = make_app(small_db, Config(keys={"go_contacts": "g"}))
    async with app.run_test(size=(120, 200)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        text = screen_text(app)
        for a in actions.ACTIONS:
            assert a.id in text, a.id
        assert "g               go_contacts" in text


async def test_keymap_and_theme_from_config(small_db):
    app = make_app(small_db, Config(keys={"go_contacts": "g", "nonsense": "x"}, theme="nord"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.theme == "nord"
        await pilot.press("g")
        await settle(pilot)
        assert app.current_mode == "contacts"


async def test_refresh_shows_changes_made_elsewhere(small_db):
    from netjournal.store import api

    app = make_app(small_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        bob = api.resolve_contact(small_db, "Bob Stone")
        api.log_touch(small_db, contact_ids=[bob.id], channel="email", day=TODAY, summary="from the CLI")
        await pilot.press("r")
        await settle(pilot)
        assert "from the CLI" in screen_text(app)


async def test_command_palette_provider(small_db):
    from netjournal.tui.commands import NetjournalCommands

    app = make_app(small_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        provider = NetjournalCommands(app.screen)
        hits = [h async for h in provider.search("bold")]
        assert any(h.text == "[bold]x[/]" for h in hits)
        hits = [h async for h in provider.search("contacts")]
        assert any(h.text == "Contacts" for h in hits)


async def test_markup_in_user_text_never_breaks(small_db):
    from netjournal.store import api

    odd = api.resolve_contact(small_db, "[bold]x[/]")
    app = make_app(small_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_contact(odd.id)
        await settle(pilot)
        text = screen_text(app)
        assert "[bold]x[/]" in text and "climbing [red]night[/]" in text
