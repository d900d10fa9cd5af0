"""Follow-ups: things to do with people (meet, call, introduce, …), done or cancelled, with
next steps; completing a meeting or a call logs its touch."""
from __future__ import annotations

from datetime import date, time
from typing import Sequence

import sqlalchemy as sa
from sqlmodel import Session, select

from netjournal import vocab
from netjournal.errors import NotFound, UserError
from netjournal.store import validate as v
from netjournal.store.contacts import get_row, refs_of
from netjournal.store.db import Database
from netjournal.store.index import index_followup
from netjournal.store.models import FollowUp, FollowUpContact, Touch, utcnow
from netjournal.store.read import FollowUpRow
from netjournal.store.touches import clean_touch, insert_touch

FOLLOWUP_TOUCH_CHANNEL = {"meet": "in_person", "call": "call"}


def add_followup(db: Database, *, contact_ids: Sequence[int], title: str, kind: str = "other",
                 due_on: date | None = None, due_time: time | None = None, place: str = "",
                 agenda: str = "", from_touch_id: int | None = None, parent_id: int | None = None) -> FollowUpRow:
    clean = _clean_followup(contact_ids, title, kind, place, agenda)
    with db.write() as s:
        fid = insert_followup(s, due_on=due_on, due_time=due_time, from_touch_id=from_touch_id,
                              parent_id=parent_id, **clean)
        return _followup_row(s, s.get(FollowUp, fid))


def _clean_followup(contact_ids, title, kind, place, agenda) -> dict:
    if not contact_ids:
        raise UserError("a follow-up needs at least one contact")
    return dict(
        contact_ids=list(dict.fromkeys(int(c) for c in contact_ids)),
        title=v.text(title, "title", max_len=vocab.MAX_SHORT, required=True),
        kind=v.choice(kind, "follow-up kind", vocab.FOLLOWUP_KINDS, "other"),
        place=v.text(place, "place", max_len=vocab.MAX_SHORT),
        agenda=v.text(agenda, "agenda", max_len=vocab.MAX_TEXT, multiline=True),
    )


def insert_followup(s: Session, *, contact_ids, title, kind, place, agenda, due_on=None, due_time=None,
                    from_touch_id=None, parent_id=None, status="open", meeting_notes="", outcome="",
                    source: str | None = None) -> int:
    for cid in contact_ids:
        get_row(s, cid)
    if due_on is not None and not 1 <= due_on.year <= 9999:
        raise UserError("due date out of range")
    if from_touch_id is not None and s.get(Touch, from_touch_id) is None:
        raise NotFound(f"no touch #{from_touch_id}")
    f = FollowUp(kind=kind, title=title, due_on=due_on, due_time=due_time, place=place, agenda=agenda,
                 from_touch_id=from_touch_id, parent_id=parent_id, status=status,
                 meeting_notes=meeting_notes, outcome=outcome, source=source)
    s.add(f)
    s.flush()
    for cid in contact_ids:
        s.add(FollowUpContact(followup_id=f.id, contact_id=cid))
    s.flush()
    index_followup(s, f, contact_ids)
    return f.id


def update_followup(db: Database, followup_id: int, **fields) -> FollowUpRow:
    allowed = {"title", "kind", "due_on", "due_time", "place", "agenda", "meeting_notes", "outcome", "contact_ids"}
    bad = set(fields) - allowed
    if bad:
        raise UserError(f"unknown follow-up field {sorted(bad)[0]!r}")
    with db.write() as s:
        f = _get_followup(s, followup_id)
        ids = fields.pop("contact_ids", None)
        if "title" in fields:
            f.title = v.text(fields["title"], "title", max_len=vocab.MAX_SHORT, required=True)
        if "kind" in fields:
            f.kind = v.choice(fields["kind"], "follow-up kind", vocab.FOLLOWUP_KINDS, "other")
        if "place" in fields:
            f.place = v.text(fields["place"], "place", max_len=vocab.MAX_SHORT)
        for key in ("agenda", "meeting_notes", "outcome"):
            if key in fields:
                setattr(f, key, v.text(fields[key], key.replace("_", " "), max_len=vocab.MAX_TEXT, multiline=True))
        if "due_on" in fields:
            f.due_on = fields["due_on"]
        if "due_time" in fields:
            f.due_time = fields["due_time"]
        f.updated_at = utcnow()
        s.add(f)
        if ids is not None:
            if not ids:
                raise UserError("a follow-up needs at least one contact")
            for cid in ids:
                get_row(s, cid)
            s.exec(sa.delete(FollowUpContact).where(FollowUpContact.followup_id == followup_id))
            for cid in dict.fromkeys(ids):
                s.add(FollowUpContact(followup_id=followup_id, contact_id=cid))
        s.flush()
        index_followup(s, f, _followup_contact_ids(s, followup_id))
        return _followup_row(s, f)


def complete_followup(db: Database, followup_id: int, *, day: date, meeting_notes: str | None = None,
                      outcome: str | None = None, next_steps: Sequence[tuple[str, date | None]] = (),
                      log: bool | None = None, channel: str | None = None, summary: str = "") -> FollowUpRow:
    """Mark a follow-up done; a meeting or call logs its touch; next steps become follow-ups."""
    with db.write() as s:
        f = _get_followup(s, followup_id)
        if f.status != "open":
            raise UserError(f"follow-up #{followup_id} is already {f.status}")
        if meeting_notes is not None:
            f.meeting_notes = v.text(meeting_notes, "meeting notes", max_len=vocab.MAX_TEXT, multiline=True)
        if outcome is not None:
            f.outcome = v.text(outcome, "outcome", max_len=vocab.MAX_TEXT, multiline=True)
        ids = _followup_contact_ids(s, followup_id)
        ch = channel or FOLLOWUP_TOUCH_CHANNEL.get(f.kind)
        if log is None:
            log = ch is not None
        if log:
            touch = clean_touch(ids, ch or "other", day, "out" if f.kind != "meet" else "mutual",
                                summary or f.title, f.meeting_notes, "", "")
            f.done_touch_id = insert_touch(s, **touch)
        f.status = "done"
        f.completed_at = f.updated_at = utcnow()
        s.add(f)
        for title, due in next_steps:
            if not (title or "").strip():
                continue
            insert_followup(s, contact_ids=ids, title=v.text(title, "next step", max_len=vocab.MAX_SHORT, required=True),
                            kind="other", place="", agenda="", due_on=due, parent_id=f.id,
                            from_touch_id=f.done_touch_id)
        s.flush()
        index_followup(s, f, ids)
        return _followup_row(s, f)


def cancel_followup(db: Database, followup_id: int) -> FollowUpRow:
    with db.write() as s:
        f = cancel_in(s, followup_id)
        s.flush()
        return _followup_row(s, f)


def cancel_in(s: Session, followup_id: int) -> FollowUp:
    """Cancel a follow-up inside the caller's session (its notes stay)."""
    f = _get_followup(s, followup_id)
    f.status = "cancelled"
    f.completed_at = f.updated_at = utcnow()
    s.add(f)
    return f


def move_in(s: Session, followup_id: int, day: date | None, at: time | None) -> FollowUp:
    """Set a follow-up's due day and time inside the caller's session; the search index follows."""
    f = _get_followup(s, followup_id)
    f.due_on, f.due_time, f.updated_at = day, at, utcnow()
    s.add(f)
    s.flush()
    index_followup(s, f, _followup_contact_ids(s, followup_id))
    return f


def _get_followup(s: Session, followup_id: int) -> FollowUp:
    f = s.get(FollowUp, followup_id)
    if f is None:
        raise NotFound(f"no follow-up #{followup_id}")
    return f


def _followup_contact_ids(s: Session, followup_id: int) -> list[int]:
    return list(s.exec(sa.select(FollowUpContact.contact_id).where(FollowUpContact.followup_id == followup_id)).scalars())


def _followup_row(s: Session, f: FollowUp, refs: dict | None = None) -> FollowUpRow:
    if refs is None:
        refs = refs_of(s, FollowUpContact, "followup_id", [f.id])
    return FollowUpRow(f.id, f.kind, f.title, f.due_on, f.due_time, f.place, f.agenda, f.status,
                       f.meeting_notes, f.outcome, f.from_touch_id, f.done_touch_id, f.parent_id,
                       refs.get(f.id, ()), f.created_at, f.completed_at)


def get_followup(db: Database, followup_id: int) -> FollowUpRow:
    with db.read() as s:
        return _followup_row(s, _get_followup(s, followup_id))


def list_followups(db: Database, *, status: str | None = "open", contact_id: int | None = None,
                   limit: int | None = None) -> list[FollowUpRow]:
    with db.read() as s:
        q = select(FollowUp)
        if status:
            q = q.where(FollowUp.status == status)
        if contact_id is not None:
            q = q.join(FollowUpContact, FollowUpContact.followup_id == FollowUp.id).where(
                FollowUpContact.contact_id == contact_id)
        q = q.order_by(FollowUp.due_on.is_(None), FollowUp.due_on, FollowUp.due_time, FollowUp.id)
        if limit:
            q = q.limit(limit)
        fs = s.exec(q).all()
        refs = refs_of(s, FollowUpContact, "followup_id", [f.id for f in fs])
        return [_followup_row(s, f, refs) for f in fs]
