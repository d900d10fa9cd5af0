"""The contact screen's "People" section (issue 16): whom this person is linked to, each link
read from their side (inverses shown), then — dimmed, offered not imposed — the people they
"seem to know" (seen together in ≥ 3 group touches or follow-ups).

The section is a list (``P`` or tab goes to it; j/k move): enter changes the selected link
(the link dialog, prefilled), x/delete removes it (asks first; u undoes it), and on a suggestion
y links them ("knows") while enter opens the link dialog to pick the type. The rows are read
in a worker (``DbMixin.fetch``) when the screen shows a contact. :class:`PeopleKeys` is mixed
into the contact screen for ``K`` (add a link), ``n`` (who can introduce me to this person) and
what the list's keys do.
"""
from __future__ import annotations

from rich.text import Text
from textual.containers import Vertical
from textual.widgets import Static

from netjournal.tui import actions
from netjournal.tui.screens.base import DbMixin
from netjournal.tui.widgets.vtable import Column, Group, VirtualTable

EMPTY = "No links yet. K links someone they know; n: who can introduce you."
SUGGESTED = "Seem to know each other (y: link)"


def link_text(r) -> Text:
    t = Text()
    words = r.label if r.kind == "custom" else r.words
    t.append(f"{words} ", style="dim")
    t.append(r.other.name, style="bold")
    if r.company:
        t.append(f" at {r.company}", style="dim")
    if r.since:
        t.append(f" since {r.since.isoformat()}", style="dim")
    return t


def suggestion_text(s) -> Text:
    return Text(f"{s.b.name} · together {s.together}×", style="dim italic")


def people_text(rows) -> Text:
    """The section as plain text (one line a link)."""
    t = Text()
    t.append("People\n", style="bold")
    if not rows:
        t.append(EMPTY + "\n", style="dim italic")
    for r in rows:
        t.append_text(link_text(r))
        t.append("\n")
    return t


def _row_key(r):
    if isinstance(r, Group):
        return ("group", r.label)
    return ("link", r.id) if hasattr(r, "words") else ("suggestion", r.b.id)


class PeopleList(VirtualTable):
    """The links, then the suggestions; the keys act on the selected row (the contact screen
    does the work, see :class:`PeopleKeys`)."""

    BINDINGS = [*VirtualTable.BINDINGS, *actions.bindings("people")]
    MAX_HEIGHT = 16

    def __init__(self, **kwargs) -> None:
        super().__init__([Column("Link")], lambda r: [suggestion_text(r) if hasattr(r, "together") else link_text(r)],
                         key=_row_key, show_header=False, empty=EMPTY, **kwargs)

    def set_rows(self, rows, *, keep: bool = True) -> None:
        super().set_rows(rows, keep=keep)
        self.styles.height = max(1, min(len(rows), self.MAX_HEIGHT))

    @property
    def selected_link(self):
        r = self.current
        return r if r is not None and hasattr(r, "words") else None

    @property
    def selected_suggestion(self):
        r = self.current
        return r if r is not None and hasattr(r, "together") else None

    def action_remove_link(self) -> None:
        self.screen.people_remove(self.selected_link)

    def action_edit_link(self) -> None:
        self._open(self.current)

    def action_accept_suggestion(self) -> None:
        self.screen.people_accept(self.selected_suggestion)

    def action_leave(self) -> None:
        self.screen.people_leave()

    def action_select(self) -> None:  # enter (a double click)
        self._open(self.current)

    def _open(self, row) -> None:
        if row is None:
            return
        if hasattr(row, "together"):
            self.screen.people_link_to(row.b)
        else:
            self.screen.people_edit(row)


class PeoplePanel(DbMixin, Vertical):
    """The People section; ``show_contact(id)`` reads the links and suggestions in a worker."""

    DEFAULT_CSS = """
    PeoplePanel { height: auto; margin: 1 0 0 0; }
    PeoplePanel > #people-title { text-style: bold; height: 1; }
    PeoplePanel > PeopleList { height: 1; background: transparent; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.contact_id: int | None = None
        self.rows: list = []
        self.suggestions: list = []

    def compose(self):
        yield Static("People", id="people-title", markup=False)
        yield PeopleList(id="people-list")

    def show_contact(self, contact_id: int) -> None:
        if contact_id != self.contact_id:  # someone else now: no stale names while reading
            self.rows, self.suggestions = [], []
            self.query_one(PeopleList).set_rows([], keep=False)
        self.contact_id = contact_id
        self.fetch("people", _read_people, self.db, contact_id)

    def got_people(self, result) -> None:
        cid, rows, suggestions = result
        if cid != self.contact_id:
            return
        self.rows, self.suggestions = rows, suggestions
        shown = list(rows) + ([Group(SUGGESTED), *suggestions] if suggestions else [])
        self.query_one(PeopleList).set_rows(shown)


def _read_people(db, contact_id: int):
    from netjournal.store import links

    return contact_id, links.list_links(db, contact_id), links.suggestions_for(db, contact_id)


def _unlink(db, link_id: int) -> None:
    from netjournal.store import links

    links.remove_link(db, link_id)


def _edit_link(db, link_id: int, contact_id: int, kind: str, company: str, label: str):
    """(the link before, the link after) — the edit and what its undo puts back."""
    from netjournal.store import links, undo

    saved = undo.save_link(db, link_id)
    return saved, links.edit_link(db, link_id, contact_id, kind, company=company, label=label)


class PeopleKeys:
    """Actions for the contact screen: add a link (K), who can introduce me (n), go to the
    People list (P), and what the list's keys do (change, remove, accept a suggestion)."""

    def action_add_link(self) -> None:
        if getattr(self, "contact", None) is None:
            return
        self._link_dialog()

    def _link_dialog(self, **kwargs) -> None:
        from netjournal.store.read import Ref
        from netjournal.tui.dialogs.link import LinkModal

        c = self.contact
        self.app.push_screen(LinkModal(Ref(c.id, c.name), **kwargs), self._after_people_change)

    def action_introduce(self) -> None:
        if getattr(self, "contact", None) is None:
            return
        from netjournal.store.read import Ref
        from netjournal.tui.dialogs.link import IntroduceModal

        c = self.contact
        self.app.push_screen(IntroduceModal(Ref(c.id, c.name)), self._after_people_change)

    def action_focus_people(self) -> None:
        self.query_one(PeopleList).focus()

    def people_leave(self) -> None:
        self.query_one("#timeline").focus()

    def _after_people_change(self, result) -> None:
        if result is None:
            return
        from netjournal.tui.app import UndoStep
        from netjournal.tui.dialogs.link import LinkEdit

        if isinstance(result, LinkEdit):
            row, ids = result.row, [result.row.contact_id, result.row.other.id]
            self.app.remember(UndoStep(f"Changed: {self.contact.name} — {row.describe()}",
                                       _revert, (result.saved,), ids))
        self.query_one(PeoplePanel).show_contact(self.contact_id)
        ids = [getattr(result, "contact_id", None), getattr(getattr(result, "other", None), "id", None)]
        ids += [getattr(getattr(result, "row", None), "contact_id", None)]
        ids += [r.id for r in getattr(result, "contacts", ())]
        self.app.data_changed([i for i in ids if i is not None])

    # ------------------------------------------------------------------ the list's keys
    def people_edit(self, row) -> None:
        if row is not None and self.contact is not None:
            self._link_dialog(link=row)

    def people_link_to(self, other) -> None:
        if self.contact is not None:
            self._link_dialog(other=other, kind="knows")

    def people_remove(self, row) -> None:
        if row is None:
            self.notify("Select a link in People first (a suggestion is only offered)", markup=False)
            return
        from netjournal.store import undo
        from netjournal.tui.app import UndoStep
        from netjournal.tui.dialogs.common import ConfirmWriteModal

        name, what = self.contact.name, row.describe()
        ids = [row.contact_id, row.other.id]

        def done(saved) -> None:
            if saved is None:
                return
            self.app.data_changed(ids)
            self.app.remember(UndoStep(f"Removed: {name} — {what}", undo.restore, (saved,), ids))

        self.app.push_screen(ConfirmWriteModal(f"Remove this link?\n\n{name} — {what}\n\n(u undoes it)",
                                               undo.delete_link, self.db, row.id, yes="Remove"), done)

    def people_accept(self, suggestion) -> None:
        if suggestion is None:
            self.notify("y accepts a suggested link (the dimmed rows under People)", markup=False)
            return
        from netjournal.store import links

        self.fetch("accepted", links.add_link, self.db, suggestion.a.id, suggestion.b.id, "knows", exclusive=False)

    def got_accepted(self, row) -> None:
        from netjournal.tui.app import UndoStep

        ids = [row.contact_id, row.other.id]
        self.app.data_changed(ids)
        name = self.contact.name if self.contact is not None else ""
        self.app.remember(UndoStep(f"Linked: {name} — {row.describe()}", _unlink, (row.id,), ids))


def _revert(db, saved) -> None:
    from netjournal.store import undo

    undo.revert_link(db, saved)


def network_table(connected, introducers):
    """The Insights card: most connected people next to the top introducers."""
    from rich.table import Table

    if not connected:
        return Text("No links yet: K on a contact links people (or `netjournal links suggest`).", style="dim")
    table = Table(box=None, show_header=True, header_style="bold dim", expand=True, pad_edge=False)
    for col in ("Most connected", "Links", "Top introducers", "Introduced"):
        table.add_column(col, no_wrap=True, overflow="ellipsis")
    for i in range(max(len(connected), len(introducers))):
        c = connected[i] if i < len(connected) else None
        n = introducers[i] if i < len(introducers) else None
        table.add_row(Text(c.contact.name) if c else "", str(c.count) if c else "",
                      Text(n.contact.name) if n else "", str(n.count) if n else "")
    return table
