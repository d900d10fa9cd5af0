"""Plan a follow-up: a coffee, a call, something to send — with a due date, place and agenda."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, Select, Static, TextArea

from netjournal.tui.widgets.flowselect import FlowSelect

from netjournal import clock, vocab
from netjournal.errors import UserError
from netjournal.store.read import Ref
from netjournal.tui.screens.base import BaseModal
from netjournal.when import parse_when

KIND_LABELS = {"meet": "meet offline (coffee, lunch, meeting)", "call": "call", "send": "send something",
               "reply": "reply", "introduce": "introduce someone", "other": "other"}


class PlanFollowupModal(BaseModal):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="plan_cancel"),
        Binding("ctrl+s", "save", "Save", id="plan_save", priority=True),
    ]

    def __init__(self, contacts: list[Ref], *, from_touch_id: int | None = None, kind: str = "meet") -> None:
        super().__init__()
        self.contacts = contacts
        self.from_touch_id = from_touch_id
        self.kind = kind

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="plan"):
            t = Text("Plan a follow-up with ", style="bold")
            t.append(", ".join(r.name for r in self.contacts))
            yield Static(t, classes="dialog-title")
            yield Input(placeholder="what: coffee to talk about the book", id="title", max_length=vocab.MAX_SHORT)
            yield Label("", id="title-error", classes="error")
            yield FlowSelect([(label, k) for k, label in KIND_LABELS.items()], value=self.kind,
                             allow_blank=False, id="kind")
            yield Input(placeholder="when: friday · in 2w · 3 dec 10:00 (optional)", id="due")
            yield Label("", id="due-error", classes="error")
            yield Input(placeholder="where (optional)", id="place", max_length=vocab.MAX_SHORT)
            yield TextArea("", id="agenda", soft_wrap=True, tab_behavior="focus", placeholder="agenda (optional)")
            yield Label("", id="save-error", classes="error")
            yield Static("enter next field · space opens the kind · ctrl+s save · esc cancel", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#title", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        # enter goes from field to field; the agenda (the last one, several lines) saves on ctrl+s
        event.stop()
        self.focus_next()

    def _due(self):
        text = self.query_one("#due", Input).value
        if not text.strip():
            return None, None
        return parse_when(text, clock.today(), future=True)

    def action_save(self) -> None:
        self.after_typing(self._save)

    def _save(self) -> None:
        ok = True
        title = self.query_one("#title", Input).value
        self.query_one("#title-error", Label).update("")
        self.query_one("#due-error", Label).update("")
        if not title.strip():
            self.query_one("#title-error", Label).update("a follow-up needs a title (what will you do?)")
            ok = False
        try:
            due_on, due_time = self._due()
        except UserError as exc:
            self.query_one("#due-error", Label).update(Text(str(exc)))
            ok = False
        if not ok:
            return
        from netjournal.store import api

        self.fetch("saved", api.add_followup, self.db, contact_ids=[r.id for r in self.contacts], title=title,
                   kind=self.query_one("#kind", Select).value, due_on=due_on, due_time=due_time,
                   place=self.query_one("#place", Input).value, agenda=self.query_one("#agenda", TextArea).text,
                   from_touch_id=self.from_touch_id)

    def got_saved(self, row) -> None:
        when = f" on {row.due_on:%a %d %b}" if row.due_on else ""
        self.app.notify(f"Planned: {row.title}{when}", markup=False)
        self.dismiss(row)

    def failed_saved(self, error: str) -> bool:
        self.query_one("#save-error", Label).update(Text(error))
        return True

    def action_cancel(self) -> None:
        self.dismiss(None)
