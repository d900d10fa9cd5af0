"""Contacts: everyone in a table, an instant fuzzy filter, sorting, tier/stage/tag filters."""
from __future__ import annotations

import gc
from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Input, Label, Select

from netjournal import vocab
from netjournal.tui import actions
from netjournal.filters import ContactFilter, contact_index
from netjournal.fuzzy import Index
from netjournal.tui.screens.base import BaseScreen
from netjournal.days import ago, due_text
from netjournal.tui.text import plain
from netjournal.tui.widgets.vtable import Column, VirtualTable
from netjournal.tui.widgets.flowselect import FlowSelect
from netjournal.tui.widgets.keybar import KeyBar

SORTS = (
    ("name", lambda c: (c.name.lower(), c.id)),
    ("tier", lambda c: (vocab.TIERS.index(c.tier) if c.tier in vocab.TIERS else 9, c.name.lower())),
    ("stage", lambda c: (-(vocab.STAGES.index(c.stage) if c.stage in vocab.STAGES else -1), c.name.lower())),
    ("last touch", lambda c: (-(c.last_touch_on or date.min).toordinal(), c.name.lower())),
    ("next due", lambda c: ((c.next_due or date.max).toordinal(), c.name.lower())),
)
class ContactsScreen(BaseScreen):
    AUTO_FOCUS = "#filter"
    HOME = "#contacts-table"
    SCOPE = "contacts"
    BINDINGS = actions.bindings("contacts")

    def __init__(self) -> None:
        super().__init__()
        self.all: list = []
        self.index: Index | None = None
        self.sort = 0
        self.reverse = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="contacts"):
            with Horizontal(id="contact-filters"):
                yield Input(placeholder="filter: name · tier:close · stage:affinity · #tag", id="filter")
                yield FlowSelect([(t, t) for t in vocab.TIERS], prompt="any tier", id="tier-filter")
                yield FlowSelect([(s.capitalize(), s) for s in vocab.STAGES], prompt="any stage", id="stage-filter")
                yield FlowSelect([], prompt="any tag", id="tag-filter")
            yield Label("Loading contacts…", id="contacts-count", classes="pane-title")
            yield VirtualTable(
                [Column("Name", weight=2), Column("Company", 22, min=10), Column("Tier", 12, min=12),
                 Column("Stage", 10, min=10), Column("Last touch", 10, min=10),
                 Column("Next due", 11, min=11, hide_below=96), Column("Tags", weight=1, hide_below=120)],
                self._row, empty="No contact matches. a adds one.", id="contacts-table")
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = "Contacts"

    @staticmethod
    def _row(c) -> list:
        today = _today()
        return [plain(c.name, "bold"), plain(c.company), plain(c.tier), plain(c.stage.capitalize()),
                plain(ago(c.last_touch_on, today)), plain(due_text(c.next_due, today)),
                plain(" ".join("#" + t for t in c.tags), "dim")]

    # ------------------------------------------------------------------ data
    def reload(self) -> None:
        from netjournal.store import api

        self.fetch("contacts", api.list_contacts, self.db)

    def got_contacts(self, rows: list) -> None:
        self.all = rows
        tags = sorted({t for c in rows for t in c.tags})
        sel = self.query_one("#tag-filter", Select)
        current = sel.value
        sel.set_options([(Text("#" + t), t) for t in tags])
        if current in tags:
            sel.value = current
        self._resort()
        # Thousands of long-lived rows and index entries: keep the cyclic collector from
        # walking them again on every full collection (one such pass cost 150 ms while a
        # contact with 2,000 touches was being read).
        gc.freeze()
        if not self.loaded:
            self.loaded = True

    def _resort(self) -> None:
        name, key = SORTS[self.sort]
        ordered = sorted(self.all, key=key, reverse=self.reverse)
        self.index = contact_index(ordered)
        self.apply_filter()

    def apply_filter(self) -> None:
        if self.index is None:
            return
        rows = ContactFilter.parse(self.query_one("#filter", Input).value).otherwise(
            tier=_sel(self.query_one("#tier-filter", Select)),
            stage=_sel(self.query_one("#stage-filter", Select)),
            tag=_sel(self.query_one("#tag-filter", Select))).apply(self.index)
        self.query_one("#contacts-table", VirtualTable).set_rows(rows)
        name = SORTS[self.sort][0]
        self.query_one("#contacts-count", Label).update(
            f"{len(rows):,} of {len(self.all):,} contacts · sorted by {name}{' (reversed)' if self.reverse else ''}")

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self.apply_filter()

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.query_one("#contacts-table").focus()

    @on(Select.Changed)
    def _select_changed(self) -> None:
        self.apply_filter()

    def on_key(self, event) -> None:
        table = self.query_one("#contacts-table", VirtualTable)
        if event.key == "down" and self.focused is self.query_one("#filter"):
            event.stop()
            table.focus()
        elif (self.focused is table and event.is_printable and event.character
              and event.key not in self.active_bindings):
            # type-to-filter: a key that is no command here starts (or goes on with) the filter
            event.stop()
            event.prevent_default()
            box = self.query_one("#filter", Input)
            box.focus()
            box.insert_text_at_cursor(event.character)

    def arrive(self) -> None:
        box = self.query_one("#filter", Input)
        box.focus()
        box.cursor_position = len(box.value)

    # ------------------------------------------------------------------ actions
    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_sort(self) -> None:
        self.sort = (self.sort + 1) % len(SORTS)
        self._resort()

    def action_reverse(self) -> None:
        self.reverse = not self.reverse
        self._resort()

    def _current(self):
        return self.query_one("#contacts-table", VirtualTable).current

    def context_contacts(self) -> list[int]:
        c = self._current()
        return [c.id] if c is not None else []

    def action_open_contact(self) -> None:
        c = self._current()
        if c is not None:
            self.app.open_contact(c.id)

    @on(VirtualTable.Selected, "#contacts-table")
    def _selected(self, event: VirtualTable.Selected) -> None:
        self.app.open_contact(event.row.id)

    def action_edit_contact(self) -> None:
        c = self._current()
        if c is None:
            return
        from netjournal.store import api

        self.fetch("edit", api.get_contact, self.db, c.id)

    def got_edit(self, contact) -> None:
        from netjournal.tui.dialogs.contact_form import ContactFormModal

        self.app.push_screen(ContactFormModal(contact), self.app._after_contact_form)


def _sel(select: Select):
    v = select.value
    return None if v is Select.NULL or v is None else v


def _today() -> date:
    from netjournal import clock

    return clock.today()
