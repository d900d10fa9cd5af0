"""Small typed modals: confirm, snooze until, why?, and offering a draft back."""
from __future__ import annotations

from datetime import date, timedelta

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from netjournal import clock
from netjournal.tui import drafts
from netjournal.errors import UserError
from netjournal.tui.screens.base import BaseModal
from netjournal.when import parse_when


class ConfirmModal(ModalScreen[bool]):
    BINDINGS = [Binding("y", "answer(True)", "Yes", id="confirm_yes"),
                Binding("n,escape", "answer(False)", "No", id="confirm_no")]

    def __init__(self, question: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question, self.yes, self.no = question, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, markup=False, classes="dialog-text")
            with Horizontal(classes="buttons"):
                yield Button(f"{self.yes} (y)", id="yes", variant="primary")
                yield Button(f"{self.no} (n)", id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


class ConfirmWriteModal(BaseModal):
    """Ask, then (on yes) run one store write in a worker; dismisses with its result, or None
    when the answer is no. A failure is shown in the dialog, which stays open."""

    BINDINGS = [Binding("y", "answer(True)", "Yes", id="confirm_write_yes"),
                Binding("n,escape", "answer(False)", "No", id="confirm_write_no")]

    def __init__(self, question: str, fn, *args, yes: str = "Delete", no: str = "Keep", **kwargs) -> None:
        super().__init__()
        self.question, self.yes, self.no = question, yes, no
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="confirm-write"):
            yield Static(self.question, markup=False, classes="dialog-text")
            yield Label("", id="save-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button(f"{self.yes} (y)", id="yes", variant="error")
                yield Button(f"{self.no} (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_answer(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        if self.busy:
            return
        if not value:
            self.dismiss(None)
            return
        self.busy = True
        self.fetch("done", lambda: self.fn(*self.args, **self.kwargs) or True, exclusive=False)

    def got_done(self, value) -> None:
        self.dismiss(value)

    def failed_done(self, error: str) -> bool:
        self.busy = False
        self.query_one("#save-error", Label).update(Text(error))
        return True


class SnoozeModal(ModalScreen["date | None"]):
    """Asks until when: '3d', 'next monday', '1 dec', 2026-12-01 (empty: a week)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="snooze_cancel")]

    def __init__(self, name: str) -> None:
        super().__init__()
        self.contact_name = name

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text.assemble("Snooze ", (self.contact_name, "bold"), " until when?"))
            yield Input(placeholder="1w · 3d · next monday · 1 dec · 2026-12-01", id="until")
            yield Label("", id="until-error", classes="error")
            yield Static("enter snooze · esc cancel", classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        from netjournal.store.snoozes import check_until

        today = clock.today()
        text = event.value.strip() or "1w"
        try:
            day, _ = parse_when(text, today, future=True)
            check_until(day, today)
        except UserError as exc:
            self.query_one("#until-error", Label).update(Text(str(exc)))
            return
        self.dismiss(day)

    def action_cancel(self) -> None:
        self.dismiss(None)


class WhyModal(ModalScreen[None]):
    """Why is this in the queue: the reason and each term of its score."""

    BINDINGS = [Binding("escape,enter,w,q", "close", "Close", id="why_close")]

    def __init__(self, item) -> None:
        super().__init__()
        self.item = item

    def compose(self) -> ComposeResult:
        it = self.item
        table = Table(show_header=True, header_style="bold", box=None, expand=False)
        table.add_column("term")
        table.add_column("points", justify="right")
        for label, value in it.terms:
            table.add_row(Text(str(label)), f"{value:+.2f}")
        table.add_row(Text("score", style="bold"), Text(f"{it.score:.2f}", style="bold"))
        with Vertical(classes="dialog", id="why"):
            yield Static(Text.assemble(("Why ", ""), (it.contact_name, "bold"), (" is here", "")))
            yield Static(Text(it.reason or ""), classes="dialog-text")
            yield Static(table)
            if it.suggestion:
                yield Static(Text("Suggestion: " + it.suggestion, style="italic"))
            yield Static("esc close", classes="hint")

    def action_close(self) -> None:
        self.dismiss(None)


def offer_draft(screen, area, draft: drafts.Draft) -> None:
    """Ask whether to restore an unsaved draft into ``area``."""
    when = draft.saved_at.strftime("%a %d %b %H:%M")
    n = len(draft.text)

    def done(restore: bool | None) -> None:
        if restore:
            area.restore(draft)
            area.focus()
        else:
            drafts.discard(draft.key)

    screen.app.push_screen(ConfirmModal(
        f"An unsaved draft from {when} ({n:,} characters) was found — the last session ended before "
        "it was saved. Restore it?", yes="Restore", no="Discard"), done)


def default_snooze(today: date) -> date:
    return today + timedelta(days=7)
