"""Readers and the importer never touch SQL: the store's import API (store/imports.py) does."""
from __future__ import annotations

import re
from pathlib import Path

import netjournal.formats as formats

MINE = ("registry.py", "records.py", "importing.py", "addressbook.py", "mail.py", "chat.py", "calendar_in.py")


def test_import_side_of_formats_has_no_sql_and_no_private_store_calls():
    root = Path(formats.__file__).parent
    for name in MINE:
        text = (root / name).read_text(encoding="utf-8")
        assert not re.search(r"\bsqlalchemy\b|store\.models|\bapi\._", text), name


def test_readers_return_plain_records():
    from datetime import date

    from netjournal.formats import registry
    from netjournal.formats.records import TouchRecord

    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "touches" / "signal.txt"
    res = registry.get("signal").read(fixture, "signal.txt", registry.ReadOptions(today=date(2025, 8, 1)))
    assert [type(t) for t in res.touches] == [TouchRecord, TouchRecord]
    assert [t.day.isoformat() for t in res.touches] == ["2025-02-01", "2025-02-02"]


def test_import_keys_fit_their_column_and_long_ones_never_collide():
    """One key maker for mail, calendars and Slack: short keys as they were (re-imports of earlier
    imports still match), long ones hashed, not cut (a cut made two Slack channels one)."""
    from netjournal.formats.records import import_key

    assert import_key("ics", "lunch@example.org") == "ics:lunch@example.org"
    a = import_key("chat", "slack:" + "C" * 400 + ":2025-03-01")
    b = import_key("chat", "slack:" + "C" * 400 + ":2025-03-02")
    assert a != b and len(a) <= 300 and len(b) <= 300 and a.startswith("chat:")
    assert a == import_key("chat", "slack:" + "C" * 400 + ":2025-03-01")
