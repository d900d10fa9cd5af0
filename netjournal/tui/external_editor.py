"""Editing long text in the user's $VISUAL / $EDITOR.

The editor is started without a shell: ``$EDITOR`` is split like a shell would split it
(``code --wait`` works) and the file name is passed as one argument, so a data directory or
a file name with spaces, quotes or ``;`` is never interpreted. The text goes through a temporary
file readable by the user alone, in the drafts directory, removed afterwards.
"""
from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path

from netjournal import paths


def editor_command() -> list[str]:
    raw = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    try:
        return shlex.split(raw) or ["vi"]
    except ValueError:  # an unbalanced quote: take it as one program name
        return [raw]


def edit_text(text: str, directory: Path | None = None) -> str:
    """Open ``text`` in the editor and return what the user saved (the same text if nothing)."""
    directory = paths.ensure_private_dir(directory or paths.drafts_dir())
    fd, name = tempfile.mkstemp(prefix="edit-", suffix=".md", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        subprocess.run([*editor_command(), name], check=False)
        with open(name, encoding="utf-8") as fh:
            return fh.read()
    finally:
        try:
            os.unlink(name)
        except OSError:
            pass
