"""sync: two-way sync of the contacts with a vdir (the folder khard and vdirsyncer use)."""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from netjournal.cli.common import Ctx, emit_json, out, path_arg
from netjournal.errors import UserError

_CTRL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _safe(s: str) -> str:
    """Stored or card text made harmless for a terminal (no escape sequences)."""
    return _CTRL.sub("\ufffd", s.replace("\n", " "))


def run_sync(db, folder: Path, *, prefer: str = "journal", delete: bool = False, dry_run: bool = False, today):
    """One sync of ``folder`` (used by the CLI and the TUI palette)."""
    from netjournal import paths
    from netjournal.store.sync import sync_vdir

    return sync_vdir(db, folder, prefer=prefer, delete=delete, dry_run=dry_run, today=today,
                     lock_dir=paths.data_dir())


def cmd_sync(ctx: Ctx, a) -> int:
    target = getattr(a, "target", None)
    path = getattr(a, "path", None)
    if target is None:
        path = ctx.config.sync.get("vdir")
        if not path:
            raise UserError("sync what? give `sync vdir PATH`, or set [sync] vdir = \"PATH\" in "
                            f"{ctx.config.path or 'config.toml'}")
    rep = run_sync(ctx.db, Path(path).expanduser(), prefer=a.prefer, delete=a.delete, dry_run=a.dry_run,
                   today=ctx.today)
    if a.json:
        emit_json(rep)
        return 0
    out(_safe(rep.summary()))
    for title, items in (("new contact", rep.created_here), ("new card", rep.created_there),
                         ("contact updated", rep.updated_here), ("card updated", rep.updated_there),
                         ("linked by name", rep.linked), ("archived (card deleted)", rep.archived),
                         ("card file deleted", rep.deleted_files)):
        if a.verbose or a.dry_run:
            for x in items:
                out(f"  {title}: {_safe(x)}")
    for c in rep.conflicts:
        out(f"  conflict: {_safe(c)}")
    for n in rep.notes:
        out(f"  note: {_safe(n)}")
    for p in rep.problems:
        sys.stderr.write(f"skipped {_safe(p)}\n")
    return 0


def _add_options(s, sub: bool = False) -> None:
    # On `sync vdir PATH` the options may come before or after `vdir`: the inner parser's must
    # not overwrite the outer's with its defaults.
    d = {"default": argparse.SUPPRESS} if sub else {}
    s.add_argument("--prefer", choices=("journal", "vdir"), **(d or {"default": "journal"}),
                   help="which side wins a field changed on both sides (default: journal; "
                        "the other value is kept as a note on the contact)")
    s.add_argument("--delete", action="store_true", help="delete the card file of a contact deleted in netjournal", **d)
    s.add_argument("--dry-run", action="store_true", help="show what would change; write nothing", **d)
    s.add_argument("-v", "--verbose", action="store_true", help="list every change", **d)
    s.add_argument("--json", action="store_true", **d)


def register(sub) -> None:
    s = sub.add_parser("sync", help="two-way sync of your contacts with an address-book folder (vdir)",
                       description="Two-way sync with a vdir: a folder of .vcf files, as used by khard and "
                                   "vdirsyncer. Plain `sync` syncs the folder set as [sync] vdir in config.toml.")
    _add_options(s)
    s.set_defaults(func=cmd_sync)
    ss = s.add_subparsers(dest="target", metavar="TARGET")
    v = ss.add_parser("vdir", help="sync with the vdir at PATH")
    v.add_argument("path", type=path_arg, metavar="PATH")
    _add_options(v, sub=True)
    v.set_defaults(func=cmd_sync)
