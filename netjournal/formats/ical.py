"""iCalendar export: open follow-ups as VTODO (due date + alarm), important dates as yearly VEVENTs.

* A follow-up with a due day and no time is due at the start of that day (``DUE;VALUE=DATE``);
  its alarm fires at 09:00 that day (``TRIGGER;RELATED=END:PT9H``). With a time, ``DUE`` is a
  floating local time and the alarm fires 30 minutes before.
* Birthdays and anniversaries are all-day events repeating every year. A date without a year
  starts in the year 2000 (a leap year, so 29 February exists) and the title has no age.
  29 February repeats on the last day of February (``BYMONTH=2;BYMONTHDAY=-1``), so it shows
  on 28 February in common years instead of disappearing.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

DATE_TITLES = {"birthday": "{name}'s birthday", "anniversary": "{name}'s anniversary"}


def write_ical(contacts: list[dict], followups: list, *, today: date) -> str:
    """``contacts``: as store.export.contacts_for_export gives them (for their dates);
    ``followups``: (follow-up, names of its contacts) pairs, as open_followups_for_export gives."""
    from icalendar import Alarm, Calendar, Event, Todo, vRecur

    cal = Calendar()
    cal.add("prodid", "-//netjournal//netjournal//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "netjournal")
    stamp = datetime.now(timezone.utc).replace(microsecond=0)
    for f, names in followups:
        todo = Todo()
        todo.add("uid", f"followup-{f.id}@netjournal")
        todo.add("dtstamp", stamp)
        who = ", ".join(names)
        todo.add("summary", f"{f.title} — {who}" if who else f.title)
        desc = "\n\n".join(p for p in (f.agenda, f"With: {who}" if who else "") if p)
        if desc:
            todo.add("description", desc)
        if f.place:
            todo.add("location", f.place)
        todo.add("status", "NEEDS-ACTION")
        todo.add("created", f.created_at.astimezone(timezone.utc).replace(microsecond=0))
        todo.add("categories", [f"netjournal-{f.kind}"])
        if f.due_on is not None:
            if f.due_time is not None:
                todo.add("due", datetime.combine(f.due_on, f.due_time))
                todo.add("dtstart", datetime.combine(f.due_on, f.due_time) - timedelta(minutes=30))
                trigger = timedelta(minutes=-30)
            else:
                todo.add("due", f.due_on)
                trigger = timedelta(hours=9)
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f.title)
            alarm.add("trigger", trigger, parameters={"RELATED": "END"})
            todo.add_component(alarm)
        cal.add_component(todo)
    for c in contacts:
        for i, (kind, month, day, year, label) in enumerate(c["dates"]):
            ev = Event()
            ev.add("uid", f"date-{c['id']}-{kind}-{month:02d}{day:02d}-{i}@netjournal")
            ev.add("dtstamp", stamp)
            title = DATE_TITLES.get(kind, "{name}: {label}").format(name=c["name"], label=label or "date")
            if label and kind in DATE_TITLES:
                title += f" ({label})"
            if year:
                title += f" (since {year})" if kind != "birthday" else f" (born {year})"
            ev.add("summary", title)
            start_year = year or 2000
            if month == 2 and day == 29 and year and year % 4 != 0:
                start_year = 2000
            start = date(start_year, month, day)
            ev.add("dtstart", start)
            ev.add("dtend", start + timedelta(days=1))
            if month == 2 and day == 29:
                ev.add("rrule", vRecur({"FREQ": "YEARLY", "BYMONTH": 2, "BYMONTHDAY": -1}))
            else:
                ev.add("rrule", vRecur({"FREQ": "YEARLY"}))
            ev.add("transp", "TRANSPARENT")
            ev.add("categories", [kind])
            cal.add_component(ev)
    return cal.to_ical().decode("utf-8")
