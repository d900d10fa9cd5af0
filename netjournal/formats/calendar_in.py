"""Calendars (.ics) → touches for past meetings, follow-ups for future ones.

A past event with other people (attendees, organizer) becomes a touch: channel video when the
location or description names a meeting link (Zoom, Meet, Teams, …), else in person; the
people matched by email. Skipped and counted: cancelled events (the series or one occurrence),
events the user declined, events with nobody else (holidays, focus time). Recurring events are
expanded with dateutil over the imported range (RRULE, RDATE, EXDATE, moved or cancelled
RECURRENCE-ID overrides); a future event with a contact becomes one follow-up (the next
occurrence only), kind call for video meetings, else meet. The UID (+ the occurrence) is the
touch's import key, so importing again adds nothing.

Quirks handled: Windows time-zone names (with or without a VTIMEZONE), non-Olson TZIDs with
their own VTIMEZONE, floating times, all-day events with DTEND = DTSTART, RRULE BYDAY lists
with spaces, UNTIL in UTC against a floating DTSTART, events without a UID, uppercase MAILTO:,
an invalid RRULE (named in the report; the rest of the file imported), an unreadable DTSTART (that
event named, the rest imported), a series that repeats every second or minute (read lazily, one
occurrence a day, cut at MAX_DAYS days and named), METHOD:CANCEL whatever the STATUS (no meeting; a
future one is named in the notes), events more than HORIZON_DAYS ahead (skipped and counted).
"""
from __future__ import annotations

import hashlib
import re
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

from netjournal.formats.records import CancelRecord, FollowUpRecord, Person, Problem, TouchRecord, import_key
from netjournal.formats.registry import Reader, ReadOptions, ReadResult

_MEETING = re.compile(r"zoom\.us/|meet\.google\.com|teams\.microsoft\.com|teams-besprechung|teams meeting|"
                      r"microsoft teams|webex\.com|whereby\.com|meet\.jit\.si|jitsi|gotomeeting|bluejeans|"
                      r"facetime|skype", re.I)
MAX_DAYS = 1000          # days one series can give; more is cut there and named
MAX_STEPS = 20000        # occurrences looked at per series (a FREQ=SECONDLY series stops here)
HORIZON_DAYS = 366
_EVERY = {"SECONDLY": "every second", "MINUTELY": "every minute", "HOURLY": "every hour", "DAILY": "every day",
          "WEEKLY": "every week", "MONTHLY": "every month", "YEARLY": "every year"}


def _sniff(path: Path, head: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf \t\r\n")[:15].upper().startswith(b"BEGIN:VCALENDAR")


def _local(dt, prop=None):
    """A naive local datetime (or a date for all-day events)."""
    if isinstance(dt, datetime):
        if dt.tzinfo is None and prop is not None:
            tzid = getattr(prop, "params", {}).get("TZID")
            if tzid:
                tz = _windows_tz(str(tzid))
                if tz is not None:
                    dt = dt.replace(tzinfo=tz)
        if dt.tzinfo is not None:
            return dt.astimezone().replace(tzinfo=None)
        return dt
    return dt


def _windows_tz(name: str):
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        from icalendar.timezone import windows_to_olson
        olson = windows_to_olson.WINDOWS_TO_OLSON.get(name) if hasattr(windows_to_olson, "WINDOWS_TO_OLSON") \
            else None
    except ImportError:
        olson = None
    for key in (olson, name):
        if key:
            try:
                return ZoneInfo(key)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return None


def _email(value) -> str:
    v = str(value or "").strip()
    if v.lower().startswith("mailto:"):
        v = v[7:]
    return v.strip().lower() if "@" in v else ""


def _people(ev, me: frozenset[str], drop_declined: bool = False) -> tuple[list[Person], str | None, bool]:
    """(the other people, who organised it: 'me'/'them'/None, whether the user declined).
    ``drop_declined``: leave out the others who declined (an invitation's REPLY)."""
    out, seen, declined = [], set(), False
    org = ev.get("ORGANIZER")
    org_mail = _email(org) if org is not None else ""
    atts = ev.get("ATTENDEE") or []
    if not isinstance(atts, list):
        atts = [atts]
    for a in [*( [org] if org is not None else []), *atts]:
        addr = _email(a)
        if not addr:
            continue
        params = getattr(a, "params", {})
        if addr in me:
            if str(params.get("PARTSTAT", "")).upper() == "DECLINED" and a is not org:
                declined = True
            continue
        if addr in seen or (drop_declined and a is not org and str(params.get("PARTSTAT", "")).upper() == "DECLINED"):
            continue
        seen.add(addr)
        out.append(Person(name=str(params.get("CN", "")).strip().strip('"'), handles=[("email", addr)]))
    who = "me" if org_mail and org_mail in me else "them" if org_mail else None
    return out, who, declined


def _as_dt(d) -> datetime:
    return d if isinstance(d, datetime) else datetime(d.year, d.month, d.day)


def _key(d) -> str:
    if isinstance(d, datetime):
        if d.tzinfo is not None:
            return d.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        return d.strftime("%Y%m%dT%H%M%S")
    return d.strftime("%Y%m%d")


def _occurrences(master, lo: datetime, hi: datetime) -> tuple[list, str]:
    """(start times (as in the file: aware, floating or dates) of a series within [lo, hi], at most one a
    day and at most MAX_DAYS days; why it was cut, or ""). Read lazily: a FREQ=SECONDLY series over
    twenty years is never built as a list."""
    from dateutil.rrule import rruleset, rrulestr

    start = master.get("DTSTART").dt
    all_day = not isinstance(start, datetime)
    dstart = _as_dt(start)
    rs = rruleset()
    freq = ""
    for rule in (master.get("RRULE") if isinstance(master.get("RRULE"), list) else [master.get("RRULE")]):
        text = rule.to_ical().decode() if hasattr(rule, "to_ical") else str(rule)
        text = re.sub(r"[\s\\]+", "", text)   # "BYDAY=MO, TU" (Exchange), escaped commas
        m = re.search(r"FREQ=([A-Z]+)", text, re.I)
        freq = freq or (m.group(1).upper() if m else "")
        if dstart.tzinfo is None:
            text = re.sub(r"(UNTIL=\d{8}(T\d{6})?)Z", r"\1", text)
        elif "UNTIL=" in text and not re.search(r"UNTIL=\d{8}T\d{6}Z", text):
            m = re.search(r"UNTIL=(\d{8})(T(\d{6}))?", text)
            text = text.replace(m.group(0), f"UNTIL={m.group(1)}T{m.group(3) or '235959'}Z")
        rs.rrule(rrulestr(text, dtstart=dstart, ignoretz=False))
    for prop, add in (("RDATE", rs.rdate), ("EXDATE", rs.exdate)):
        vals = master.get(prop)
        if vals is None:
            continue
        for v in vals if isinstance(vals, list) else [vals]:
            for d in getattr(v, "dts", []):
                x = _as_dt(d.dt)
                if dstart.tzinfo is not None and x.tzinfo is None:
                    x = x.replace(tzinfo=dstart.tzinfo)
                elif dstart.tzinfo is None and x.tzinfo is not None:
                    x = x.replace(tzinfo=None)
                add(x)
    if dstart.tzinfo is not None:
        lo, hi = lo.astimezone(), hi.astimezone()
    out, days = [], set()
    every = _EVERY.get(freq, "very often")
    for steps, occ in enumerate(rs, 1):
        if occ > hi:
            break
        if steps > MAX_STEPS:
            return out, f"repeats {every}: kept the first {len(out):,} day(s)"
        if occ < lo:
            continue
        d = occ.date()
        if d in days:
            continue   # at most one occurrence a day counts
        if len(days) >= MAX_DAYS:
            return out, f"repeats {every}: kept the first {MAX_DAYS:,} days"
        days.add(d)
        out.append(d if all_day else occ)
    return out, ""


def read_ics(path: Path, label: str, opts: ReadOptions) -> ReadResult:
    from netjournal.formats.textio import read_bytes

    return read_ics_bytes(read_bytes(path), label, opts, ReadResult())


def _source(uid: str, occurrence: str | None = None) -> str:
    """The import key of an event (``ics:UID``) or of one occurrence of a series
    (``ics:UID:20261203T090000Z``)."""
    return import_key("ics", uid + (f":{occurrence}" if occurrence else ""))


def _cancelled(res: ReadResult, opts: ReadOptions, uid: str, occurrence: str | None, ev,
               start) -> None:
    """A meeting called off: a :class:`CancelRecord` when it was still to come (the import cancels
    the open follow-up made from it). ``start`` None: the whole series, whenever it is."""
    day = None
    if start is not None:
        when = _local(start, ev.get("DTSTART"))
        day = when.date() if isinstance(when, datetime) else when
        if day <= opts.today:
            return
    summary = " ".join(str(ev.get("SUMMARY", "")).split())[:200] or "(untitled event)"
    res.cancels.append(CancelRecord(source=_source(uid, occurrence), day=day, title=summary,
                                    series=occurrence is None))


def read_ics_bytes(data: bytes, label: str, opts: ReadOptions, res: ReadResult, *,
                   drop_declined: bool = False, method: str = "", max_people: int | None = None) -> ReadResult:
    """The events of iCalendar bytes into ``res`` (a .ics file, or an invitation mail's calendar part).
    ``method``: the invitation's METHOD when the calendar does not say it (a CANCEL adds nothing and
    says which meeting was cancelled); ``max_people``: an event with more other people is skipped."""
    import icalendar

    try:
        cals = icalendar.Calendar.from_ical(data, multiple=True)
    except Exception as exc:  # noqa: BLE001 - icalendar raises ValueError and others
        res.problems.append(Problem(label, None, f"not a readable iCalendar file ({type(exc).__name__}: {exc})"))
        return res
    me = opts.me_emails
    now = datetime.combine(opts.today, time(23, 59, 59))
    lo = datetime.combine(opts.since, time()) if opts.since else datetime(1900, 1, 1)
    hi = now + timedelta(days=HORIZON_DAYS)
    series: dict[str, dict] = {}
    for cal in cals:
        cancel = (str(cal.get("METHOD") or method).strip().upper() == "CANCEL")
        for ev in cal.walk("VEVENT"):
            if ev.get("DTSTART") is None:
                res.problems.append(Problem(label, None, f"event {str(ev.get('SUMMARY', ''))!r} has no start: skipped"))
                continue
            try:   # one unreadable date names its event; the rest of the file is imported
                start = ev.get("DTSTART").dt
                rid = ev.get("RECURRENCE-ID")
                rid_key = _key(rid.dt) if rid is not None else None
                if not isinstance(start, date):
                    raise ValueError(repr(start))
            except Exception as exc:  # noqa: BLE001 - icalendar raises its own errors on a bad value
                res.problems.append(Problem(label, None, f"event {str(ev.get('SUMMARY', ''))!r}: its date cannot "
                                                         f"be read ({type(exc).__name__}): skipped"))
                continue
            uid = str(ev.get("UID") or "") or "nouid-" + hashlib.sha1(
                f"{ev.get('SUMMARY', '')}|{_key(start)}".encode()).hexdigest()[:16]
            if cancel:   # the organizer cancelled it (whatever its STATUS says): never a meeting
                res.skip("cancelled events")
                _cancelled(res, opts, uid, rid_key, ev, start)
                continue
            s = series.setdefault(uid, {"master": None, "overrides": {}})
            if rid_key is not None:
                s["overrides"][rid_key] = ev
            else:
                s["master"] = ev
    for uid, s in series.items():
        master = s["master"]
        if master is not None and master.get("RRULE") is not None:
            # A whole series that is cancelled, declined or has nobody else is one skip, not thousands.
            people, _org, declined = _people(master, me, drop_declined)
            why = ("cancelled events" if str(master.get("STATUS", "")).upper() == "CANCELLED" else
                   "events you declined" if declined else "events with nobody else in them" if not people else "")
            if why:
                res.skip(why)
                if why == "cancelled events":   # the whole series: its open follow-up goes too
                    _cancelled(res, opts, uid, None, master, None)
                master = None   # its moved occurrences (overrides) are still looked at one by one
                if not s["overrides"]:
                    continue
        items: list[tuple[str, object]] = []   # (occurrence key or "", event)
        if master is not None and master.get("RRULE") is not None:
            try:
                occ, cut = _occurrences(master, lo, hi)
            except Exception as exc:  # noqa: BLE001 - dateutil raises ValueError, TypeError…
                res.problems.append(Problem(label, None, f"event {str(master.get('SUMMARY', ''))!r}: invalid "
                                                         f"recurrence rule ({exc}): the series was skipped"))
                continue
            if cut:
                res.problems.append(Problem(label, None, f"event {str(master.get('SUMMARY', ''))!r} {cut}"))
            for o in occ:
                k = _key(o)
                items.append((k, s["overrides"].pop(k, None) or (master, o)))
            for k, ov in s["overrides"].items():   # moved into the range from outside, or no master
                items.append((k, ov))
        elif master is not None:
            items.append(("", master))
            items.extend(s["overrides"].items())
        else:
            items.extend(s["overrides"].items())
        future_done = False
        for k, item in sorted(items, key=lambda kv: kv[0]):
            ev, start = item if isinstance(item, tuple) else (item, item.get("DTSTART").dt)
            status = str(ev.get("STATUS", "")).upper()
            if status == "CANCELLED":
                res.skip("cancelled events")
                _cancelled(res, opts, uid, k or None, ev, start)
                continue
            people, organiser, declined = _people(ev, me, drop_declined)
            if declined:
                res.skip("events you declined")
                continue
            if not people:
                res.skip("events with nobody else in them")
                continue
            if max_people is not None and len(people) > max_people:
                res.skip(f"messages with more than {max_people} recipients")
                continue
            when = _local(start, ev.get("DTSTART") if not isinstance(item, tuple) else master.get("DTSTART"))
            day = when.date() if isinstance(when, datetime) else when
            at = time(when.hour, when.minute) if isinstance(when, datetime) else None
            if opts.since and day < opts.since:
                res.skip("events before --since")
                continue
            if day > hi.date():   # 9999-12-31 is no follow-up; series are read this far ahead too
                res.skip(f"events more than {HORIZON_DAYS} days ahead")
                continue
            text = f"{ev.get('LOCATION', '')} {ev.get('DESCRIPTION', '')} {ev.get('URL', '')}"
            video = bool(_MEETING.search(text))
            summary = " ".join(str(ev.get("SUMMARY", "")).split()) or "(untitled event)"
            src = _source(uid, k)
            if day <= opts.today:
                res.touches.append(TouchRecord(
                    source=src, line=None, day=day, at=at, channel="video" if video else "in_person", platform="",
                    direction={"me": "out", "them": "in"}.get(organiser, "mutual"), summary=summary[:500],
                    notes=" ".join(str(ev.get("LOCATION", "")).split())[:300], participants=[], people=people))
            elif not future_done:
                future_done = True   # one follow-up per series: the next occurrence
                res.followups.append(FollowUpRecord(
                    source=src, line=None, day=day, at=at, kind="call" if video else "meet",
                    title=summary[:500], place=" ".join(str(ev.get("LOCATION", "")).split())[:500], people=people))
    return res


READER = Reader("ics", "iCalendar .ics (past meetings → touches, future → follow-ups)", read_ics, _sniff,
                ("ical", "icalendar", "calendar"))
