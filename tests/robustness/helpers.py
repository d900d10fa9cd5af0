"""Helpers for the robustness suite (imported as ``tests.robustness.helpers``): the installed ``netjournal`` entry point run as a real
process (environment pointing at the test's private directories), and direct SQLite looks at
the journal file that do not go through the app."""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

EXE = shutil.which("netjournal")


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self):
        return json.loads(self.out)


def proc_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("NETJOURNAL_DEBUG", None)
    env.update(extra)
    return env


def sql(path: Path, query: str, params=()) -> list[tuple]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute(query, params).fetchall()
    finally:
        con.close()


def integrity(path: Path) -> list[str]:
    return [r[0] for r in sql(path, "PRAGMA integrity_check")]


TABLES = ("contact", "handle", "contact_tag", "important_date", "touch", "touch_contact", "followup",
          "followup_contact", "journal_entry", "journal_mention", "snooze", "dismissal", "search_doc")


def snapshot(path: Path) -> dict[str, list[tuple]]:
    """Every row of every user table (what "the store is unchanged" compares)."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in TABLES}
    finally:
        con.close()


def assert_one_line_error(r: Result) -> None:
    assert r.code == 2, (r.code, r.out, r.err)
    assert "Traceback" not in r.err and "Traceback" not in r.out
    assert r.err.count("\n") == 1 and r.err.endswith("\n") and r.err.startswith("netjournal: "), r.err
