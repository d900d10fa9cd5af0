"""Files in and out: import, export, backup, restore."""
from __future__ import annotations

import sys
from pathlib import Path

from netjournal.cli.common import PROG, Ctx, emit_json, int_arg, out, path_arg, to_jsonable
from netjournal.errors import UserError


_CONTROL = {c: "\ufffd" for c in [*range(0, 32), 127, *range(0x80, 0xa0)] if c not in (9,)}


def _safe(text: str) -> str:
    """Names, subjects and file names come from the imported files: no control bytes reach the terminal."""
    return str(text).translate(_CONTROL)


def cmd_import(ctx: Ctx, a) -> int:
    from netjournal.formats.importing import import_path

    path = Path(a.path).expanduser()
    if not path.exists():
        raise UserError(f"no such file or folder: {a.path}")

    progress = None
    if sys.stderr.isatty() and not a.json:
        def progress(done: int, total: int) -> None:
            sys.stderr.write(f"\rimporting… {done}/{total}")
            if done >= total:
                sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()

    from netjournal import config as _config
    from netjournal.store import api
    from netjournal.when import parse_date_only

    since = parse_date_only(a.since, ctx.today) if a.since else None
    names: dict[str, int] = {}
    for item in a.map:
        name, sep, who = item.rpartition("=")   # the last "=": a name may hold one
        if not sep or not name.strip() or not who.strip():
            raise UserError(f"--map {item!r}: use NAME=#ID, NAME=contact name, NAME=new, NAME=skip or NAME=me")
        word = who.strip().lower()
        names[name.strip()] = word if word in ("new", "skip", "me") else \
            api.resolve_contact(ctx.db, who.strip(), include_archived=True).id
    me = _config.load().me
    me_emails = list(me.emails) + [x for x in a.me if "@" in x]
    me_names = list(me.names) + [x for x in a.me if "@" not in x]
    rep = import_path(ctx.db, path, fmt=a.format, dry_run=a.dry_run, strict=a.strict, today=ctx.today,
                      progress=progress, me_emails=me_emails, me_names=me_names,
                      max_recipients=a.max_recipients, add_people=a.add_people, since=since, names=names,
                      future=a.future)
    if a.json:
        emit_json({**to_jsonable(rep), "bad_records": len(rep.bad_records)})
    else:
        out(_safe(f"{rep.format}{f' (owner: {rep.owner})' if rep.owner else ''}: {rep.summary()}"))
        for note in rep.notes:
            out(_safe(f"  note: {note}"))
        if rep.skipped_why:
            out("  not imported: " + "; ".join(f"{n} {why}" for why, n in sorted(rep.skipped_why.items())))
        if rep.unknown:
            out("  names that match no contact (say who they are once: --map 'NAME=#ID', =new, =skip or =me):")
            for u in rep.unknown[:30]:
                out(_safe(f"    {u['name']}: {u['messages']} message(s) on {u['days']} day(s)"
                          if u["messages"] else f"    {u['name']}: {u['days']} conversation(s)"))
            if len(rep.unknown) > 30:
                out(f"    … and {len(rep.unknown) - 30} more")
        if rep.dry_run:
            if rep.per_contact:
                out("  per contact:")
                for name, (nt, nf) in sorted(rep.per_contact.items(), key=lambda kv: (-kv[1][0], kv[0])):
                    out(_safe(f"    {name}: {nt} touch(es)" + (f", {nf} follow-up(s)" if nf else "")))
            for line in rep.details:
                out(_safe(f"  {line}"))
        for c in rep.conflicts:
            out(_safe(f"  conflict: {c}"))
        for p in rep.problems:
            where = f"{p.source}:{p.line}" if p.line else p.source
            sys.stderr.write(_safe(f"{'skipped' if p.fatal else 'note'} {where}: {p.reason}") + "\n")
    if a.strict and rep.bad_records:
        sys.stderr.write(f"{PROG}: {len(rep.bad_records)} bad record(s) in {a.path}: nothing imported (--strict)\n")
        return 2
    return 0


def cmd_export(ctx: Ctx, a) -> int:
    from netjournal.formats.exporting import export
    from netjournal.store import api
    from netjournal.when import parse_date_only

    contact_id = api.resolve_contact(ctx.db, a.contact, include_archived=True).id if a.contact else None
    since = parse_date_only(a.since, ctx.today) if a.since else None
    until = parse_date_only(a.until, ctx.today) if a.until else None
    dest = Path(a.output).expanduser() if a.output and a.output != "-" else None
    text = export(ctx.db, a.format, dest, contact_id=contact_id, since=since, until=until, today=ctx.today,
                  stdout=sys.stdout if a.format == "json" else None)  # JSON: streamed, escaped
    if dest is None and text is not None:
        if sys.stdout.isatty():  # stored text to a terminal: control bytes out (piped output stays exact)
            from netjournal.textsafe import neutralise

            text = neutralise(text.replace("\r\n", "\n"))
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    elif dest is not None:
        sys.stderr.write(f"wrote {dest}\n")
    return 0


def cmd_backup(ctx: Ctx, a) -> int:
    from netjournal.formats.backup import backup

    dest = backup(ctx.db, Path(a.dir).expanduser() if a.dir else None, keep=a.keep)
    emit_json({"backup": str(dest)}) if a.json else out(f"backup written to {dest}")
    return 0


def cmd_restore(ctx: Ctx, a) -> int:
    from netjournal.formats.backup import RestoreRejected, plural, restore

    path = Path(a.path).expanduser()
    if not path.exists():
        raise UserError(f"no such file: {a.path}")
    try:
        counts = restore(ctx.db, path, force=a.force)
    except RestoreRejected as exc:  # every bad row named, one line each, then the verdict
        from netjournal.textsafe import neutralise

        for line in exc.problems:
            sys.stderr.write(f"{PROG}: {path.name}: {neutralise(line, keep='')}\n")
        sys.stderr.write(f"{PROG}: {neutralise(str(exc), keep='')}\n")
        return 2
    if a.json:
        emit_json(counts)
    else:
        out("restored: " + ", ".join(plural(v, _NOUNS.get(k, k.replace("_", " "))) for k, v in counts.items()))
    return 0


_NOUNS = {"contact": "contact", "handle": "handle", "contact_tag": "tag", "important_date": "date",
          "touch": "touch", "touch_contact": "touch link", "followup": "follow-up",
          "followup_contact": "follow-up link", "journal_entry": "journal entry", "journal_mention": "mention",
          "snooze": "snooze", "dismissal": "dismissal"}


def register(sub) -> None:
    from netjournal.formats import registry

    s = sub.add_parser("import", help="import contacts (vCard, CSV) and touches (mail, calendars, chats)")
    s.add_argument("path", type=path_arg)
    s.add_argument("--format", choices=registry.choices(), metavar="FORMAT",
                   help="default: detected from the content. " + registry.help_text())
    s.add_argument("--dry-run", action="store_true", help="show per contact what would be added; write nothing")
    s.add_argument("--strict", action="store_true", help="write nothing if any record is bad")
    s.add_argument("--since", metavar="DATE", help="only touches on or after this day")
    s.add_argument("--future", action="store_true",
                   help="keep touches dated after tomorrow (refused by default: a broken date, most likely)")
    s.add_argument("--max-recipients", type=int_arg, default=10,
                   help="mail: skip messages with more recipients than this (default 10)")
    s.add_argument("--add-people", action="store_true",
                   help="mail: add people you wrote to at least twice who are not contacts yet")
    s.add_argument("--map", action="append", default=[], metavar="NAME=#ID",
                   help="chats, calendars: this name is that contact, or new, skip, me (repeatable, remembered), "
                        "e.g. --map 'Ana=#12'")
    s.add_argument("--me", action="append", default=[], metavar="EMAIL|NAME",
                   help="your own address or chat name (adds to [me] in config.toml)")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_import)

    s = sub.add_parser("export", help="export to vCard, iCalendar, JSON or Markdown")
    s.add_argument("format", choices=("vcard", "vcard3", "vcard4", "ical", "json", "markdown"))
    s.add_argument("-o", "--output", type=path_arg, help="file (default: standard output)")
    s.add_argument("--contact", help="only this contact (markdown, vcard)")
    s.add_argument("--since")
    s.add_argument("--until")
    s.set_defaults(func=cmd_export)

    s = sub.add_parser("backup", help="a consistent copy of the journal, rotated")
    s.add_argument("--dir", type=path_arg)
    s.add_argument("--keep", type=int_arg, default=10)
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_backup)

    s = sub.add_parser("restore", help="restore a backup into an empty journal")
    s.add_argument("path", type=path_arg)
    s.add_argument("--force", action="store_true", help="replace a non-empty journal")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_restore)
