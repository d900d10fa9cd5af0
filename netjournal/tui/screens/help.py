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


KEYBOARD_RULES = (
    ("typing", "While a text field, editor or selector has the focus, every key is the field's: no screen key "
               "fires (only ctrl keys such as ctrl+s, ctrl+l, ctrl+p, and tab)."),
    ("esc", "Leaves the field (back to the screen's list); a second esc leaves the screen. In a dialog, esc "
            "cancels it."),
    ("tab", "Moves within the dialog; in the journal editor it completes an @name and never leaves the editor."),
    ("enter", "In a dialog, goes on to the next field; the last field (or ctrl+s) saves. A choice opens with "
              "space, not enter."),
    ("ctrl+s", "Saves wherever text is edited, and says so."),
    ("filter", "Contacts opens with the filter focused: just type. / (or f) goes back to it; down to the list."),
    ("lists", "j/k or down/up move; pgup/pgdn, home/end. That is why Journal is J and Follow-ups F."),
    ("undo", "u (or ctrl+z outside text fields) takes back the last dismiss, snooze, deleted touch, archive, "
             "stage change, deleted contact or removed, changed or accepted link of this session. H lists snoozed and dismissed reminders."),
)


def help_table(keymap: dict[str, str]) -> Table:
    table = Table(box=None, show_header=False, expand=True, pad_edge=False)
    table.add_column("key", style="bold", no_wrap=True, width=14)
    table.add_column("action", no_wrap=True, width=22)
    table.add_column("what it does")
    table.add_row(Text("How keys work", style="bold underline"), "", "")
    for key, rule in KEYBOARD_RULES:
        table.add_row(key, "", rule)
    table.add_row("", "", "")
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
    table.add_row(Text("Lists", style="bold underline"), "", "")
    for keys, what in actions.LIST_KEYS:
        table.add_row(keys, "", what)
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
