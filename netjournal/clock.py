"""The one place that reads the clock.

``NETJOURNAL_TODAY=YYYY-MM-DD`` pins "today" (tests, snapshot screenshots, demos); otherwise
the machine's local date. Everything below this takes ``today``/``now`` as an argument.
"""
from __future__ import annotations

import os
from datetime import date, datetime, time


def today() -> date:
    pinned = os.environ.get("NETJOURNAL_TODAY")
    if pinned:
        return date.fromisoformat(pinned)
    return date.today()


def now() -> datetime:
    """Local wall-clock now (naive, local), consistent with ``today()``."""
    pinned = os.environ.get("NETJOURNAL_TODAY")
    if pinned:
        return datetime.combine(date.fromisoformat(pinned), time(9, 0))
    return datetime.now()
