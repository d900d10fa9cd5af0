"""Snoozes and dismissals: the user hides a reminder until a day, or for good."""
from __future__ import annotations

from datetime import date

from netjournal import vocab
from netjournal.errors import UserError
from netjournal.store import validate as v
from netjournal.store.contacts import get_row
from netjournal.store.db import Database
from netjournal.store.models import Dismissal, Snooze

MAX_SNOOZE_DAYS = 5 * 366  # longer is a typo ("9999-12-31", "99999d") or meant as a dismissal


def check_until(until: date, today: date) -> date:
    """The day a snooze may end: after today, and within five years."""
    if until <= today:
        raise UserError("snooze until a day after today")
    if (until - today).days > MAX_SNOOZE_DAYS:
        raise UserError(f"{until.isoformat()} is more than five years away: snooze less, or dismiss it")
    return until


def snooze(db: Database, contact_id: int, *, until: date, today: date, kind: str | None = None) -> None:
    check_until(until, today)
    if kind is not None:
        kind = v.choice(kind, "reminder kind", vocab.REMINDER_KINDS)
    with db.write() as s:
        get_row(s, contact_id)
        s.add(Snooze(contact_id=contact_id, kind=kind, until=until, created_on=today))


def dismiss(db: Database, contact_id: int, *, kind: str, today: date) -> None:
    kind = v.choice(kind, "reminder kind", vocab.REMINDER_KINDS)
    with db.write() as s:
        get_row(s, contact_id)
        s.add(Dismissal(contact_id=contact_id, kind=kind, on_day=today))
