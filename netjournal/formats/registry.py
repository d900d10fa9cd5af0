"""Every import format in one list: its name, aliases, how it recognises a file, how it reads.

A reader is a :class:`Reader` declared in its own module (``READER = Reader(...)``); adding a
format is that module plus one line in :data:`_MODULES`. The CLI's ``--format`` choices and help,
the TUI's import dialog and :func:`detect` are all derived from here.

Readers are pure: a path in, plain records (:mod:`netjournal.formats.records`) and
:class:`~netjournal.formats.records.Problem` lines out. They never touch the database.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from netjournal.errors import UserError
from netjournal.formats.textio import read_head

# One line per reader module, in sniffing order (the first whose sniff says yes wins).
_MODULES = (
    "netjournal.formats.addressbook",   # vcard, linkedin-connections, linkedin-messages, google-csv, outlook-csv
    "netjournal.formats.mail",          # mbox, eml, maildir
    "netjournal.formats.calendar_in",   # ics
    "netjournal.formats.slack",         # slack (a workspace export .zip or folder)
    "netjournal.formats.chat",          # whatsapp, telegram
)


@dataclass(frozen=True)
class ReadOptions:
    """What a reader may need to know about the user and the import (never the database)."""

    today: date
    me_emails: frozenset[str] = frozenset()   # the user's own addresses, lower case ([me] emails)
    me_names: frozenset[str] = frozenset()    # the user's own names in chats ([me] names), name_key'd
    max_recipients: int = 10
    add_people: bool = False
    since: date | None = None
    max_unzipped: int = 200 * 1024 * 1024     # bytes a .zip may expand to
    max_ratio: int = 200                      # and its compression ratio


@dataclass
class ReadResult:
    contacts: list = field(default_factory=list)     # ContactRecord
    touches: list = field(default_factory=list)      # TouchRecord
    followups: list = field(default_factory=list)    # FollowUpRecord
    cancels: list = field(default_factory=list)      # CancelRecord (calendars: meetings called off)
    problems: list = field(default_factory=list)     # Problem
    skipped: dict = field(default_factory=dict)      # reason -> count (not errors: lists, bots, …)
    notes: list = field(default_factory=list)        # lines for the report ("your address was guessed")
    owner: str = ""

    def skip(self, reason: str, n: int = 1) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + n


@dataclass(frozen=True)
class Reader:
    name: str
    label: str                                    # shown in the TUI and in --help
    read: Callable[[Path, str, ReadOptions], ReadResult]
    # sniff(path, head) -> bool; head is the first 64 KiB of a file, b"" for a folder.
    sniff: Callable[[Path, bytes], bool]
    aliases: tuple[str, ...] = ()
    folders: bool = False                         # can read a folder


def _load() -> tuple[Reader, ...]:
    out: list[Reader] = []
    for mod in _MODULES:
        m = importlib.import_module(mod)
        out.extend(m.READERS if hasattr(m, "READERS") else (m.READER,))
    return tuple(out)


_CACHE: tuple[Reader, ...] | None = None


def readers() -> tuple[Reader, ...]:
    global _CACHE
    if _CACHE is None:
        _CACHE = _load()
    return _CACHE


def names() -> tuple[str, ...]:
    return tuple(r.name for r in readers())


def choices() -> list[str]:
    """Every name and alias --format accepts."""
    out = []
    for r in readers():
        for n in (r.name, *r.aliases):
            if n not in out:
                out.append(n)
    return out


def get(name: str) -> Reader:
    key = (name or "").strip().lower()
    for r in readers():
        if key == r.name or key in r.aliases:
            return r
    raise UserError(f"unknown import format {name!r} (one of: {', '.join(names())})")


def detect(path: Path) -> Reader:
    """The reader for a file or folder, from its content (and, for folders, its layout)."""
    path = Path(path)
    if path.is_dir():
        for r in readers():
            if r.folders and _safe_sniff(r, path, b""):
                return r
        raise UserError(f"nothing to import in the folder {path} (no .vcf files, no Maildir, no mail files)")
    if not path.exists():
        raise UserError(f"no such file: {path}")
    head = read_head(path, 65536)
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"{") and b"netjournal-backup" in stripped[:2000]:
        raise UserError(f"{path.name} is a netjournal backup: use `netjournal restore {path}`")
    if head.startswith(b"SQLite format 3\x00"):
        raise UserError(f"{path.name} is a netjournal/SQLite journal: use `netjournal restore {path}`")
    for r in readers():
        if _safe_sniff(r, path, head):
            return r
    raise UserError(f"cannot tell the format of {path.name}: use --format ({', '.join(names())})")


def _safe_sniff(r: Reader, path: Path, head: bytes) -> bool:
    try:
        return bool(r.sniff(path, head))
    except (OSError, ValueError, UnicodeError):
        return False


def help_text() -> str:
    return "; ".join(f"{r.name}: {r.label}" for r in readers())
