"""Snoozed and dismissed reminders (H): what is kept off the queue, with restore."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, Static

from netjournal import clock
from netjournal.days import date_words
from netjournal.tui.screens.base import BaseModal
from netjournal.tui.text import plain
from netjournal.tui.widgets.vtable import Column, VirtualTable

KINDS = {None: "every reminder", "followup": "follow-up", "reply": "reply", "date": "date", "rhythm": "rhythm",
         "silence": "silence", "one-sided": "one-sided", "stage": "stage"}


def _row(h) -> list:
    what = f"snoozed until {date_words(h.until, clock.today())}" if h.what == "snooze" else f"dismissed {h.since:%d %b}"
    return [plain(h.contact_name, "bold"), plain(KINDS.get(h.kind, h.kind or ""), "dim"), plain(what)]


class HiddenRemindersModal(BaseModal):
    BINDINGS = [
        Binding("escape,q", "close", "Close", id="hidden_close"),
        Binding("enter,r", "restore", "Restore", id="hidden_restore"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="hidden"):
            yield Static("Snoozed and dismissed reminders", classes="dialog-title")
            yield Label("Loading…", id="hidden-count")
            yield VirtualTable([Column("Who", 24, min=12), Column("Reminder", 14, min=8), Column("Kept off")],
                               _row, key=lambda h: (h.what, h.id), id="hidden-table",
                               empty="Nothing snoozed or dismissed.")
            yield Static("enter restore (back on the queue) · esc close", classes="hint")

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        from netjournal.store import undo

        self.fetch("hidden", undo.hidden_reminders, self.db, self.today)

    def got_hidden(self, rows: list) -> None:
        self.query_one("#hidden-count", Label).update(
            Text(f"{sum(h.what == 'snooze' for h in rows)} snoozed · "
                 f"{sum(h.what == 'dismissal' for h in rows)} dismissed in the last 90 days"))
        table = self.query_one("#hidden-table", VirtualTable)
        table.set_rows(rows)
        table.focus()

    def on_virtual_table_selected(self, event: VirtualTable.Selected) -> None:
        event.stop()
        self.action_restore()

    def action_restore(self) -> None:
        h = self.query_one("#hidden-table", VirtualTable).current
        if h is None:
            return
        from netjournal.store import undo

        self._restoring = h
        self.fetch("restored", undo.restore_hidden, self.db, h.what, h.id, exclusive=False)

    def got_restored(self, contact_id: int) -> None:
        h = self._restoring
        self.app.notify(f"Back on the queue: {h.contact_name} ({KINDS.get(h.kind, h.kind)})", markup=False)
        self.app.data_changed([contact_id])
        self.reload()

    def action_close(self) -> None:
        self.dismiss(None)
