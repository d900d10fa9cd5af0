"""Search: one box over contacts, touches, notes, follow-ups and the journal."""
from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Header, Input, Label

from netjournal.tui import actions
from netjournal.tui.screens.base import BaseScreen
from netjournal.tui.text import highlighted, mention_text, plain
from netjournal.tui.widgets.vtable import Column, Group, VirtualTable
from netjournal.tui.widgets.keybar import KeyBar

KIND_TITLES = {"contact": "Contacts", "touch": "Touches", "followup": "Follow-ups", "journal": "Journal"}


def grouped_hits(hits: list) -> list:
    out: list = []
    for kind, title in KIND_TITLES.items():
        mine = [h for h in hits if h.kind == kind]
        if mine:
            out.append(Group(f"{title} ({len(mine)})", kind))
            out.extend(mine)
    return out


def _row(h) -> list:
    return [plain(h.day.isoformat() if h.day else ""), mention_text(h.title, "bold"), highlighted(h.snippet)]


class SearchScreen(BaseScreen):
    AUTO_FOCUS = "#query"
    HOME = "#results"
    SCOPE = "search"
    BINDINGS = actions.bindings("search")

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="search"):
            yield Input(placeholder="search contacts, touches, notes, follow-ups, journal…", id="query")
            yield Label("Type to search. Words match as prefixes; all must appear.", id="search-count",
                        classes="pane-title")
            yield VirtualTable([Column("Day", 10, min=10), Column("Title", 34, min=14), Column("Match", weight=2)], _row,
                               key=lambda h: (h.kind, h.ref_id), empty="Nothing found.", id="results")
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = "Search"
        self.query_one("#query", Input).focus()

    def reload(self) -> None:
        q = self.query_one("#query", Input).value
        if q.strip():
            self._search(q)

    @on(Input.Changed, "#query")
    def _changed(self, event: Input.Changed) -> None:
        if event.value.strip() and self.app.db is not None:
            self._search(event.value)
        else:
            self.query_one("#results", VirtualTable).set_rows([])
            self.query_one("#search-count", Label).update("Type to search.")

    def _search(self, text: str) -> None:
        from netjournal.store import search

        self.fetch("hits", lambda: (text, search.search(self.db, text, limit=200)))

    def got_hits(self, result) -> None:
        text, hits = result
        if text != self.query_one("#query", Input).value:
            return
        self.query_one("#search-count", Label).update(f"{len(hits)} found for “{text}”" if hits else f"Nothing found for “{text}”")
        self.query_one("#results", VirtualTable).set_rows(grouped_hits(hits), keep=False)

    @on(Input.Submitted, "#query")
    def _submitted(self) -> None:
        table = self.query_one("#results", VirtualTable)
        if table.current is not None:
            table.focus()

    def on_key(self, event) -> None:
        if event.key == "down" and self.focused is self.query_one("#query"):
            event.stop()
            self.query_one("#results").focus()

    def arrive(self) -> None:
        self.action_focus_query()

    def action_focus_query(self) -> None:
        self.query_one("#query", Input).focus()

    def action_open_hit(self) -> None:
        h = self.query_one("#results", VirtualTable).current
        if h is not None:
            self.open_hit(h)

    @on(VirtualTable.Selected, "#results")
    def _selected(self, event: VirtualTable.Selected) -> None:
        self.open_hit(event.row)

    def open_hit(self, h) -> None:
        if h.kind == "followup":
            self.app.open_followup(h.ref_id)
        elif h.kind == "journal" and h.day:
            self.app.open_journal_day(h.day)
        elif h.contact_id is not None:
            self.app.open_contact(h.contact_id)
        elif h.kind == "contact":
            self.app.open_contact(h.ref_id)

    def context_contacts(self) -> list[int]:
        h = self.query_one("#results", VirtualTable).current
        return [h.contact_id] if h is not None and h.contact_id else []
