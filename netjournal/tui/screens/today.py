"""Today: the ranked reminder queue, today's journal entry, the touches logged today."""
from __future__ import annotations

import time

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Label, Static

from netjournal import drafts
from netjournal.tui import actions
from netjournal.tui.screens.base import BaseScreen
from netjournal.tui.text import channel_label, one_line, plain
from netjournal.tui.widgets.keybar import KeyBar
from netjournal.tui.widgets.vtable import Column, VirtualTable

FULL_EVERY = 30.0
KIND_LABELS = {
    "followup": "follow-up", "reply": "reply", "date": "date", "rhythm": "rhythm",
    "silence": "silence", "one-sided": "one-sided", "stage": "stage",
}

WELCOME = """\
Your journal is empty. Three ways to start:

  a      add a contact (then l logs a touch with them)
  I      import contacts: vCard, LinkedIn, Google or Outlook CSV
  demo   netjournal --db demo.db demo --open   (a demo network)

From the shell: netjournal add NAME, netjournal import FILE.
Press ? for every key.
"""


def _queue_row(item) -> list:
    action = item.action or ""
    if item.suggestion:
        action = f"{action}: {item.suggestion}" if action else item.suggestion
    return [plain(item.contact_name, "bold"), plain(KIND_LABELS.get(item.kind, item.kind), "dim"),
            plain(one_line(item.reason)), plain(action, "italic")]


def _touch_row(t) -> list:
    who = ", ".join(r.name for r in t.contacts)
    what = one_line(t.summary) or channel_label(t.channel)
    return [plain(channel_label(t.channel).split()[0], "dim"), plain(who, "bold"), plain(what)]


class TodayScreen(BaseScreen):
    AUTO_FOCUS = "#queue"
    SCOPE = "today"
    BINDINGS = actions.bindings("today")
    _side_ready = True

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="today"):
            with Vertical(id="queue-pane"):
                yield Label("Reach out today", id="queue-title", classes="pane-title")
                yield Static("Opening journal…", id="status", markup=False)
                yield VirtualTable(
                    [Column("Who", 20), Column("Kind", 9), Column("Why"), Column("Do", 20)],
                    _queue_row, key=lambda it: (it.contact_id, it.kind, it.followup_id),
                    empty="Nothing to do today. Log a touch with l, or look at Insights (i).", id="queue")
                yield Static("", id="reason", markup=False)
            with Vertical(id="side-pane"):
                # On a fast start the side pane (the journal editor, today's touches: data that
                # comes from the store, opened later) is mounted right after the queue is painted.
                self._side_ready = self.app.fast_start is None
                if self._side_ready:
                    yield from self._side_pane()
        yield KeyBar()

    @staticmethod
    def _side_pane() -> ComposeResult:
        from netjournal.tui.widgets.editor import JournalEditor  # TextArea: not needed for the first paint

        yield Label("Journal", id="journal-title", classes="pane-title")
        yield JournalEditor(id="journal", placeholder="Today's journal: e to write, @ to mention someone")
        yield Label("Logged today", id="touches-title", classes="pane-title")
        yield VirtualTable([Column("How", 7), Column("With", 16), Column("What")],
                           _touch_row, empty="Nothing logged yet today (l logs a touch).", id="touches")

    async def _mount_side_pane(self) -> None:
        if self._side_ready:
            return
        await self.query_one("#side-pane").mount_all(list(self._side_pane()))
        self._side_ready = True
        pending, self._side_pending = self._side_pending, []
        for fn, value in pending:
            fn(value)

    def on_mount(self) -> None:
        self.title = "netjournal"
        self.sub_title = "Today · " + self.today.strftime("%a %d %b %Y")
        self.query_one("#queue").display = False
        self.query_one("#reason").display = False
        fast = self.app.fast_start
        if fast is not None and not self.app.open_error:
            if fast.done:  # ranked already (in the other process): in the very first frame
                self.got_fast(fast.result())
            else:
                self.fetch("fast", fast.result)
        else:
            self.call_after_refresh(self._mount_side_pane)
        if self.app.open_error:
            self.show_open_error(self.app.open_error)

    def got_fast(self, fast) -> None:
        """The queue ranked by the fast start (None: there is none); the journal opens next."""
        if fast is not None and not self.loaded:
            self.app.fast_painted = True
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

    def got_queue(self, items: list) -> None:
        self.loaded = True
        status = self.query_one("#status", Static)
        table = self.query_one("#queue", VirtualTable)
        if not self.app.has_contacts:
            status.update(WELCOME)
            status.display = True
            table.display = False
            self.query_one("#reason").display = False
            self.query_one("#queue-title", Label).update("Welcome to netjournal")
            return
        status.display = False
        table.display = True
        self.query_one("#reason").display = True
        self.query_one("#queue-title", Label).update(f"Reach out today ({len(items)})")
        table.set_rows(items)
        self._show_reason()
        if self.focused is None:
            table.focus()
        from netjournal.store.links import introduction_nudges  # issue 16: "ask B to introduce you to X"
        self.fetch("nudges", introduction_nudges, self.db, [i.contact_id for i in items[:200]])

    _nudges: dict = {}

    def got_nudges(self, nudges: dict) -> None:
        self._nudges = nudges
        self._show_reason()

    _side_pending: list = []

    def _side_later(self, fn, value) -> bool:
        if self._side_ready:
            return False
        self._side_pending = [*self._side_pending, (fn, value)]
        return True

    def got_journal(self, day) -> None:
        if self._side_later(self.got_journal, day):
            return
        editor = self.query_one("#journal")
        if editor.area.dirty:
            return  # unsaved text (being typed, or a restored draft): keep it
        editor.area.load(day.body, drafts.key_for("journal", day.day.isoformat()))

    def got_touches(self, rows: list) -> None:
        if self._side_later(self.got_touches, rows):
            return
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
        t.append(item.contact_name, style="bold")
        t.append(" — " + (item.reason or ""))
        if item.suggestion:
            t.append("\nSuggestion: " + item.suggestion, style="italic")
        if item.contact_id in self._nudges:
            t.append("\nWhile you're at it: " + self._nudges[item.contact_id], style="italic")
        t.append("\nl log · s snooze · d dismiss · f follow-up · w why? · enter open", style="dim")
        reason.update(t)

    # ------------------------------------------------------------------ journal
    def on_journal_editor_save_requested(self, event) -> None:  # JournalEditor.SaveRequested
        from netjournal.store import api

        self.fetch("journal_saved", api.save_journal, self.db, self.today, event.text, exclusive=False)

    def got_journal_saved(self, result) -> None:
        day, unresolved = result
        self.query_one("#journal").area.mark_saved(day.body)
        if unresolved:
            self.notify("Not linked (no single contact by that name): " + ", ".join("@" + u for u in unresolved),
                        severity="warning", markup=False)
        self.app.data_changed([r.id for r in day.mentions])

    def on_draft_area_draft_found(self, event) -> None:  # DraftArea.DraftFound
        from netjournal.tui.dialogs.common import offer_draft

        offer_draft(self, event.area, event.draft)

    def action_edit_journal(self) -> None:
        if self._side_later(lambda _: self.action_edit_journal(), None):
            return
        self.query_one("#journal").area.focus()

    def _editing(self) -> bool:
        from netjournal.tui.widgets.editor import DraftArea

        return isinstance(self.focused, DraftArea)

    def on_key(self, event) -> None:
        if event.key == "escape" and self._side_ready and self._editing():
            event.stop()
            self.query_one("#journal").request_save()
            self.query_one("#queue", VirtualTable).focus()

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
        if not getattr(self, "_side_ready", True):
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
            from netjournal.store import api

            self._pending = (item.contact_id, item.contact_name, until)
            self.fetch("snoozed", api.snooze, self.db, item.contact_id, until=until, today=self.today,
                       kind=item.kind, exclusive=False)

        self.app.push_screen(SnoozeModal(item.contact_name), done)

    def got_snoozed(self, _none) -> None:
        cid, name, until = self._pending
        self.notify(f"Snoozed {name} until {until:%a %d %b}", markup=False)
        self.app.data_changed([cid])

    def action_dismiss(self) -> None:
        item = self._item_to_change(self.action_dismiss)
        if item is None:
            return
        from netjournal.store import api

        self._pending = (item.contact_id, item.contact_name, None)
        self.fetch("dismissed", api.dismiss, self.db, item.contact_id, kind=item.kind, today=self.today,
                   exclusive=False)

    def got_dismissed(self, _none) -> None:
        cid, name, _ = self._pending
        self.notify(f"Dismissed for {name} (until something new happens)", markup=False)
        self.app.data_changed([cid])

    def action_plan_followup(self) -> None:
        item = self._item_to_change(self.action_plan_followup)
        if item is None:
            return
        from netjournal.store.read import Ref
        from netjournal.tui.dialogs.followup import PlanFollowupModal

        self.app.push_screen(PlanFollowupModal([Ref(item.contact_id, item.contact_name)]),
                             lambda f: f and self.app.data_changed([r.id for r in f.contacts]))
