"""Logging touches: one at a time or a batch of JSON lines."""
from __future__ import annotations

import io
import json
import sys

from netjournal.cli.common import (
    PROG,
    Ctx,
    check_text,
    emit_json,
    out,
    path_arg,
    read_stdin_if_piped,
    resolve_many,
    split_name,
    text_arg,
)
from netjournal.errors import UserError


def cmd_log(ctx: Ctx, a) -> int:
    from netjournal.store import api
    from netjournal.when import parse_when

    if a.batch:
        return _log_batch(ctx, a)
    if not a.contact:
        raise UserError("log: which contact? (netjournal log NAME [summary…])")
    day, at = parse_when(a.when, ctx.today)
    direction = a.direction or "out"
    notes = text_arg(a.notes)
    contact, words = split_name(ctx, a.contact, a.summary)
    summary = " ".join(words)
    # Piped input is read as the notes only when no summary was given: in
    # `while read n; do netjournal log "$n" call; done < names.txt` the loop's input is not ours.
    if notes is None and not a.no_stdin and not summary:
        piped = read_stdin_if_piped()
        notes = piped if piped else None
    refs = resolve_many(ctx, [contact, *a.also])
    t = api.log_touch(ctx.db, contact_ids=[r.id for r in refs], channel=a.channel, day=day, at=at,
                      direction=direction, summary=summary, notes=notes or "", value_given=a.value or "",
                      platform=a.platform or "", today=ctx.today, allow_future=a.future)
    if a.json:
        emit_json(t)
    else:
        from netjournal import vocab

        who = ", ".join(r.name for r in t.contacts)
        out(f"logged {vocab.CHANNEL_LABELS[t.channel]} with {who} on {t.occurred_on.isoformat()} (touch #{t.id})")
    return 0


BATCH_KEYS = {"contact", "contacts", "channel", "when", "direction", "summary", "notes", "value", "platform"}


def _log_batch(ctx: Ctx, a) -> int:
    """One touch per input line (JSON object), each in its own transaction: what was
    acknowledged on stdout is stored, whatever happens to the rest."""
    from netjournal.store import api
    from netjournal.when import parse_when

    if a.batch == "-":
        buf = getattr(sys.stdin, "buffer", None)
        src = io.TextIOWrapper(buf, encoding="utf-8-sig", errors="surrogateescape") if buf is not None else sys.stdin
    else:
        src = open(a.batch, encoding="utf-8-sig", errors="surrogateescape")
    failed = 0
    try:
        for n, line in enumerate(src, 1):
            if not line.strip():
                continue
            try:
                check_text("the line", line)
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise UserError(f"not JSON ({exc.msg})") from None
                if not isinstance(rec, dict):
                    raise UserError("each line must be a JSON object")
                unknown = set(rec) - BATCH_KEYS
                if unknown:
                    raise UserError(f"unknown key {sorted(unknown)[0]!r} (known: {', '.join(sorted(BATCH_KEYS))})")
                names = rec.get("contacts") or [rec.get("contact") or ""]
                if isinstance(names, str):
                    names = [names]
                day, at = parse_when(str(rec.get("when") or "today"), ctx.today)
                refs = resolve_many(ctx, [str(x) for x in names])
                t = api.log_touch(ctx.db, contact_ids=[r.id for r in refs], channel=str(rec.get("channel") or "message"),
                                  day=day, at=at, direction=str(rec.get("direction") or "out"),
                                  summary=str(rec.get("summary") or ""), notes=str(rec.get("notes") or ""),
                                  value_given=str(rec.get("value") or ""), platform=str(rec.get("platform") or ""),
                                  today=ctx.today, allow_future=a.future)
                out(json.dumps({"line": n, "ok": True, "id": t.id}))
            except UserError as exc:
                failed += 1
                out(json.dumps({"line": n, "ok": False, "error": str(exc)}, ensure_ascii=False))
            sys.stdout.flush()
    finally:
        if a.batch != "-":
            src.close()
    if failed:
        sys.stderr.write(f"{PROG}: {failed} line(s) not logged (see the output)\n")
        return 2
    return 0


def register(sub) -> None:
    s = sub.add_parser("log", help="log a touch: netjournal log alice -c coffee -w yesterday 'talked about the move'")
    s.add_argument("contact", nargs="?", help="name (fuzzy) or #ID; several separated by commas for a group touch")
    s.add_argument("summary", nargs="*")
    s.add_argument("-c", "--channel", default="message", help="in_person, call, video, email, message, social, letter, gift, event, other (or one key: p c v e m s l g t o)")
    d = s.add_mutually_exclusive_group()
    d.add_argument("--out", dest="direction", action="store_const", const="out", help="I reached out (default)")
    d.add_argument("--in", dest="direction", action="store_const", const="in", help="they reached out")
    d.add_argument("--mutual", dest="direction", action="store_const", const="mutual")
    s.add_argument("-w", "--when", default="today", help="today, yesterday, '3d ago', 'last friday', 2026-11-20, 'yesterday 23:30'")
    s.add_argument("-n", "--notes", help="notes (- reads standard input; piped input is read too when no summary is given)")
    s.add_argument("--value", help="value you gave: an intro, an article, help")
    s.add_argument("--platform", help="for social media: linkedin, mastodon, …")
    s.add_argument("--also", action="append", default=[], metavar="NAME", help="another contact in the touch (repeatable)")
    s.add_argument("--no-stdin", action="store_true", help="don't read notes from piped input")
    s.add_argument("--future", action="store_true", help="allow a touch dated after tomorrow (else refused as a likely typo)")
    s.add_argument("--batch", metavar="FILE", type=path_arg, help="log one touch per line of FILE (- for standard input): JSON objects "
                   "with contact/contacts, channel, when, direction, summary, notes, value, platform")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_log)
