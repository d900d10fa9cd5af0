"""Counts, integrity checks and repairs (``netjournal doctor``)."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from netjournal.store.db import Database
from netjournal.store.read import Counts


def counts(db: Database) -> Counts:
    with db.read() as s:
        c = s.connection()

        def one(sql: str) -> int:
            return int(c.exec_driver_sql(sql).scalar() or 0)

        return Counts(
            contacts=one("SELECT count(*) FROM contact WHERE archived = false" if not db.is_sqlite
                         else "SELECT count(*) FROM contact WHERE archived = 0"),
            archived=one("SELECT count(*) FROM contact WHERE archived = true" if not db.is_sqlite
                         else "SELECT count(*) FROM contact WHERE archived = 1"),
            touches=one("SELECT count(*) FROM touch"),
            followups_open=one("SELECT count(*) FROM followup WHERE status = 'open'"),
            followups=one("SELECT count(*) FROM followup"),
            journal_entries=one("SELECT count(*) FROM journal_entry"),
            handles=one("SELECT count(*) FROM handle"),
            search_docs=one("SELECT count(*) FROM search_doc"),
        )


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    repaired: bool = False


@dataclass
class DoctorReport:
    checks: list[Check] = field(default_factory=list)
    schema: str | None = None
    counts: Counts | None = None
    advice: list[str] = field(default_factory=list)  # how to recover what cannot be repaired in place

    @property
    def ok(self) -> bool:
        return all(c.ok or c.repaired for c in self.checks)


_DOC_TABLES = (("contact", "contact"), ("touch", "touch"), ("followup", "followup"), ("journal", "journal_entry"))

ORPHAN_QUERIES = {
    "touches without a contact": "SELECT count(*) FROM touch t WHERE NOT EXISTS (SELECT 1 FROM touch_contact tc WHERE tc.touch_id = t.id)",
    "follow-ups without a contact": "SELECT count(*) FROM followup f WHERE NOT EXISTS (SELECT 1 FROM followup_contact fc WHERE fc.followup_id = f.id)",
    "search entries for missing records": "SELECT " + " + ".join(
        f"(SELECT count(*) FROM search_doc d WHERE d.kind = '{kind}' AND NOT EXISTS "
        f"(SELECT 1 FROM {table} x WHERE x.id = d.ref_id))" for kind, table in _DOC_TABLES),
    "records missing from search": "SELECT " + " + ".join(
        f"(SELECT count(*) FROM {table} x WHERE NOT EXISTS "
        f"(SELECT 1 FROM search_doc d WHERE d.kind = '{kind}' AND d.ref_id = x.id))" for kind, table in _DOC_TABLES),
}


def _err(exc: BaseException) -> str:
    return (str(getattr(exc, "orig", None) or exc).strip().splitlines() or [type(exc).__name__])[0]


_DB_ERRORS = (sa.exc.DBAPIError, sqlite3.DatabaseError)


def doctor(db: Database, *, repair: bool = True) -> DoctorReport:
    """Check everything that can be checked; a check that fails to run is reported, never raised.
    A damaged file is not repaired in place: the report says how to recover (``advice``)."""
    from netjournal.store import schema

    rep = DoctorReport()
    try:
        rep.schema = schema.current_revision(db)
        rep.checks.append(Check("schema version", rep.schema == schema.HEAD,
                                f"{rep.schema} (newest {schema.HEAD})"))
    except _DB_ERRORS as exc:
        rep.checks.append(Check("schema version", False, f"unreadable ({_err(exc)})"))
    orphans: dict[str, int] = {}
    with db.read() as s:
        conn = s.connection()

        def run(name: str, fn, ok_detail=lambda v: (True, "ok")):
            try:
                ok, detail = ok_detail(fn())
            except _DB_ERRORS as exc:
                ok, detail = False, f"could not be checked ({_err(exc)})"
            rep.checks.append(Check(name, ok, detail))
            return ok

        if db.is_sqlite:
            run("integrity", lambda: [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").all()],
                lambda res: (res == ["ok"], "ok" if res == ["ok"] else "; ".join(res[:5])))
            run("foreign keys", lambda: conn.exec_driver_sql("PRAGMA foreign_key_check").all(),
                lambda fk: (not fk, "ok" if not fk else f"{len(fk)} broken references"))
            try:
                conn.exec_driver_sql("INSERT INTO search_fts(search_fts, rank) VALUES('integrity-check', 1)")
                fts_ok, fts_detail = True, "ok"
            except Exception as exc:  # noqa: BLE001 - reported, then repaired below
                fts_ok, fts_detail = False, str(exc).splitlines()[0]
            rep.checks.append(Check("search index", fts_ok, fts_detail))
        else:
            conn.exec_driver_sql("SELECT count(*) FROM search_doc").scalar()
            rep.checks.append(Check("integrity", True, "PostgreSQL checks its own pages"))
            rep.checks.append(Check("search index", True, "ok"))
        for name, sql in ORPHAN_QUERIES.items():
            try:
                orphans[name] = int(conn.exec_driver_sql(sql).scalar() or 0)
                rep.checks.append(Check(name, orphans[name] == 0, "none" if orphans[name] == 0 else str(orphans[name])))
            except _DB_ERRORS as exc:
                rep.checks.append(Check(name, False, f"could not be checked ({_err(exc)})"))
    damaged = not all(c.ok for c in rep.checks if c.name in ("integrity", "foreign keys", "schema version"))
    if damaged and db.is_sqlite:
        rep.advice = recovery_advice(db)
    elif repair and not rep.ok:
        _repair(db, rep, orphans)
    try:
        rep.counts = counts(db)
    except _DB_ERRORS:
        rep.counts = None
    return rep


def check_file(path: Path) -> str | None:
    """None if the SQLite file at ``path`` passes ``PRAGMA integrity_check``, else what is wrong."""
    try:
        # immutable: a closed copy; leaves no -wal/-shm files beside it
        con = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
        try:
            res = [r[0] for r in con.execute("PRAGMA integrity_check").fetchall()]
        finally:
            con.close()
    except sqlite3.Error as exc:
        return _err(exc)
    return None if res == ["ok"] else "; ".join(res[:3])


def newest_good_backup(folder: Path, pattern: str) -> Path | None:
    """The newest backup in ``folder`` matching ``pattern`` that passes the integrity check."""
    try:
        found = sorted(Path(folder).glob(pattern), key=lambda p: p.name, reverse=True)
    except OSError:
        return None
    for p in found:
        if check_file(p) is None:
            return p
    return None


def recovery_advice(db: Database) -> list[str]:
    """How to get a damaged SQLite journal back (never by running doctor again)."""
    from netjournal import paths

    f = db.file
    if f is None:
        return []
    good = newest_good_backup(paths.backups_dir(f), f"{f.stem}-backup-*.db")
    lines = ["the journal file is damaged and cannot be repaired in place; do not write to it."]
    if good is not None:
        lines.append(f"restore the newest good backup: netjournal restore --force {good}")
    else:
        lines.append(f"no good backup found in {paths.backups_dir(f)}")
    lines.append(f"or salvage what is readable: sqlite3 {f} .recover | sqlite3 recovered.db, "
                 f"then netjournal --db recovered.db doctor")
    return lines


def _repair(db: Database, rep: DoctorReport, orphans: dict[str, int]) -> None:
    from netjournal.store import search

    by_name = {c.name: c for c in rep.checks}
    if orphans.get("search entries for missing records") or orphans.get("records missing from search") \
            or not by_name["search index"].ok:
        # First make the index agree with search_doc: deleting search_doc rows (reindex_all)
        # fires FTS5 'delete's that fail as "malformed" on an index out of step with them.
        search.rebuild_index(db)
        reindex_all(db)
        search.rebuild_index(db)
        for n in ("search index", "search entries for missing records", "records missing from search"):
            c = by_name[n]
            if not c.ok:
                c.repaired, c.detail = True, c.detail + " → rebuilt the search index"
    if orphans.get("touches without a contact") or orphans.get("follow-ups without a contact"):
        c1, c2 = by_name["touches without a contact"], by_name["follow-ups without a contact"]
        for c in (c1, c2):
            if not c.ok:
                c.detail += " (left in place: they hold your notes; delete them yourself if unwanted)"


def reindex_all(db: Database) -> int:
    """Rebuild every search document from the records."""
    from netjournal.store import api, contacts, index
    from netjournal.store.models import Contact, FollowUp, FollowUpContact, JournalEntry, SearchDoc, Touch, TouchContact

    n = 0
    with db.write() as s:
        s.exec(sa.delete(SearchDoc))
        for cid in list(s.exec(sa.select(Contact.id)).scalars()):
            index.index_contact(s, cid)
            n += 1
        links = {}
        for tid, cid in s.exec(sa.select(TouchContact.touch_id, TouchContact.contact_id)).all():
            links.setdefault(tid, []).append(cid)
        for t in s.exec(sa.select(Touch)).scalars():
            index.index_touch(s, t, links.get(t.id, []))
            n += 1
        flinks = {}
        for fid, cid in s.exec(sa.select(FollowUpContact.followup_id, FollowUpContact.contact_id)).all():
            flinks.setdefault(fid, []).append(cid)
        for f in s.exec(sa.select(FollowUp)).scalars():
            index.index_followup(s, f, flinks.get(f.id, []))
            n += 1
        names = contacts.name_rows(s, include_archived=True)
        for e in s.exec(sa.select(JournalEntry)).scalars():
            refs, _ = api.find_mentions(e.body, names)
            index.put_doc(s, "journal", e.id, refs[0].id if refs else None, e.day, f"Journal {e.day.isoformat()}", e.body)
            n += 1
    return n
