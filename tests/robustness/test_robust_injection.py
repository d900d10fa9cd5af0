"""Terminal injection (issue 13, break 1): no way in stores a control sequence, no way out sends
one to a terminal.

- Hypothesis writes arbitrary text (C0, ESC/OSC sequences, C1 controls U+009B/U+009D, bidi
  overrides, surrogates aside) into every text column of a backup and restores it: what restore
  stores holds no control byte, and `list`, `show`, `search` and the Markdown export print none.
- Text stored before the check existed (written behind the app's back) is neutralised on the way
  out: CLI text output, error messages, the Markdown export, and vCard to a terminal.
"""
from __future__ import annotations

import io
import json
import re
import sqlite3
from contextlib import redirect_stderr, redirect_stdout

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# What a terminal would act on: C0 but \n and \t, ESC, DEL, C1, bidi embedding/override/isolate.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
NASTY = ["\x1b]0;pwned\x07", "\x1b]52;c;ZXZpbA==\x07", "\x1b[2J", "\x9b31m", "\x9d0;title\x9c", "\u202egnp.exe",
         "\x1bP+q\x1b\\", "\r", "\x08\x08", "\x7f", "\x00"]


def run(*argv: str) -> tuple[int, str, str]:
    from netjournal.cli import main

    o, e = io.StringIO(), io.StringIO()
    with redirect_stdout(o), redirect_stderr(e):
        code = main(list(argv))
    return code, o.getvalue(), e.getvalue()


def _base_backup(tmp_path) -> dict:
    db = str(tmp_path / "base.db")
    for argv in (["add", "Ada Lovelace", "--about", "likes engines"],
                 ["log", "ada", "-c", "call", "--no-stdin", "talked engines"],
                 ["followup", "add", "ada", "send", "the", "notes", "--due", "2026-12-01"],
                 ["journal", "met @ada about engines"]):
        code, _, err = run("--db", db, *argv)
        assert code == 0, (argv, err)
    code, text, err = run("--db", db, "export", "json")
    assert code == 0, err
    return json.loads(text)


TEXT_FIELDS = {"contact": ("name", "nickname", "company", "role", "location", "about", "interests", "ask_next"),
               "touch": ("summary", "notes", "value_given"), "followup": ("title", "place", "agenda"),
               "journal_entry": ("body",)}

nasty_text = st.lists(st.one_of(st.text(min_size=0, max_size=12), st.sampled_from(NASTY)), max_size=6).map("".join)


@pytest.fixture
def base(tmp_path):
    return _base_backup(tmp_path)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.fixed_dictionaries({f"{t}.{f}": nasty_text for t, fs in TEXT_FIELDS.items() for f in fs}))
def test_arbitrary_text_through_restore_never_reaches_the_terminal(base, tmp_path, texts):
    doc = json.loads(json.dumps(base))
    for key, value in texts.items():
        table, field = key.split(".")
        row = doc["tables"][table][0]
        # keep the required fields non-empty so most examples restore
        row[field] = ("Ada " + value) if field in ("name", "title") else value
    src = tmp_path / "nasty.json"
    src.write_text(json.dumps(doc), encoding="utf-8")
    db = str(tmp_path / "target.db")
    code, out, err = run("--db", db, "restore", "--force", str(src))
    assert "Traceback" not in err and "internal error" not in err, err
    assert not CONTROL.search(out + err), (out, err)
    if code != 0:
        assert code == 2 and err.strip(), err
        assert any("\x00" in v for v in texts.values()) or "too long" in err, err
        return
    # every way in cleaned: nothing stored holds a control byte
    code, dumped, _ = run("--db", db, "export", "json")
    for table, fields in TEXT_FIELDS.items():
        for row in json.loads(dumped)["tables"][table]:
            for f in fields:
                assert not CONTROL.search(row[f]), (table, f, row[f])
    # every way out is clean
    for argv in (["list"], ["show", "#1"], ["search", "Ada"], ["export", "markdown", "--contact", "#1"],
                 ["export", "markdown", "--since", "2020-01-01", "--until", "2030-01-01"]):
        code, out, err = run("--db", db, *argv)
        assert code == 0, (argv, err)
        assert not CONTROL.search(out + err), (argv, out)


def _plant(path, stmts):
    con = sqlite3.connect(path)
    try:
        for sql, params in stmts:
            con.execute(sql, params)
        con.commit()
    finally:
        con.close()


def test_text_already_stored_is_neutralised_on_every_way_out(tmp_path):
    db = tmp_path / "old.db"
    for argv in (["add", "Eve Evil", "--about", "x"], ["log", "eve", "-c", "call", "--no-stdin", "hello"]):
        assert run("--db", str(db), *argv)[0] == 0
    evil = "Eve\x1b]0;pwned\x07\x1b]52;c;ZXZpbA==\x07\x9b2J\x9d8;;x\x9c Evil\u202e"
    _plant(db, [("UPDATE contact SET name = ?, about = ?", (evil, "about\x1b[2J me")),
                ("UPDATE touch SET summary = ?, notes = ?", ("hi\x1b[31m there", "n\x1b]0;t\x07")),
                ("UPDATE search_doc SET title = ? WHERE kind = 'contact'", (evil,))])
    for argv in (["list"], ["show", "Eve"], ["search", "Eve"], ["list", "--all"],
                 ["export", "markdown", "--contact", "#1"], ["export", "vcard"], ["export", "ical"],
                 ["show", "nobody-here\x1b]0;x\x07"]):
        code, out, err = run("--db", str(db), *argv)
        assert "internal error" not in err, (argv, err)
        assert not CONTROL.search(out + err.replace("\r\n", "\n")) or argv[:2] in (["export", "vcard"], ["export", "ical"]), (argv, out, err)
    code, out, _ = run("--db", str(db), "show", "#1")
    assert "]0;pwned" in out and "Evil" in out          # shown, with the sequences defused
    # the JSON export is lossless and escaped: the bytes are there, as \u001b, never raw
    code, out, _ = run("--db", str(db), "export", "json")
    assert "\x1b" not in out and "\\u001b" in out


def test_every_way_in_cleans(tmp_path):
    db = str(tmp_path / "in.db")
    code, out, err = run("--db", db, "add", "Mallory\x1b]0;x\x07\x9b2J", "--about", "a\x9d8;;u\x9cb\u202ec")
    assert code == 0, err
    code, out, _ = run("--db", db, "export", "json")
    row = json.loads(out)["tables"]["contact"][0]
    assert row["name"] == "Mallory]0;x2J" and row["about"] == "a8;;ubc"


def test_restore_reports_plurals(tmp_path, base):
    src = tmp_path / "b.json"
    src.write_text(json.dumps(base), encoding="utf-8")
    code, out, err = run("--db", str(tmp_path / "t.db"), "restore", str(src))
    assert code == 0, err
    assert "1 contact," in out and "1 touch," in out and "1 journal entry" in out, out
    doc = json.loads(json.dumps(base))
    doc["tables"]["contact"] += [dict(doc["tables"]["contact"][0], id=i, name=f"P{i}") for i in range(2, 12)]
    src.write_text(json.dumps(doc), encoding="utf-8")
    code, out, err = run("--db", str(tmp_path / "t2.db"), "restore", str(src))
    assert code == 0 and "11 contacts," in out, (out, err)
