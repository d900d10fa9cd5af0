"""Files in and out: import, export, backup, restore."""
from __future__ import annotations

import sys
from pathlib import Path

from netjournal.cli.common import PROG, Ctx, emit_json, int_arg, out, path_arg, to_jsonable
from netjournal.errors import UserError


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

    rep = import_path(ctx.db, path, fmt=a.format, dry_run=a.dry_run, strict=a.strict, today=ctx.today,
                      progress=progress)
    if a.json:
        emit_json({**to_jsonable(rep), "bad_records": len(rep.bad_records)})
    else:
        out(f"{rep.format}{f' (owner: {rep.owner})' if rep.owner else ''}: {rep.summary()}")
        if rep.dry_run:
            for line in rep.details:
                out(f"  {line}")
        for c in rep.conflicts:
            out(f"  conflict: {c}")
        for p in rep.problems:
            where = f"{p.source}:{p.line}" if p.line else p.source
            sys.stderr.write(f"{'skipped' if p.fatal else 'note'} {where}: {p.reason}\n")
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
    s = sub.add_parser("import", help="import vCard, LinkedIn, Google or Outlook files")
    s.add_argument("path", type=path_arg)
    s.add_argument("--format", choices=("vcard", "linkedin-connections", "linkedin-messages", "google-csv", "outlook-csv"))
    s.add_argument("--dry-run", action="store_true")
    s.add_argument("--strict", action="store_true", help="write nothing if any record is bad")
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
