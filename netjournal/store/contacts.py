"""Contacts: add, edit, delete, read and list people, with their handles, tags and dates.

The functions that take a ``Session`` (``get_row``, ``name_rows``, ``refs_of``, ``solo_ids``,
``clean_handle``, ``clean_date``) work inside a caller's transaction; they are for the other
store modules (touches, follow-ups, imports, undo, …), not for the CLI or the TUI.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Sequence

import sqlalchemy as sa
from sqlmodel import Session, select

from netjournal import vocab
from netjournal.errors import NotFound, UserError
from netjournal.store import validate as v
from netjournal.store.db import Database
from netjournal.store.index import delete_docs, index_contact
from netjournal.store.models import (
    Contact, ContactTag, FollowUp, FollowUpContact, Handle, ImportantDate, Touch, utcnow,
)
from netjournal.store.read import ContactDetail, ContactSummary, DateRow, HandleRow, Ref

CONTACT_TEXT_FIELDS = {
    # field: (max length, multiline)
    "name": (vocab.MAX_NAME, False), "given_name": (vocab.MAX_NAME, False),
    "family_name": (vocab.MAX_NAME, False), "nickname": (vocab.MAX_NAME, False),
    "company": (vocab.MAX_SHORT, False), "role": (vocab.MAX_SHORT, False),
    "location": (vocab.MAX_SHORT, False), "met_how": (vocab.MAX_SHORT, False),
    "target_why": (vocab.MAX_TEXT, True), "target_offer": (vocab.MAX_TEXT, True),
    "about": (vocab.MAX_TEXT, True), "interests": (vocab.MAX_TEXT, True),
    "ask_next": (vocab.MAX_TEXT, True),
}
CONTACT_FIELDS = set(CONTACT_TEXT_FIELDS) | {
    "met_on", "tier", "stage", "target_priority", "rhythm_days", "kin", "archived",
}


def clean_contact_fields(fields: dict) -> dict:
    """Validate contact fields (as typed by a user or read by an importer)."""
    out: dict = {}
    for key, value in fields.items():
        if key not in CONTACT_FIELDS:
            raise UserError(f"unknown contact field {key!r}")
        if key == "name":
            out[key] = v.name(value)
        elif key in CONTACT_TEXT_FIELDS:
            max_len, multi = CONTACT_TEXT_FIELDS[key]
            out[key] = v.text(value, key.replace("_", " "), max_len=max_len, multiline=multi)
        elif key == "tier":
            out[key] = v.choice(value, "tier", vocab.TIERS, vocab.DEFAULT_TIER)
        elif key == "stage":
            out[key] = v.choice(value, "stage", vocab.STAGES, vocab.DEFAULT_STAGE)
        elif key == "rhythm_days":
            out[key] = v.rhythm(value)
        elif key == "target_priority":
            out[key] = v.priority(value)
        elif key in ("kin", "archived"):
            out[key] = bool(value)
        elif key == "met_on":
            if value is not None and not isinstance(value, date):
                raise UserError("met on must be a date")
            out[key] = value
    return out


def add_contact(db: Database, *, name: str, handles: Sequence[tuple[str, str] | tuple[str, str, str]] = (),
                tags: Sequence[str] = (), dates: Sequence[tuple[str, int, int, int | None]] = (),
                **fields) -> ContactDetail:
    fields = clean_contact_fields({"name": name, **fields})
    clean_handles = [clean_handle(*h) for h in handles]
    clean_tags = sorted({v.tag(t) for t in tags})
    clean_dates = [clean_date(*d) for d in dates]
    with db.write() as s:
        c = Contact(**fields)
        s.add(c)
        s.flush()
        for kind, value, label in clean_handles:
            s.add(Handle(contact_id=c.id, kind=kind, value=value, label=label, norm=v.handle_norm(kind, value)))
        for t in clean_tags:
            s.add(ContactTag(contact_id=c.id, tag=t))
        for kind, month, day, year, label in clean_dates:
            s.add(ImportantDate(contact_id=c.id, kind=kind, month=month, day=day, year=year, label=label))
        s.flush()
        index_contact(s, c.id)
        cid = c.id
    return get_contact(db, cid)


def update_contact(db: Database, contact_id: int, **fields) -> ContactDetail:
    """Change some of a contact's fields (see :func:`save_contact` for tags, handles, dates)."""
    return save_contact(db, contact_id, fields=fields)


def save_contact(db: Database, contact_id: int, *, fields: dict | None = None,
                 tags: Sequence[str] | None = None, handles: Sequence[tuple[str | None, str]] | None = None,
                 dates: dict[str, tuple[int, int, int | None] | None] | None = None) -> ContactDetail:
    """An edit of a contact in one transaction: its fields, and (when given) its whole list of
    tags, its whole list of handles, and its dates by kind (None removes that kind)."""
    clean = clean_contact_fields(fields or {})
    clean_tags = sorted({v.tag(t) for t in tags}) if tags is not None else None
    clean_handles = [clean_handle(k, val)[:2] for k, val in handles] if handles is not None else None
    clean_dates = {kind: (clean_date(kind, *md)[1:4] if md else None) for kind, md in (dates or {}).items()}
    with db.write() as s:
        c = get_row(s, contact_id)
        for k, val in clean.items():
            setattr(c, k, val)
        c.updated_at = utcnow()
        s.add(c)
        if clean_tags is not None:
            s.exec(sa.delete(ContactTag).where(ContactTag.contact_id == contact_id))
            for t in clean_tags:
                s.add(ContactTag(contact_id=contact_id, tag=t))
        if clean_handles is not None:
            have = {(h.kind, h.value): h for h in s.exec(select(Handle).where(Handle.contact_id == contact_id))}
            for key, h in have.items():
                if key not in clean_handles:
                    s.delete(h)
            for kind, value in dict.fromkeys(clean_handles):
                if (kind, value) not in have:
                    s.add(Handle(contact_id=contact_id, kind=kind, value=value, norm=v.handle_norm(kind, value)))
        for kind, md in clean_dates.items():
            current = s.exec(select(ImportantDate).where(ImportantDate.contact_id == contact_id,
                                                         ImportantDate.kind == kind)).all()
            if md is not None and len(current) == 1 and (current[0].month, current[0].day, current[0].year) == md:
                continue
            for d in current:
                s.delete(d)
            if md is not None:
                s.add(ImportantDate(contact_id=contact_id, kind=kind, month=md[0], day=md[1], year=md[2]))
        s.flush()
        index_contact(s, contact_id)
    return get_contact(db, contact_id)


def delete_contact(db: Database, contact_id: int) -> None:
    """Delete a contact with its handles, dates, tags, snoozes; touches shared with nobody else go too."""
    with db.write() as s:
        get_row(s, contact_id)
        solo_t, solo_fu = solo_ids(s, contact_id)
        delete_docs(s, "contact", [contact_id])
        delete_docs(s, "touch", solo_t)
        delete_docs(s, "followup", solo_fu)
        if solo_fu:
            s.exec(sa.delete(FollowUp).where(FollowUp.id.in_(solo_fu)))
        if solo_t:
            s.exec(sa.delete(Touch).where(Touch.id.in_(solo_t)))
        s.exec(sa.delete(Contact).where(Contact.id == contact_id))


@dataclass(frozen=True)
class DeleteCounts:
    """What deleting a contact takes with it (touches/follow-ups with nobody else) and leaves."""
    solo_touches: int
    shared_touches: int
    solo_followups: int


def delete_counts(db: Database, contact_id: int) -> DeleteCounts:
    """What :func:`delete_contact` would remove, counted (for the confirmation question)."""
    with db.read() as s:
        get_row(s, contact_id)
        touches, followups = solo_ids(s, contact_id)
        total = s.exec(sa.text("SELECT count(*) FROM touch_contact WHERE contact_id = :c")
                       .bindparams(c=contact_id)).scalar_one()
    return DeleteCounts(len(touches), total - len(touches), len(followups))


def solo_ids(s: Session, contact_id: int) -> tuple[list[int], list[int]]:
    """Ids of the touches and of the follow-ups whose only contact is ``contact_id`` (the ones
    that go when the contact is deleted): the one query behind delete, its undo and its counts."""
    touches = [r[0] for r in s.exec(sa.text(
        "SELECT tc.touch_id FROM touch_contact tc WHERE tc.contact_id = :c AND NOT EXISTS "
        "(SELECT 1 FROM touch_contact o WHERE o.touch_id = tc.touch_id AND o.contact_id != :c)"
    ).bindparams(c=contact_id)).all()]
    followups = [r[0] for r in s.exec(sa.text(
        "SELECT fc.followup_id FROM followup_contact fc WHERE fc.contact_id = :c AND NOT EXISTS "
        "(SELECT 1 FROM followup_contact o WHERE o.followup_id = fc.followup_id AND o.contact_id != :c)"
    ).bindparams(c=contact_id)).all()]
    return touches, followups


def clean_handle(kind: str | None, value: str, label: str = "") -> tuple[str, str, str]:
    value = v.text(value, "handle", max_len=vocab.MAX_SHORT, required=True).strip()
    kind = v.choice(kind, "handle kind", vocab.HANDLE_KINDS) if kind else v.guess_handle_kind(value)
    return kind, value, v.text(label, "label", max_len=100)


def clean_date(kind: str, month: int, day: int, year: int | None = None, label: str = "") -> tuple:
    kind = v.choice(kind, "date kind", vocab.DATE_KINDS, "birthday")
    if year is not None and not 1 <= year <= 9999:
        raise UserError(f"year {year} is out of range")
    try:
        date(year or 2000, month, day)
    except (ValueError, TypeError):
        raise UserError(f"no such date: {day}/{month}" + (f"/{year}" if year else "")) from None
    return kind, month, day, year, v.text(label, "label", max_len=200)


def get_row(s: Session, contact_id: int) -> Contact:
    c = s.get(Contact, contact_id)
    if c is None:
        raise NotFound(f"no contact #{contact_id}")
    return c


def get_contact(db: Database, contact_id: int, *, cfg=None) -> ContactDetail:
    with db.read() as s:
        return _detail(s, get_row(s, contact_id), cfg)


def _detail(s: Session, c: Contact, cfg=None) -> ContactDetail:
    handles = tuple(HandleRow(h.id, h.kind, h.value, h.label) for h in s.exec(
        select(Handle).where(Handle.contact_id == c.id).order_by(Handle.kind, Handle.id)))
    tags = tuple(s.exec(select(ContactTag.tag).where(ContactTag.contact_id == c.id).order_by(ContactTag.tag)))
    dates = tuple(DateRow(d.id, d.kind, d.month, d.day, d.year, d.label) for d in s.exec(
        select(ImportantDate).where(ImportantDate.contact_id == c.id).order_by(ImportantDate.month, ImportantDate.day)))
    from netjournal import engine

    ci = engine.ContactInput(id=c.id, name=c.name, tier=c.tier, kin=c.kin, rhythm_days=c.rhythm_days,
                             stage=c.stage, archived=c.archived,
                             state=engine.RelationshipState.from_json(c.state_json))
    rhythm, source = engine.learned_rhythm(ci, cfg or engine.EngineConfig())
    return ContactDetail(
        id=c.id, name=c.name, given_name=c.given_name, family_name=c.family_name, nickname=c.nickname,
        company=c.company, role=c.role, location=c.location, met_how=c.met_how, met_on=c.met_on,
        tier=c.tier, stage=c.stage, target_priority=c.target_priority, target_why=c.target_why,
        target_offer=c.target_offer, rhythm_days=c.rhythm_days, about=c.about, interests=c.interests,
        ask_next=c.ask_next, kin=c.kin, archived=c.archived, last_touch_on=c.last_touch_on,
        touch_count=c.touch_count, created_at=c.created_at, updated_at=c.updated_at,
        handles=handles, tags=tags, dates=dates, rhythm=rhythm, rhythm_source=source,
    )


def list_contacts(db: Database, *, include_archived: bool = False) -> list[ContactSummary]:
    """Every contact as a summary row (one query for contacts, one for tags, one for due dates)."""
    with db.read() as s:
        q = sa.select(Contact.id, Contact.name, Contact.nickname, Contact.company, Contact.role, Contact.tier,
                      Contact.stage, Contact.last_touch_on, Contact.touch_count, Contact.archived, Contact.kin,
                      Contact.target_priority)
        if not include_archived:
            q = q.where(Contact.archived == sa.false())
        rows = s.exec(q.order_by(sa.func.lower(Contact.name), Contact.id)).all()
        tags: dict[int, list[str]] = defaultdict(list)
        for cid, t in s.exec(sa.select(ContactTag.contact_id, ContactTag.tag).order_by(ContactTag.tag)).all():
            tags[cid].append(t)
        due: dict[int, date] = {}
        for cid, d in s.exec(
            sa.select(FollowUpContact.contact_id, sa.func.min(FollowUp.due_on))
            .join(FollowUp, FollowUp.id == FollowUpContact.followup_id)
            .where(FollowUp.status == "open", FollowUp.due_on.is_not(None))
            .group_by(FollowUpContact.contact_id)
        ).all():
            due[cid] = d
    return [ContactSummary(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], tuple(tags.get(r[0], ())),
                           r[9], r[10], r[11], due.get(r[0])) for r in rows]


def contact_names(db: Database, *, include_archived: bool = False) -> list[tuple[int, str, str]]:
    with db.read() as s:
        return name_rows(s, include_archived)


def name_rows(s: Session, include_archived: bool = False) -> list[tuple[int, str, str]]:
    q = sa.select(Contact.id, Contact.name, Contact.nickname)
    if not include_archived:
        q = q.where(Contact.archived == sa.false())
    return [tuple(r) for r in s.exec(q).all()]


def refs_of(s: Session, link, key, ids: Sequence[int]) -> dict[int, tuple[Ref, ...]]:
    out: dict[int, list[Ref]] = defaultdict(list)
    if not ids:
        return {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        for k, cid, name in s.exec(
            sa.select(getattr(link, key), link.contact_id, Contact.name)
            .join(Contact, Contact.id == link.contact_id)
            .where(getattr(link, key).in_(chunk)).order_by(Contact.name)
        ).all():
            out[k].append(Ref(cid, name))
    return {k: tuple(vv) for k, vv in out.items()}
