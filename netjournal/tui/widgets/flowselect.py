"""A selector for forms: space (or up/down) opens it; enter goes on to the next field.

Textual's Select opens on enter too, so in a form that flows on enter the selector toggled
open and shut and what was typed next went into it. Here enter never opens it.
"""
from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Select


class FlowSelect(Select):
    BINDINGS = [
        Binding("space,down,up", "show_overlay", "Choose", show=False),
        Binding("enter", "next_field", "Next field", show=False),
    ]

    def action_next_field(self) -> None:
        self.screen.focus_next()
