"""Full-text search over everything."""
from __future__ import annotations

import sys

from netjournal.cli.common import Ctx, emit_json, int_arg, out
from netjournal.errors import UserError


def cmd_search(ctx: Ctx, a) -> int:
    from netjournal.store import search

    q = " ".join(a.query)
    if not q.strip():
        raise UserError("search for what? give some words")
    hits = search.search(ctx.db, q, limit=a.limit, kinds=tuple(a.kind) if a.kind else None)
    if a.json:
        emit_json(hits)
        return 0
    bold = ("\x1b[1m", "\x1b[0m") if sys.stdout.isatty() else ("", "")
    for h in hits:
        day = h.day.isoformat() if h.day else ""
        snip = search.plain_snippet(h.snippet, "\x02", "\x03")  # kept for out(): bold after neutralising
        out(f"{h.kind:8} #{h.ref_id:<6} {day:10} {h.title.replace(chr(2), '').replace(chr(3), '')}"
            + (f" — {snip}" if snip else ""), marks=bold)
    if not hits:
        out(f"nothing found for {q!r}")
    return 0


def register(sub) -> None:
    s = sub.add_parser("search", help="full-text search over everything")
    s.add_argument("query", nargs="+")
    s.add_argument("--kind", action="append", choices=("contact", "touch", "followup", "journal"))
    s.add_argument("--limit", type=int_arg, default=30)
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_search)
