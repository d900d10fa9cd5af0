"""The key bar: the screen's shown bindings on one line, drawn as a single widget.

Textual's ``Footer`` mounts one widget per key and re-applies the stylesheet to each of them
whenever the bindings change (every screen push, every focus change): on the contact screen
that was most of the time it took to open. This bar renders one ``Text`` from
``screen.active_bindings`` instead. When the keys do not fit, the last ones are left off (the
help key stays): every key is on the help screen (?) and in the command palette.
"""
from __future__ import annotations

from rich.text import Text
from textual import events
from textual.widget import Widget


class KeyBar(Widget, can_focus=False):
    DEFAULT_CSS = """
    KeyBar { dock: bottom; height: 1; width: 1fr; background: $footer-background; color: $footer-foreground; }
    KeyBar > .keybar--key { color: $footer-key-foreground; background: $footer-key-background; text-style: bold; }
    KeyBar > .keybar--description { color: $footer-description-foreground; background: $footer-description-background; }
    """
    COMPONENT_CLASSES = {"keybar--key", "keybar--description"}
    ALLOW_SELECT = False

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._spans: list[tuple[int, int, str]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.app.screen_change_signal.subscribe(self, self._screen_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)
        self.app.screen_change_signal.unsubscribe(self)

    def _bindings_changed(self, _screen) -> None:
        self.refresh()

    def _screen_changed(self, top) -> None:
        if top is not self.screen and getattr(top, "is_modal", False):
            top.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.refresh()

    def shown_screen(self):
        """The screen whose keys the bar shows: a dialog open over this screen (this screen's keys
        do nothing under it), else this screen."""
        top = self.app.screen
        if top is not self.screen and top.is_modal and self.screen in self.app.screen_stack:
            return top
        return self.screen

    def items(self) -> list[tuple[str, str, str, bool]]:
        """(key, key display, description, enabled) for each shown action, first key only."""
        from textual.app import App
        from textual.screen import Screen

        from netjournal.tui import actions

        seen: set[str] = set()
        out = []
        screen = self.shown_screen()
        typing = actions.is_typing(screen.focused)
        if typing and not screen.is_modal:
            out.append(("escape", "esc", "Leave field", True))
        for node, binding, enabled, _tooltip in screen.active_bindings.values():
            if not binding.show or binding.action in seen:
                continue
            if (typing and isinstance(node, (Screen, App)) and not binding.priority
                    and not actions.reaches_screen_while_typing(binding.key)
                    and not (binding.key == "escape" and node is screen and screen.is_modal)):
                continue  # the keyboard model: this key types into the field
            seen.add(binding.action)
            out.append((binding.key, self.app.get_key_display(binding), binding.description, enabled))
        return out

    def render(self) -> Text:
        width = self.size.width
        key_style = self.get_component_rich_style("keybar--key")
        desc_style = self.get_component_rich_style("keybar--description")
        items = self.items()
        pieces = []
        for key, display, desc, enabled in items:
            t = Text.assemble((display, key_style), (" " + desc if desc else "", desc_style), " ")
            if not enabled:
                t.stylize("dim")
            pieces.append((key, t))
        total = sum(t.cell_len for _, t in pieces) + 1
        if total > width:  # leave keys off the end, but keep the help key
            help_piece = next((p for p in pieces if p[0] in ("question_mark", "f1")), None)
            budget = width - 1 - (help_piece[1].cell_len if help_piece else 0) - 2
            kept, used = [], 0
            for p in pieces:
                if p is help_piece:
                    continue
                if used + p[1].cell_len > budget:
                    break
                kept.append(p)
                used += p[1].cell_len
            pieces = kept + ([("", Text("… ", style="dim"))] if len(kept) < len(pieces) else [])
            if help_piece:
                pieces.append(help_piece)
        line = Text(" ", no_wrap=True, end="")
        self._spans = []  # (drawn once per bindings change)
        for key, t in pieces:
            start = line.cell_len
            line.append_text(t)
            if key:
                self._spans.append((start, line.cell_len, key))
        return line

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return
