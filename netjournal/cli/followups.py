"""Follow-ups: plan, list, complete, cancel."""
from __future__ import annotations

from netjournal.cli.common import Ctx, Parser, emit_json, int_arg, out, resolve_many, split_name, text_arg
from netjournal.days import day_text
from netjournal.errors import UserError


def cmd_followup_add(ctx: Ctx, a) -> int:
    from netjournal.store import api
    from netjournal.when import parse_when

    due_on, due_time = (parse_when(a.due, ctx.today, future=True) if a.due else (None, None))
    contact, words = split_name(ctx, a.contact, a.title)
    if not words:
        raise UserError("followup add: what is the follow-up? (netjournal followup add NAME TITLE…)")
    refs = resolve_many(ctx, [contact, *a.also])
    f = api.add_followup(ctx.db, contact_ids=[r.id for r in refs], title=" ".join(words), kind=a.kind or "other",
                         due_on=due_on, due_time=due_time, place=a.place or "", agenda=text_arg(a.agenda) or "",
                         from_touch_id=a.from_touch)
    if a.json:
        emit_json(f)
    else:
        out(f"follow-up #{f.id}: {f.title}" + (f" — due {f.due_on.isoformat()}" if f.due_on else ""))
    return 0


def cmd_followup_list(ctx: Ctx, a) -> int:
    from netjournal import vocab
    from netjournal.store import api

    contact_id = api.resolve_contact(ctx.db, a.contact, include_archived=True).id if a.contact else None
    status = None if a.all else (a.status or "open")
    rows = api.list_followups(ctx.db, status=status, contact_id=contact_id)
    if a.json:
        emit_json(rows)
        return 0
    today = ctx.today
    for f in rows:
        who = ", ".join(r.name for r in f.contacts)
        mark = vocab.FOLLOWUP_MARKS.get(f.status, " ")
        late = " (overdue)" if f.status == "open" and f.due_on and f.due_on < today else ""
        out(f"{mark} #{f.id:<5} {day_text(f.due_on, today):12} {f.kind:9} {f.title} — {who}{late}")
    if not rows:
        out("no follow-ups" + ("" if a.all else " open"))
    return 0


def cmd_followup_done(ctx: Ctx, a) -> int:
    from netjournal.store import api
    from netjournal.when import parse_when

    day, _ = parse_when(a.when, ctx.today)
    steps = []
    for s in a.next:
        if not isinstance(s, str):  # `--next=--`: argparse drops the "--" and leaves an empty list
            raise UserError("--next needs a title (TITLE or TITLE@WHEN)")
        title, sep, due = s.rpartition("@")
        if not sep:
            title, due = s, ""
        steps.append((title.strip(), parse_when(due, ctx.today, future=True)[0] if due.strip() else None))
    f = api.complete_followup(ctx.db, a.id, day=day, meeting_notes=text_arg(a.notes), outcome=text_arg(a.outcome),
                              next_steps=steps, log=False if a.no_log else None, channel=a.channel)
    if a.json:
        emit_json(f)
    else:
        extra = f"; logged touch #{f.done_touch_id}" if f.done_touch_id else ""
        out(f"done: #{f.id} {f.title}{extra}" + (f"; {len(steps)} next step(s) added" if steps else ""))
    return 0


def cmd_followup_cancel(ctx: Ctx, a) -> int:
    from netjournal.store import api

    f = api.cancel_followup(ctx.db, a.id)
    emit_json(f) if a.json else out(f"cancelled: #{f.id} {f.title}")
    return 0


def register(sub) -> None:
    s = sub.add_parser("followup", aliases=["fu"], help="plan, list and complete follow-ups")
    fsub = s.add_subparsers(dest="fcmd", metavar="ACTION", parser_class=Parser)
    f = fsub.add_parser("add", help="plan a follow-up")
    f.add_argument("contact")
    f.add_argument("title", nargs="*")
    f.add_argument("--kind", help="meet, call, send, reply, introduce, other")
    f.add_argument("--due", help="when: friday, 'in 2w', 2026-12-01 14:00")
    f.add_argument("--place")
    f.add_argument("--agenda", help="(- reads standard input)")
    f.add_argument("--also", action="append", default=[], metavar="NAME")
    f.add_argument("--from-touch", type=int_arg, metavar="ID")
    f.add_argument("--json", action="store_true")
    f.set_defaults(func=cmd_followup_add)
    f = fsub.add_parser("list", help="open follow-ups")
    f.add_argument("--contact")
    f.add_argument("--status", choices=("open", "done", "cancelled"))
    f.add_argument("--all", action="store_true")
    f.add_argument("--json", action="store_true")
    f.set_defaults(func=cmd_followup_list)
    f = fsub.add_parser("done", help="complete a follow-up (a meeting or call logs its touch)")
    f.add_argument("id", type=int_arg)
    f.add_argument("--notes", help="meeting notes (- reads standard input)")
    f.add_argument("--outcome")
    f.add_argument("--next", action="append", default=[], metavar="TITLE[@WHEN]", help="a next step, becomes a follow-up (repeatable)")
    f.add_argument("--when", default="today")
    f.add_argument("--channel", help="log the touch on this channel")
    f.add_argument("--no-log", action="store_true", help="don't log a touch")
    f.add_argument("--json", action="store_true")
    f.set_defaults(func=cmd_followup_done)
    f = fsub.add_parser("cancel", help="cancel a follow-up")
    f.add_argument("id", type=int_arg)
    f.add_argument("--json", action="store_true")
    f.set_defaults(func=cmd_followup_cancel)
