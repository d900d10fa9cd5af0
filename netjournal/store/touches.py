"""Touches (a call, a coffee, a message with one or more people) and each contact's
relationship state (engine state, last touch, count) kept current as touches come and go.

``clean_touch``, ``insert_touch`` and ``rebuild_state`` take a caller's ``Session``: follow-ups,
imports and undo use them inside their own transaction.
"""
from __future__ import annotations

from datetime import date, time
from typing import Iterable, Sequence

import sqlalchemy as sa
from sqlmodel import Session, select

from netjournal import vocab
from netjournal.errors import NotFound, UserError
from netjournal.store import validate as v
from netjournal.store.contacts import get_row, refs_of
from netjournal.store.db import Database
from netjournal.store.index import delete_docs, index_touch
from netjournal.store.models import Contact, Touch, TouchContact, utcnow
from netjournal.store.read import TouchRow

def log_touch(db: Database, *, contact_ids: Sequence[int], channel: str, day: date,
              at: time | None = None, direction: str = "out", summary: str = "", notes: str = "",
              value_given: str = "", platform: str = "", source: str | None = None,
              today: date | None = None, allow_future: bool = False) -> TouchRow:
    fields = clean_touch(contact_ids, channel, day, direction, summary, notes, value_given, platform)
    v.touch_day(day, today, allow_future=allow_future)  # issue 12: after tomorrow needs allow_future
    with db.write() as s:
        tid = insert_touch(s, at=at, source=source, **fields)
        return _touch_row(s, s.get(Touch, tid))


def clean_touch(contact_ids, channel, day, direction, summary, notes, value_given, platform) -> dict:
    if not contact_ids:
        raise UserError("a touch needs at least one contact")
    if not isinstance(day, date) or not 1 <= day.year <= 9999:
        raise UserError("a touch needs a valid day")
    return dict(
        contact_ids=list(dict.fromkeys(int(c) for c in contact_ids)),
        channel=v.channel(channel),
        day=day,
        direction=v.choice(direction, "direction", vocab.DIRECTIONS, "out"),
        summary=v.text(summary, "summary", max_len=vocab.MAX_SHORT),
        notes=v.text(notes, "notes", max_len=vocab.MAX_TEXT, multiline=True),
        value_given=v.text(value_given, "value given", max_len=vocab.MAX_TEXT, multiline=True),
        platform=v.text(platform, "platform", max_len=50),
    )


def insert_touch(s: Session, *, contact_ids: list[int], channel: str, day: date, direction: str,
                 summary: str, notes: str, value_given: str, platform: str, at: time | None = None,
                 source: str | None = None) -> int:
    for cid in contact_ids:
        get_row(s, cid)
    t = Touch(occurred_on=day, occurred_time=at, channel=channel, platform=platform, direction=direction,
              summary=summary, notes=notes, value_given=value_given, source=source)
    s.add(t)
    s.flush()
    for cid in contact_ids:
        s.add(TouchContact(touch_id=t.id, contact_id=cid))
    s.flush()
    _observe(s, contact_ids, day, channel, direction)
    index_touch(s, t, contact_ids)
    return t.id


def _observe(s: Session, contact_ids: Iterable[int], day: date, channel: str, direction: str) -> None:
    """Keep each contact's summary (engine state, last touch, count) current after a new touch."""
    from netjournal.engine import RelationshipState

    for cid in contact_ids:
        c = s.get(Contact, cid)
        if c.last_touch_on is None or day >= c.last_touch_on:
            st = RelationshipState.from_json(c.state_json)
            st.observe(day, channel, direction)
            c.state_json = st.to_json()
            c.last_touch_on = day
            c.touch_count = (c.touch_count or 0) + 1
            s.add(c)
        else:  # a backdated touch: rebuild this contact's summary from its history
            rebuild_state(s, cid)


def rebuild_state(s: Session, contact_id: int) -> None:
    from netjournal.engine import RelationshipState

    rows = s.exec(
        sa.select(Touch.occurred_on, Touch.channel, Touch.direction)
        .join(TouchContact, TouchContact.touch_id == Touch.id)
        .where(TouchContact.contact_id == contact_id)
        .order_by(Touch.occurred_on, Touch.id)
    ).all()
    c = s.get(Contact, contact_id)
    if c is None:
        return
    st = RelationshipState.from_history([(r[0], r[1], r[2]) for r in rows])
    c.state_json = st.to_json() if rows else None
    c.last_touch_on = rows[-1][0] if rows else None
    c.touch_count = len(rows)
    s.add(c)


def update_touch(db: Database, touch_id: int, *, today: date | None = None, allow_future: bool = False,
                 **fields) -> TouchRow:
    """Change a touch; a new ``day`` follows :func:`log_touch`'s rule (after tomorrow needs
    ``allow_future``, when ``today`` is given)."""
    if "day" in fields:
        v.touch_day(fields["day"], today, allow_future=allow_future)
    with db.write() as s:
        t = s.get(Touch, touch_id)
        if t is None:
            raise NotFound(f"no touch #{touch_id}")
        old_ids = [r for r in s.exec(sa.select(TouchContact.contact_id).where(TouchContact.touch_id == touch_id)).scalars()]
        new_ids = fields.pop("contact_ids", None) or old_ids
        at = fields.pop("at", t.occurred_time)
        clean = clean_touch(new_ids, fields.get("channel", t.channel), fields.get("day", t.occurred_on),
                            fields.get("direction", t.direction), fields.get("summary", t.summary),
                            fields.get("notes", t.notes), fields.get("value_given", t.value_given),
                            fields.get("platform", t.platform))
        for cid in clean["contact_ids"]:
            get_row(s, cid)
        t.occurred_on, t.occurred_time, t.channel, t.direction = clean["day"], at, clean["channel"], clean["direction"]
        t.summary, t.notes, t.value_given, t.platform = clean["summary"], clean["notes"], clean["value_given"], clean["platform"]
        t.updated_at = utcnow()
        s.add(t)
        if set(clean["contact_ids"]) != set(old_ids):
            s.exec(sa.delete(TouchContact).where(TouchContact.touch_id == touch_id))
            for cid in clean["contact_ids"]:
                s.add(TouchContact(touch_id=touch_id, contact_id=cid))
        s.flush()
        for cid in set(old_ids) | set(clean["contact_ids"]):
            rebuild_state(s, cid)
        index_touch(s, t, clean["contact_ids"])
        return _touch_row(s, t)


def delete_touch(db: Database, touch_id: int) -> None:
    with db.write() as s:
        t = s.get(Touch, touch_id)
        if t is None:
            raise NotFound(f"no touch #{touch_id}")
        ids = list(s.exec(sa.select(TouchContact.contact_id).where(TouchContact.touch_id == touch_id)).scalars())
        delete_docs(s, "touch", [touch_id])
        s.exec(sa.delete(Touch).where(Touch.id == touch_id))
        s.flush()
        for cid in ids:
            rebuild_state(s, cid)


def get_touch(db: Database, touch_id: int) -> TouchRow:
    with db.read() as s:
        t = s.get(Touch, touch_id)
        if t is None:
            raise NotFound(f"no touch #{touch_id}")
        return _touch_row(s, t)


def _touch_row(s: Session, t: Touch, refs: dict | None = None) -> TouchRow:
    if refs is None:
        refs = refs_of(s, TouchContact, "touch_id", [t.id])
    return TouchRow(t.id, t.occurred_on, t.occurred_time, t.channel, t.platform, t.direction, t.summary,
                    t.notes, t.value_given, refs.get(t.id, ()), t.source)


def list_touches(db: Database, *, contact_id: int | None = None, day: date | None = None,
                 since: date | None = None, until: date | None = None, limit: int | None = 200) -> list[TouchRow]:
    with db.read() as s:
        q = select(Touch)
        if contact_id is not None:
            q = q.join(TouchContact, TouchContact.touch_id == Touch.id).where(TouchContact.contact_id == contact_id)
        if day is not None:
            q = q.where(Touch.occurred_on == day)
        if since is not None:
            q = q.where(Touch.occurred_on >= since)
        if until is not None:
            q = q.where(Touch.occurred_on <= until)
        q = q.order_by(Touch.occurred_on.desc(), Touch.occurred_time.desc(), Touch.id.desc())
        if limit:
            q = q.limit(limit)
        touches = s.exec(q).all()
        refs = refs_of(s, TouchContact, "touch_id", [t.id for t in touches])
        return [_touch_row(s, t, refs) for t in touches]
