"""Help: every key, from the action registry (remapped keys shown as remapped)."""
from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from netjournal import vocab
from netjournal.tui import actions


def help_table(keymap: dict[str, str]) -> Table:
    table = Table(box=None, show_header=False, expand=True, pad_edge=False)
    table.add_column("key", style="bold", no_wrap=True, width=14)
    table.add_column("action", no_wrap=True, width=22)
    table.add_column("what it does")
    for scope in actions.SCOPES:
        rows = [a for a in actions.ACTIONS if a.scope == scope]
        if not rows:
            continue
        table.add_row(Text(actions.SCOPE_TITLES[scope], style="bold underline"), "", "")
        for a in rows:
            table.add_row(actions.display_keys(actions.keys_for(a.id, keymap)), Text(a.id, style="dim"), a.help)
        table.add_row("", "", "")
    table.add_row(Text("Log a touch", style="bold underline"), "", "")
    table.add_row("channel", "", "  ".join(f"{k} {vocab.CHANNEL_LABELS[c]}" for k, c in vocab.CHANNEL_KEYS.items()))
    table.add_row("direction", "", "o I reached out  i they reached out  m mutual")
    table.add_row("ctrl+p", "", "command palette: actions and contacts")
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark,f1", "close", "Close", id="help_close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog wide", id="help"):
            yield Static("Keys — remap any of them in config.toml under [keys], e.g. log_touch = \"n\"",
                         classes="dialog-title", markup=False)
            yield Static(help_table(getattr(self.app.config, "keys", {}) or {}))

    def action_close(self) -> None:
        self.dismiss(None)
