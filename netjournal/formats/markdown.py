"""Markdown export: a readable journal of one contact, or of a range of days.

The document's structure (headings, lists, quotes, emphasis) is the writer's; everything the
user typed is escaped so that it renders as the literal text typed, never as Markdown: the
inline markers (backslash, backticks, ``* _ ~``, brackets, ``< > &``, ``#``, ``|``) are
backslash-escaped everywhere, and at the start of a line the block markers CommonMark would
read there (``-``, ``+``, ``=``, ``1.`` / ``1)``) too; leading spaces and tabs become character
references (so they are not an indented code block). @mentions show as ``@Name``
(:func:`netjournal.mentions.plain_mentions`).
"""
from __future__ import annotations

import re
from collections import defaultdict
from datetime import date, time

from netjournal import vocab
from netjournal.mentions import plain_mentions
from netjournal.textsafe import neutralise

MAX_RANGE_DAYS = 366 * 20

_INLINE = re.compile(r"([\\`*_~\[\]<>&#|])")
_LINE_START = re.compile(r"^(?:[-+=]|\d{1,9}(?=[.)]))")
_LEAD = re.compile(r"^[ \t]+")


def escape_inline(text: str) -> str:
    """User text as literal Markdown text (one line or many; no block markers handled)."""
    return _INLINE.sub(r"\\\1", text)


def escape_line(line: str) -> str:
    """One line of user text (control bytes already out) as literal Markdown text, safe at the
    start of a line too."""
    line = escape_inline(line.rstrip(" \t"))     # (trailing spaces would be a hard line break)
    lead = _LEAD.match(line)
    if lead:
        ws = lead.group(0)
        line = ws.replace(" ", "&#32;").replace("\t", "&#9;") + _line_start(line[len(ws):])
    else:
        line = _line_start(line)
    return line


def _line_start(rest: str) -> str:
    m = _LINE_START.match(rest)
    if m is None:
        return rest
    if m.group(0)[0].isdigit():             # "1." / "1)": an ordered list item
        end = m.end()
        return rest[:end] + "\\" + rest[end:]
    return "\\" + rest


def _h(text: str) -> str:
    """A heading or inline value on one line, escaped (control bytes out first: a removed byte
    must not bring a marker to the start of a line)."""
    return escape_inline(" ".join(plain_mentions(neutralise(text)).split()))


def _block(text: str, indent: str = "") -> list[str]:
    """Multi-line user text, each line escaped; a blank line is a paragraph break that stays
    inside the quote when ``indent`` is one. Lines end where CommonMark's do (LF, CR LF, CR)."""
    text = plain_mentions(neutralise(text)).replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    return [indent + escape_line(ln) if ln.strip(" \t") else indent.rstrip() for ln in text.split("\n")] if text else []


def _touch_line(t) -> str:
    ch = _h(vocab.CHANNEL_LABELS.get(t.channel, t.channel)) + (f" ({_h(t.platform)})" if t.platform else "")
    who = ", ".join(_h(r.name) for r in t.contacts)
    when = t.occurred_time.strftime("%H:%M ") if t.occurred_time else ""
    direction = vocab.DIRECTION_LABELS.get(t.direction, t.direction)
    summary = _h(t.summary) or ch
    return f"- {when}**{summary}** — {ch} with {who}, {_h(direction)}"


def check_range(since: date, until: date) -> None:
    """Refuse a range too long for one Markdown journal (before anything is read)."""
    from netjournal.errors import UserError

    if (until - since).days > MAX_RANGE_DAYS:
        raise UserError("that range is too long for one Markdown journal (at most 20 years)")


def contact_markdown(data, *, today: date) -> str:
    """``data``: a store.export.ContactExport (the contact, its timeline, its touches)."""
    c = data.contact
    lines = [f"# {_h(c.name)}", ""]
    facts = [
        ("Nickname", c.nickname), ("Company", c.company), ("Role", c.role), ("Location", c.location),
        ("Met", ", ".join(x for x in (c.met_how, c.met_on.isoformat() if c.met_on else "") if x)),
        ("Tier", c.tier), ("Stage", c.stage),
        ("Target", f"priority {c.target_priority}" if c.target_priority else ""),
        ("Rhythm", f"every {c.rhythm_days} days" if c.rhythm_days else ""),
        ("Kin", "yes" if c.kin else ""), ("Archived", "yes" if c.archived else ""),
        ("Tags", ", ".join(f"#{t}" for t in c.tags)),  # (escaped with the other values below)
        ("Last touch", f"{c.last_touch_on.isoformat()} ({c.touch_count} touches)" if c.last_touch_on else ""),
    ]
    for k, v in facts:
        if v:
            lines.append(f"- **{k}:** {_h(str(v))}")
    if c.handles:
        lines += ["", "## Handles", ""]
        for h in c.handles:
            lines.append(f"- {_h(h.kind)}{f' ({_h(h.label)})' if h.label else ''}: {_h(h.value)}")
    if c.dates:
        lines += ["", "## Dates", ""]
        for d in c.dates:
            lines.append(f"- {_h(d.kind)}{f' ({_h(d.label)})' if d.label else ''}: {_h(d.display())}")
    for title, text in (("About", c.about), ("Interests", c.interests), ("Ask about next time", c.ask_next),
                        ("Why (target)", c.target_why), ("Offer (target)", c.target_offer)):
        if text and text.strip():
            lines += ["", f"## {title}", ""] + _block(text)
    entries = data.timeline
    lines += ["", "## Timeline", ""]
    if not entries:
        lines.append("_Nothing logged yet._")
    touches = data.touches
    for e in entries:
        day = e.day.isoformat() if e.day else "—"
        if e.kind == "touch" and e.ref_id in touches:
            t = touches[e.ref_id]
            lines.append(f"### {day}")
            lines.append(_touch_line(t))
            if t.notes.strip():
                lines += _block(t.notes, "  > ")
            if t.value_given.strip():
                lines.append(f"  - value given: {_h(t.value_given)}")
        elif e.kind == "followup":
            lines.append(f"### {day}")
            box = "x" if e.status == "done" else ("-" if e.status == "cancelled" else " ")
            lines.append(f"- [{box}] follow-up: **{_h(e.title)}** ({e.status})")
            if e.detail.strip():
                lines += _block(e.detail, "  > ")
        else:
            lines.append(f"### {day}")
            lines.append("- journal:")
            lines += _block(e.detail, "  > ")
        lines.append("")
    lines.append(f"_Exported from netjournal on {today.isoformat()}._")
    return neutralise("\n".join(lines).rstrip("\n") + "\n")  # stored text: no control bytes out


def range_markdown(data, since: date, until: date) -> str:
    """``data``: a store.export.RangeExport (touches, journal days, follow-ups of the range);
    the range was checked (:func:`check_range`) before it was read."""
    touches = data.touches
    by_day: dict[date, list] = defaultdict(list)
    for t in sorted(touches, key=lambda t: (t.occurred_on, t.occurred_time or time.min, t.id)):
        by_day[t.occurred_on].append(t)
    journal = data.journal
    fus: dict[date, list] = defaultdict(list)
    for f in data.followups:
        # a done follow-up is filed on the day it was done (when in the range), else on its due day
        done = f.completed_at.astimezone().date() if f.completed_at else None
        day = done if done and since <= done <= until else f.due_on
        if day is not None:
            fus[day].append(f)
    lines = [f"# Journal {since.isoformat()} – {until.isoformat()}", ""]
    days = sorted(set(by_day) | set(journal) | set(fus))
    if not days:
        lines.append("_Nothing logged in this range._")
    for day in days:
        lines += [f"## {day.strftime('%A')} {day.isoformat()}", ""]
        if journal.get(day, "").strip():
            lines += _block(journal[day]) + [""]
        if by_day.get(day):
            lines += ["### Touches", ""]
            for t in by_day[day]:
                lines.append(_touch_line(t))
                if t.notes.strip():
                    lines += _block(t.notes, "  > ")
            lines.append("")
        if fus.get(day):
            lines += ["### Follow-ups", ""]
            for f in fus[day]:
                box = "x" if f.status == "done" else ("-" if f.status == "cancelled" else " ")
                who = ", ".join(_h(r.name) for r in f.contacts)
                place = f" at {_h(f.place)}" if f.place else ""
                lines.append(f"- [{box}] **{_h(f.title)}** with {who}{place} ({f.status})")
                for text in (f.agenda, f.meeting_notes, f.outcome):
                    if text.strip():
                        lines += _block(text, "  > ")
            lines.append("")
    return neutralise("\n".join(lines).rstrip("\n") + "\n")  # stored text: no control bytes out
