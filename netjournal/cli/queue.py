"""The reminder queue: due, snooze, dismiss."""
from __future__ import annotations

from netjournal.cli.common import Ctx, emit_json, int_arg, out


def cmd_due(ctx: Ctx, a) -> int:
    from netjournal.store import reminders

    cfg = ctx.engine_config()
    # --all shows everything (no budget, no caps); running `due` marks today as seen
    items = reminders.queue(ctx.db, ctx.now(), cfg, everything=a.all, mark="cli")
    held = items.held
    if a.limit:
        items = items[: a.limit]
    if a.json:
        emit_json(items)
        return 0
    if not items:
        out("nothing due today: your network is in good shape")
    from netjournal.cli.links import safe
    from netjournal.store.links import introduction_nudges  # issue 16
    nudges = introduction_nudges(ctx.db, [it.contact_id for it in items])
    for i, it in enumerate(items, 1):
        out(f"{i:3}. {it.contact_name} — {it.reason}")
        out(f"     → {it.action}  [{it.kind}, score {it.score:.2f}]" + (f"  ({it.suggestion})" if it.suggestion else ""))
        if it.contact_id in nudges:
            out(safe(f"     → while you're at it: {nudges[it.contact_id]}"))
        if a.why:
            for label, val in it.terms:
                out(f"       {val:+.2f}  {label}")
    from netjournal.engine.text import held_lines

    for line in held_lines(held):
        out(f"  … {line}")
    return 0


def cmd_snooze(ctx: Ctx, a) -> int:
    from netjournal.store import api
    from netjournal.when import parse_date_only

    ref = api.resolve_contact(ctx.db, a.contact)
    until = parse_date_only(a.until, ctx.today, future=True)
    api.snooze(ctx.db, ref.id, until=until, today=ctx.today, kind=a.kind)
    out(f"snoozed {ref.name} until {until.isoformat()}")
    return 0


def cmd_dismiss(ctx: Ctx, a) -> int:
    from netjournal.store import api

    ref = api.resolve_contact(ctx.db, a.contact)
    api.dismiss(ctx.db, ref.id, kind=a.kind, today=ctx.today)
    out(f"dismissed the {a.kind} reminder for {ref.name}")
    return 0


def register(sub) -> None:
    s = sub.add_parser("due", help="today's reminder queue, with reasons")
    s.add_argument("--all", action="store_true", help="ignore the daily budget")
    s.add_argument("--why", action="store_true", help="show each score's terms")
    s.add_argument("--limit", type=int_arg)
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_due)

    s = sub.add_parser("snooze", help="snooze a contact's reminders")
    s.add_argument("contact")
    s.add_argument("--until", default="in 7d")
    s.add_argument("--kind", help="only this kind of reminder")
    s.set_defaults(func=cmd_snooze)

    s = sub.add_parser("dismiss", help="dismiss a reminder")
    s.add_argument("contact")
    s.add_argument("--kind", required=True, help="followup, reply, date, rhythm, silence, one-sided, stage")
    s.set_defaults(func=cmd_dismiss)
