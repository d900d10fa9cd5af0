"""What the reminder engine needs, read with plain SQL: no ORM, no SQLAlchemy compile.

The same statements run through a SQLAlchemy connection (``load_inputs`` in
:mod:`netjournal.store.reminders`, SQLite or PostgreSQL) or through the standard library's
``sqlite3`` (:func:`sqlite_inputs`), which lets the app paint today's queue from a SQLite
journal before SQLAlchemy has even been imported. Imports only the standard library and the
engine.
"""
from __future__ import annotations

import gc
import sqlite3
from collections import defaultdict
from contextlib import contextmanager
from datetime import date, time
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence
from urllib.parse import quote

from netjournal.store.revision import HEAD

CONTACTS = ("SELECT id, name, tier, kin, rhythm_days, stage, state_json FROM contact "
            "WHERE archived = {false}{only_id}")
FOLLOWUPS = ("SELECT fc.contact_id, f.id, f.kind, f.title, f.due_on, f.due_time FROM followup_contact fc "
             "JOIN followup f ON f.id = fc.followup_id WHERE f.status = 'open'{only_cid}")
DATES = "SELECT contact_id, kind, month, day, year, label FROM important_date WHERE 1 = 1{only_cid}"
SNOOZES = "SELECT contact_id, kind, until, created_on FROM snooze WHERE 1 = 1{only_cid} ORDER BY created_on, id"
DISMISSALS = "SELECT contact_id, kind, on_day FROM dismissal WHERE 1 = 1{only_cid} ORDER BY on_day, id"
SEEN = "SELECT day FROM queue_seen ORDER BY day"


def seen_days(fetch: Callable[[str], list]) -> list[date]:
    """The days the queue was shown (``queue_seen``), oldest first."""
    return [as_day(r[0]) for r in fetch(SEEN)]


def sqlite_seen(path: Path | str) -> list[date] | None:
    """The days the queue was shown, read with the standard library (None: cannot read)."""
    try:
        con = sqlite3.connect(f"file:{Path(path)}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error:
        return None
    try:
        return seen_days(lambda sql: con.execute(sql).fetchall())
    except sqlite3.Error:
        return None
    finally:
        con.close()


def statements(contact_ids: Sequence[int] | None, *, sqlite: bool) -> dict[str, str]:
    ids = ",".join(str(int(i)) for i in contact_ids) if contact_ids is not None else None
    only_id = f" AND id IN ({ids or 'NULL'})" if ids is not None else ""
    only_cid = f" AND contact_id IN ({ids or 'NULL'})" if ids is not None else ""
    only_fcid = f" AND fc.contact_id IN ({ids or 'NULL'})" if ids is not None else ""
    false = "0" if sqlite else "false"
    return {
        "contacts": CONTACTS.format(false=false, only_id=only_id),
        "followups": FOLLOWUPS.format(only_cid=only_fcid),
        "dates": DATES.format(only_cid=only_cid),
        "snoozes": SNOOZES.format(only_cid=only_cid),
        "dismissals": DISMISSALS.format(only_cid=only_cid),
    }


def as_day(v: Any) -> date | None:
    """A date from a driver value (SQLite hands back ISO text, PostgreSQL a date)."""
    if v is None or isinstance(v, date):
        return v
    return date.fromisoformat(str(v)[:10])


def _clock(v: Any) -> time | None:
    if v is None or isinstance(v, time):
        return v
    return time.fromisoformat(str(v))


@contextmanager
def no_gc():
    """Pause the cyclic garbage collector while tens of thousands of objects are made.

    They are all kept, so a collection would find nothing; but each one walks every object the
    process holds (SQLAlchemy's and Textual's too), which costs more than building the queue.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def build_inputs(fetch: Callable[[str], list], sqls: dict[str, str]) -> list:
    """ContactInput objects from the five statements, run by ``fetch``."""
    with no_gc():
        return _build_inputs(fetch, sqls)


def _build_inputs(fetch: Callable[[str], list], sqls: dict[str, str]) -> list:
    from netjournal import engine

    fus: dict[int, list] = defaultdict(list)
    for cid, fid, kind, title, due, due_time in fetch(sqls["followups"]):
        fus[cid].append(engine.FollowupInput(id=fid, kind=kind, title=title, due=as_day(due), due_time=_clock(due_time)))
    dates: dict[int, list] = defaultdict(list)
    for cid, kind, month, day, year, label in fetch(sqls["dates"]):
        dates[cid].append(engine.DateInput(kind=kind, month=month, day=day, year=year, label=label or ""))
    snoozes: dict[int, list] = defaultdict(list)
    for cid, kind, until, created in fetch(sqls["snoozes"]):
        snoozes[cid].append(engine.SnoozeInput(kind=kind, until=as_day(until), created=as_day(created)))
    dismissals: dict[int, list] = defaultdict(list)
    for cid, kind, on in fetch(sqls["dismissals"]):
        dismissals[cid].append(engine.DismissInput(kind=kind, on=as_day(on)))
    rows = fetch(sqls["contacts"])
    states = engine.RelationshipState.many_from_json([r[6] for r in rows])
    ContactInput = engine.ContactInput
    fus_t, dates_t, snoozes_t, dismissals_t = ({k: tuple(v) for k, v in d.items()}
                                               for d in (fus, dates, snoozes, dismissals))
    empty = ()
    return [
        ContactInput(cid, name, tier, bool(kin), rhythm, stage, False, state, fus_t.get(cid, empty),
                     dates_t.get(cid, empty), snoozes_t.get(cid, empty), dismissals_t.get(cid, empty))
        for (cid, name, tier, kin, rhythm, stage, _), state in zip(rows, states)
    ]


def sqlite_inputs(path: Path | str, contact_ids: Sequence[int] | None = None) -> list | None:
    """The engine's inputs straight from a SQLite journal with the standard library, read-only.

    None when the file is missing, not at the newest schema, or cannot be read: the caller then
    goes the ordinary way (which creates or upgrades it).
    """
    path = Path(path)
    if not path.is_file():
        return None
    try:
        con = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, timeout=5)  # ?, # and % escaped
    except sqlite3.Error:
        return None
    try:
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        if not row or row[0] != HEAD:
            return None
        sqls = statements(contact_ids, sqlite=True)
        con.execute("BEGIN")  # one consistent snapshot for the five reads
        return build_inputs(lambda sql: con.execute(sql).fetchall(), sqls)
    except sqlite3.Error:
        return None
    finally:
        con.close()
