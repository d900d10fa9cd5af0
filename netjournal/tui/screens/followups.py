"""Follow-ups: the open ones, grouped overdue / today / this week / later."""
from __future__ import annotations

from datetime import timedelta

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Header, Label

from netjournal.tui import actions
from netjournal.tui.screens.base import BaseScreen
from netjournal.days import due_text
from netjournal.tui.text import plain
from netjournal.tui.widgets.vtable import Column, Group, VirtualTable
from netjournal.tui.widgets.keybar import KeyBar

GROUPS = ("Overdue", "Today", "This week", "Later", "No date")


def group_of(f, today) -> str:
    if f.due_on is None:
        return "No date"
    if f.due_on < today:
        return "Overdue"
    if f.due_on == today:
        return "Today"
    if f.due_on <= today + timedelta(days=7):
        return "This week"
    return "Later"


def grouped(rows: list, today) -> list:
    buckets: dict[str, list] = {g: [] for g in GROUPS}
    for f in rows:
        buckets[group_of(f, today)].append(f)
    out: list = []
    for g in GROUPS:
        if buckets[g]:
            out.append(Group(f"{g} ({len(buckets[g])})", g))
            out.extend(buckets[g])
    return out


class FollowupsScreen(BaseScreen):
    AUTO_FOCUS = "#followups-table"
    SCOPE = "followups"
    BINDINGS = actions.bindings("followups")

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="followups"):
            yield Label("Open follow-ups", id="followups-title", classes="pane-title")
            yield VirtualTable([Column("Due", 12, min=12), Column("Kind", 9, min=9), Column("Title", weight=3),
                                Column("With", 24, min=12), Column("Place", weight=1, hide_below=90)], self._row,
                               empty="No open follow-ups. Plan one with f on Today or on a contact.",
                               id="followups-table")
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = "Follow-ups"
        self.query_one("#followups-table").focus()

    def _row(self, f) -> list:
        when = due_text(f.due_on, self.today)
        if f.due_time:
            when += f.due_time.strftime(" %H:%M")
        return [plain(when, "bold red" if f.due_on and f.due_on < self.today else ""), plain(f.kind, "dim"),
                plain(f.title, "bold"), plain(", ".join(r.name for r in f.contacts)), plain(f.place, "dim")]

    def reload(self) -> None:
        from netjournal.store import api

        self.fetch("followups", api.list_followups, self.db, status="open")

    def got_followups(self, rows: list) -> None:
        self.query_one("#followups-title", Label).update(f"Open follow-ups ({len(rows)})")
        self.query_one("#followups-table", VirtualTable).set_rows(grouped(rows, self.today))

    def _current(self):
        return self.query_one("#followups-table", VirtualTable).current

    def context_contacts(self) -> list[int]:
        f = self._current()
        return [r.id for r in f.contacts] if f is not None else []

    def action_open_followup(self) -> None:
        f = self._current()
        if f is not None:
            self.app.open_followup(f.id)

    @on(VirtualTable.Selected, "#followups-table")
    def _selected(self, event: VirtualTable.Selected) -> None:
        self.app.open_followup(event.row.id)

    def action_cancel_followup(self) -> None:
        f = self._current()
        if f is None:
            return
        from netjournal.tui.dialogs.common import ConfirmModal

        def done(yes: bool | None) -> None:
            if yes:
                from netjournal.store import api

                self.fetch("cancelled", api.cancel_followup, self.db, f.id, exclusive=False)

        self.app.push_screen(ConfirmModal(f"Cancel the follow-up “{f.title}”?"), done)

    def got_cancelled(self, row) -> None:
        self.notify(f"Cancelled: {row.title}", markup=False)
        self.app.data_changed([r.id for r in row.contacts])
