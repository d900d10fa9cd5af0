"""The import's way into the tables: bulk writes planned by :mod:`netjournal.formats.importing`.

The importer reads files into plain records and plans (matching, merging) in memory; these
functions load the journal's identities for that plan and write its result in bulk, inside the
caller's ``db.write()`` transaction. Nothing in ``formats/`` touches SQL.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timezone
from types import SimpleNamespace

CONTACT_COLUMNS = ("name", "given_name", "family_name", "nickname", "company", "role", "location", "met_how",
                   "met_on", "tier", "stage", "target_priority", "target_why", "target_offer", "rhythm_days",
                   "about", "interests", "ask_next", "kin", "archived")


def identities(s):
    """The journal's contacts (id + CONTACT_COLUMNS), handles (contact_id, kind, norm), tags and dates."""
    import sqlalchemy as sa

    from netjournal.store.models import Contact, ContactTag, Handle, ImportantDate

    cols = [getattr(Contact, c) for c in CONTACT_COLUMNS]
    contacts = s.execute(sa.select(Contact.id, *cols).order_by(Contact.id)).all()
    handles = s.execute(sa.select(Handle.contact_id, Handle.kind, Handle.norm).order_by(Handle.id)).all()
    tags = s.execute(sa.select(ContactTag.contact_id, ContactTag.tag)).all()
    dates = s.execute(sa.select(ImportantDate.contact_id, ImportantDate.kind, ImportantDate.month,
                                ImportantDate.day, ImportantDate.year, ImportantDate.label)).all()
    return contacts, handles, tags, dates


def followup_exists(s, title: str, day, contact_ids: list[int]) -> bool:
    import sqlalchemy as sa

    from netjournal.store.models import FollowUp, FollowUpContact

    q = (sa.select(FollowUp.id).join(FollowUpContact, FollowUpContact.followup_id == FollowUp.id)
         .where(FollowUp.title == title[:500], FollowUp.due_on == day,
                FollowUpContact.contact_id.in_(contact_ids)).limit(1))
    return s.execute(q).first() is not None


def clean_contact_fields(fields: dict) -> dict:
    from netjournal.store import contacts

    return contacts.clean_contact_fields(fields)


def clean_handle(kind, value: str, label: str = "") -> tuple[str, str, str]:
    from netjournal.store import contacts

    return contacts.clean_handle(kind, value, label)


def clean_date(kind: str, month: int, day: int, year=None, label: str = "") -> tuple:
    from netjournal.store import contacts

    return contacts.clean_date(kind, month, day, year, label)


def existing_sources(s, sources: list[str]) -> set[str]:
    import sqlalchemy as sa

    from netjournal.store.models import Touch

    existing: set[str] = set()
    uniq = list(dict.fromkeys(sources))
    for i in range(0, len(uniq), 500):
        existing.update(s.execute(sa.select(Touch.source).where(Touch.source.in_(uniq[i:i + 500]))).scalars())
    return existing


def write_contacts(s, m, touches: list, progress, done: int, total: int) -> None:
    """New contacts in bulk, merged ones updated, their handles/tags/dates, search documents; then touches."""
    import sqlalchemy as sa

    from netjournal.store import index
    from netjournal.store.models import Contact, ContactTag, Handle, ImportantDate, SearchDoc

    now = datetime.now(timezone.utc)
    ctab = Contact.__table__
    if m.new:
        rows = []
        for t in m.new:
            row = {k: t.fields.get(k) for k in CONTACT_COLUMNS}
            for k in ("target_why", "target_offer", "about", "interests", "ask_next"):
                row[k] = row[k] or ""
            row.update(created_at=now, updated_at=now, state_json=None, last_touch_on=None, touch_count=0)
            rows.append(row)
        for i in range(0, len(rows), 2000):
            chunk = rows[i:i + 2000]
            res = s.execute(sa.insert(ctab).returning(ctab.c.id, sort_by_parameter_order=True), chunk)
            for t, rid in zip(m.new[i:i + 2000], res.scalars().all()):
                t.id = int(rid)
            if progress:
                progress(min(total, done + i + len(chunk)), total)
    handle_rows, tag_rows, date_rows = [], [], []
    changed_ids = []
    for t in list(m.new) + [t for t in m.targets.values() if t.status == "merged"]:
        for kind, value, label, norm in t.new_handles:
            handle_rows.append({"contact_id": t.id, "kind": kind, "value": value, "label": label, "norm": norm})
        for tag in t.new_tags:
            tag_rows.append({"contact_id": t.id, "tag": tag})
        for kind, mon, day, year, label in t.new_dates:
            date_rows.append({"contact_id": t.id, "kind": kind, "month": mon, "day": day, "year": year, "label": label})
        if t.status == "merged":
            changed_ids.append(t.id)
            if t.changed:
                s.execute(sa.update(ctab).where(ctab.c.id == t.id).values(**t.changed, updated_at=now))
    if handle_rows:
        s.execute(sa.insert(Handle.__table__), handle_rows)
    if tag_rows:
        s.execute(sa.insert(ContactTag.__table__), tag_rows)
    if date_rows:
        s.execute(sa.insert(ImportantDate.__table__), date_rows)
    # Search documents: new contacts in bulk, merged ones through the store's indexer.
    docs = []
    handles_of: dict[int, list[str]] = defaultdict(list)
    for r in handle_rows:
        handles_of[r["contact_id"]].append(r["value"])
    for t in m.new:
        title, body = index.contact_doc_text(SimpleNamespace(**t.fields), handles_of.get(t.id, []), sorted(t.tags))
        docs.append({"kind": "contact", "ref_id": t.id, "contact_id": t.id, "day": None, "title": title, "body": body})
    for i in range(0, len(docs), 5000):
        s.execute(sa.insert(SearchDoc.__table__), docs[i:i + 5000])
    for cid in changed_ids:
        index.index_contact(s, cid)
    if touches:
        write_touches(s, touches)


def write_touches(s, touches: list) -> None:
    """Touches in bulk: rows, links and search documents with executemany, then each contact's state."""
    import sqlalchemy as sa

    from netjournal import vocab
    from netjournal.store.models import SearchDoc, Touch, TouchContact

    now = datetime.now(timezone.utc)
    ttab = Touch.__table__
    affected: set[int] = set()
    # SQLite runs INSERT … RETURNING row by row; inside this write transaction nobody else inserts,
    # so the ids are given explicitly there (PostgreSQL batches RETURNING and keeps its sequence).
    sqlite = s.get_bind().dialect.name == "sqlite"
    next_id = (s.execute(sa.select(sa.func.max(ttab.c.id))).scalar() or 0) + 1 if sqlite else None
    for i in range(0, len(touches), 2000):
        chunk = touches[i:i + 2000]
        rows = [{"occurred_on": tr.day, "occurred_time": tr.at, "channel": tr.channel, "platform": tr.platform,
                 "direction": tr.direction, "summary": tr.summary[:500], "notes": tr.notes, "value_given": "",
                 "source": tr.source, "created_at": now, "updated_at": now} for tr, _ids in chunk]
        if sqlite:
            new_ids = list(range(next_id, next_id + len(rows)))
            next_id += len(rows)
            for r, tid in zip(rows, new_ids):
                r["id"] = tid
            s.execute(sa.insert(ttab), rows)
        else:
            new_ids = s.execute(sa.insert(ttab).returning(ttab.c.id, sort_by_parameter_order=True), rows).scalars().all()
        links, docs = [], []
        for (tr, ids), tid in zip(chunk, new_ids):
            cids = list(dict.fromkeys(ids))
            names = [t.name for t in getattr(ids, "targets", [])]
            links.extend({"touch_id": tid, "contact_id": cid} for cid in cids)
            title = tr.summary[:500] or f"{vocab.CHANNEL_LABELS.get(tr.channel, tr.channel)} with {', '.join(names)}"
            body = "\n".join(p for p in (tr.notes, " ".join(names)) if p)
            docs.append({"kind": "touch", "ref_id": tid, "contact_id": cids[0] if cids else None, "day": tr.day,
                         "title": title, "body": body})
            affected.update(cids)
        if links:
            s.execute(sa.insert(TouchContact.__table__), links)
        if docs:
            s.execute(sa.insert(SearchDoc.__table__), docs)
    s.flush()
    rebuild_states(s, affected)


def link_existing_touches(s, pairs: list[tuple[str, int]]) -> dict[str, int]:
    """Add contacts to touches already imported (by their ``source``), skipping links that exist;
    the contacts' states are rebuilt. Returns {contact name: touches newly linked}."""
    import sqlalchemy as sa

    from netjournal.store.models import Contact, Touch, TouchContact

    sources = list(dict.fromkeys(src for src, _cid in pairs))
    touch_of: dict[str, int] = {}
    for i in range(0, len(sources), 500):
        for tid, src in s.execute(sa.select(Touch.id, Touch.source).where(Touch.source.in_(sources[i:i + 500]))):
            touch_of.setdefault(src, tid)
    want = {(touch_of[src], cid) for src, cid in pairs if src in touch_of and cid is not None}
    if not want:
        return {}
    have = set(s.execute(sa.select(TouchContact.touch_id, TouchContact.contact_id)
                         .where(TouchContact.touch_id.in_(sorted({tid for tid, _c in want})))).all())
    new = sorted(want - {tuple(r) for r in have})
    if not new:
        return {}
    s.execute(sa.insert(TouchContact.__table__), [{"touch_id": tid, "contact_id": cid} for tid, cid in new])
    s.flush()
    ids = {cid for _tid, cid in new}
    rebuild_states(s, ids)
    from netjournal.store import index

    for tid in sorted({tid for tid, _cid in new}):   # the touch's search document names the new person too
        linked = list(s.execute(sa.select(TouchContact.contact_id).where(TouchContact.touch_id == tid)).scalars())
        index.index_touch(s, s.get(Touch, tid), linked)
    names = dict(s.execute(sa.select(Contact.id, Contact.name).where(Contact.id.in_(sorted(ids)))).all())
    counts: dict[str, int] = {}
    for _tid, cid in new:
        counts[names.get(cid, str(cid))] = counts.get(names.get(cid, str(cid)), 0) + 1
    return counts


def rebuild_states(s, contact_ids: set[int]) -> None:
    """Each contact's relationship state from its whole dated history, in one query and one update
    (the same result as the store's per-contact rebuild: the engine sees the history as it happened)."""
    import sqlalchemy as sa

    from netjournal.engine import RelationshipState
    from netjournal.store.models import Contact, Touch, TouchContact

    ids = sorted(contact_ids)
    hist: dict[int, list] = defaultdict(list)
    for i in range(0, len(ids), 500):
        q = (sa.select(TouchContact.contact_id, Touch.occurred_on, Touch.channel, Touch.direction)
             .join(Touch, Touch.id == TouchContact.touch_id)
             .where(TouchContact.contact_id.in_(ids[i:i + 500]))
             .order_by(TouchContact.contact_id, Touch.occurred_on, Touch.id))
        for cid, day, ch, direction in s.execute(q):
            hist[cid].append((day, ch, direction))
    ctab = Contact.__table__
    rows = []
    for cid in ids:
        h = hist.get(cid, [])
        st = RelationshipState.from_history(h)
        rows.append({"b_id": cid, "state_json": st.to_json() if h else None,
                     "last_touch_on": h[-1][0] if h else None, "touch_count": len(h)})
    if rows:
        stmt = (sa.update(ctab).where(ctab.c.id == sa.bindparam("b_id"))
                .values(state_json=sa.bindparam("state_json"), last_touch_on=sa.bindparam("last_touch_on"),
                        touch_count=sa.bindparam("touch_count")))
        s.connection().execute(stmt, rows)


def write_followups(s, followups: list) -> None:
    from netjournal.store import followups as fu

    for fr, ids in followups:
        fu.insert_followup(s, contact_ids=list(dict.fromkeys(ids)), title=fr.title[:500], kind=fr.kind,
                           place=fr.place[:500], agenda="", due_on=fr.day, due_time=fr.at,
                           source=fr.source or None)


def followup_from(s, source: str):
    """(id, status, due_on, due_time) of the follow-up an import made from ``source`` (a calendar
    event or occurrence), or None."""
    import sqlalchemy as sa

    from netjournal.store.models import FollowUp

    row = s.execute(sa.select(FollowUp.id, FollowUp.status, FollowUp.due_on, FollowUp.due_time)
                    .where(FollowUp.source == source).order_by(FollowUp.id.desc()).limit(1)).first()
    return None if row is None else tuple(row)


def open_followups_from(s, source: str, *, series: bool) -> list[tuple[int, str, object]]:
    """(id, title, due_on) of the open follow-ups made from ``source``; ``series``: from any
    occurrence of it too (``source:…``)."""
    import sqlalchemy as sa

    from netjournal.store.models import FollowUp

    cond = FollowUp.source == source
    if series:
        cond = sa.or_(cond, FollowUp.source.startswith(source + ":", autoescape=True))
    q = sa.select(FollowUp.id, FollowUp.title, FollowUp.due_on).where(FollowUp.status == "open", cond)
    return [tuple(r) for r in s.execute(q.order_by(FollowUp.id))]


def move_followup(s, followup_id: int, day, at) -> None:
    """The meeting moved: its follow-up is due on the new day and time."""
    from netjournal.store import followups

    followups.move_in(s, followup_id, day, at)


def cancel_followups(s, ids: list[int]) -> None:
    """The meetings were called off: their follow-ups are cancelled (the notes stay)."""
    from netjournal.store import followups

    for fid in ids:
        followups.cancel_in(s, fid)


# ----------------------------------------------------------------------------- remembered names

def remembered_names(s) -> list[tuple[str, str, str, int | None]]:
    """(scope, key, action, contact_id) of every name an import was told about (``import_name``)."""
    import sqlalchemy as sa

    from netjournal.store.models import ImportName

    return [tuple(r) for r in s.execute(sa.select(ImportName.scope, ImportName.key, ImportName.action,
                                                  ImportName.contact_id))]


def remember_names(s, rows: list[tuple[str, str, str, str, int | None]]) -> None:
    """Store (scope, key, name, action, contact_id) rows; a row for a known (scope, key) replaces it.
    Scope and key come cut to their columns (``_PersonFinder.scope_key``)."""
    import sqlalchemy as sa

    from netjournal.store.models import ImportName

    if not rows:
        return
    tab = ImportName.__table__
    now = datetime.now(timezone.utc)
    uniq = {(sc, k): (sc, k, n, a, c) for sc, k, n, a, c in rows}
    for sc, k in uniq:
        s.execute(sa.delete(tab).where(tab.c.scope == sc, tab.c.key == k))
    s.execute(sa.insert(tab), [{"scope": sc, "key": k, "name": n[:300], "action": a, "contact_id": c,
                                "created_at": now} for sc, k, n, a, c in uniq.values()])
