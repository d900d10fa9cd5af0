"""`restore` checks every row as the forms do and rebuilds derived state (issue 13, break 4); a
damaged journal: `doctor` explains how to recover and `backup` never rotates out a good backup
for a damaged copy (break 3); the JSON backup streams and still reads the old layout (break 9)."""
from __future__ import annotations

import io
import json
import sqlite3
from contextlib import redirect_stderr, redirect_stdout

import pytest


def run(*argv: str) -> tuple[int, str, str]:
    from netjournal.cli import main

    o, e = io.StringIO(), io.StringIO()
    with redirect_stdout(o), redirect_stderr(e):
        code = main(list(argv))
    return code, o.getvalue(), e.getvalue()


@pytest.fixture
def good(tmp_path) -> dict:
    db = str(tmp_path / "src.db")
    for argv in (["add", "Ada Lovelace", "--about", "engines"], ["add", "Bob Stone"],
                 ["log", "ada", "-c", "call", "--no-stdin", "talked engines"],
                 ["log", "bob", "-c", "email", "--no-stdin", "sent the map"]):
        assert run("--db", db, *argv)[0] == 0, argv
    return json.loads(run("--db", db, "export", "json")[1])


def _restore(tmp_path, doc, name="t.db", *extra):
    src = tmp_path / "b.json"
    src.write_text(json.dumps(doc) if isinstance(doc, dict) else doc, encoding="utf-8")
    return run("--db", str(tmp_path / name), "restore", *extra, str(src))


BAD = [
    ("contact", "name", "", "name cannot be empty"),
    ("contact", "name", "Ada\x00", "NUL"),
    ("contact", "name", "x" * 5000, "too long"),
    ("contact", "tier", "bestie", "unknown tier"),
    ("contact", "stage", "friendship", "unknown stage"),
    ("contact", "created_at", "2026-01-01T10:00:00", "no time zone"),
    ("contact", "met_on", "2026-02-30", "not a date"),
    ("touch", "channel", "pigeon", "unknown channel"),
    ("touch", "occurred_on", None, "not a date"),
    ("handle", "contact_id", 999, "names no contact"),
]


@pytest.mark.parametrize("table,field,value,says", BAD)
def test_a_bad_row_is_named_and_nothing_is_written(tmp_path, good, table, field, value, says):
    doc = json.loads(json.dumps(good))
    if table == "handle":
        doc["tables"]["handle"] = [{"id": 1, "contact_id": 1, "kind": "email", "value": "a@b.org", "norm": "", "label": ""}]
    doc["tables"][table][0][field] = value
    code, out, err = _restore(tmp_path, doc)
    assert code == 2 and out == "", (code, out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 2 and says in lines[0] and "nothing was restored" in lines[1], err
    assert "#1" in lines[0] or "row 1" in lines[0], err          # names the row
    code, out, _ = run("--db", str(tmp_path / "t.db"), "list")
    assert code == 0 and "Ada" not in out and "Bob" not in out    # nothing written


def test_many_bad_rows_each_named_in_one_line(tmp_path, good):
    doc = json.loads(json.dumps(good))
    for r in doc["tables"]["contact"]:
        r["tier"] = "bestie"
    doc["tables"]["touch"][1]["direction"] = "sideways"
    code, _, err = _restore(tmp_path, doc)
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 4, err
    assert "contact #1" in lines[0] and "contact #2" in lines[1] and "touch #2" in lines[2]
    assert "3 bad rows" in lines[3]


def test_derived_state_is_rebuilt_not_trusted(tmp_path, good):
    doc = json.loads(json.dumps(good))
    for r in doc["tables"]["contact"]:
        r["state_json"], r["touch_count"], r["last_touch_on"] = "{not json", 99, "1999-01-01"
    code, out, err = _restore(tmp_path, doc)
    assert code == 0, err
    db = str(tmp_path / "t.db")
    for argv in (["due"], ["show", "ada"], ["log", "ada", "-c", "call", "--no-stdin", "again"], ["doctor"]):
        code, out, err = run("--db", db, *argv)
        assert code == 0, (argv, out, err)
    back = json.loads(run("--db", db, "export", "json")[1])
    ada = back["tables"]["contact"][0]
    assert ada["touch_count"] == 2 and json.loads(ada["state_json"]) and ada["last_touch_on"] != "1999-01-01"
    # and search works from the rebuilt index
    code, out, _ = run("--db", db, "search", "engines")
    assert code == 0 and "Ada Lovelace" in out


def test_streamed_layout_and_old_indented_layout_both_restore(tmp_path, good):
    code, streamed, _ = run("--db", str(tmp_path / "src.db"), "export", "json")
    lines = streamed.splitlines()
    assert lines[0].endswith('"tables": {') and lines[1] == '"contact": [' and lines[-1] == "}}"
    assert json.loads(streamed)["tables"] == good["tables"]      # still one ordinary JSON document
    code, out, err = _restore(tmp_path, json.dumps(good, indent=1), "old.db")
    assert code == 0 and "2 contacts" in out, err
    code, out, err = _restore(tmp_path, streamed[: len(streamed) // 2], "cut.db")   # cut short
    assert code == 2 and "netjournal:" in err and len(err.strip().splitlines()) == 1, err


def _damage(path, at=0.5, n=4096):
    data = bytearray(path.read_bytes())
    i = int(len(data) * at)
    i -= i % 4096
    for k in range(i, min(i + n, len(data))):
        data[k] ^= 0x5A
    path.write_bytes(bytes(data))


def test_damaged_journal_doctor_advises_and_backup_keeps_the_good_ones(tmp_path, monkeypatch):
    data = tmp_path / "data"
    monkeypatch.setenv("NETJOURNAL_DATA_DIR", str(data))
    assert run("demo", "--contacts", "300", "--touches", "6000")[0] == 0
    code, out, err = run("backup", "--keep", "3")
    assert code == 0, err
    good = sorted((data / "backups").glob("journal-backup-*.db"))
    assert len(good) == 1
    _damage(data / "journal.db")
    code, out, err = run("doctor")
    assert code == 1 and "Traceback" not in err and "run `netjournal doctor`" not in err + out, (out, err)
    assert "BAD" in out and f"netjournal restore --force {good[0]}" in out and ".recover" in out, out
    for _ in range(3):                      # a daily cron on a damaged journal
        code, out, err = run("backup", "--keep", "3")
        assert code == 2 and "damaged" in err and str(good[0]) in err, err
        assert len(err.strip().splitlines()) == 1
    assert sorted((data / "backups").glob("journal-backup-*.db")) == good      # the good one is kept
    assert len(list((data / "backups").glob("journal-damaged-*.db"))) == 3     # the bad copies, named apart
    con = sqlite3.connect(good[0])
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
