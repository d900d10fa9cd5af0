"""The journal: one entry a day, its ``@mentions`` linked to contacts."""
from __future__ import annotations

import re
from collections import defaultdict
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, select

from netjournal import vocab
from netjournal.errors import UserError
from netjournal.store import validate as v
from netjournal.store.contacts import name_rows, refs_of
from netjournal.store.db import Database
from netjournal.store.index import delete_docs, put_doc
from netjournal.store.models import JournalEntry, JournalMention, utcnow
from netjournal.store.read import JournalDay, Ref

MENTION_RE = re.compile(r"@\[([^\]\n]{1,200})\]|@([\w][\w.'\-]*(?:_[\w.'\-]+)*)", re.UNICODE)


def find_mentions(body: str, names: list[tuple[int, str, str]]) -> tuple[list[Ref], list[str]]:
    """Resolve ``@Name``, ``@First_Last`` and ``@[Full Name]`` to contacts: (linked, unresolved)."""
    by_full: dict[str, list[tuple[int, str]]] = defaultdict(list)
    by_first: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for i, n, nick in names:
        low = n.lower()
        by_full[low].append((i, n))
        by_full[low.replace(" ", "_")].append((i, n))
        if nick:
            by_full[nick.lower()].append((i, n))
        first = low.split()[0] if low.split() else low
        by_first[first].append((i, n))
    linked: dict[int, Ref] = {}
    unresolved: list[str] = []
    for m in MENTION_RE.finditer(body):
        token = (m.group(1) or m.group(2) or "").strip().rstrip(".'-")
        key = token.lower()
        hits = by_full.get(key) or by_full.get(key.replace("_", " ")) or by_first.get(key) or []
        uniq = {i: n for i, n in hits}
        if len(uniq) == 1:
            i, n = next(iter(uniq.items()))
            linked[i] = Ref(i, n)
        elif token:
            unresolved.append(token)
    return list(linked.values()), unresolved


def get_journal(db: Database, day: date) -> JournalDay:
    with db.read() as s:
        e = s.exec(select(JournalEntry).where(JournalEntry.day == day)).first()
        if e is None:
            return JournalDay(day, "", (), exists=False)
        refs = refs_of(s, JournalMention, "entry_id", [e.id])
        return JournalDay(day, e.body, refs.get(e.id, ()), exists=True)


def save_journal(db: Database, day: date, body: str) -> tuple[JournalDay, list[str]]:
    """Replace a day's entry (an empty body deletes it). Returns the entry and unresolved @mentions."""
    body = v.text(body, "journal entry", max_len=vocab.MAX_TEXT, multiline=True)
    with db.write() as s:
        return _save_journal(s, day, body)


def append_journal(db: Database, day: date, text: str) -> tuple[JournalDay, list[str]]:
    text = v.text(text, "journal text", max_len=vocab.MAX_TEXT, multiline=True).strip("\n")
    if not text.strip():
        raise UserError("nothing to add to the journal: the text is empty")
    with db.write() as s:
        e = s.exec(select(JournalEntry).where(JournalEntry.day == day)).first()
        body = (e.body.rstrip("\n") + "\n\n" + text) if e and e.body.strip() else text
        if len(body) > vocab.MAX_TEXT:
            raise UserError(f"the journal entry would be too long (at most {vocab.MAX_TEXT:,} characters)")
        return _save_journal(s, day, body)


def _save_journal(s: Session, day: date, body: str) -> tuple[JournalDay, list[str]]:
    e = s.exec(select(JournalEntry).where(JournalEntry.day == day)).first()
    if not body.strip():
        if e is not None:
            delete_docs(s, "journal", [e.id])
            s.delete(e)
        return JournalDay(day, "", (), exists=False), []
    if e is None:
        e = JournalEntry(day=day, body=body)
    else:
        e.body = body
        e.updated_at = utcnow()
    s.add(e)
    s.flush()
    refs, unresolved = find_mentions(body, name_rows(s, include_archived=True))
    s.exec(sa.delete(JournalMention).where(JournalMention.entry_id == e.id))
    for r in refs:
        s.add(JournalMention(entry_id=e.id, contact_id=r.id))
    s.flush()
    put_doc(s, "journal", e.id, refs[0].id if refs else None, day, f"Journal {day.isoformat()}", body)
    return JournalDay(day, body, tuple(sorted(refs, key=lambda r: r.name.lower())), exists=True), unresolved


def journal_days(db: Database, *, limit: int = 400) -> list[date]:
    with db.read() as s:
        return list(s.exec(sa.select(JournalEntry.day).order_by(JournalEntry.day.desc()).limit(limit)).scalars())
