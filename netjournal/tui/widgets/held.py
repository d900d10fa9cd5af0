"""Today's queue and what the daily caps held back (issue 12).

Under the queue a line says what the caps held back today, in the words ``netjournal due``
uses ("Held back today: 91 more replies owed · 2 more dates coming"), and the queue's title
how many and the key ("Reach out today (5) · 93 held back (A shows all)").
``A`` toggles Today between *today's queue* and *everything due* (``due --all``: no budget, no
caps, nothing retired): the items that are not on today's queue come after a heading.

The held counts come with the queue the app ranks in its worker (``Queue.held``); everything due
is :func:`netjournal.store.reminders.queue` with ``everything=True`` — the store function the
CLI's ``due --all`` runs — fetched in a worker too. The UI thread only paints.
"""
from __future__ import annotations

from rich.text import Text
from textual.widgets import Label, Static

from netjournal.tui import actions
from netjournal.tui.widgets.vtable import Group, VirtualTable

ACTION_ID = "today_all_due"


def item_key(it) -> tuple:
    return (it.contact_id, it.kind, it.followup_id)


def everything_due(db, cfg):
    """Every item due today, the caps and the daily budget off (``netjournal due --all``)."""
    from netjournal import clock
    from netjournal.store import reminders

    return reminders.queue(db, clock.now(), cfg, everything=True)


def held_text(held: dict[str, int]) -> Text:
    """"Held back today: 91 more replies owed · 2 more dates coming" (``due``'s words)."""
    from netjournal.engine.text import held_lines   # pure text: no SQLAlchemy on the UI thread before the journal opens

    lines = held_lines(held or {}, see=None)
    if not lines:
        return Text("")
    t = Text("Held back today: ", style="bold")
    t.append(" · ".join(lines))
    return t


class HeldLine(Static):
    """One line under Today's queue: what the caps held back, or how to get back to today's queue."""

    DEFAULT_CSS = """
    HeldLine { height: auto; max-height: 2; padding: 0 1; color: $warning; text-overflow: ellipsis; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__("", markup=False, **kwargs)
        self.display = False  # shown once something is held back (or in the everything view)


class HeldQueueMixin:
    """Today's half of the toggle (mixed into TodayScreen): :meth:`paint_queue` paints the queue
    table, its title and the held line; ``A`` (``action_all_due``) switches the view."""

    everything = False
    _full = None  # everything due (the last fetched), or None

    def _toggle_key(self) -> str:
        return actions.key_of(ACTION_ID, self.app.config.keys)

    def paint_queue(self, items: list) -> None:
        """Today's queue ``items`` (or everything due, in that view) into the table; the held line."""
        table = self.query_one("#queue", VirtualTable)
        line = self.query_one(HeldLine)
        key = self._toggle_key()
        if not self.everything:
            held = getattr(items, "held", None) or {}
            n = sum(held.values())
            title = f"Reach out today ({len(items)})" + (f" · {n} held back ({key} shows all)" if n else "")
            self.query_one("#queue-title", Label).update(title)
            table.set_rows(items)
            text = held_text(held)
            line.update(text)
            line.display = bool(text.plain)
            return
        if self.db is not None:
            self.fetch("everything", everything_due, self.db, self.app.engine_cfg)
        self._paint_everything(items)
        line.update(Text.assemble(("Everything due", "bold"), " (netjournal due --all)",
                                  (f" — {key} back to today's queue", "dim")))
        line.display = True

    def _paint_everything(self, items: list) -> None:
        """Today's items first, then (after a heading) what is due but not on today's queue."""
        on_today = {item_key(it) for it in items}
        more = [it for it in (self._full or ()) if item_key(it) not in on_today]
        rows = list(items)
        if more:
            rows += [Group(f"Not on today's queue ({len(more)}): held back by the caps and the budget"), *more]
        title = f"Everything due ({len(items)} today"
        title += f" + {len(more)} more)" if self._full is not None else ", reading the rest…)"
        self.query_one("#queue-title", Label).update(title)
        self.query_one("#queue", VirtualTable).set_rows(rows)

    def got_everything(self, full) -> None:
        self._full = full
        if self.everything and self.loaded:
            self._paint_everything(self._items)

    def action_all_due(self) -> None:
        """A: today's queue ⇄ everything due (the held items after a heading)."""
        if not self.loaded or not self.query_one("#queue").display:
            return
        self.everything = not self.everything
        if not self.everything:
            self._full = None
        self.paint_queue(self._items)
        self._show_reason()
