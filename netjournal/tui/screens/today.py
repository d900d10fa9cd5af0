"""Today: the ranked reminder queue, today's journal entry, the touches logged today."""
from __future__ import annotations

import time

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Label, Static

from netjournal.tui import drafts
from netjournal.days import date_words
from netjournal.tui import actions
from netjournal.tui.gate import Gate
from netjournal.tui.screens.base import BaseScreen
from netjournal.tui.text import channel_label, mention_text, one_line, plain
from netjournal.tui.widgets.held import HeldLine, HeldQueueMixin, item_key  # issue 12: held back, everything due
from netjournal.tui.widgets.keybar import KeyBar
from netjournal.tui.widgets.vtable import Column, VirtualTable

FULL_EVERY = 30.0
from netjournal.engine.kinds import KIND_LABELS  # noqa: E402 (one label per kind, from the kind registry)

# the hint under the reason, in the user's own keys ([keys] remaps included)
_HINT = (("log_touch", "log"), ("snooze", "snooze"), ("dismiss", "dismiss"), ("undo", "undo"),
         ("plan_followup", "follow-up"), ("why", "why?"), ("open_contact", "open"))

WELCOME = """\
Your journal is empty. Three ways to start:

  a      add a contact (then {log} logs a touch with them)
  I      import contacts: vCard, LinkedIn, Google or Outlook CSV
  demo   netjournal --db demo.db demo --open   (a demo network)

From the shell: netjournal add NAME, netjournal import FILE.
Press ? for every key.
"""


def reason_without_name(name: str, reason: str) -> str:
    """The reason as the Why column shows it: the Who column already has the name, so
    "Ada Lovelace reached out…" reads "Reached out…" and "Ada Lovelace's birthday…" "Birthday…"."""
    reason = one_line(reason)
    for lead in (name + "'s ", name + "’s ", name + " "):
        if name and reason.startswith(lead) and len(reason) > len(lead):
            rest = reason[len(lead):]
            return rest[:1].upper() + rest[1:]
    return reason


def _queue_row(item) -> list:
    action = item.action or ""
    if item.suggestion:
        action = f"{action}: {item.suggestion}" if action else item.suggestion
    return [plain(item.contact_name, "bold"), plain(KIND_LABELS.get(item.kind, item.kind), "dim"),
            plain(reason_without_name(item.contact_name, item.reason or "")), plain(action, "italic")]


def _touch_row(t) -> list:
    who = ", ".join(r.name for r in t.contacts)
    what = one_line(t.summary) or channel_label(t.channel)
    return [plain(channel_label(t.channel).split()[0], "dim"), plain(who, "bold"), mention_text(what)]


class TodayScreen(HeldQueueMixin, BaseScreen):
    AUTO_FOCUS = "#queue"
    HOME = "#queue"
    SCOPE = "today"
    BINDINGS = actions.bindings("today")
    side = Gate.per_instance()  # the side pane: handlers for it wait until it is mounted

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="today"):
            with Vertical(id="queue-pane"):
                yield Label("Reach out today", id="queue-title", classes="pane-title")
                yield Static("Opening journal…", id="status", markup=False)
                yield VirtualTable(
                    [Column("Who", 18, min=12), Column("Kind", 9, min=9), Column("Why", weight=3),
                     Column("Do", weight=1, hide_below=64)],
                    _queue_row, key=item_key,
                    empty=f"Nothing to do today. Log a touch with {actions.key_of('log_touch', self.app.config.keys)}, "
                          f"or look at Insights ({actions.key_of('go_insights', self.app.config.keys)}).", id="queue")
                yield HeldLine(id="held")
                yield Static("", id="reason", markup=False)
            with Vertical(id="side-pane"):
                # The side pane (the journal editor, today's touches: data that comes from the
                # store, opened later) is mounted right after the first frame (the queue, when a
                # fast start ranked it), with or without a fast start.
                self.side.shut()
        yield KeyBar()

    def _side_pane(self) -> ComposeResult:
        from netjournal.tui.widgets.editor import JournalEditor  # TextArea: not needed for the first paint

        yield Label("Journal", id="journal-title", classes="pane-title")
        yield JournalEditor(id="journal", placeholder=f"Today's journal: {actions.key_of('edit_journal', self.app.config.keys)}"
                                                    " to write, @ to mention someone")
        yield Label("Logged today", id="touches-title", classes="pane-title")
        yield VirtualTable([Column("How", 7, min=4), Column("With", 14, min=8), Column("What")],
                           _touch_row, empty=f"Nothing logged yet today ({actions.key_of('log_touch', self.app.config.keys)} logs a touch).",
                           id="touches")

    async def _mount_side_pane(self) -> None:
        if self.side.is_open:
            return
        await self.query_one("#side-pane").mount_all(list(self._side_pane()))
        self.side.open()

    def on_mount(self) -> None:
        self.title = "netjournal"
        self.sub_title = "Today · " + self.today.strftime("%a %d %b %Y")
        self.query_one("#queue").display = False
        self.query_one("#reason").display = False
        start = self.app.startup  # the same with or without a fast start (then: ready, no queue)
        if self.app.open_error:
            self.call_after_refresh(self._mount_side_pane)
        elif start.ready:  # ranked already (in the other process), or nothing to wait for: first frame
            self.got_fast(start.queue())
        else:
            self.fetch("fast", start.queue)
        if self.app.open_error:
            self.show_open_error(self.app.open_error)

    def got_fast(self, fast) -> None:
        """The queue ranked by the fast start (None: there is none, or no fast start at all);
        then the side pane, then the journal opens."""
        if fast is not None and not self.loaded:
            self.app.startup.painted = True
            self.got_queue(fast.items)
        # after the frame with the queue: then the side pane, then the journal opens
        self.app.call_after_refresh(self._mount_side_pane)
        self.app.fast_finished()

    def failed_fast(self, _error: str) -> bool:
        self.app.call_after_refresh(self._mount_side_pane)
        self.app.fast_finished()
        return True  # the ordinary way reports what is wrong

    def show_open_error(self, error: str) -> None:
        st = self.query_one("#status", Static)
        st.update(Text(f"Cannot open the journal: {error}\n\nFix it and press r to try again, or q to quit.",
                       style="bold red"))
        st.display = True

    # ------------------------------------------------------------------ data
    _full_at = float("-inf")

    def reload(self, full: bool | None = None) -> None:
        full = not self.loaded if full is None else full
        if full:
            self._full_at = time.monotonic()
        self.fetch("queue", self.app.queue_items, full)
        self.fetch("journal", self._journal_load)
        self.fetch("touches", self._touches)

    def on_screen_resume(self) -> None:
        # Back on Today: re-read everything (the CLI may have written meanwhile); the queue is
        # fully recomputed at most every FULL_EVERY seconds, else only written contacts are.
        if self.app.db is not None:
            self.reload(full=time.monotonic() - self._full_at > FULL_EVERY)

    def _journal_load(self):
        from netjournal.store import api

        return api.get_journal(self.db, self.today)

    def _touches(self):
        from netjournal.store import api

        return api.list_touches(self.db, day=self.today, limit=200)

    _items: list = []

    def names_changed(self) -> None:
        if self.loaded:
            self.got_queue(self._items)

    def got_queue(self, items: list) -> None:
        self.loaded = True
        self._items = items
        status = self.query_one("#status", Static)
        table = self.query_one("#queue", VirtualTable)
        if not self.app.has_contacts:
            status.update(WELCOME.format(log=actions.key_of("log_touch", self.app.config.keys)))
            status.display = True
            table.display = False
            self.query_one("#reason").display = False
            self.query_one("#queue-title", Label).update("Welcome to netjournal")
            return
        status.display = False
        table.display = True
        self.query_one("#reason").display = True
        self.paint_queue(items)  # the title, the rows, what the caps held back (widgets/held.py)
        self._show_reason()
        if self.focused is None:
            table.focus()
        if self.db is not None:  # a fast-start paint comes before the journal opens; its reload does this
            self._queue_shown(items)

    def _queue_shown(self, items: list) -> None:
        """The store's part of a painted queue, in workers: the day counts as seen, and the
        introductions worth asking these contacts for are fetched."""
        from netjournal.store.links import introduction_nudges
        from netjournal.store.reminders import mark_seen

        self.fetch("seen", mark_seen, self.db, self.today, source="app", shown=len(items))
        self.fetch("nudges", introduction_nudges, self.db, [i.contact_id for i in items[:200]])

    _nudges: dict = {}

    def got_nudges(self, nudges: dict) -> None:
        self._nudges = nudges
        self._show_reason()

    @Gate.waits("side")
    def got_journal(self, day) -> None:
        editor = self.query_one("#journal")
        if editor.area.dirty:
            return  # unsaved text (being typed, or a restored draft): keep it
        editor.area.load(day.body, drafts.key_for("journal", day.day.isoformat()))

    @Gate.waits("side")
    def got_touches(self, rows: list) -> None:
        self.query_one("#touches-title", Label).update(f"Logged today ({len(rows)})")
        self.query_one("#touches", VirtualTable).set_rows(rows)

    @on(VirtualTable.Highlighted, "#queue")
    def _show_reason(self, event=None) -> None:
        item = self.query_one("#queue", VirtualTable).current
        reason = self.query_one("#reason", Static)
        if item is None:
            reason.update("")
            return
        t = Text()
        why = one_line(item.reason or "")
        if why.startswith(item.contact_name):  # the whole reason, the name in it in bold
            t.append(item.contact_name, style="bold")
            t.append(why[len(item.contact_name):])
        else:
            t.append(item.contact_name, style="bold")
            t.append(" — " + why)
        if item.action:
            t.append("\nDo: " + item.action, style="italic")
        if item.suggestion:
            t.append("\nSuggestion: " + item.suggestion, style="italic")
        if item.contact_id in self._nudges:
            t.append("\nWhile you're at it: " + self._nudges[item.contact_id], style="italic")
        t.append("\n" + actions.hint(_HINT, self.app.config.keys), style="dim")
        reason.update(t)

    # ------------------------------------------------------------------ journal
    def on_journal_editor_save_requested(self, event) -> None:  # JournalEditor.SaveRequested
        from netjournal.store import api

        self.fetch("journal_saved", api.save_journal, self.db, self.today, event.text, exclusive=False)

    def got_journal_saved(self, result) -> None:
        day, unresolved = result
        self.query_one("#journal").area.mark_saved(day.body)
        self.notify("Saved today's journal", markup=False)
        if unresolved:
            self.notify("Not linked (no single contact by that name): " + ", ".join("@" + u for u in unresolved),
                        severity="warning", markup=False)
        self.app.data_changed([r.id for r in day.mentions])

    def on_draft_area_draft_found(self, event) -> None:  # DraftArea.DraftFound
        from netjournal.tui.dialogs.common import offer_draft

        offer_draft(self, event.area, event.draft)

    @Gate.waits("side")
    def action_edit_journal(self) -> None:
        self.query_one("#journal").edit_at_end()

    def action_save_journal(self) -> None:
        if not self.side.is_open:
            return
        if not self.query_one("#journal").request_save():
            self.notify("Today's journal is saved (nothing new to save)", markup=False)

    # ------------------------------------------------------------------ queue actions
    def _item(self):
        return self.query_one("#queue", VirtualTable).current

    def _item_to_change(self, action):
        """The highlighted item, once the journal is open (the fast start paints the queue first:
        until then the action is carried out when it opens)."""
        item = self._item()
        if item is not None and self.app.later(action):
            return None
        return item

    def context_contacts(self) -> list[int]:
        item = self._item()
        return [item.contact_id] if item is not None and self.query_one("#queue").display else []

    def action_open_contact(self) -> None:
        item = self._item()
        if item is not None:
            self.app.open_contact(item.contact_id)

    @on(VirtualTable.Selected, "#queue")
    def _selected(self, event: VirtualTable.Selected) -> None:
        self.app.open_contact(event.row.contact_id)

    @on(VirtualTable.Selected, "#touches")
    def _touch_selected(self, event: VirtualTable.Selected) -> None:
        self.action_edit_touch()

    def _touch(self):
        """The highlighted touch of 'Logged today' (edit: enter or E; delete: x)."""
        if not self.side.is_open:
            return None
        return self.query_one("#touches", VirtualTable).current

    def action_edit_touch(self) -> None:
        from netjournal.tui.dialogs.log_touch import edit_touch

        edit_touch(self.app, self._touch())

    def action_delete_touch(self) -> None:
        from netjournal.tui.dialogs.log_touch import delete_touch

        delete_touch(self.app, self._touch())

    def action_why(self) -> None:
        item = self._item()
        if item is not None:
            from netjournal.tui.dialogs.common import WhyModal

            self.app.push_screen(WhyModal(item))

    def action_snooze(self) -> None:
        item = self._item_to_change(self.action_snooze)
        if item is None:
            return
        from netjournal.tui.dialogs.common import SnoozeModal

        def done(until) -> None:
            if until is None:
                return
            self.fetch("snoozed", _snooze, self.db, (item.contact_id, item.contact_name, until, item.kind),
                       self.today, exclusive=False, undoable=True)

        self.app.push_screen(SnoozeModal(item.contact_name), done)

    def got_snoozed(self, pending) -> None:
        from netjournal.tui.app import UndoStep

        cid, name, until, kind = pending
        self.app.data_changed([cid])
        self.app.remember(UndoStep(f"Snoozed {name} until {date_words(until, self.today)}", _unsnooze, (cid, kind, until), [cid]))

    def action_dismiss(self) -> None:
        item = self._item_to_change(self.action_dismiss)
        if item is None:
            return
        self.fetch("dismissed", _dismiss, self.db, (item.contact_id, item.contact_name, None, item.kind),
                   self.today, exclusive=False, undoable=True)

    def got_dismissed(self, pending) -> None:
        from netjournal.tui.app import UndoStep

        cid, name, _, kind = pending
        self.app.data_changed([cid])
        self.app.remember(UndoStep(f"Dismissed {KIND_LABELS.get(kind, kind)} for {name}", _undismiss,
                                   (cid, kind, self.today), [cid]),
                          f"Dismissed {KIND_LABELS.get(kind, kind)} for {name} (until something new happens)")

    def action_plan_followup(self) -> None:
        item = self._item_to_change(self.action_plan_followup)
        if item is None:
            return
        from netjournal.store.read import Ref
        from netjournal.tui.dialogs.followup import PlanFollowupModal

        self.app.push_screen(PlanFollowupModal([Ref(item.contact_id, item.contact_name)]),
                             lambda f: f and self.app.data_changed([r.id for r in f.contacts]))


def _snooze(db, pending: tuple, today):
    """(in a worker) the snooze; the action's own details come back with it (two fast snoozes
    each keep their own)."""
    from netjournal.store import api

    cid, _name, until, kind = pending
    api.snooze(db, cid, until=until, today=today, kind=kind)
    return pending


def _dismiss(db, pending: tuple, today):
    from netjournal.store import api

    cid, _name, _until, kind = pending
    api.dismiss(db, cid, kind=kind, today=today)
    return pending


def _unsnooze(db, contact_id: int, kind, until) -> None:
    from netjournal.store import undo

    undo.unsnooze(db, contact_id, kind=kind, until=until)


def _undismiss(db, contact_id: int, kind: str, day) -> None:
    from netjournal.store import undo

    undo.undismiss(db, contact_id, kind=kind, on_day=day)
