"""Who is who? The names of a chat (or the addresses of a mail/calendar import) that match no
contact, asked once each: map to a contact (fuzzy pick), add as a new contact, skip, or "that's
me". The import dialog runs the import with these choices, and the import remembers them
(``import_name``), so the next import of the same chat asks nothing.
"""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from netjournal.tui.screens.base import BaseModal
from netjournal.tui.text import one_line
from netjournal.tui.widgets.vtable import Column, VirtualTable

MAX_ASKED = 20   # most messages first; the rest stay unasked (the CLI lists them for --map)


def describe(u: dict) -> str:
    where = {"email": "mail/calendar"}.get(u["scope"], u["scope"].capitalize())
    if u["messages"]:
        return (f"{where} · {u['messages']} message{'s' if u['messages'] != 1 else ''} on "
                f"{u['days']} day{'s' if u['days'] != 1 else ''}")
    return f"{where} · {u['days']} conversation{'s' if u['days'] != 1 else ''}"


class WhoIsWhoModal(BaseModal):
    """Dismisses with {key: contact id | "new" | "skip" | "me"} (the names decided so far;
    escape keeps those and leaves the rest for later)."""

    BINDINGS = [
        Binding("escape", "done", "Later", id="whoiswho_later"),
        Binding("ctrl+n", "choose('new')", "New contact", id="whoiswho_new", priority=True),
        Binding("ctrl+k", "choose('skip')", "Skip", id="whoiswho_skip", priority=True),
        Binding("ctrl+r", "choose('me')", "That's me", id="whoiswho_me", priority=True),
    ]
    DEFAULT_CSS = """
    WhoIsWhoModal > Vertical { width: 80; height: auto; max-height: 90%; }
    WhoIsWhoModal #who-matches { height: 8; }
    """

    def __init__(self, unknown: list[dict]) -> None:
        super().__init__()
        self.unknown = list(unknown[:MAX_ASKED])
        self.more = max(0, len(unknown) - MAX_ASKED)
        self.i = 0
        self.choices: dict[str, object] = {}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="whoiswho"):
            yield Static("", id="who-title", classes="dialog-title")
            yield Static("", id="who-stats")
            yield Input(placeholder="Which contact? type a name — enter picks", id="who-input")
            yield VirtualTable([Column("Name")], lambda r: [one_line(r[1]) + (f"  ({one_line(r[2])})" if r[2] else "")],
                               key=lambda r: r[0], show_header=False, empty="No contact by that name.",
                               id="who-matches")
            with Horizontal(classes="buttons"):
                yield Button("New contact (ctrl+n)", id="who-new")
                yield Button("Skip (ctrl+k)", id="who-skip")
                yield Button("That's me (ctrl+r)", id="who-me")
            yield Static("enter map to the highlighted contact · ctrl+n add as new · ctrl+k skip · "
                         "ctrl+r that's me · esc ask later — remembered for the next import", classes="hint")

    def on_mount(self) -> None:
        self._show()
        self.query_one("#who-input", Input).focus()

    def _show(self) -> None:
        u = self.unknown[self.i]
        title = Text("Who is ")
        title.append(one_line(u["name"]), style="bold")
        title.append(f"?  ({self.i + 1} of {len(self.unknown)}"
                     + (f"; {self.more} more not asked" if self.more else "") + ")")
        self.query_one("#who-title", Static).update(title)
        self.query_one("#who-stats", Static).update(Text(describe(u), style="dim"))
        box = self.query_one("#who-input", Input)
        box.value = ""
        self._filter(u["name"] if u["scope"] != "email" else u["name"].partition("@")[0])

    def _filter(self, text: str) -> None:
        rows = self.app.names_index.filter(text, limit=8)
        table = self.query_one("#who-matches", VirtualTable)
        table.empty = (f"No contact like “{one_line(text)[:40]}”: type another name, or ctrl+n to add them, "
                       "ctrl+k to skip them")
        table.set_rows(rows, keep=False)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.value.strip():
            self._filter(event.value)

    def on_key(self, event) -> None:
        if event.key in ("down", "up") and self.focused is self.query_one("#who-input"):
            self.query_one("#who-matches", VirtualTable).action_move(1 if event.key == "down" else -1)
            event.stop()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        row = self.query_one("#who-matches", VirtualTable).current
        if row is not None:
            self._decide(int(row[0]))

    def on_virtual_table_selected(self, event: VirtualTable.Selected) -> None:
        event.stop()
        self._decide(int(event.row[0]))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_choose({"who-new": "new", "who-skip": "skip", "who-me": "me"}[event.button.id])

    def action_choose(self, what: str) -> None:
        self._decide(what)

    def _decide(self, value) -> None:
        u = self.unknown[self.i]
        self.choices[u["key"]] = value
        self.i += 1
        if self.i >= len(self.unknown):
            self.dismiss(self.choices)
            return
        self._show()
        self.query_one("#who-input", Input).focus()

    def action_done(self) -> None:
        self.dismiss(self.choices)
