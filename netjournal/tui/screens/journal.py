"""Journal: one day at a time; @mentions link to their contacts."""
from __future__ import annotations

from datetime import date, timedelta

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Label

from netjournal.tui import drafts
from netjournal.tui import actions
from netjournal.tui.screens.base import BaseScreen
from netjournal.tui.text import plain
from netjournal.tui.widgets.editor import DraftArea, JournalEditor
from netjournal.tui.widgets.vtable import Column, VirtualTable
from netjournal.tui.widgets.keybar import KeyBar


class JournalScreen(BaseScreen):
    AUTO_FOCUS = "#days"
    HOME = "#days"
    SCOPE = "journal"
    BINDINGS = actions.bindings("journal")

    def __init__(self) -> None:
        super().__init__()
        self.day: date | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="journal-screen"):
            with Vertical(id="journal-main"):
                yield Label("", id="day-title", classes="pane-title")
                yield JournalEditor(id="journal-editor", placeholder="Nothing written this day. e to write; @ mentions a contact.")
            with Vertical(id="journal-side"):
                yield Label("Mentioned", classes="pane-title")
                yield VirtualTable([Column("Contact")], lambda r: [plain(r.name)], show_header=False,
                                   empty="No one mentioned.", id="mentions")
                yield Label("Recent days", classes="pane-title")
                yield VirtualTable([Column("Day")], lambda d: [plain(d.strftime("%a %d %b %Y"))],
                                   key=lambda d: d, show_header=False, empty="No entries yet.", id="days")
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = "Journal"
        self.day = self.day or self.today
        self._title()

    def _title(self) -> None:
        d = self.day
        rel = {0: " (today)", -1: " (yesterday)", 1: " (tomorrow)"}.get((d - self.today).days, "")
        self.query_one("#day-title", Label).update(d.strftime("%A %d %B %Y") + rel)

    def reload(self) -> None:
        from netjournal.store import api

        self.fetch("entry", api.get_journal, self.db, self.day)
        self._reload_days()

    def _reload_days(self) -> None:
        from netjournal.store import api

        self.fetch("days", api.journal_days, self.db, limit=60)

    def got_entry(self, day) -> None:
        if day.day != self.day:
            return
        editor = self.query_one(JournalEditor)
        if not editor.area.dirty:
            editor.area.load(day.body, drafts.key_for("journal", day.day.isoformat()))
        self.query_one("#mentions", VirtualTable).set_rows(list(day.mentions))

    def got_days(self, days) -> None:
        self.query_one("#days", VirtualTable).set_rows(days)

    def show_day(self, day: date) -> None:
        editor = self.query_one(JournalEditor)
        editor.request_save()
        editor.area.flush_draft()
        self.day = day
        self._title()
        if self.app.db is not None:
            self.reload()

    def action_day(self, step: int) -> None:
        self.show_day(self.today if step == 0 else self.day + timedelta(days=step))

    def action_edit(self) -> None:
        self.query_one(JournalEditor).edit_at_end()

    def action_save(self) -> None:
        editor = self.query_one(JournalEditor)
        if not editor.request_save():
            self.notify("The journal is saved (nothing new to save)", markup=False)

    def action_mentions(self) -> None:
        self.query_one("#mentions").focus()

    @on(JournalEditor.SaveRequested)
    def _save(self, event: JournalEditor.SaveRequested) -> None:
        from netjournal.store import api

        self.fetch("saved", api.save_journal, self.db, self.day, event.text, exclusive=False)

    def got_saved(self, result) -> None:
        day, unresolved = result
        self.notify(f"Saved the journal of {day.day:%a %d %b}", markup=False)
        if day.day == self.day:
            self.query_one(JournalEditor).area.mark_saved(day.body)
            self.query_one("#mentions", VirtualTable).set_rows(list(day.mentions))
        else:
            drafts.discard(drafts.key_for("journal", day.day.isoformat()))
        if unresolved:
            self.notify("Not linked (no single contact by that name): " + ", ".join("@" + u for u in unresolved),
                        severity="warning", markup=False)
        self._reload_days()

    @on(DraftArea.DraftFound)
    def _offer(self, event: DraftArea.DraftFound) -> None:
        from netjournal.tui.dialogs.common import offer_draft

        offer_draft(self, event.area, event.draft)

    @on(VirtualTable.Selected, "#mentions")
    def _mention(self, event: VirtualTable.Selected) -> None:
        self.app.open_contact(event.row.id)

    @on(VirtualTable.Selected, "#days")
    def _pick_day(self, event: VirtualTable.Selected) -> None:
        self.show_day(event.row)

    def context_contacts(self) -> list[int]:
        r = self.query_one("#mentions", VirtualTable).current
        return [r.id] if r is not None and self.focused is self.query_one("#mentions") else []
