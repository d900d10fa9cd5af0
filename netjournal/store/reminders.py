"""Feeding the reminder engine from the store.

The engine is pure; this module reads what it needs in a handful of set-wise queries (no
per-contact round trips): each contact's summary row (its ``RelationshipState`` kept current on
write), open follow-ups, important dates, snoozes and dismissals.

:class:`QueueCache` keeps the engine's per-contact items in memory, so that after logging a
touch only the contacts it touched are re-read and re-scored before the queue is re-ranked.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Iterable, Sequence

import sqlalchemy as sa

from netjournal.store.db import Database
from netjournal.store.models import (
    Contact, Dismissal, FollowUp, FollowUpContact, ImportantDate, Snooze,
)


def load_inputs(db: Database, contact_ids: Sequence[int] | None = None, *, today: date | None = None) -> list:
    """ContactInput for every active contact (or just ``contact_ids``)."""
    from netjournal import engine

    def only(col):
        return col.in_(list(contact_ids)) if contact_ids is not None else sa.true()

    with db.read() as s:
        conn = s.connection()
        rows = conn.execute(
            sa.select(Contact.id, Contact.name, Contact.tier, Contact.kin, Contact.rhythm_days, Contact.stage,
                      Contact.archived, Contact.state_json)
            .where(Contact.archived == sa.false(), only(Contact.id))
        ).all()
        fus: dict[int, list] = defaultdict(list)
        for cid, fid, kind, title, due, due_time in conn.execute(
            sa.select(FollowUpContact.contact_id, FollowUp.id, FollowUp.kind, FollowUp.title, FollowUp.due_on,
                      FollowUp.due_time)
            .join(FollowUp, FollowUp.id == FollowUpContact.followup_id)
            .where(FollowUp.status == "open", only(FollowUpContact.contact_id))
        ).all():
            fus[cid].append(engine.FollowupInput(id=fid, kind=kind, title=title, due=due, due_time=due_time))
        dates: dict[int, list] = defaultdict(list)
        for cid, kind, month, day, year, label in conn.execute(
            sa.select(ImportantDate.contact_id, ImportantDate.kind, ImportantDate.month, ImportantDate.day,
                      ImportantDate.year, ImportantDate.label).where(only(ImportantDate.contact_id))
        ).all():
            dates[cid].append(engine.DateInput(kind=kind, month=month, day=day, year=year, label=label))
        snoozes: dict[int, list] = defaultdict(list)
        for cid, kind, until, created in conn.execute(
            sa.select(Snooze.contact_id, Snooze.kind, Snooze.until, Snooze.created_on)
            .where(only(Snooze.contact_id)).order_by(Snooze.created_on, Snooze.id)
        ).all():
            snoozes[cid].append(engine.SnoozeInput(kind=kind, until=until, created=created))
        dismissals: dict[int, list] = defaultdict(list)
        for cid, kind, on in conn.execute(
            sa.select(Dismissal.contact_id, Dismissal.kind, Dismissal.on_day)
            .where(only(Dismissal.contact_id)).order_by(Dismissal.on_day, Dismissal.id)
        ).all():
            dismissals[cid].append(engine.DismissInput(kind=kind, on=on))
    out = []
    for cid, name, tier, kin, rhythm, stage, archived, state_json in rows:
        out.append(engine.ContactInput(
            id=cid, name=name, tier=tier, kin=bool(kin), rhythm_days=rhythm, stage=stage, archived=bool(archived),
            state=engine.RelationshipState.from_json(state_json),
            followups=tuple(fus.get(cid, ())), dates=tuple(dates.get(cid, ())),
            snoozes=tuple(snoozes.get(cid, ())), dismissals=tuple(dismissals.get(cid, ())),
        ))
    return out


def queue(db: Database, now: datetime, cfg=None, *, budget: int | None = None) -> list:
    """Today's ranked, explained, budgeted queue."""
    from netjournal import engine

    return engine.build_queue(load_inputs(db), now, cfg or engine.EngineConfig(), budget=budget)


class QueueCache:
    """Per-contact engine items kept in memory; refresh only what a write touched."""

    def __init__(self, db: Database, cfg=None):
        from netjournal import engine

        self.db = db
        self.cfg = cfg or engine.EngineConfig()
        self.items: dict[int, list] = {}
        self.now: datetime | None = None

    def full(self, now: datetime) -> list:
        from netjournal import engine

        self.now = now
        self.items = {c.id: engine.contact_items(c, now, self.cfg) for c in load_inputs(self.db)}
        return self.ranked()

    def refresh(self, contact_ids: Iterable[int], now: datetime | None = None) -> list:
        from netjournal import engine

        if now is not None and self.now is not None and now.date() != self.now.date():
            return self.full(now)
        now = now or self.now
        ids = list(contact_ids)
        fresh = {c.id: c for c in load_inputs(self.db, ids)}
        for cid in ids:
            if cid in fresh:
                self.items[cid] = engine.contact_items(fresh[cid], now, self.cfg)
            else:
                self.items.pop(cid, None)  # archived or deleted
        return self.ranked()

    def ranked(self) -> list:
        from netjournal import engine

        flat = [it for items in self.items.values() for it in items]
        return engine.apply_budget(flat, self.cfg)
