"""Dates the way people say them: "today", "yesterday", "3d ago", "last friday", "in 2w",
"next monday", "2026-11-20", "20 nov", "nov 20 14:30", "yesterday 23:30".

``parse_when(text, today, future=False)`` returns ``(date, time | None)`` or raises
UserError with one readable line. Pure: ``today`` is passed in. Past-leaning by default
(for logging touches); ``future=True`` for due dates ("friday" = the coming one).
"""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from netjournal.errors import UserError

WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4,
    "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
}
UNITS = {"d": 1, "day": 1, "days": 1, "w": 7, "wk": 7, "week": 7, "weeks": 7,
         "m": 30, "mo": 30, "month": 30, "months": 30, "y": 365, "yr": 365, "year": 365, "years": 365}
MONTHS = {m: i + 1 for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}
MONTHS.update({"january": 1, "february": 2, "march": 3, "april": 4, "june": 6, "july": 7,
               "august": 8, "september": 9, "sept": 9, "october": 10, "november": 11, "december": 12})

_CLOCK_RE = re.compile(r"(?:\bat\s+)?\b(\d{1,2}):(\d{2})\s*(am|pm)?\s*$|(?:\bat\s+)?\b(\d{1,2})\s*(am|pm)\s*$", re.I)
_REL_RE = re.compile(r"^(?:(in)\s+)?(\d+)\s*([a-z]+)(?:\s+(ago))?$")


def _split_time(text: str) -> tuple[str, time | None]:
    m = _CLOCK_RE.search(text)
    if not m:
        return text, None
    if m.group(1) is not None:
        hh, mm, ampm = int(m.group(1)), int(m.group(2)), m.group(3)
    else:
        hh, mm, ampm = int(m.group(4)), 0, m.group(5)
    if ampm:
        if not 1 <= hh <= 12:
            raise UserError(f"not a time: {m.group(0).strip()!r}")
        hh = hh % 12 + (12 if ampm.lower() == "pm" else 0)
    if not (0 <= hh <= 23 and 0 <= mm <= 59):
        raise UserError(f"not a time: {m.group(0).strip()!r}")
    return text[: m.start()].strip(), time(hh, mm)


def _check_year(y: int, text: str) -> None:
    if not 1 <= y <= 9999:
        raise UserError(f"year out of range in {text!r}")


def _make(y: int, m: int, d: int, text: str) -> date:
    _check_year(y, text)
    try:
        return date(y, m, d)
    except ValueError:
        raise UserError(f"no such date: {text!r}") from None


def parse_when(text: str | None, today: date, *, future: bool = False) -> tuple[date, time | None]:
    raw = (text or "").strip()
    if not raw:
        return today, None
    if len(raw) > 100:
        raise UserError("a date should be short, like 'yesterday', '3d ago' or 2026-11-20")
    s = raw.lower().replace(",", " ")
    s = re.sub(r"\s+", " ", s).strip()
    # ISO datetime "2026-11-20T14:30" / "2026-11-20 14:30"
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[t ](\d{1,2}):(\d{2})(?::\d{2})?)?", s)
    if m:
        d = _make(int(m.group(1)), int(m.group(2)), int(m.group(3)), raw)
        t = None
        if m.group(4) is not None:
            hh, mm = int(m.group(4)), int(m.group(5))
            if not (0 <= hh <= 23 and 0 <= mm <= 59):
                raise UserError(f"not a time in {raw!r}")
            t = time(hh, mm)
        return d, t
    if re.fullmatch(r"\d{1,2}:\d{2}\s*(am|pm)?|\d{1,2}\s*(am|pm)", s):
        _, t = _split_time(s)
        return today, t
    rest, t = _split_time(s)
    try:
        d = _parse_day(rest, today, future, raw)
    except OverflowError:  # "in 10000 years": past the calendar's end (year 9999)
        raise UserError(f"too far: {raw!r} (dates run from year 1 to 9999)") from None
    return d, t


def _parse_day(s: str, today: date, future: bool, raw: str) -> date:
    if s in ("", "today", "now", "tonight", "this morning", "this afternoon", "this evening"):
        return today
    if s in ("yesterday", "yday", "last night"):
        return today - timedelta(days=1)
    if s in ("tomorrow", "tmrw", "tmr"):
        return today + timedelta(days=1)
    if s in ("day before yesterday",):
        return today - timedelta(days=2)
    m = _REL_RE.fullmatch(s)
    if m and (m.group(3) in UNITS or m.group(1) or m.group(4)):
        n, unit = int(m.group(2)), m.group(3)
        if unit not in UNITS:
            raise UserError(f"unknown unit {unit!r} in {raw!r} (use d, w, m or y)")
        if n > 100_000:
            raise UserError(f"too far: {raw!r}")
        delta = timedelta(days=n * UNITS[unit])
        if m.group(1):  # "in 3d"
            return today + delta
        if m.group(4) or not future:  # "3d ago", or bare "3d" when logging
            return today - delta
        return today + delta
    m = re.fullmatch(r"(last|next|this)?\s*([a-z]+)", s)
    if m and m.group(2) in WEEKDAYS:
        wd = WEEKDAYS[m.group(2)]
        which = m.group(1)
        if which == "last" or (which is None and not future):
            back = (today.weekday() - wd) % 7 or 7
            if which is None and today.weekday() == wd:
                return today
            return today - timedelta(days=back)
        ahead = (wd - today.weekday()) % 7 or 7
        return today + timedelta(days=ahead)
    m = re.fullmatch(r"(last|next) (week|month|year)", s)
    if m:
        days = {"week": 7, "month": 30, "year": 365}[m.group(2)]
        return today + timedelta(days=days if m.group(1) == "next" else -days)
    # "20 nov", "nov 20", "20 nov 2025", "nov 20 2025", "20/11/2025", "11/20"
    m = re.fullmatch(r"(\d{1,2})\s*([a-z]+)\.?\s*(\d{4})?", s)
    if m and (m.group(2) in MONTHS or m.group(2)[:3] in MONTHS):
        return _month_day(int(m.group(3)) if m.group(3) else None, MONTHS.get(m.group(2), MONTHS.get(m.group(2)[:3])), int(m.group(1)), today, future, raw)
    m = re.fullmatch(r"([a-z]+)\.?\s*(\d{1,2})(?:st|nd|rd|th)?\s*(\d{4})?", s)
    if m and (m.group(1) in MONTHS or m.group(1)[:3] in MONTHS):
        mon = MONTHS.get(m.group(1), MONTHS.get(m.group(1)[:3]))
        return _month_day(int(m.group(3)) if m.group(3) else None, mon, int(m.group(2)), today, future, raw)
    m = re.fullmatch(r"(\d{1,4})[/.](\d{1,2})(?:[/.](\d{2,4}))?", s)
    if m:
        a, b, c = int(m.group(1)), int(m.group(2)), m.group(3)
        if len(m.group(1)) == 4:
            raise UserError(f"not a date: {raw!r} (use 2026-11-20)")
        y = None
        if c is not None:
            y = int(c) + (2000 if len(c) == 2 else 0)
        # Day first unless impossible (then month first).
        day, mon = (a, b) if b <= 12 else (b, a)
        return _month_day(y, mon, day, today, future, raw)
    # Last resort: python-dateutil's parser for anything else it understands.
    try:
        from dateutil import parser as du

        default = datetime(today.year, today.month, today.day)
        dt = du.parse(s, default=default, dayfirst=True)
    except (ValueError, OverflowError, TypeError):
        raise UserError(f"not a date: {raw!r} (try 'yesterday', '3d ago', 'last friday' or 2026-11-20)") from None
    return dt.date()


def _month_day(y: int | None, mon: int, day: int, today: date, future: bool, raw: str) -> date:
    if not 1 <= mon <= 12:
        raise UserError(f"no such date: {raw!r}")
    if y is not None:
        return _make(y, mon, day, raw)
    # Without a year: the nearest such date in the past (logging) or the future (due dates).
    try:
        date(2000, mon, day)  # leap year: accepts 29 Feb
    except ValueError:
        raise UserError(f"no such date: {raw!r}") from None
    y = today.year
    for _ in range(8):
        try:
            cand = date(y, mon, day)
        except ValueError:
            y += 1 if future else -1
            continue
        if future and cand < today:
            y += 1
            continue
        if not future and cand > today:
            y -= 1
            continue
        return cand
    raise UserError(f"no such date: {raw!r}")


def parse_date_only(text: str, today: date, *, future: bool = False) -> date:
    d, _ = parse_when(text, today, future=future)
    return d


def parse_month_day(text: str) -> tuple[int, int, int | None]:
    """An important date: '1984-04-15', '--04-15', '--0415', '15 apr', '29 feb' -> (month, day, year|None)."""
    s = (text or "").strip().lower()
    m = re.fullmatch(r"--(\d{2})-?(\d{2})", s)
    if m:
        mon, day, year = int(m.group(1)), int(m.group(2)), None
    else:
        m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", s) or re.fullmatch(r"(\d{4})(\d{2})(\d{2})", s)
        if m:
            year, mon, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
        else:
            m = re.fullmatch(r"(\d{1,2})\s*([a-z]+)\.?\s*(\d{4})?", s) or re.fullmatch(r"([a-z]+)\.?\s*(\d{1,2})\s*(\d{4})?", s)
            if not m:
                raise UserError(f"not a date: {text!r} (use 1984-04-15, --04-15 or '15 apr')")
            a, b = m.group(1), m.group(2)
            name, num = (b, a) if a.isdigit() else (a, b)
            mon = MONTHS.get(name) or MONTHS.get(name[:3])
            if not mon:
                raise UserError(f"unknown month in {text!r}")
            day, year = int(num), (int(m.group(3)) if m.group(3) else None)
    if year is not None and not 1 <= year <= 9999:
        raise UserError(f"year out of range in {text!r}")
    try:
        date(year if year else 2000, mon, day)
    except ValueError:
        raise UserError(f"no such date: {text!r}") from None
    return mon, day, year
