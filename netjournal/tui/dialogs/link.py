"""Links between people (issue 16): add a link with a fuzzy contact picker, and "who can
introduce me to X?" with a one-key plan of an ``introduce`` follow-up."""
from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from netjournal import clock, vocab
from netjournal.store.read import Ref
from netjournal.tui.screens.base import BaseModal
from netjournal.tui.text import one_line, plain
from netjournal.tui.widgets.vtable import Column, VirtualTable

@dataclass(frozen=True)
class LinkEdit:
    """What the link dialog dismisses with when it changed a link: the link now, and the link
    as it was (for undo)."""
    row: object
    saved: object


KIND_HINT = ("partner · spouse · parent · child · sibling · colleague · friend · knows · "
             "introduced-by · introduced · reports-to · manages · custom")


class LinkModal(BaseModal):
    """"<contact> is … of <whom>": pick whom (fuzzy, as in Log touch), type the link's type,
    optionally the company (colleagues) or the words (custom). Dismisses with the LinkRow.

    Given ``link`` (a LinkRow of this contact), it changes that link instead: prefilled, whom
    fixed; dismisses with a :class:`LinkEdit`. Given ``other`` (a suggestion), whom is picked."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="link_cancel"),
        Binding("ctrl+s", "save", "Save", id="link_save", priority=True),
    ]

    def __init__(self, contact: Ref, *, link=None, other: Ref | None = None, kind: str = "") -> None:
        super().__init__()
        self.contact = contact
        self.link = link
        self.other: Ref | None = link.other if link is not None else other
        self.kind = kind

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="link"):
            title = (Text.assemble("Change how ", (self.contact.name, "bold"), " knows ",
                                   (self.other.name, "bold")) if self.link is not None else
                     Text.assemble("Link ", (self.contact.name, "bold"), " to someone they know"))
            yield Static(title, classes="dialog-title")
            yield Static("", id="link-other")
            yield Input(placeholder="Who? type a name — enter picks", id="link-who")
            yield VirtualTable([Column("Name")], lambda r: [r[1] + (f"  ({r[2]})" if r[2] else "")],
                               key=lambda r: r[0], show_header=False, empty="No contact by that name.",
                               id="link-matches")
            yield Input(placeholder=f"{self.contact.name} is the … of them: colleague, friend, parent…", id="link-kind")
            yield Static(KIND_HINT, classes="hint")
            yield Input(placeholder="company (colleagues, optional)", id="link-company", max_length=vocab.MAX_SHORT)
            yield Input(placeholder="words of a custom link: godparent of (optional)", id="link-label", max_length=100)
            yield Label("", id="link-error", classes="error")
            yield Static("enter next · ctrl+s save · esc cancel", classes="hint")

    def on_mount(self) -> None:
        self._filter("")
        self._show_other()
        if self.link is not None:
            from netjournal.store.links import kind_word

            self.query_one("#link-who", Input).display = False
            self.query_one("#link-matches").display = False
            self.query_one("#link-kind", Input).value = kind_word(self.link)
            self.query_one("#link-company", Input).value = self.link.company
            self.query_one("#link-label", Input).value = self.link.label
        elif self.kind:
            self.query_one("#link-kind", Input).value = self.kind
        self.query_one("#link-kind" if self.other is not None else "#link-who", Input).focus()

    def _show_other(self) -> None:
        t = Text("With: ", style="bold")
        if self.other is None:
            t.append("nobody yet", style="dim")
        else:
            t.append(self.other.name, style="bold")
        self.query_one("#link-other", Static).update(t)

    def _filter(self, text: str) -> None:
        found = self.app.names_index.filter(text, limit=40)
        rows = [r for r in found if r[0] != self.contact.id][:8]
        table = self.query_one("#link-matches", VirtualTable)
        table.empty = (f"{self.contact.name} cannot be linked to themselves: pick someone else."
                       if not rows and found else "No contact by that name.")
        table.set_rows(rows, keep=False)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "link-who":
            self._filter(event.value)
        self.query_one("#link-error", Label).update("")

    def _pick(self, row) -> None:
        self.other = Ref(row[0], row[1])
        self.query_one("#link-who", Input).value = ""
        self._show_other()
        self.query_one("#link-kind", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        iid = event.input.id
        if iid == "link-who":
            row = self.query_one("#link-matches", VirtualTable).current
            if row is not None and (event.value.strip() or self.other is None):
                self._pick(row)
            elif self.other is not None:
                self.query_one("#link-kind", Input).focus()
        elif iid == "link-kind":
            kind = event.value.strip().lower()
            if kind in ("colleague", "custom"):
                self.query_one("#link-company" if kind == "colleague" else "#link-label", Input).focus()
            else:
                self.action_save()
        else:
            self.action_save()

    def on_key(self, event) -> None:
        if self.focused is self.query_one("#link-who") and event.key in ("down", "up"):
            self.query_one("#link-matches", VirtualTable).action_move(1 if event.key == "down" else -1)
            event.stop()

    def on_virtual_table_selected(self, event: VirtualTable.Selected) -> None:
        event.stop()
        self._pick(event.row)

    def action_save(self) -> None:
        err = self.query_one("#link-error", Label)
        if self.other is None:
            err.update("pick who they are linked to first")
            self.query_one("#link-who", Input).focus()
            return
        kind = self.query_one("#link-kind", Input).value.strip()
        if not kind:
            err.update("what is the link? (colleague, friend, parent…)")
            self.query_one("#link-kind", Input).focus()
            return
        from netjournal.store import links

        company = self.query_one("#link-company", Input).value
        label = self.query_one("#link-label", Input).value
        if self.link is not None:
            from netjournal.tui.widgets.people import _edit_link

            # what was only prefilled goes with a type change (a friend has no company)
            word = kind.lower()
            if word != "colleague" and company == self.link.company:
                company = ""
            if word != "custom" and label == self.link.label:
                label = ""

            self.fetch("changed", _edit_link, self.db, self.link.id, self.contact.id, kind, company, label)
            return
        self.fetch("saved", links.add_link, self.db, self.contact.id, self.other.id, kind,
                   company=company, label=label)

    def got_saved(self, row) -> None:
        self.app.notify(f"Linked: {self.contact.name} — {row.describe()}", markup=False)
        self.dismiss(row)

    def got_changed(self, result) -> None:
        saved, row = result
        self.dismiss(LinkEdit(row, saved))  # (the contact screen says so, with u to undo)

    def failed_changed(self, error: str) -> bool:
        return self.failed_saved(error)

    def failed_saved(self, error: str) -> bool:
        self.query_one("#link-error", Label).update(Text(error))
        return True

    def action_cancel(self) -> None:
        self.dismiss(None)


def _intro_row(r) -> list:
    return [plain(f"{r.score:>3.0f}"), plain(one_line(r.contact.name), "bold"), plain(one_line(r.via), "dim")]


class IntroduceModal(BaseModal):
    """Who can introduce me to the target: ranked, with the reasons of the highlighted one;
    ``p`` (or enter) plans an ``introduce`` follow-up with them. Dismisses with the follow-up."""

    BINDINGS = [
        Binding("escape,q", "cancel", "Close", id="introduce_close"),
        Binding("p", "plan", "Plan follow-up", id="introduce_plan"),
    ]

    def __init__(self, target: Ref) -> None:
        super().__init__()
        self.target = target
        self.rows: list = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="introduce"):
            yield Static(Text.assemble("Who can introduce you to ", (self.target.name, "bold"), "?"),
                         classes="dialog-title")
            yield VirtualTable([Column("Score", 5), Column("Who", 24), Column("How they know them")], _intro_row,
                               key=lambda r: r.contact.id, show_header=True, id="introducers",
                               empty="Looking…")
            yield Static("", id="intro-why", markup=False)
            yield Static("p or enter: plan 'ask them to introduce you' · esc close", classes="hint")

    def on_mount(self) -> None:
        from netjournal.store import links

        self.query_one("#introducers", VirtualTable).focus()
        self.fetch("introducers", links.introducers, self.db, self.target.id, today=clock.today())

    def got_introducers(self, rows) -> None:
        self.rows = rows
        table = self.query_one("#introducers", VirtualTable)
        if not rows:
            table.empty = (f"Nobody in your journal is linked to {self.target.name} or their company yet: "
                           "k on a contact links people.")
        table.set_rows(rows, keep=False)
        if rows:
            self._why(rows[0])
        table.refresh()

    def _why(self, r) -> None:
        self.query_one("#intro-why", Static).update(Text(f"{r.contact.name}: " + "; ".join(r.reasons)))

    def on_virtual_table_highlighted(self, event: VirtualTable.Highlighted) -> None:
        event.stop()
        self._why(event.row)

    def on_virtual_table_selected(self, event: VirtualTable.Selected) -> None:
        event.stop()
        self.action_plan()

    def action_plan(self) -> None:
        r = self.query_one("#introducers", VirtualTable).current
        if r is None:
            return
        from netjournal.store import links

        self.fetch("planned", links.plan_introduction, self.db, r.contact.id, self.target.id, exclusive=False)

    def got_planned(self, f) -> None:
        self.app.notify(f"Planned: {f.title}", markup=False)
        self.dismiss(f)

    def action_cancel(self) -> None:
        self.dismiss(None)
