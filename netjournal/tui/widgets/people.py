"""The contact screen's "People" section (issue 16): whom this person is linked to, each link
read from their side (inverses shown), and the screen keys for links and introductions.

The section reads its rows in a worker (``DbMixin.fetch``) when the screen shows a contact;
:class:`PeopleKeys` is mixed into the contact screen for ``k`` (add a link) and ``n`` (who can
introduce me to this person).
"""
from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from netjournal.tui.screens.base import DbMixin


def people_text(rows) -> Text:
    t = Text()
    t.append("People\n", style="bold")
    if not rows:
        t.append("No links yet. K links someone they know; n: who can introduce you.\n", style="dim italic")
        return t
    for r in rows:
        words = r.label if r.kind == "custom" else r.words
        t.append(f"{words} ", style="dim")
        t.append(r.other.name, style="bold")
        if r.company:
            t.append(f" at {r.company}", style="dim")
        if r.since:
            t.append(f" since {r.since.isoformat()}", style="dim")
        t.append("\n")
    return t


class PeoplePanel(DbMixin, Static):
    """Shows a contact's links; ``show_contact(id)`` reads them in a worker."""

    DEFAULT_CSS = "PeoplePanel { height: auto; margin: 1 0 0 0; }"

    def __init__(self, **kwargs) -> None:
        super().__init__("", markup=False, **kwargs)
        self.contact_id: int | None = None
        self.rows: list = []

    def show_contact(self, contact_id: int) -> None:
        from netjournal.store import links

        if contact_id != self.contact_id:  # someone else now: no stale names while reading
            self.rows = []
            self.update(Text("People\n", style="bold"))
        self.contact_id = contact_id
        self.fetch("people", links.list_links, self.db, contact_id)

    def got_people(self, rows) -> None:
        self.rows = rows
        self.update(people_text(rows))


class PeopleKeys:
    """Actions for the contact screen: add a link (k), who can introduce me (n)."""

    def action_add_link(self) -> None:
        if getattr(self, "contact", None) is None:
            return
        from netjournal.store.read import Ref
        from netjournal.tui.dialogs.link import LinkModal

        c = self.contact
        self.app.push_screen(LinkModal(Ref(c.id, c.name)), self._after_people_change)

    def action_introduce(self) -> None:
        if getattr(self, "contact", None) is None:
            return
        from netjournal.store.read import Ref
        from netjournal.tui.dialogs.link import IntroduceModal

        c = self.contact
        self.app.push_screen(IntroduceModal(Ref(c.id, c.name)), self._after_people_change)

    def _after_people_change(self, result) -> None:
        if result is None:
            return
        self.query_one(PeoplePanel).show_contact(self.contact_id)
        ids = [getattr(result, "contact_id", None), getattr(getattr(result, "other", None), "id", None)]
        ids += [r.id for r in getattr(result, "contacts", ())]
        self.app.data_changed([i for i in ids if i is not None])


def network_table(connected, introducers):
    """The Insights card: most connected people next to the top introducers."""
    from rich.table import Table

    if not connected:
        return Text("No links yet: k on a contact links people (or `netjournal links suggest`).", style="dim")
    table = Table(box=None, show_header=True, header_style="bold dim", expand=True, pad_edge=False)
    for col in ("Most connected", "Links", "Top introducers", "Introduced"):
        table.add_column(col, no_wrap=True, overflow="ellipsis")
    for i in range(max(len(connected), len(introducers))):
        c = connected[i] if i < len(connected) else None
        n = introducers[i] if i < len(introducers) else None
        table.add_row(Text(c.contact.name) if c else "", str(c.count) if c else "",
                      Text(n.contact.name) if n else "", str(n.count) if n else "")
    return table
