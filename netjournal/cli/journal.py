"""The day's journal: append or print."""
from __future__ import annotations

import sys

from netjournal.cli.common import Ctx, emit_json, out


def cmd_journal(ctx: Ctx, a) -> int:
    from netjournal.store import api
    from netjournal.when import parse_date_only

    day = parse_date_only(a.day, ctx.today) if a.day else ctx.today
    text = " ".join(a.text)
    if text == "-":
        from netjournal.cli.common import read_stdin

        text = read_stdin()
    if text:
        entry, unresolved = api.append_journal(ctx.db, day, text)
        if a.json:
            emit_json({"entry": entry, "unresolved_mentions": unresolved})
        else:
            linked = ", ".join(r.name for r in entry.mentions)
            out(f"journal {day.isoformat()} saved" + (f"; mentions {linked}" if linked else ""))
            for u in unresolved:
                sys.stderr.write(f"note: @{u} matches no single contact; left as text\n")
        return 0
    entry = api.get_journal(ctx.db, day)
    if a.json:
        emit_json(entry)
    elif entry.exists:
        out(f"# {day.isoformat()}")
        out(entry.body)
    else:
        out(f"no journal entry for {day.isoformat()}")
    return 0


def register(sub) -> None:
    s = sub.add_parser("journal", help="append to a day's journal (no text: print it)")
    s.add_argument("text", nargs="*", help="text with @mentions (- reads standard input)")
    s.add_argument("--day", help="which day (default today)")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_journal)
