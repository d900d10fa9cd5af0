"""People know each other: link, unlink, introduce, graph, links suggest/list."""
from __future__ import annotations

import sys

from netjournal.cli.common import Ctx, emit_json, int_arg, out
from netjournal.days import day_text as fmt_day
from netjournal.errors import UserError

_KIND_HELP = ("partner, spouse, parent, child, sibling, colleague, friend, knows, introduced-by, "
              "introduced, reports-to, manages, custom (with --label)")


def safe(text: str) -> str:
    """Stored text for a terminal: control bytes (escapes, newlines) become spaces."""
    return "".join(ch if ch.isprintable() else " " for ch in text)


def _word(kind: str) -> str:
    return {"introduced_by": "introduced-by", "reports_to": "reports-to"}.get(kind, kind)


def cmd_link(ctx: Ctx, a) -> int:
    from netjournal.store import api, links
    from netjournal.when import parse_date_only

    links.parse_kind(a.kind)  # an unknown type is reported before any name is looked up
    since = parse_date_only(a.since, ctx.today) if a.since else None
    x = api.resolve_contact(ctx.db, a.a, include_archived=True)
    y = api.resolve_contact(ctx.db, a.b, include_archived=True)
    row = links.add_link(ctx.db, x.id, y.id, a.kind, company=a.company or "", label=a.label or "",
                         since=since, touch_id=a.touch)
    if a.json:
        emit_json(row)
    else:
        out(f"linked: {safe(x.name)} — {safe(row.describe())} (link #{row.id})")
    return 0


def cmd_unlink(ctx: Ctx, a) -> int:
    from netjournal.store import api, links

    kind = links.parse_kind(a.kind)[0] if a.kind else None
    x = api.resolve_contact(ctx.db, a.a, include_archived=True)
    y = api.resolve_contact(ctx.db, a.b, include_archived=True)
    rows = [r for r in links.links_between(ctx.db, x.id, y.id) if kind is None or r.kind == kind]
    if not rows:
        raise UserError(f"{x.name} and {y.name} are not linked" + (f" as {a.kind}" if a.kind else ""))
    if len(rows) > 1:
        raise UserError(f"{x.name} and {y.name} have {len(rows)} links: say which with --as "
                        f"({', '.join(_word(r.kind) for r in rows)})")
    gone = links.remove_link(ctx.db, rows[0].id)
    if a.json:
        emit_json(gone)
        return 0
    extra = (f" --company {gone.company!r}" if gone.company else "") + (f" --label {gone.label!r}" if gone.label else "") \
        + (f" --since {gone.since.isoformat()}" if gone.since else "")
    word = {"child of": "child", "manages": "manages", "introduced you to": "introduced"}.get(rows[0].words, _word(rows[0].kind))
    out(f"unlinked: {safe(x.name)} — {safe(rows[0].describe())}")
    out(safe(f"undo: netjournal link '#{x.id}' '#{y.id}' --as {word}{extra}"))
    return 0


def cmd_introduce(ctx: Ctx, a) -> int:
    from netjournal.store import api, links
    from netjournal.when import parse_when

    target = api.resolve_contact(ctx.db, a.contact, include_archived=True)
    rows = links.introducers(ctx.db, target.id, today=ctx.today, limit=a.limit)
    planned = None
    if a.plan:
        if not rows:
            raise UserError(f"nobody in your journal is linked to {target.name} or their company yet")
        due = parse_when(a.due, ctx.today, future=True)[0] if a.due else None
        planned = links.plan_introduction(ctx.db, rows[0].contact.id, target.id, due_on=due)
    if a.json:
        emit_json({"target": target, "introducers": rows, "followup": planned})
        return 0
    if not rows:
        out(f"nobody in your journal is linked to {safe(target.name)} or their company yet "
            f"(add one: netjournal link NAME '#{target.id}' --as colleague)")
        return 0
    out(f"Who can introduce you to {safe(target.name)}:")
    for i, r in enumerate(rows, 1):
        out(f"{i:>2}. {safe(r.contact.name)} (#{r.contact.id}) — score {r.score:.0f} — {safe(r.via)}")
        out(f"    {safe('; '.join(r.reasons))}")
    if planned:
        out(f"follow-up #{planned.id}: {safe(planned.title)}"
            + (f" — due {fmt_day(planned.due_on, ctx.today)}" if planned.due_on else ""))
    return 0


def cmd_graph(ctx: Ctx, a) -> int:
    import json

    from netjournal.store import api, links

    cid = api.resolve_contact(ctx.db, a.contact, include_archived=True).id if a.contact else None
    g = links.graph(ctx.db, cid)
    if a.format == "json" or a.json:
        sys.stdout.write(json.dumps(g, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(links.to_dot(g))
    return 0


def cmd_links(ctx: Ctx, a) -> int:
    from netjournal.store import api, links

    if a.action == "list":
        if not a.contact:
            raise UserError("links list: whose links? give a name")
        ref = api.resolve_contact(ctx.db, " ".join(a.contact), include_archived=True)
        rows = links.list_links(ctx.db, ref.id)
        if a.json:
            emit_json(rows)
        else:
            for r in rows:
                out(f"#{r.id:<5} {safe(r.describe())}")
            if not rows:
                out(f"{safe(ref.name)} has no links yet")
        return 0
    if a.contact:
        raise UserError("links suggest takes no name")
    if a.accept is not None:
        row = links.accept_suggestion(ctx.db, a.accept, kind=a.kind or "knows", min_together=a.min)
        if a.json:
            emit_json(row)
        else:
            out(f"linked: {safe(row.describe())} (link #{row.id})")
        return 0
    rows = links.suggestions(ctx.db, min_together=a.min)
    if a.json:
        emit_json(rows)
        return 0
    for s in rows:
        out(f"{s.n:>3}. {safe(s.a.name)} and {safe(s.b.name)} seem to know each other "
            f"(together in {s.together} group touches or follow-ups)")
    if rows:
        out("accept one: netjournal links suggest --accept N [--as friend]")
    else:
        out("no suggestions: nobody appears together often enough yet")
    return 0


def register(sub) -> None:
    s = sub.add_parser("link", help="record that two contacts know each other")
    s.add_argument("a", metavar="A", help="name (fuzzy) or #ID")
    s.add_argument("b", metavar="B", help="name (fuzzy) or #ID")
    s.add_argument("--as", dest="kind", required=True, metavar="TYPE", help=f"A is … of B: {_KIND_HELP}")
    s.add_argument("--company", help="where colleagues work(ed) together")
    s.add_argument("--since", metavar="DATE")
    s.add_argument("--touch", type=int_arg, metavar="ID", help="the touch where it happened (introductions)")
    s.add_argument("--label", help="a custom link's words ('godparent of')")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_link)

    s = sub.add_parser("unlink", help="remove a link between two contacts")
    s.add_argument("a", metavar="A")
    s.add_argument("b", metavar="B")
    s.add_argument("--as", dest="kind", metavar="TYPE", help="which link, when they have several")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_unlink)

    s = sub.add_parser("introduce", help="who can introduce you to someone")
    s.add_argument("contact", help="the person you want to meet")
    s.add_argument("--limit", type=int_arg, default=10)
    s.add_argument("--plan", action="store_true", help="plan an introduce follow-up with the best introducer")
    s.add_argument("--due", metavar="WHEN", help="when the planned follow-up is due")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_introduce)

    s = sub.add_parser("graph", help="the network as Graphviz DOT or JSON")
    s.add_argument("--contact", help="only this person's neighbourhood")
    s.add_argument("--format", choices=("dot", "json"), default="dot")
    s.add_argument("--json", action="store_true", help="same as --format json")
    s.set_defaults(func=cmd_graph)

    s = sub.add_parser("links", help="a contact's links; suggested links")
    s.add_argument("action", choices=("list", "suggest"))
    s.add_argument("contact", nargs="*", help="(list) whose links")
    s.add_argument("--accept", type=int_arg, metavar="N", help="(suggest) make suggestion N a link")
    s.add_argument("--as", dest="kind", metavar="TYPE", help="(suggest --accept) the link's type (default: knows)")
    s.add_argument("--min", type=int_arg, default=3, help="(suggest) times seen together (default 3)")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_links)
