"""The store's side of backups: every row out as a stream, every row in validated.

``iter_rows`` reads every table in one read transaction (a consistent snapshot) and yields rows
as they are read, so an export holds one chunk at a time, not the journal.

``restore_rows`` takes ``(table, row)`` pairs (plain dicts of JSON values, as a backup file
holds them), checks each row as the forms and importers do (``store.validate``), inserts them in
bulk, and then rebuilds what is derived rather than trusting the file: each contact's engine
summary (``state_json``, ``last_touch_on``, ``touch_count``), each handle's ``norm`` and the
search index. All or nothing: if any row is bad, nothing is written and every bad row is named
(``RestoreRejected.problems``, one line each).
"""
from __future__ import annotations

import calendar
import sqlite3
from datetime import date, datetime, time, timezone
from itertools import groupby
from pathlib import Path
from typing import Iterable, Iterator

import sqlalchemy as sa

from netjournal import vocab
from netjournal.errors import UserError
from netjournal.store import validate

# Foreign-key order: parents first.
TABLES = ("contact", "handle", "contact_tag", "important_date", "touch", "touch_contact", "followup",
          "followup_contact", "journal_entry", "journal_mention", "snooze", "dismissal",
          "contact_link",  # links between contacts: after contact and touch
          "import_name")   # r14: names an import was told about (after contact)
# Kept in a backup for the reader's benefit, but recomputed on restore.
DERIVED = {"contact": ("state_json", "last_touch_on", "touch_count"), "handle": ("norm",)}
CHUNK = 2000
MAX_PROBLEMS = 50


class RestoreRejected(UserError):
    """Bad rows in a backup: nothing was written. ``problems`` names each, one line each."""

    def __init__(self, message: str, problems: list[str]):
        super().__init__(message)
        self.problems = problems


def tables() -> dict[str, sa.Table]:
    from sqlmodel import SQLModel

    import netjournal.store.models  # noqa: F401 - registers the tables

    return {name: SQLModel.metadata.tables[name] for name in TABLES}


# ----------------------------------------------------------------------------- out

def to_json_value(value):
    """A column value as a backup holds it: dates and times as ISO text, instants as UTC with Z."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return value


def _sqlite_instant(v):
    # SQLite holds instants as naive UTC text, "YYYY-MM-DD HH:MM:SS[.ffffff]"
    if v is None:
        return None
    if isinstance(v, str) and len(v) >= 19 and v[10] == " ":
        if v.endswith(".000000"):
            v = v[:19]
        return v[:10] + "T" + v[11:] + "Z"
    return to_json_value(datetime.fromisoformat(str(v)))


def _sqlite_clock(v):
    if isinstance(v, str) and v.endswith(".000000"):
        return v[:-7]
    return v


def _sqlite_converters(table: sa.Table) -> list:
    from netjournal.store.models import UTCDateTime

    out = []
    for c in table.columns:
        t = c.type
        if isinstance(t, UTCDateTime) or isinstance(t, sa.DateTime):
            out.append(_sqlite_instant)
        elif isinstance(t, sa.Boolean):
            out.append(lambda v: None if v is None else bool(v))
        elif isinstance(t, sa.Time):
            out.append(_sqlite_clock)
        else:
            out.append(None)  # text, numbers, dates ("YYYY-MM-DD") are stored as a backup holds them
    return out


def iter_rows(db) -> Iterator[tuple[str, dict]]:
    """Every row of every table as ``(table, {column: value})``, parents first, by primary key,
    in one read transaction, fetched a chunk at a time. Values are as a JSON backup holds them
    (``to_json_value``): plain text, numbers, booleans and None."""
    with db.read() as s:
        conn = s.connection()
        for name, table in tables().items():
            pk = list(table.primary_key.columns)
            cols = [c.name for c in table.columns]
            if db.is_sqlite:  # the driver's values, converted here: much faster than per-value type hooks
                conv = [(i, f) for i, f in enumerate(_sqlite_converters(table)) if f is not None]
                cur = conn.exec_driver_sql(
                    f"SELECT {', '.join(cols)} FROM {name} ORDER BY {', '.join(c.name for c in pk)}")
                while True:
                    part = cur.fetchmany(CHUNK)
                    if not part:
                        break
                    for r in part:
                        if conv:
                            r = list(r)
                            for i, f in conv:
                                r[i] = f(r[i])
                        yield name, dict(zip(cols, r))
                continue
            res = conn.execution_options(stream_results=True, yield_per=CHUNK).execute(
                sa.select(table).order_by(*pk))
            keys = list(res.keys())
            for part in res.partitions(CHUNK):
                for r in part:
                    yield name, {k: to_json_value(v) for k, v in zip(keys, r)}


def iter_journal_file(path: Path) -> Iterator[tuple[str, dict]]:
    """The rows of a journal file (a SQLite backup made by ``backup``), read-only."""
    path = Path(path)
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise UserError(f"cannot open {path.name}: {exc}") from None
    try:
        try:
            con.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.Error:
            raise UserError(f"{path.name} is not a netjournal journal") from None
        for name, table in tables().items():
            cols = [c.name for c in table.columns]
            try:
                cur = con.execute(f"SELECT {', '.join(cols)} FROM {name}")
                while True:
                    rows = cur.fetchmany(CHUNK)
                    if not rows:
                        break
                    for r in rows:
                        yield name, dict(zip(cols, r))
            except sqlite3.DatabaseError as exc:
                raise UserError(f"{path.name} is damaged or not a readable journal ({exc})") from None
    finally:
        con.close()


def journal_file_schema(path: Path) -> str | None:
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return None
    return row[0] if row else None


# ----------------------------------------------------------------------------- row checks

class _Bad(Exception):
    pass


def _text(v, field, *, max_len=vocab.MAX_SHORT, multiline=False, required=False):
    if v is not None and not isinstance(v, str):
        raise _Bad(f"{field} is not text")
    try:
        return validate.text(v, field, max_len=max_len, multiline=multiline, required=required)
    except UserError as exc:
        raise _Bad(str(exc)) from None


def _long(v, field, required=False):
    return _text(v, field, max_len=vocab.MAX_TEXT, multiline=True, required=required)


def _opt(v, field, options):
    if v not in options:
        raise _Bad(f"unknown {field} {v!r} (one of: {', '.join(options)})")
    return v


def _int(v, field, *, lo=None, hi=None, null=False):
    if v is None and null:
        return None
    if isinstance(v, bool) or not isinstance(v, int):
        raise _Bad(f"{field} is not a whole number ({v!r})")
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        raise _Bad(f"{field} {v} is out of range")
    return v


def _bool(v, field):
    if isinstance(v, bool):
        return v
    if v in (0, 1):
        return bool(v)
    raise _Bad(f"{field} is not true/false ({v!r})")


def _day(v, field, null=False):
    if v is None and null:
        return None
    if isinstance(v, date) and not isinstance(v, datetime):
        return v
    try:
        return date.fromisoformat(v) if isinstance(v, str) and len(v) == 10 else _fail()
    except (ValueError, _Bad):
        raise _Bad(f"{field} is not a date ({v!r})") from None


def _clock(v, field):
    if v is None:
        return None
    if isinstance(v, time):
        return v
    try:
        return time.fromisoformat(v) if isinstance(v, str) else _fail()
    except (ValueError, _Bad):
        raise _Bad(f"{field} is not a time of day ({v!r})") from None


def _instant(v, field, null=False, naive_utc=False):
    """An aware instant (a JSON backup must say the zone: "…Z" or "+01:00")."""
    if v is None and null:
        return None
    if isinstance(v, datetime):
        dt = v
    else:
        try:
            dt = datetime.fromisoformat(v.replace("Z", "+00:00")) if isinstance(v, str) else _fail()
        except (ValueError, _Bad):
            raise _Bad(f"{field} is not a date and time ({v!r})") from None
    if dt.tzinfo is None:
        if not naive_utc:
            raise _Bad(f"{field} has no time zone ({v!r}; write it as UTC with a Z)")
        dt = dt.replace(tzinfo=timezone.utc)
    try:
        return dt.astimezone(timezone.utc)
    except (OverflowError, ValueError):
        raise _Bad(f"{field} is out of range ({v!r})") from None


def _fail():
    raise _Bad()


class _Checker:
    """Checks rows table by table, remembering the ids seen for references."""

    def __init__(self, naive_utc: bool):
        self.naive_utc = naive_utc  # a SQLite journal file stores instants as naive UTC
        self.ids: dict[str, set] = {t: set() for t in ("contact", "touch", "followup", "journal_entry")}
        self.keys: dict[str, set] = {t: set() for t in ("contact_tag", "touch_contact", "followup_contact",
                                                       "journal_mention", "snooze", "dismissal", "handle",
                                                       "important_date", "contact_link", "import_name",
                                                       "import_name_key")}
        self.days: set = set()

    def _id(self, table, v):
        i = _int(v, "id", lo=1, hi=2**63 - 1)
        seen = self.ids.get(table) if table in self.ids else self.keys[table]
        if i in seen:
            raise _Bad(f"id {i} appears twice")
        seen.add(i)
        return i

    def _ref(self, table, v, field, null=False):
        if v is None and null:
            return None
        i = _int(v, field)
        if i not in self.ids[table]:
            raise _Bad(f"{field} {i} names no {table.replace('_', ' ')} in the backup")
        return i

    def _pair(self, table, key):
        if key in self.keys[table]:
            raise _Bad("appears twice")
        self.keys[table].add(key)

    def _at(self, r, field, null=False):
        return _instant(r.get(field), field, null=null, naive_utc=self.naive_utc)

    def check(self, table: str, r: dict) -> dict:
        if not isinstance(r, dict):
            raise _Bad("is not an object")
        fn = getattr(self, "_" + table)
        return fn(r)

    def _contact(self, r):
        return dict(
            id=self._id("contact", r.get("id")),
            name=_text(r.get("name"), "name", max_len=vocab.MAX_NAME, required=True),
            **{k: _text(r.get(k, ""), k.replace("_", " "), max_len=vocab.MAX_NAME)
               for k in ("given_name", "family_name", "nickname")},
            **{k: _text(r.get(k, ""), k.replace("_", " ")) for k in ("company", "role", "location", "met_how")},
            met_on=_day(r.get("met_on"), "met on", null=True),
            tier=_opt(r.get("tier"), "tier", vocab.TIERS),
            stage=_opt(r.get("stage"), "stage", vocab.STAGES),
            target_priority=_int(r.get("target_priority"), "target priority", lo=1, hi=1000, null=True),
            rhythm_days=_int(r.get("rhythm_days"), "rhythm", lo=1, hi=3650, null=True),
            **{k: _long(r.get(k, ""), k.replace("_", " "))
               for k in ("target_why", "target_offer", "about", "interests", "ask_next")},
            kin=_bool(r.get("kin", False), "kin"), archived=_bool(r.get("archived", False), "archived"),
            state_json=None, last_touch_on=None, touch_count=0,
            created_at=self._at(r, "created_at"), updated_at=self._at(r, "updated_at"))

    def _handle(self, r):
        kind = _opt(r.get("kind"), "handle kind", vocab.HANDLE_KINDS)
        value = _text(r.get("value"), "handle", required=True)
        return dict(id=self._id("handle", r.get("id")), contact_id=self._ref("contact", r.get("contact_id"), "contact_id"),
                    kind=kind, value=value, norm=validate.handle_norm(kind, value)[:vocab.MAX_SHORT],
                    label=_text(r.get("label", ""), "label", max_len=100))

    def _contact_tag(self, r):
        cid = self._ref("contact", r.get("contact_id"), "contact_id")
        if not isinstance(r.get("tag"), str):
            raise _Bad("tag is not text")
        try:
            tag = validate.tag(r["tag"])
        except UserError as exc:
            raise _Bad(str(exc)) from None
        self._pair("contact_tag", (cid, tag))
        return dict(contact_id=cid, tag=tag)

    def _important_date(self, r):
        m = _int(r.get("month"), "month", lo=1, hi=12)
        year = _int(r.get("year"), "year", lo=1, hi=9999, null=True)
        d = _int(r.get("day"), "day", lo=1, hi=29 if m == 2 else calendar.monthrange(2001, m)[1])
        return dict(id=self._id("important_date", r.get("id")), contact_id=self._ref("contact", r.get("contact_id"), "contact_id"),
                    kind=_opt(r.get("kind"), "date kind", vocab.DATE_KINDS), month=m, day=d, year=year,
                    label=_text(r.get("label", ""), "label", max_len=vocab.MAX_NAME))

    def _touch(self, r):
        source = r.get("source")
        return dict(
            id=self._id("touch", r.get("id")), occurred_on=_day(r.get("occurred_on"), "day"),
            occurred_time=_clock(r.get("occurred_time"), "time"),
            channel=_opt(r.get("channel"), "channel", vocab.CHANNELS),
            platform=_text(r.get("platform", ""), "platform", max_len=50),
            direction=_opt(r.get("direction"), "direction", vocab.DIRECTIONS),
            summary=_text(r.get("summary", ""), "summary"),
            notes=_long(r.get("notes", ""), "notes"), value_given=_long(r.get("value_given", ""), "value given"),
            source=None if source is None else _text(source, "source", max_len=300),
            created_at=self._at(r, "created_at"), updated_at=self._at(r, "updated_at"))

    def _link(self, table, r, parent, pfield):
        p = self._ref(parent, r.get(pfield), pfield)
        c = self._ref("contact", r.get("contact_id"), "contact_id")
        self._pair(table, (p, c))
        return {pfield: p, "contact_id": c}

    def _contact_link(self, r):
        from netjournal.store.links import KINDS

        a = self._ref("contact", r.get("a_id"), "a_id")
        b = self._ref("contact", r.get("b_id"), "b_id")
        if a == b:
            raise _Bad("links a contact to itself")
        touch = r.get("touch_id")
        return dict(id=self._id("contact_link", r.get("id")), a_id=a, b_id=b,
                    kind=_opt(r.get("kind"), "link kind", tuple(KINDS)),
                    label=_text(r.get("label", ""), "label", max_len=100),
                    company=_text(r.get("company", ""), "company"),
                    since=_day(r.get("since"), "since", null=True),
                    touch_id=None if touch is None or _int(touch, "touch_id") not in self.ids["touch"] else int(touch),
                    created_at=self._at(r, "created_at"))

    def _import_name(self, r):  # r14
        action = _opt(r.get("action"), "action", ("contact", "skip", "me"))
        cid = self._ref("contact", r.get("contact_id"), "contact_id", null=True)
        if action == "contact" and cid is None:
            raise _Bad("a name mapped to no contact")
        scope = _text(r.get("scope"), "scope", max_len=20, required=True)
        key = _text(r.get("key"), "key", max_len=300, required=True)
        self._pair("import_name_key", (scope, key))
        return dict(id=self._id("import_name", r.get("id")), scope=scope, key=key,
                    name=_text(r.get("name", ""), "name", max_len=300), action=action, contact_id=cid,
                    created_at=self._at(r, "created_at"))

    def _touch_contact(self, r):
        return self._link("touch_contact", r, "touch", "touch_id")

    def _followup_contact(self, r):
        return self._link("followup_contact", r, "followup", "followup_id")

    def _journal_mention(self, r):
        return self._link("journal_mention", r, "journal_entry", "entry_id")

    def _followup(self, r):
        row = dict(
            id=_int(r.get("id"), "id", lo=1, hi=2**63 - 1),
            kind=_opt(r.get("kind"), "follow-up kind", vocab.FOLLOWUP_KINDS),
            title=_text(r.get("title"), "title", required=True),
            due_on=_day(r.get("due_on"), "due", null=True), due_time=_clock(r.get("due_time"), "due time"),
            place=_text(r.get("place", ""), "place"), agenda=_long(r.get("agenda", ""), "agenda"),
            status=_opt(r.get("status"), "status", vocab.FOLLOWUP_STATUSES),
            meeting_notes=_long(r.get("meeting_notes", ""), "meeting notes"),
            outcome=_long(r.get("outcome", ""), "outcome"),
            from_touch_id=self._ref("touch", r.get("from_touch_id"), "from_touch_id", null=True),
            done_touch_id=self._ref("touch", r.get("done_touch_id"), "done_touch_id", null=True),
            parent_id=self._ref("followup", r.get("parent_id"), "parent_id", null=True),
            created_at=self._at(r, "created_at"), updated_at=self._at(r, "updated_at"),
            completed_at=self._at(r, "completed_at", null=True),
            source=None if r.get("source") is None else _text(r.get("source"), "source", max_len=300))
        self._id("followup", row["id"])
        return row

    def _journal_entry(self, r):
        day = _day(r.get("day"), "day")
        if day in self.days:
            raise _Bad(f"a second journal entry for {day.isoformat()}")
        self.days.add(day)
        return dict(id=self._id("journal_entry", r.get("id")), day=day, body=_long(r.get("body", ""), "body"),
                    created_at=self._at(r, "created_at"), updated_at=self._at(r, "updated_at"))

    def _snooze(self, r):
        kind = r.get("kind")
        return dict(id=self._id("snooze", r.get("id")), contact_id=self._ref("contact", r.get("contact_id"), "contact_id"),
                    kind=None if kind is None else _opt(kind, "reminder kind", vocab.REMINDER_KINDS),
                    until=_day(r.get("until"), "until"), created_on=_day(r.get("created_on"), "created on"),
                    created_at=self._at(r, "created_at"))

    def _dismissal(self, r):
        return dict(id=self._id("dismissal", r.get("id")), contact_id=self._ref("contact", r.get("contact_id"), "contact_id"),
                    kind=_opt(r.get("kind"), "reminder kind", vocab.REMINDER_KINDS),
                    on_day=_day(r.get("on_day"), "day"), created_at=self._at(r, "created_at"))


def _describe(table: str, n: int, r) -> str:
    rid = r.get("id") if isinstance(r, dict) else None
    what = table.replace("_", " ")
    return f"{what} #{rid}" if isinstance(rid, int) and not isinstance(rid, bool) else f"{what} row {n}"


# ----------------------------------------------------------------------------- in

def restore_rows(db, rows: Iterable[tuple[str, dict]], *, force: bool = False, source: str = "the backup",
                 naive_utc: bool = False) -> dict[str, int]:
    """Replace the journal's rows with ``rows`` (same ids), checked; see the module docstring."""
    from netjournal.store.models import SearchDoc

    tabs = tables()
    counts = {name: 0 for name in TABLES}
    problems: list[str] = []
    n_bad = 0
    checker = _Checker(naive_utc)
    order = {name: i for i, name in enumerate(TABLES)}
    with db.write() as s:
        conn = s.connection()
        n = conn.execute(sa.select(sa.func.count()).select_from(tabs["contact"])).scalar() or 0
        if n and not force:
            raise UserError(f"the journal already holds {plural(n, 'contact')}: restore refuses to overwrite it "
                            "(use --force to replace everything)")
        conn.execute(sa.delete(SearchDoc.__table__))
        for name in reversed(TABLES):
            conn.execute(sa.delete(tabs[name]))
        pending: list[dict] = []
        current: str | None = None
        done: set[str] = set()

        def flush():
            if pending and not n_bad:
                insert(conn, tabs[current], pending)
            pending.clear()

        for table, r in rows:
            if table not in order:
                continue  # a table this version does not know (search_doc, say): derived or not ours
            if table != current:
                flush()
                if current is not None:
                    done.add(current)
                if table in done or (current is not None and order[table] < order[current]):
                    # rows of a parent after its children: the references cannot be checked in one pass
                    n_bad += 1
                    if len(problems) < MAX_PROBLEMS:
                        problems.append(f"{table.replace('_', ' ')}: rows out of order (parents must come first)")
                    current = table
                    continue
                current = table
            counts[table] += 1
            try:
                row = checker.check(table, r)
            except _Bad as exc:
                n_bad += 1
                if len(problems) < MAX_PROBLEMS:
                    problems.append(f"{_describe(table, counts[table], r)}: {str(exc) or 'a bad value'}")
                continue
            if not n_bad:
                pending.append(row)
                if len(pending) >= CHUNK:
                    flush()
        flush()
        if n_bad:
            more = f" (the first {MAX_PROBLEMS} are listed)" if n_bad > len(problems) else ""
            raise RestoreRejected(f"{source}: {plural(n_bad, 'bad row')}{more}; nothing was restored, "
                                  "the journal was not changed", problems)
        _rebuild_derived(s, conn)
        if db.dialect == "postgresql":
            for name in TABLES:
                if "id" in tabs[name].c:
                    conn.execute(sa.text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                        f"COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)"))
    return counts


def _driver_value(v):
    """A checked value as SQLAlchemy's SQLite dialect stores it (what it reads back)."""
    if isinstance(v, datetime):
        v = v.astimezone(timezone.utc)
        return f"{v.date().isoformat()} {v.hour:02d}:{v.minute:02d}:{v.second:02d}.{v.microsecond:06d}"
    if isinstance(v, time):
        return v.strftime("%H:%M:%S.%f")
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, bool):
        return int(v)
    return v


def _typed(col) -> bool:
    from netjournal.store.models import UTCDateTime

    return isinstance(col.type, (sa.Date, sa.DateTime, sa.Time, sa.Boolean, UTCDateTime))


def insert(conn, table: sa.Table, rows: list[dict]) -> None:
    """Bulk insert: on SQLite straight to the driver's executemany (the per-value type hooks
    were most of a big restore's time), else through SQLAlchemy."""
    if conn.dialect.name != "sqlite":
        conn.execute(sa.insert(table), rows)
        return
    cols = list(rows[0])
    sql = f"INSERT INTO {table.name} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
    typed = [c for c in cols if _typed(table.c[c])]  # values that need converting
    if typed:
        plain = [c for c in cols if c not in typed]
        order = plain + typed  # same values, columns reordered: converters only where needed
        sql = f"INSERT INTO {table.name} ({', '.join(order)}) VALUES ({', '.join('?' * len(order))})"
        conn.exec_driver_sql(sql, [tuple([r[c] for c in plain] + [_driver_value(r[c]) for c in typed])
                                   for r in rows])
    else:
        conn.exec_driver_sql(sql, [tuple(r[c] for c in cols) for r in rows])


def plural(n: int, word: str) -> str:
    """``1 contact``, ``11 contacts``, ``2 touches``, ``3 journal entries``."""
    if n == 1:
        return f"{n:,} {word}"
    if word.endswith(("ch", "sh", "s", "x")):
        return f"{n:,} {word}es"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return f"{n:,} {word[:-1]}ies"
    return f"{n:,} {word}s"


def _rebuild_derived(s, conn) -> None:
    """Engine summaries and search documents, from the rows just written (streamed, in chunks)."""
    from netjournal.engine import RelationshipState
    from netjournal.store import api
    from netjournal.store.models import (Contact, ContactTag, FollowUp, FollowUpContact, Handle, JournalEntry,
                                         SearchDoc, Touch, TouchContact)

    doc_table = SearchDoc.__table__
    docs: list[dict] = []

    def add_doc(**d):
        docs.append(d)
        if len(docs) >= CHUNK:
            insert(conn, doc_table, docs)
            docs.clear()

    # engine summaries: one ordered pass over each contact's touches
    hist = conn.execute(
        sa.select(TouchContact.contact_id, Touch.occurred_on, Touch.channel, Touch.direction)
        .join(Touch, Touch.id == TouchContact.touch_id)
        .order_by(TouchContact.contact_id, Touch.occurred_on, Touch.id)).yield_per(CHUNK)
    ups = []
    ctab = Contact.__table__
    stmt = ctab.update().where(ctab.c.id == sa.bindparam("cid")).values(
        state_json=sa.bindparam("sj"), last_touch_on=sa.bindparam("lt"), touch_count=sa.bindparam("tc"))
    for cid, grp in groupby(hist, key=lambda r: r[0]):
        h = [(d, ch, di) for _, d, ch, di in grp]
        ups.append(dict(cid=cid, sj=RelationshipState.from_history(h).to_json(), lt=h[-1][0], tc=len(h)))
        if len(ups) >= CHUNK:
            conn.execute(stmt, ups)
            ups.clear()
    if ups:
        conn.execute(stmt, ups)
    del hist
    # contacts
    handles: dict[int, list[str]] = {}
    for cid, v in conn.execute(sa.select(Handle.contact_id, Handle.value).order_by(Handle.id)):
        handles.setdefault(cid, []).append(v)
    tags: dict[int, list[str]] = {}
    for cid, t in conn.execute(sa.select(ContactTag.contact_id, ContactTag.tag).order_by(ContactTag.tag)):
        tags.setdefault(cid, []).append(t)
    names: dict[int, str] = {}
    for c in s.execute(sa.select(Contact)).scalars():
        names[c.id] = c.name
        title, body = api.contact_doc_text(c, handles.get(c.id, ()), tags.get(c.id, ()))
        add_doc(kind="contact", ref_id=c.id, contact_id=c.id, day=None, title=title, body=body)
    s.expunge_all()
    del handles, tags
    # touches: one ordered pass with their contacts
    res = conn.execute(
        sa.select(Touch.id, Touch.occurred_on, Touch.channel, Touch.summary, Touch.notes, Touch.value_given,
                  TouchContact.contact_id)
        .outerjoin(TouchContact, TouchContact.touch_id == Touch.id)
        .order_by(Touch.id, TouchContact.contact_id)).yield_per(CHUNK)
    for tid, grp in groupby(res, key=lambda r: r[0]):
        grp = list(grp)
        _, day, channel, summary, notes, value_given, _c = grp[0]
        ids = [r[6] for r in grp if r[6] is not None]
        who = [names.get(i, "") for i in ids]
        title = summary or f"{vocab.CHANNEL_LABELS.get(channel, channel)} with {', '.join(who)}"
        body = "\n".join(p for p in (notes, value_given, " ".join(who)) if p)
        add_doc(kind="touch", ref_id=tid, contact_id=ids[0] if ids else None, day=day, title=title, body=body)
    # follow-ups
    res = conn.execute(
        sa.select(FollowUp.id, FollowUp.due_on, FollowUp.title, FollowUp.place, FollowUp.agenda,
                  FollowUp.meeting_notes, FollowUp.outcome, FollowUpContact.contact_id)
        .outerjoin(FollowUpContact, FollowUpContact.followup_id == FollowUp.id)
        .order_by(FollowUp.id, FollowUpContact.contact_id)).all()
    for fid, grp in groupby(res, key=lambda r: r[0]):
        grp = list(grp)
        _, due, title, place, agenda, notes, outcome, _c = grp[0]
        ids = [r[7] for r in grp if r[7] is not None]
        who = " ".join(names.get(i, "") for i in ids)
        add_doc(kind="followup", ref_id=fid, contact_id=ids[0] if ids else None, day=due, title=title,
                body="\n".join(p for p in (place, agenda, notes, outcome, who) if p))
    # journal days
    all_names = [(i, n, "") for i, n in names.items()]
    nick = dict(conn.execute(sa.select(Contact.id, Contact.nickname)).all())
    all_names = [(i, n, nick.get(i, "")) for i, n, _ in all_names]
    index: dict[str, list] = {}
    for entry in all_names:  # the keys find_mentions looks a token up by, built once
        low = entry[1].lower()
        for k in {low, low.replace(" ", "_"), (entry[2] or "").lower(), low.split()[0] if low.split() else low}:
            if k:
                index.setdefault(k, []).append(entry)
    for eid, day, body in conn.execute(sa.select(JournalEntry.id, JournalEntry.day, JournalEntry.body)).all():
        cands: dict[int, tuple] = {}
        for m in api.MENTION_RE.finditer(body):
            key = (m.group(1) or m.group(2) or "").strip().rstrip(".'-").lower()
            for k in (key, key.replace("_", " ")):
                for entry in index.get(k, ()):
                    cands[entry[0]] = entry
        refs, _ = api.find_mentions(body, list(cands.values())) if cands else ([], [])
        add_doc(kind="journal", ref_id=eid, contact_id=refs[0].id if refs else None, day=day,
                title=f"Journal {day.isoformat()}", body=body)
    if docs:
        insert(conn, doc_table, docs)
