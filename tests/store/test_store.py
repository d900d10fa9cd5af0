"""The store's operations, cascades, time handling and search — on SQLite and PostgreSQL."""
from __future__ import annotations

import os
import time as _time
from dataclasses import FrozenInstanceError
from datetime import date, time, timezone

import pytest

from netjournal.errors import NotFound, UserError
from netjournal.store import api, maintenance, reminders, search
from netjournal.store.read import HL_END, HL_START

D = date(2026, 11, 24)


def test_contact_round_trip_with_handles_tags_dates(db):
    c = api.add_contact(db, name="Ada Lovelace", nickname="Ada", company="Analytical Engines", role="analyst",
                        tier="close", stage="affinity", target_priority=1, target_why="knows Babbage",
                        target_offer="maths help", rhythm_days=14, about="poetical science", kin=False,
                        handles=[(None, "ada@example.com"), ("phone", "+44 20 7946 0000"),
                                 (None, "https://www.linkedin.com/in/ada")],
                        tags=["Maths", "#history"], dates=[("birthday", 12, 10, 1815), ("custom", 2, 29, None, "leap day")])
    got = api.get_contact(db, c.id)
    assert got.name == "Ada Lovelace" and got.tier == "close" and got.stage == "affinity"
    assert {h.kind for h in got.handles} == {"email", "phone", "linkedin"}
    assert got.tags == ("history", "maths")
    assert got.birthday.year == 1815 and got.birthday.month == 12
    assert any(d.month == 2 and d.day == 29 and d.year is None for d in got.dates)
    assert got.rhythm == 14 and got.rhythm_source == "set"
    assert got.created_at.tzinfo is not None and got.created_at.utcoffset().total_seconds() == 0
    with pytest.raises(FrozenInstanceError):
        got.name = "x"  # plain, immutable read objects


def test_update_validates_before_writing(db):
    c = api.add_contact(db, name="Grace")
    with pytest.raises(UserError, match="tier"):
        api.update_contact(db, c.id, tier="bestie", company="Navy")
    assert api.get_contact(db, c.id).company == ""  # nothing written
    api.update_contact(db, c.id, tier="friend", company="Navy")
    assert api.get_contact(db, c.id).tier == "friend"


@pytest.mark.parametrize("bad", ["", "   ", "x" * 201, "nul\x00byte"])
def test_bad_names_are_refused(db, bad):
    with pytest.raises(UserError):
        api.add_contact(db, name=bad)
    assert maintenance.counts(db).contacts == 0


def test_touch_updates_summary_and_backdated_touch_rebuilds(db):
    c = api.add_contact(db, name="Linus")
    api.log_touch(db, contact_ids=[c.id], channel="call", day=date(2026, 11, 1))
    api.log_touch(db, contact_ids=[c.id], channel="email", day=date(2026, 11, 20), direction="in")
    got = api.get_contact(db, c.id)
    assert got.last_touch_on == date(2026, 11, 20) and got.touch_count == 2
    api.log_touch(db, contact_ids=[c.id], channel="in_person", day=date(2026, 10, 1))  # backdated
    got = api.get_contact(db, c.id)
    assert got.last_touch_on == date(2026, 11, 20) and got.touch_count == 3


def test_time_is_local_day_and_wall_clock(db, monkeypatch):
    """A touch logged "yesterday 23:30" stays on yesterday whatever the reader's time zone."""
    c = api.add_contact(db, name="Tz")
    t = api.log_touch(db, contact_ids=[c.id], channel="call", day=date(2026, 11, 23), at=time(23, 30))
    for tz in ("Pacific/Kiritimati", "America/Adak"):
        monkeypatch.setenv("TZ", tz)
        _time.tzset()
        got = api.get_touch(db, t.id)
        assert got.occurred_on == date(2026, 11, 23) and got.occurred_time == time(23, 30)
    monkeypatch.delenv("TZ")
    _time.tzset()


def test_group_touch_and_delete_cascades(db):
    a = api.add_contact(db, name="Alice", handles=[(None, "a@example.com")], tags=["x"], dates=[("birthday", 1, 2, None)])
    b = api.add_contact(db, name="Bob")
    solo = api.log_touch(db, contact_ids=[a.id], channel="call", day=D, summary="solo call")
    group = api.log_touch(db, contact_ids=[a.id, b.id], channel="in_person", day=D, summary="dinner together")
    assert {r.name for r in group.contacts} == {"Alice", "Bob"}
    fu = api.add_followup(db, contact_ids=[a.id], title="send the book", due_on=D)
    api.snooze(db, a.id, until=date(2026, 12, 1), today=D)
    api.delete_contact(db, a.id)
    with pytest.raises(NotFound):
        api.get_contact(db, a.id)
    with pytest.raises(NotFound):
        api.get_touch(db, solo.id)  # only Alice was in it
    kept = api.get_touch(db, group.id)  # Bob's evening survives
    assert [r.name for r in kept.contacts] == ["Bob"]
    with pytest.raises(NotFound):
        api.get_followup(db, fu.id)
    assert [h.kind for h in search.search(db, "solo")] == []
    assert search.search(db, "dinner")[0].ref_id == group.id
    rep = maintenance.doctor(db, repair=False)
    assert rep.ok, rep.checks


def test_followup_completion_logs_touch_and_next_steps(db):
    a = api.add_contact(db, name="Margaret")
    f = api.add_followup(db, contact_ids=[a.id], title="Coffee with Margaret", kind="meet", due_on=D,
                         place="Café Central", agenda="- ask about Apollo")
    done = api.complete_followup(db, f.id, day=D, meeting_notes="## Notes\n- she is hiring", outcome="great",
                                 next_steps=[("send the job ad", date(2026, 11, 30))])
    assert done.status == "done" and done.done_touch_id is not None
    t = api.get_touch(db, done.done_touch_id)
    assert t.channel == "in_person" and t.occurred_on == D and "hiring" in t.notes
    open_ = api.list_followups(db, contact_id=a.id)
    assert [x.title for x in open_] == ["send the job ad"] and open_[0].parent_id == f.id
    with pytest.raises(UserError, match="already done"):
        api.complete_followup(db, f.id, day=D)


def test_journal_mentions_resolve_and_show_in_timeline(db):
    a = api.add_contact(db, name="Alice Smith")
    b = api.add_contact(db, name="Bob Jones", nickname="bobby")
    api.add_contact(db, name="Alice Cooper")
    entry, unresolved = api.save_journal(db, D, "Lunch with @[Alice Smith] and @bobby. Ask @Alice later. @nobody")
    assert {r.name for r in entry.mentions} == {"Alice Smith", "Bob Jones"}
    assert set(unresolved) == {"Alice", "nobody"}  # "Alice" is ambiguous
    assert any(e.kind == "journal" and e.day == D for e in api.timeline(db, b.id))
    api.append_journal(db, D, "Later: call @Bob_Jones")
    assert "Later" in api.get_journal(db, D).body
    api.save_journal(db, D, "")
    assert not api.get_journal(db, D).exists
    assert not any(e.kind == "journal" for e in api.timeline(db, a.id))


def test_search_ranks_titles_above_bodies_with_snippets(db):
    a = api.add_contact(db, name="Marie Climber", about="physicist")
    b = api.add_contact(db, name="Pierre", about="He took up climbing last spring with friends from the lab.")
    api.log_touch(db, contact_ids=[b.id], channel="in_person", day=D, summary="coffee",
                  notes="Talked about the climbing gym that opened near the Sorbonne.")
    hits = search.search(db, "climb")
    assert hits[0].kind == "contact" and hits[0].ref_id == a.id  # name match ranks first
    kinds = {(h.kind, h.ref_id) for h in hits}
    assert ("contact", b.id) in kinds and any(k == "touch" for k, _ in kinds)
    snip = next(h.snippet for h in hits if h.kind == "touch")
    assert HL_START in snip and HL_END in snip
    assert search.plain_snippet(snip).lower().count("climbing") >= 1
    assert search.search(db, "climb gym")[0].kind == "touch"  # all words must match
    assert search.search(db, "") == [] and search.search(db, '"*:()') == []


def test_markup_and_sql_like_text_is_stored_literally(db):
    name = "[bold]x[/] '; DROP TABLE contact; --"
    c = api.add_contact(db, name=name, about="%_\\ \"quoted\"")
    assert api.get_contact(db, c.id).name == name
    assert api.resolve_contact(db, name).id == c.id
    assert search.search(db, "DROP TABLE")[0].ref_id == c.id


def test_resolve_contact_fuzzy_and_ambiguous(db):
    a = api.add_contact(db, name="Katherine Johnson")
    api.add_contact(db, name="Dorothy Vaughan")
    api.add_contact(db, name="Mary Jackson")
    api.add_contact(db, name="Mary Shelley")
    assert api.resolve_contact(db, "kath").id == a.id
    assert api.resolve_contact(db, "katherin jonson").id == a.id  # typos
    with pytest.raises(UserError) as e:
        api.resolve_contact(db, "mary")
    assert "Mary Jackson" in str(e.value) and "Mary Shelley" in str(e.value)
    with pytest.raises(NotFound):
        api.resolve_contact(db, "zzzzqqq")
    assert api.resolve_contact(db, f"#{a.id}").id == a.id


def test_queue_reads_from_store(db):
    a = api.add_contact(db, name="Owed Reply", tier="close")
    api.log_touch(db, contact_ids=[a.id], channel="message", day=date(2026, 11, 10), direction="in")
    b = api.add_contact(db, name="Due Followup")
    api.add_followup(db, contact_ids=[b.id], title="call back", kind="call", due_on=date(2026, 11, 20))
    from datetime import datetime

    items = reminders.queue(db, datetime(2026, 11, 24, 9))
    kinds = {(i.contact_id, i.kind) for i in items}
    assert (a.id, "reply") in kinds and (b.id, "followup") in kinds
    assert all(i.reason for i in items)


def test_queue_cache_refreshes_one_contact(db):
    from datetime import datetime

    a = api.add_contact(db, name="Owed", tier="close")
    api.log_touch(db, contact_ids=[a.id], channel="message", day=date(2026, 11, 10), direction="in")
    cache = reminders.QueueCache(db)
    now = datetime(2026, 11, 24, 9)
    assert any(i.contact_id == a.id and i.kind == "reply" for i in cache.full(now))
    api.log_touch(db, contact_ids=[a.id], channel="message", day=D, direction="out")
    assert not any(i.contact_id == a.id and i.kind == "reply" for i in cache.refresh([a.id], now))


def test_sqlite_file_is_private_and_pragmas_set(sqlite_db):
    f = sqlite_db.file
    assert oct(os.stat(f).st_mode & 0o777) == "0o600"
    assert oct(os.stat(f.parent).st_mode & 0o777) == "0o700"
    with sqlite_db.engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert c.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_utc_column_refuses_naive_datetimes():
    from datetime import datetime

    from netjournal.store.models import UTCDateTime

    t = UTCDateTime()
    with pytest.raises(ValueError):
        t.process_bind_param(datetime(2026, 1, 1), None)
    assert t.process_result_value(datetime(2026, 1, 1), None).tzinfo is timezone.utc


def test_save_contact_is_one_transaction(db):
    c = api.add_contact(db, name="Edit Me", handles=[(None, "old@example.com")], tags=["a"],
                        dates=[("birthday", 4, 15, None)])
    saved = api.save_contact(db, c.id, fields={"company": "New Co"}, tags=["b", "#c"],
                             handles=[("email", "new@example.com"), (None, "+1 555 0100 200")],
                             dates={"birthday": (2, 29, None), "anniversary": (6, 1, 2010)})
    assert saved.company == "New Co" and saved.tags == ("b", "c")
    assert {h.value for h in saved.handles} == {"new@example.com", "+1 555 0100 200"}
    assert {(d.kind, d.month, d.day, d.year) for d in saved.dates} == {("birthday", 2, 29, None), ("anniversary", 6, 1, 2010)}
    with pytest.raises(UserError):  # a bad date refuses the whole edit
        api.save_contact(db, c.id, fields={"company": "Half"}, tags=["z"], dates={"birthday": (2, 30, None)})
    again = api.get_contact(db, c.id)
    assert again.company == "New Co" and again.tags == ("b", "c")
    api.save_contact(db, c.id, dates={"anniversary": None})
    assert [d.kind for d in api.get_contact(db, c.id).dates] == ["birthday"]
    assert search.search(db, "New Co")[0].ref_id == c.id
