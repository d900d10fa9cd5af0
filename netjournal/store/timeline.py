"""One contact's history: the one timeline the CLI, the TUI and the exporters read."""
from __future__ import annotations

from datetime import date, time

import sqlalchemy as sa

from netjournal import vocab
from netjournal.store.contacts import get_row
from netjournal.store.db import Database
from netjournal.store.models import FollowUp, FollowUpContact, JournalEntry, JournalMention, Touch, TouchContact
from netjournal.store.read import TimelineEntry

def timeline(db: Database, contact_id: int, *, limit: int = 500) -> list[TimelineEntry]:
    """Touches, follow-ups and journal mentions of one contact, newest first. Read as plain
    columns: a contact with thousands of touches builds no ORM object per touch (~7 ms instead
    of ~45 ms for 2,000); the CLI's `show`, the TUI's contact screen and the exporters use it."""
    labels = vocab.CHANNEL_LABELS
    out: list[TimelineEntry] = []
    with db.read() as s:
        get_row(s, contact_id)
        for tid, day, at, summary, notes, channel, direction in s.exec(
                sa.select(Touch.id, Touch.occurred_on, Touch.occurred_time, Touch.summary, Touch.notes,
                          Touch.channel, Touch.direction)
                .join(TouchContact, TouchContact.touch_id == Touch.id)
                .where(TouchContact.contact_id == contact_id)
                .order_by(Touch.occurred_on.desc(), Touch.id.desc()).limit(limit)):
            out.append(TimelineEntry("touch", day, at, summary or labels.get(channel, channel), notes, tid,
                                     channel=channel, direction=direction))
        for fid, due_on, due_time, completed_at, created_at, title, notes, agenda, status in s.exec(
                sa.select(FollowUp.id, FollowUp.due_on, FollowUp.due_time, FollowUp.completed_at,
                          FollowUp.created_at, FollowUp.title, FollowUp.meeting_notes, FollowUp.agenda,
                          FollowUp.status)
                .join(FollowUpContact, FollowUpContact.followup_id == FollowUp.id)
                .where(FollowUpContact.contact_id == contact_id)
                .order_by(FollowUp.id.desc()).limit(limit)):
            day = due_on or (completed_at.date() if completed_at else created_at.date())
            out.append(TimelineEntry("followup", day, due_time, title, notes or agenda, fid, status=status))
        for eid, day, body in s.exec(
                sa.select(JournalEntry.id, JournalEntry.day, JournalEntry.body)
                .join(JournalMention, JournalMention.entry_id == JournalEntry.id)
                .where(JournalMention.contact_id == contact_id)
                .order_by(JournalEntry.day.desc()).limit(limit)):
            first = next((ln for ln in body.splitlines() if ln.strip()), "")
            out.append(TimelineEntry("journal", day, None, first[:120], body, eid))
    out.sort(key=lambda x: (x.day or date.min, x.time or time.min, x.kind == "touch", x.ref_id), reverse=True)
    return out[:limit]
