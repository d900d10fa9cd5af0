"""Contacts: add, edit, list, show."""
from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from typing import Any

from netjournal.cli.common import Ctx, emit_json, int_arg, out, text_arg
from netjournal.days import day_text
from netjournal.errors import UserError


def _contact_options(p: argparse.ArgumentParser, *, edit: bool) -> None:
    p.add_argument("--nickname")
    p.add_argument("--company")
    p.add_argument("--role")
    p.add_argument("--location")
    p.add_argument("--met-how", help="how you met")
    p.add_argument("--met-on", help="when you met (a date)")
    p.add_argument("--tier", help="inner, close, friend, network or acquaintance")
    p.add_argument("--stage", help="attention, attraction, affinity, audience or advocate")
    p.add_argument("--target", metavar="N", help="target priority (1 = top; 0 = not a target)")
    p.add_argument("--why", help="why this target matters to you")
    p.add_argument("--offer", help="what you can offer them")
    p.add_argument("--rhythm", metavar="DAYS", help="keep in touch every DAYS days (0 = learn it)")
    p.add_argument("--about", help="notes: who they are, what they care about")
    p.add_argument("--interests")
    p.add_argument("--ask", help="ask about next time")
    kin = p.add_mutually_exclusive_group()
    kin.add_argument("--kin", action="store_true", default=None, help="family")
    kin.add_argument("--not-kin", dest="kin", action="store_false")
    p.add_argument("--email", action="append", default=[], help="(repeatable)")
    p.add_argument("--phone", action="append", default=[], help="(repeatable)")
    p.add_argument("--handle", action="append", default=[], metavar="[KIND:]VALUE",
                   help="a profile or other handle, e.g. linkedin:https://linkedin.com/in/x (repeatable)")
    p.add_argument("--tag", action="append", default=[], help="(repeatable)")
    p.add_argument("--birthday", help="1984-04-15, --04-15 or '15 apr'")
    p.add_argument("--anniversary")
    if edit:
        p.add_argument("--name")
        p.add_argument("--untag", action="append", default=[])
        arch = p.add_mutually_exclusive_group()
        arch.add_argument("--archive", dest="archived", action="store_true", default=None)
        arch.add_argument("--unarchive", dest="archived", action="store_false")
    p.add_argument("--json", action="store_true")


def _contact_fields(ctx: Ctx, a) -> dict:
    from netjournal.when import parse_date_only

    fields: dict[str, Any] = {}
    for attr, key in (("nickname", "nickname"), ("company", "company"), ("role", "role"),
                      ("location", "location"), ("met_how", "met_how"), ("tier", "tier"), ("stage", "stage"),
                      ("target", "target_priority"), ("why", "target_why"), ("offer", "target_offer"),
                      ("rhythm", "rhythm_days"), ("about", "about"), ("interests", "interests"),
                      ("ask", "ask_next"), ("kin", "kin")):
        val = getattr(a, attr, None)
        if val is not None:
            fields[key] = text_arg(val) if isinstance(val, str) else val
    if getattr(a, "met_on", None):
        fields["met_on"] = parse_date_only(a.met_on, ctx.today)
    if getattr(a, "archived", None) is not None:
        fields["archived"] = a.archived
    return fields


_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")


def _visible(text: str) -> bool:
    """Has at least one character a reader can see (not only spaces, zero-width or control)."""
    return any(not ch.isspace() and unicodedata.category(ch) not in ("Cf", "Cc", "Zs", "Zl", "Zp", "Mn", "Me")
               for ch in text)


def _check_name(name: str) -> None:
    if name and not _visible(name):
        raise UserError("a name needs at least one visible character (this one is only spaces or invisible "
                        "characters)")


def _check_emails(emails: list[str], existing: list[str] = ()) -> None:
    had = {e.strip().lower() for e in existing}
    seen: set[str] = set()
    for e in emails:
        v = e.strip()
        if not _EMAIL.fullmatch(v):
            raise UserError(f"not an email address: {v!r} (expected name@example.org)")
        if v.lower() in had:
            raise UserError(f"the contact already has the email {v}")
        if v.lower() in seen:
            raise UserError(f"the email {v} is given twice")
        seen.add(v.lower())


def _handles(a) -> list[tuple[str | None, str]]:
    from netjournal import vocab

    hs: list[tuple[str | None, str]] = [("email", e) for e in a.email] + [("phone", p) for p in a.phone]
    for h in a.handle:
        kind, sep, value = h.partition(":")
        if sep and kind.lower() in vocab.HANDLE_KINDS and not value.startswith("//"):
            hs.append((kind.lower(), value))
        else:
            hs.append((None, h))
    return hs


def _dates(a) -> list[tuple[str, int, int, int | None]]:
    from netjournal.when import parse_month_day

    ds = []
    if a.birthday:
        ds.append(("birthday", *parse_month_day(a.birthday)))
    if a.anniversary:
        ds.append(("anniversary", *parse_month_day(a.anniversary)))
    return ds


def cmd_add(ctx: Ctx, a) -> int:
    from netjournal.store import api

    name = " ".join(a.name).strip()
    _check_name(name)
    _check_emails(a.email)
    fields = _contact_fields(ctx, a)
    same = [m for m in api.fuzzy_contacts(ctx.db, name, limit=3, include_archived=True)
            if m.name.lower() == name.lower()]
    c = api.add_contact(ctx.db, name=name, handles=_handles(a), tags=a.tag, dates=_dates(a), **fields)
    if a.json:
        emit_json(c)
    else:
        out(f"added {c.name} (#{c.id})")
        for m in same:
            sys.stderr.write(f"note: you already had a contact named {m.name} (#{m.id}); use #{c.id} or #{m.id} to tell them apart\n")
    return 0


def cmd_edit(ctx: Ctx, a) -> int:
    from netjournal.store import api

    ref = api.resolve_contact(ctx.db, a.contact, include_archived=True)
    fields = _contact_fields(ctx, a)
    if a.name is not None:
        _check_name(a.name)
        fields["name"] = a.name
    new_handles, new_dates = _handles(a), _dates(a)
    if not (fields or new_handles or new_dates or a.tag or a.untag):
        raise UserError("nothing to change: give at least one option (see `netjournal edit --help`)")
    c = api.get_contact(ctx.db, ref.id)
    _check_emails(a.email, [h.value for h in c.handles if h.kind == "email"])
    handles = tags = None
    if new_handles:
        handles = [(h.kind, h.value) for h in c.handles] + new_handles
    if a.tag or a.untag:
        untag = {t.lower().lstrip("#") for t in a.untag}
        tags = [t for t in (*c.tags, *a.tag) if t.lower().lstrip("#") not in untag]
    dates = {kind: (m, d, y) for kind, m, d, y in new_dates}
    # One transaction: everything is checked first, and a bad value changes nothing.
    c = api.save_contact(ctx.db, ref.id, fields=fields, tags=tags, handles=handles, dates=dates or None)
    if a.json:
        emit_json(c)
    else:
        out(f"updated {c.name} (#{c.id})")
    return 0


def cmd_list(ctx: Ctx, a) -> int:
    from netjournal.store import api

    from netjournal.filters import ContactFilter, contact_index

    rows = api.list_contacts(ctx.db, include_archived=a.archived)
    flt = ContactFilter.parse(" ".join(a.filter)).otherwise(tier=a.tier, stage=a.stage, tag=a.tag)
    rows = flt.apply(contact_index(rows))
    if a.json:
        emit_json(rows)
        return 0
    today = ctx.today
    for r in rows:
        tags = " ".join("#" + t for t in r.tags)
        out(f"#{r.id:<6} {r.name[:40]:40} {r.tier:12} {r.stage:10} {day_text(r.last_touch_on, today):12} {tags}")
    return 0


def cmd_show(ctx: Ctx, a) -> int:
    from netjournal.store import api

    ref = api.resolve_contact(ctx.db, a.contact, include_archived=True)
    c = api.get_contact(ctx.db, ref.id, cfg=ctx.engine_config())
    tl = api.timeline(ctx.db, ref.id, limit=a.limit)
    fus = api.list_followups(ctx.db, contact_id=ref.id, status="open")
    from netjournal.store.links import list_links  # people they know (issue 16)
    people = list_links(ctx.db, ref.id)
    if a.json:
        emit_json({"contact": c, "followups": fus, "timeline": tl, "links": people})
        return 0
    today = ctx.today
    out(f"{c.name}" + (f" ({c.nickname})" if c.nickname else "") + f"  #{c.id}" + ("  [archived]" if c.archived else ""))
    work = ", ".join(x for x in (c.role, c.company) if x)
    if work:
        out(f"  {work}")
    if c.location:
        out(f"  {c.location}")
    rhythm = f"every {c.rhythm:.0f} days ({c.rhythm_source})" if c.rhythm else "—"
    out(f"  tier {c.tier} · stage {c.stage} · rhythm {rhythm}" + (" · kin" if c.kin else ""))
    out(f"  last touch {day_text(c.last_touch_on, today)} · {c.touch_count} touches")
    for h in c.handles:
        out(f"  {h.kind}: {h.value}" + (f" ({h.label})" if h.label else ""))
    for d in c.dates:
        out(f"  {d.kind}: {d.display()}" + (f" ({d.label})" if d.label else ""))
    if c.tags:
        out("  tags: " + " ".join("#" + t for t in c.tags))
    if c.target_priority:
        out(f"  target #{c.target_priority}: why: {c.target_why or '—'} · offer: {c.target_offer or '—'}")
    for label, text in (("met", " ".join(x for x in (c.met_how, c.met_on.isoformat() if c.met_on else "") if x)),
                        ("about", c.about), ("interests", c.interests), ("ask next", c.ask_next)):
        if text:
            out(f"  {label}: {text}")
    if people:
        from netjournal.cli.links import safe
        out("")
        out("People:")
        for p in people:
            out(f"  {safe(p.describe())}")
    if fus:
        out("")
        out("Open follow-ups:")
        for f in fus:
            out(f"  #{f.id} {f.title} — due {day_text(f.due_on, today)}" + (f" at {f.place}" if f.place else ""))
    if tl:
        out("")
        out("Timeline:")
        from netjournal import vocab

        for e in tl:
            when = e.day.isoformat() if e.day else "—"
            if e.kind == "touch":
                arrow = {"out": "→", "in": "←", "mutual": "↔"}.get(e.direction, " ")
                out(f"  {when} {arrow} {vocab.CHANNEL_LABELS.get(e.channel, e.channel):13} {e.title}")
            elif e.kind == "followup":
                out(f"  {when} {vocab.FOLLOWUP_MARKS.get(e.status, ' ')} follow-up [{e.status}] {e.title}")
            else:
                out(f"  {when} ✎ journal: {e.title}")
    return 0


def register(sub) -> None:
    s = sub.add_parser("add", help="add a contact")
    s.add_argument("name", nargs="+")
    _contact_options(s, edit=False)
    s.set_defaults(func=cmd_add)

    s = sub.add_parser("edit", help="change a contact")
    s.add_argument("contact", help="name (fuzzy) or #ID")
    _contact_options(s, edit=True)
    s.set_defaults(func=cmd_edit)

    s = sub.add_parser("list", aliases=["contacts"], help="list contacts")
    s.add_argument("filter", nargs="*", metavar="FILTER",
                   help="the Contacts screen's filter: words match name/nickname/company (fuzzy); "
                        "tier:X, stage:X (a prefix is enough) and #tag narrow it")
    s.add_argument("--tag")
    s.add_argument("--tier", help="one tier (a prefix is enough)")
    s.add_argument("--stage", help="one stage (a prefix is enough)")
    s.add_argument("--archived", action="store_true", help="include archived contacts")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_list)

    s = sub.add_parser("show", help="a contact with their timeline")
    s.add_argument("contact")
    s.add_argument("--limit", type=int_arg, default=30)
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_show)
