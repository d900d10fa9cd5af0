"""Drafts of long text being typed (meeting notes, journal entries), kept until saved.

Pure: no Textual, no database. The TUI calls :func:`save` (debounced) while the user types,
:func:`pending` when an editor opens (to offer back text a crash would otherwise have lost),
and :func:`discard` once the text is safely in the journal.

Every write is atomic: a private temporary file in the drafts directory is written, flushed
and fsync'ed, then renamed over the draft (and the directory fsync'ed), so a kill at any
moment leaves either the previous draft or the new one, never a torn file. Files are 0600 in
a 0700 directory (``netjournal.paths.drafts_dir()``).
"""
from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from netjournal import paths

SUFFIX = ".draft.md"
_SAFE = re.compile(r"[^A-Za-z0-9_.-]+")


@dataclass(frozen=True)
class Draft:
    key: str
    text: str
    saved_at: datetime  # local time of the last write
    path: Path


def key_for(*parts: object) -> str:
    """A file-safe key from parts, e.g. ``key_for("followup", 12, "meeting_notes")``."""
    raw = "-".join(str(p) for p in parts)
    key = _SAFE.sub("_", raw).strip("._-")
    if not key:
        raise ValueError("a draft needs a key")
    return key[:150]


def path_for(key: str, directory: Path | None = None) -> Path:
    return (directory or paths.drafts_dir()) / (key_for(key) + SUFFIX)


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def save(key: str, text: str, directory: Path | None = None) -> Path:
    """Write the draft atomically (temp file + fsync + rename), readable by the user alone."""
    target = path_for(key, directory)
    paths.ensure_private_dir(target.parent)
    fd, tmp = tempfile.mkstemp(prefix="." + target.name + ".", suffix=".tmp", dir=target.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _fsync_dir(target.parent)
    return target


def load(key: str, directory: Path | None = None) -> Draft | None:
    target = path_for(key, directory)
    try:
        text = target.read_text(encoding="utf-8")
        mtime = target.stat().st_mtime
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError):
        return None
    return Draft(key=key, text=text, saved_at=datetime.fromtimestamp(mtime), path=target)


def pending(key: str, saved_text: str, saved_at: datetime | None = None,
            directory: Path | None = None) -> Draft | None:
    """The draft to offer back: one that exists, differs from the saved text and is newer.

    A draft is removed once its text is saved, so an existing draft means the last save did
    not happen (a crash, a kill, a closed terminal). ``saved_at`` (aware or naive local) is
    the time the saved text was written, when the store knows it.
    """
    d = load(key, directory)
    if d is None:
        return None
    if d.text == saved_text or not d.text.strip():
        discard(key, directory)
        return None
    if saved_at is not None:
        ref = saved_at.astimezone().replace(tzinfo=None) if saved_at.tzinfo else saved_at
        if d.saved_at < ref:
            return None
    return d


def discard(key: str, directory: Path | None = None) -> None:
    try:
        path_for(key, directory).unlink()
    except FileNotFoundError:
        pass
    except OSError:
        pass


def all_drafts(directory: Path | None = None) -> list[Draft]:
    base = directory or paths.drafts_dir()
    out: list[Draft] = []
    if not base.is_dir():
        return out
    for p in sorted(base.glob("*" + SUFFIX)):
        d = load(p.name[: -len(SUFFIX)], base)
        if d is not None:
            out.append(d)
    return out
