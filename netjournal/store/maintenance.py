"""Counts, integrity checks and repairs (``netjournal doctor``)."""
from __future__ import annotations

from dataclasses import dataclass, field

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


def doctor(db: Database, *, repair: bool = True) -> DoctorReport:
    from netjournal.store import schema

    rep = DoctorReport()
    rep.schema = schema.current_revision(db)
    rep.checks.append(Check("schema version", rep.schema == schema.HEAD,
                            f"{rep.schema} (newest {schema.HEAD})"))
    with db.read() as s:
        conn = s.connection()
        if db.is_sqlite:
            res = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").all()]
            rep.checks.append(Check("integrity", res == ["ok"], "ok" if res == ["ok"] else "; ".join(res[:5])))
            fk = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
            rep.checks.append(Check("foreign keys", not fk, "ok" if not fk else f"{len(fk)} broken references"))
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
        orphans = {name: int(conn.exec_driver_sql(sql).scalar() or 0) for name, sql in ORPHAN_QUERIES.items()}
    for name, n in orphans.items():
        rep.checks.append(Check(name, n == 0, "none" if n == 0 else str(n)))
    if repair and not rep.ok:
        _repair(db, rep, orphans)
    rep.counts = counts(db)
    return rep


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
    integ = by_name.get("integrity")
    if integ and not integ.ok:
        integ.detail += " — cannot be repaired in place: restore a backup (`netjournal restore`) or run `sqlite3 journal.db .recover`"


def reindex_all(db: Database) -> int:
    """Rebuild every search document from the records."""
    from netjournal.store import api
    from netjournal.store.models import Contact, FollowUp, FollowUpContact, JournalEntry, SearchDoc, Touch, TouchContact

    n = 0
    with db.write() as s:
        s.exec(sa.delete(SearchDoc))
        for cid in list(s.exec(sa.select(Contact.id)).scalars()):
            api._index_contact(s, cid)
            n += 1
        links = {}
        for tid, cid in s.exec(sa.select(TouchContact.touch_id, TouchContact.contact_id)).all():
            links.setdefault(tid, []).append(cid)
        for t in s.exec(sa.select(Touch)).scalars():
            api._index_touch(s, t, links.get(t.id, []))
            n += 1
        flinks = {}
        for fid, cid in s.exec(sa.select(FollowUpContact.followup_id, FollowUpContact.contact_id)).all():
            flinks.setdefault(fid, []).append(cid)
        for f in s.exec(sa.select(FollowUp)).scalars():
            api._index_followup(s, f, flinks.get(f.id, []))
            n += 1
        names = api._names(s, include_archived=True)
        for e in s.exec(sa.select(JournalEntry)).scalars():
            refs, _ = api.find_mentions(e.body, names)
            api._doc(s, "journal", e.id, refs[0].id if refs else None, e.day, f"Journal {e.day.isoformat()}", e.body)
            n += 1
    return n
