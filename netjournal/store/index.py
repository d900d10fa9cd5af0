"""Search documents: one ``search_doc`` row per contact, touch, follow-up and journal day,
written in the same transaction as the row it describes (queries live in store/search.py).

Every function takes the caller's ``Session``; they are for the other store modules."""
from __future__ import annotations

from datetime import date
from typing import Iterable, Sequence

import sqlalchemy as sa
from sqlmodel import Session, select

from netjournal import vocab
from netjournal.store.models import Contact, ContactTag, FollowUp, Handle, SearchDoc, Touch

def put_doc(s: Session, kind: str, ref_id: int, contact_id: int | None, day: date | None, title: str, body: str) -> None:
    d = s.exec(select(SearchDoc).where(SearchDoc.kind == kind, SearchDoc.ref_id == ref_id)).first()
    if d is None:
        s.add(SearchDoc(kind=kind, ref_id=ref_id, contact_id=contact_id, day=day, title=title, body=body))
    elif (d.title, d.body, d.contact_id, d.day) != (title, body, contact_id, day):
        d.title, d.body, d.contact_id, d.day = title, body, contact_id, day
        s.add(d)


def delete_docs(s: Session, kind: str, ref_ids: Sequence[int]) -> None:
    if ref_ids:
        s.exec(sa.delete(SearchDoc).where(SearchDoc.kind == kind, SearchDoc.ref_id.in_(list(ref_ids))))


def contact_doc_text(c: Contact, handles: Iterable[str], tags: Iterable[str]) -> tuple[str, str]:
    title = c.name + (f" ({c.nickname})" if c.nickname else "")
    parts = [c.company, c.role, c.location, c.met_how, c.about, c.interests, c.ask_next, c.target_why,
             c.target_offer, " ".join(f"#{t}" for t in tags), " ".join(handles)]
    return title, "\n".join(p for p in parts if p)


def index_contact(s: Session, contact_id: int) -> None:
    c = s.get(Contact, contact_id)
    handles = s.exec(sa.select(Handle.value).where(Handle.contact_id == contact_id)).scalars()
    tags = s.exec(sa.select(ContactTag.tag).where(ContactTag.contact_id == contact_id)).scalars()
    title, body = contact_doc_text(c, handles, tags)
    put_doc(s, "contact", c.id, c.id, None, title, body)


def index_touch(s: Session, t: Touch, contact_ids: Sequence[int]) -> None:
    names = [n for n in s.exec(sa.select(Contact.name).where(Contact.id.in_(list(contact_ids)))).scalars()]
    title = t.summary or f"{vocab.CHANNEL_LABELS.get(t.channel, t.channel)} with {', '.join(names)}"
    body = "\n".join(p for p in (t.notes, t.value_given, " ".join(names)) if p)
    put_doc(s, "touch", t.id, contact_ids[0] if contact_ids else None, t.occurred_on, title, body)


def index_followup(s: Session, f: FollowUp, contact_ids: Sequence[int]) -> None:
    names = [n for n in s.exec(sa.select(Contact.name).where(Contact.id.in_(list(contact_ids)))).scalars()] if contact_ids else []
    body = "\n".join(p for p in (f.place, f.agenda, f.meeting_notes, f.outcome, " ".join(names)) if p)
    put_doc(s, "followup", f.id, contact_ids[0] if contact_ids else None, f.due_on, f.title, body)
