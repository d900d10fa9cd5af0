"""Exports (vCard round trip, iCalendar, JSON, Markdown), backup and restore."""
from __future__ import annotations

import json
import os
import stat
from datetime import date, time

import pytest
import sqlalchemy as sa

from netjournal.errors import UserError
from netjournal.formats.backup import TABLES, backup, restore
from netjournal.formats.exporting import export
from netjournal.formats.importing import import_path
from netjournal.store import api


def _populate(db):
    a = api.add_contact(
        db, name="Ana, López", given_name="Ana", family_name="López; García", nickname="Anita, A",
        company="Acme, Inc.", role="Head; Partnerships", location="Madrid", met_how="PyCon",
        met_on=date(2021, 3, 7), tier="close", stage="affinity", target_priority=2, target_why="why\nlines",
        target_offer="intro", rhythm_days=21, about="Line one\nLine two, with comma; and semicolon\\",
        interests="climbing", ask_next="the trip", kin=False,
        handles=[("email", "ana@example.org", "work"), ("phone", "+34 612 345 678", "cell"),
                 ("linkedin", "https://www.linkedin.com/in/ana"), ("x", "@ana_x"), ("mastodon", "@ana@fosstodon.org"),
                 ("website", "https://ana.example", "Blog"), ("address", "Calle Mayor 1, Madrid", "home"),
                 ("other", "ana#1234", "Discord"), ("github", "https://github.com/ana")],
        tags=["work", "book club"],
        dates=[("birthday", 2, 29, None), ("anniversary", 6, 20, 2015), ("custom", 1, 5, None, "Name day")])
    b = api.add_contact(db, name="Björn Ødegård", kin=True, archived=True, dates=[("birthday", 4, 15, 1988)])
    t = api.log_touch(db, contact_ids=[a.id, b.id], channel="call", day=date(2025, 7, 1), at=time(9, 30),
                      direction="in", summary="Catch-up", notes="notes", value_given="an intro")
    api.add_followup(db, contact_ids=[a.id], title="Coffee", kind="meet", due_on=date(2025, 8, 5),
                     due_time=time(10, 0), place="Café Central", agenda="talk", from_touch_id=t.id)
    api.add_followup(db, contact_ids=[b.id], title="Send the article", kind="send", due_on=date(2025, 8, 3))
    api.save_journal(db, date(2025, 7, 1), "Called @[Ana, López] today.")
    api.snooze(db, a.id, until=date(2025, 9, 1), today=date(2025, 8, 1))
    api.dismiss(db, b.id, kind="rhythm", today=date(2025, 8, 1))
    return a, b


def _comparable(c):
    d = dict(c.__dict__)
    for k in ("id", "created_at", "updated_at", "last_touch_on", "touch_count", "rhythm", "rhythm_source"):
        d.pop(k)
    d["handles"] = sorted((h.kind, h.value, h.label) for h in c.handles)
    d["dates"] = sorted((x.kind, x.month, x.day, x.year, x.label) for x in c.dates)
    return d


@pytest.mark.parametrize("fmt", ["vcard3", "vcard4"])
def test_vcard_round_trip_loses_nothing(db, make_db, fmt, today, tmp_path):
    _populate(db)
    out = tmp_path / f"all-{fmt}.vcf"
    assert export(db, fmt, out, today=today) is None
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    other = make_db(f"other-{fmt}.db")
    r = import_path(other, out, today=today)
    assert (r.added, r.bad_records, r.conflicts) == (2, [], [])
    src = {c.name: _comparable(api.get_contact(db, c.id)) for c in api.list_contacts(db, include_archived=True)}
    dst = {c.name: _comparable(api.get_contact(other, c.id)) for c in api.list_contacts(other, include_archived=True)}
    # without given/family names the card's N is split from the name (issue 15), and read back
    src["Björn Ødegård"].update(given_name="Björn", family_name="Ødegård")
    assert dst == src
    again = import_path(other, out, today=today)
    assert (again.added, again.merged, again.skipped) == (0, 0, 2)


def test_vcard_export_folds_and_stdout(db, today):
    api.add_contact(db, name="Long " + "é" * 80, about="x" * 300)
    text = export(db, "vcard", None, today=today)
    for line in text.split("\r\n"):
        assert len(line.encode()) <= 75
    assert text.startswith("BEGIN:VCARD\r\nVERSION:3.0")


def test_json_backup_restore_reproduces_every_row(db, make_db, today, tmp_path):
    _populate(db)
    # a follow-up from a calendar keeps its event (schema 0005) through the backup
    day = today.replace(year=today.year + 1)
    (tmp_path / "cal.ics").write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:lunch@example.org\r\n"
        f"DTSTART:{day:%Y%m%d}T120000Z\r\nSUMMARY:Lunch\r\nORGANIZER:mailto:me@example.org\r\n"
        "ATTENDEE:mailto:ana@example.org\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    assert import_path(db, tmp_path / "cal.ics", today=today, me_emails=["me@example.org"]).followups_added == 1
    with db.read() as s:
        assert s.execute(sa.text("SELECT count(*) FROM followup WHERE source = 'ics:lunch@example.org'")).scalar() == 1
    out = tmp_path / "backup.json"
    export(db, "json", out, today=today)
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    data = json.loads(out.read_text())
    assert (data["format"], data["version"]) == ("netjournal-backup", 1)
    fresh = make_db("fresh.db")
    counts = restore(fresh, out)
    assert counts["contact"] == 2 and counts["touch"] == 1 and counts["snooze"] == 1

    def rows(d):
        out = {}
        with d.read() as s:
            for t in TABLES:
                out[t] = [tuple(r) for r in s.execute(sa.text(f"SELECT * FROM {t} ORDER BY 1, 2")).all()]
        return out

    assert rows(fresh) == rows(db)
    from netjournal.store import search

    assert [h.title for h in search.search(fresh, "Catch")] == ["Catch-up"]
    with pytest.raises(UserError):
        restore(fresh, out)  # not empty
    restore(fresh, out, force=True)
    assert rows(fresh) == rows(db)


def test_restore_rejects_garbage(db, tmp_path):
    bad = tmp_path / "x.json"
    bad.write_text('{"hello": 1}')
    with pytest.raises(UserError):
        restore(db, bad)
    with pytest.raises(UserError):
        restore(db, tmp_path / "missing.json")


def test_backup_rotates_and_restores_from_sqlite_copy(db, make_db, env):
    _populate(db)
    paths = [backup(db, keep=2) for _ in range(3)]
    folder = paths[-1].parent
    assert folder == env / "backups"
    assert sorted(folder.iterdir()) == sorted(paths[1:])
    assert stat.S_IMODE(os.stat(paths[-1]).st_mode) == 0o600
    fresh = make_db("from-copy.db")
    counts = restore(fresh, paths[-1])
    assert counts["contact"] == 2 and counts["followup"] == 2


def test_ical_export_is_strict_valid(db, today, tmp_path):
    _populate(db)
    text = export(db, "ical", None, today=today)
    from icalendar import Calendar

    cal = Calendar.from_ical(text)
    todos = cal.walk("VTODO")
    events = cal.walk("VEVENT")
    assert len(todos) == 2 and all(t.walk("VALARM") for t in todos)
    assert len(events) == 4
    leap = [e for e in events if e["dtstart"].dt == date(2000, 2, 29)]
    assert leap and leap[0]["rrule"]["BYMONTHDAY"] == [-1]
    for comp in todos + events:
        assert comp.get("uid") and comp.get("dtstamp")
    ical = pytest.importorskip("ical")
    from ical.calendar_stream import IcsCalendarStream

    parsed = IcsCalendarStream.calendar_from_ics(text)
    assert len(parsed.todos) == 2 and len(parsed.events) == 4
    del ical


def test_markdown_contact_and_range(db, today, tmp_path):
    a, _ = _populate(db)
    text = export(db, "markdown", None, contact_id=a.id, today=today)
    assert text.startswith("# Ana, López\n")
    assert "Catch-up" in text and "Coffee" in text and "## Timeline" in text
    rng = export(db, "markdown", None, since=date(2025, 6, 1), until=date(2025, 8, 31), today=today)
    assert "## Tuesday 2025-07-01" in rng and "Called @Ana, López today." in rng and "Send the article" in rng


def test_export_errors_are_user_errors(db, today, tmp_path):
    with pytest.raises(UserError):
        export(db, "pdf", None, today=today)
    with pytest.raises(UserError):
        export(db, "vcard", tmp_path / "no" / "such" / "dir.vcf", today=today)
    with pytest.raises(UserError):
        export(db, "markdown", None, contact_id=999, today=today)


def test_markdown_range_files_a_done_followup_on_the_day_it_was_done(db, today, tmp_path):
    from datetime import datetime, timedelta

    ana = api.add_contact(db, name="Ana Done")
    f = api.add_followup(db, contact_ids=[ana.id], title="Lunch with Ana", kind="meet",
                         due_on=date.today() + timedelta(days=20))
    api.complete_followup(db, f.id, day=date.today(), log=False)
    done_day = datetime.now().astimezone().date()  # completed_at is the moment it was marked done
    rng = export(db, "markdown", None, since=done_day - timedelta(days=30), until=done_day + timedelta(days=30),
                 today=today)
    section = rng.split(f"## {done_day.strftime('%A')} {done_day.isoformat()}")[1].split("\n## ")[0]
    assert "[x] **Lunch with Ana**" in section
    assert (date.today() + timedelta(days=20)).isoformat() not in rng
