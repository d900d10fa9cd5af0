"""The full-screen terminal UI (Textual).

Nothing outside this package imports textual, and importing ``netjournal.tui`` itself is cheap:
:func:`run` starts ranking today's queue (:mod:`netjournal.tui.faststart`, standard library only)
*before* it imports Textual, so both happen at once; the CLI pays for Textual only when the TUI
opens.
"""
from __future__ import annotations

from typing import Any

__all__ = ["run"]


def run(url: str | None, config: Any) -> int:
    """Run the TUI on the journal at ``url`` (None: the default one). Returns the exit code."""
    from netjournal.tui import faststart

    faststart.prefetch(url, config)  # before Textual is imported: the two overlap
    try:
        from netjournal.tui.app import run as run_app

        return run_app(url, config)
    finally:
        faststart.resume_gc()
