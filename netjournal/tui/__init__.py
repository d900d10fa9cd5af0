"""The full-screen terminal UI (Textual).

Nothing outside this package imports textual, and importing ``netjournal.tui`` itself is cheap:
``run`` resolves lazily (PEP 562), so the CLI pays for Textual only when the TUI opens.
"""
from __future__ import annotations

from typing import Any

__all__ = ["run"]


def __getattr__(name: str) -> Any:
    if name == "run":
        from netjournal.tui.app import run

        return run
    raise AttributeError(name)
