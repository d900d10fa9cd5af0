"""The queue a user can trust, through the CLI: seen days, caps, future-dated touches (issue 12)."""
from __future__ import annotations

import json
import os
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from netjournal.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    cap = capsys.readouterr()
    return code, cap.out, cap.err


def seen_rows() -> list[tuple]:
    con = sqlite3.connect(Path(os.environ["NETJOURNAL_DATA_DIR"]) / "journal.db")
    try:
        return con.execute("SELECT day, source FROM queue_seen ORDER BY day").fetchall()
    finally:
        con.close()


def test_a_touch_after_tomorrow_is_refused_in_one_line_unless_future(capsys):
    assert run(capsys, "add", "Ada")[0] == 0
    code, out, err = run(capsys, "log", "ada", "-w", "2062-11-30")
    assert code == 2 and out == "" and err.count("\n") == 1 and "2062-11-30 is in the future" in err
    assert "--future" in err and "Traceback" not in err
    code, out, _ = run(capsys, "log", "ada", "-w", "2062-11-30", "--json")
    assert code == 2
    code, out, _ = run(capsys, "show", "ada", "--json")
    assert "2062" not in out  # nothing was written
    assert run(capsys, "log", "ada", "-w", "tomorrow")[0] == 0  # tomorrow is fine (time zones)
    code, out, _ = run(capsys, "log", "ada", "-w", "2062-11-30", "--future")
    assert code == 0 and "2062-11-30" in out


def test_due_marks_today_seen_and_an_unseen_item_is_shown(capsys):
    # Ada: every 2 days for 20 days, then 36 days of silence: due long ago, never seen
    assert run(capsys, "add", "Ada", "--tier", "inner")[0] == 0
    for d in range(10):
        assert run(capsys, "log", "ada", "-w", f"2026-10-{1 + 2 * d:02d}")[0] == 0
    assert seen_rows() == []
    code, out, _ = run(capsys, "due")
    assert code == 0 and "Ada" in out and "silence" in out
    assert seen_rows() == [("2026-11-24", "cli")]
    code, out, _ = run(capsys, "due", "--all", "--json")
    assert code == 0 and [it["contact_name"] for it in json.loads(out)] == ["Ada"]


def test_the_10k_demo_opens_on_at_most_25_items_most_important_first(capsys):
    code, _, err = run(capsys, "demo", "--contacts", "10000", "--touches", "200000", "--seed", "7")
    assert code == 0, err
    code, out, _ = run(capsys, "due", "--json")
    items = json.loads(out)
    assert code == 0 and 0 < len(items) <= 25
    scores = [it["score"] for it in items]
    assert scores == sorted(scores, reverse=True)
    code, out, _ = run(capsys, "due")
    assert "more overdue follow-ups (netjournal due --all)" in out
    code, out, _ = run(capsys, "due", "--all", "--json")
    assert len(json.loads(out)) > 200  # everything: every reply owed, date and nudge


@pytest.mark.postgres
def test_seen_days_on_postgres(pg_url, capsys):
    from netjournal.store import reminders
    from netjournal.store.db import open_database

    assert run(capsys, "--db", pg_url, "add", "Ada")[0] == 0
    for _ in range(2):  # one row a day, however often the queue is shown
        assert run(capsys, "--db", pg_url, "due")[0] == 0
    db = open_database(pg_url)
    try:
        assert [d.isoformat() for d in reminders.seen_days(db)] == ["2026-11-24"]
        reminders.mark_seen(db, date(2026, 11, 20), source="app", shown=3)
        assert [d.isoformat() for d in reminders.seen_days(db)] == ["2026-11-20", "2026-11-24"]
    finally:
        db.dispose()


def test_due_on_a_journal_that_cannot_be_written_still_shows_the_queue(capsys, monkeypatch):
    from netjournal.errors import StoreError
    from netjournal.store import reminders

    assert run(capsys, "add", "Ada")[0] == 0
    assert run(capsys, "followup", "add", "ada", "call", "back", "--due", "today")[0] == 0

    def read_only(*_a, **_k):
        raise StoreError("the journal is read-only")

    monkeypatch.setattr(reminders, "mark_seen", read_only)
    code, out, err = run(capsys, "due")
    assert code == 0 and "call back" in out and err == ""
