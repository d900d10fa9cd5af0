"""The one relative-day text ("today", "yesterday", "3 days ago", "in 2d", "5d overdue"), used by
the CLI and the TUI alike. Standard library only.

Three styles over one count of days:

- ``day_text``: the CLI's long words — "today", "yesterday", "tomorrow", "3 days ago",
  "in 3 days", otherwise the ISO date; "—" for no date.
- ``ago``: the TUI's compact "how long since" — "never", "today", "in 4d", "12d ago", "3mo ago",
  "2y ago".
- ``due_text``: the TUI's compact "when is it due" — "" for no date, "today", "tomorrow",
  "4d overdue", a weekday within a week, otherwise "07 Dec".
"""
from __future__ import annotations

from datetime import date

_NEAR = {0: "today", -1: "yesterday", 1: "tomorrow"}  # by days from today to the day


def days_from(day: date, today: date) -> int:
    """Days from ``today`` to ``day``: negative in the past, positive in the future."""
    return (day - today).days


def day_text(day: date | None, today: date) -> str:
    """Long style (the CLI's): near days in words, a week either side in days, else the date."""
    if day is None:
        return "—"
    n = days_from(day, today)
    if n in _NEAR:
        return _NEAR[n]
    if -7 < n < 0:
        return f"{-n} days ago"
    if 0 < n < 7:
        return f"in {n} days"
    return day.isoformat()


def ago(day: date | None, today: date) -> str:
    """Compact style for "last talked": how long ago, in days, months or years."""
    if day is None:
        return "never"
    n = days_from(day, today)
    if n in _NEAR:
        return _NEAR[n]
    if n > 0:
        return f"in {n}d"
    n = -n
    if n < 60:
        return f"{n}d ago"
    if n < 730:
        return f"{n // 30}mo ago"
    return f"{n // 365}y ago"


def due_text(day: date | None, today: date) -> str:
    """Compact style for a due date: overdue in days, this week by weekday, else day and month."""
    if day is None:
        return ""
    n = days_from(day, today)
    if n in _NEAR:
        return _NEAR[n]
    if n < 0:
        return f"{-n}d overdue"
    if n < 7:
        return day.strftime("%a")
    return day.strftime("%d %b")


def date_words(day: date, today: date) -> str:
    """A day in words for messages: "Fri 31 Dec", with the year when it is not this year's."""
    return day.strftime("%a %d %b") + (day.strftime(" %Y") if day.year != today.year else "")

