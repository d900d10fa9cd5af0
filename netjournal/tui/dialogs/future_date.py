"""Asking about a touch dated in the future (issue 12).

A touch after tomorrow is almost always a typo (``2062`` for ``2026``) and would take the contact
off the queue for decades, so the store refuses it unless the caller says it is meant
(:func:`netjournal.store.validate.touch_day`, ``allow_future``; the CLI's ``--future``). The
app asks instead: "That date is in 36 years (30 Nov 2062). Log it anyway?" — yes saves with
``allow_future=True``, no goes back to the date field with the text kept.
"""
from __future__ import annotations

from datetime import date

from netjournal.store.validate import FutureDateError, touch_day


def how_far(day: date, today: date) -> str:
    """'tomorrow', 'in 5 days', 'in 3 weeks', 'in 4 months', 'in 36 years' (whole units, rounded down)."""
    days = (day - today).days
    if days <= 1:
        return "tomorrow"
    years = day.year - today.year - ((day.month, day.day) < (today.month, today.day))
    if years >= 1:
        return f"in {years} year{'s' if years != 1 else ''}"
    months = (day.year - today.year) * 12 + day.month - today.month - (day.day < today.day)
    if months >= 2:
        return f"in {months} months"
    if days >= 14:
        return f"in {days // 7} weeks"
    return f"in {days} days"


def future_question(day: date, today: date) -> str:
    return (f"That date is {how_far(day, today)} ({day.day} {day:%b %Y}). Log it anyway?\n\n"
            "y logs it on that day · n goes back to the date")


def needs_asking(day: date, today: date) -> bool:
    """Whether the store would refuse ``day`` without ``allow_future`` (the same rule, no query)."""
    try:
        touch_day(day, today)
    except FutureDateError:
        return True
    return False


def ask_future(app, day: date, today: date, then) -> None:
    """Ask about ``day``; ``then(True)`` on yes, ``then(False)`` on no / esc."""
    from netjournal.tui.dialogs.common import ConfirmModal

    app.push_screen(ConfirmModal(future_question(day, today), yes="Log it", no="Change the date"),
                    lambda yes: then(bool(yes)))
