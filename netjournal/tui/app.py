"""The netjournal app: modes for the main screens, the journal opened after the first paint."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable

from textual import on, work
from textual.app import App
from textual.message import Message

from netjournal import clock
from netjournal.config import Config
from netjournal.errors import UserError
from netjournal.tui import actions
from netjournal.tui.commands import NetjournalCommands
from netjournal.tui import faststart
from netjournal.tui.keygate import KeyGate
from netjournal.tui.screens.base import describe
from netjournal.tui.screens.today import TodayScreen

if TYPE_CHECKING:
    from netjournal.store.db import Database

# The other main screens are imported when first shown (or in the background once the journal
# is open), so that start-up pays only for Today.
_LAZY_SCREENS = {
    "contacts": ("netjournal.tui.screens.contacts", "ContactsScreen"),
    "followups": ("netjournal.tui.screens.followups", "FollowupsScreen"),
    "journal": ("netjournal.tui.screens.journal", "JournalScreen"),
    "search": ("netjournal.tui.screens.search", "SearchScreen"),
    "insights": ("netjournal.tui.screens.insights", "InsightsScreen"),
}


def _screen_factory(mode: str):
    module, name = _LAZY_SCREENS[mode]

    def make():
        import importlib

        return getattr(importlib.import_module(module), name)()

    make.__name__ = f"make_{name}"
    return make


@dataclass
class UndoStep:
    """How to take back one destructive action: ``fn(db, *args)`` in a worker."""
    label: str
    fn: Callable
    args: tuple = ()
    contact_ids: list = field(default_factory=list)
    names: bool = False  # the contact list changed (archive, delete)
    after: Callable | None = None  # on the UI thread, once undone


class NetJournalApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "netjournal"
    BINDINGS = actions.bindings("app")
    COMMANDS = App.COMMANDS | {NetjournalCommands}
    # Screen classes by width: side panes shrink first (app.tcss)
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-normal"), (150, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]
    MODES = {"today": TodayScreen, **{mode: _screen_factory(mode) for mode in _LAZY_SCREENS}}

    class JournalOpened(Message):
        def __init__(self, db: "Database", names: list) -> None:
            super().__init__()
            self.db, self.names = db, names

    class JournalFailed(Message):
        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    def __init__(self, url: str | None = None, config: Config | None = None, *, db: "Database | None" = None) -> None:
        super().__init__()
        self.url = url
        self.config = config or Config()
        self.db: Database | None = None  # set once opened (after the first paint)
        self._given_db = db
        self.open_error: str | None = None
        self.names: list[tuple[int, str, str]] = []
        self._names_index = None
        self._queue = None
        self._queue_lock = threading.Lock()
        self._dirty: set[int] = set()
        self.engine_cfg = None
        # The start-up: Today's queue ranked off the UI thread (another process where possible)
        # while Textual starts, and the keys pressed before the journal is open. Without a fast
        # start (a database handed in, or not a plain SQLite file) the same object, with no queue.
        self.startup = faststart.StartUp.for_url(url, self.config) if db is None else faststart.StartUp()
        self.undo_stack: list[UndoStep] = []  # this session's destructive actions, newest last
        self.key_gate = KeyGate(self)   # keys in order, each to the focus the key before it left

    # ------------------------------------------------------------------ the keyboard model
    async def _check_bindings(self, key: str, priority: bool = False) -> bool:
        """Textual's key → binding dispatch, with one rule added (the keyboard model): while a
        text field, editor or selector has focus, no key reaches a binding of the screen or of
        the app unless ``actions.reaches_screen_while_typing`` says so; the field keeps it.
        Escape leaves the field (to the screen's list) on a main screen; in a dialog it is the
        dialog's. Priority bindings (ctrl+s, ctrl+l, ctrl+p…) are not affected."""
        from textual.screen import Screen

        screen = self.screen
        focused = screen.focused
        if priority and actions.is_typing(focused) and self._priority_binding(screen, key):
            # A priority key (ctrl+s…) is handled here, ahead of the keys typed before it that
            # still wait in the field's queue (a burst, a paste, tmux): run it after them, so a
            # save sees every character typed before it.
            focused.call_later(self._check_bindings_now, key)
            return True
        if priority or not actions.is_typing(focused):
            return await super()._check_bindings(key, priority)
        for namespace, bindings in screen._modal_binding_chain:
            if isinstance(namespace, (Screen, App)):
                if key == "escape" and not screen.is_modal:
                    self.leave_field(screen)
                    return True
                if not (actions.reaches_screen_while_typing(key) or (key == "escape" and namespace is screen)):
                    continue
            for binding in bindings.key_to_bindings.get(key, ()):
                if binding.priority == priority and await self.run_action(binding.action, namespace):
                    return True
        if key == "escape" and not screen.is_modal:
            self.leave_field(screen)
            return True
        return False

    async def _check_bindings_now(self, key: str) -> None:
        await super()._check_bindings(key, True)

    @staticmethod
    def _priority_binding(screen, key: str) -> bool:
        return any(b.priority for _ns, bindings in screen._binding_chain
                   for b in bindings.key_to_bindings.get(key, ()))

    @staticmethod
    def leave_field(screen) -> None:
        """Escape in a field of a main screen: focus goes to the screen's list (else nowhere)."""
        selector = getattr(screen, "HOME", "") or getattr(screen, "AUTO_FOCUS", "") or ""
        target = None
        if selector:
            try:
                target = screen.query_one(selector)
            except Exception:  # noqa: BLE001 - not mounted yet
                target = None
        if target is not None and target.display and target.focusable and not actions.is_typing(target):
            target.focus()
        else:
            screen.set_focus(None)

    def action_back(self) -> None:
        """Escape with no field focused: leave the screen (a pushed one), else go to Today."""
        if len(self.screen_stack) > 1 and hasattr(self.screen, "reload"):
            self.pop_screen()
        elif self.current_mode != "today":
            self.switch_mode("today")

    def action_command_palette(self) -> None:
        """One palette at a time: ctrl+p over an open palette (e.g. under a dialog) does nothing."""
        from textual.command import CommandPalette

        if any(isinstance(s, CommandPalette) for s in self.screen_stack):
            return
        super().action_command_palette()

    async def on_event(self, event) -> None:
        from textual import events

        if isinstance(event, events.Paste) and not event.is_forwarded:
            from netjournal.tui.paste import clean_paste

            text = clean_paste(event.text)
            if text != event.text:
                event = events.Paste(text)
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            if not self.key_gate.hold(event):   # else it goes on after the keys before it
                await self.route_input(event)
            return
        await super().on_event(event)

    async def route_input(self, event) -> None:
        """A key or paste read from the terminal (or let through by the key gate, in order): to
        the focused widget, the gate closing behind a key that may move the focus."""
        target = self.focused or self.screen
        await super().on_event(event)
        self.key_gate.sent(event, target)

    def on_key_done(self, message) -> None:
        self.key_gate.done(message.token)

    def on_idle(self) -> None:
        self.key_gate.idle()

    async def _press_keys(self, keys) -> None:
        """Pilot's key presses (tests, screenshots): each waits until the gate has handed it on,
        as a person waits to see a key's effect."""
        for key in keys:
            await super()._press_keys([key])
            await self.key_gate.wait_open()

    # ------------------------------------------------------------------ undo
    def remember(self, step: "UndoStep", message: str | None = None) -> None:
        """A destructive action was carried out: keep how to undo it and say so."""
        self.undo_stack = [*self.undo_stack[-49:], step]
        self.notify(f"{message or step.label} — u to undo", markup=False)

    _undoable_running = 0   # destructive actions whose undo step is not recorded yet
    _undo_waiting = 0       # u pressed meanwhile: undone once they are

    def undoable_started(self) -> None:
        self._undoable_running += 1

    def undoable_finished(self, failed: bool = False) -> None:
        """``failed``: the action wrote nothing, so a u pressed for it has nothing to take back
        (it must not undo the step before)."""
        self._undoable_running = max(0, self._undoable_running - 1)
        if failed and self._undo_waiting:
            self._undo_waiting -= 1
        if not self._undoable_running:
            waiting, self._undo_waiting = self._undo_waiting, 0
            for _ in range(waiting):
                self.action_undo()

    def action_undo(self) -> None:
        if self._undoable_running:  # the action before u is still being written: undo it after
            self._undo_waiting += 1
            return
        if not self.undo_stack:
            self.notify("Nothing to undo", markup=False)
            return
        if self.later(self.action_undo):
            return
        step = self.undo_stack.pop()
        self._run_undo(step)

    @work(thread=True, exclusive=False, exit_on_error=False, group="undo")
    def _run_undo(self, step: "UndoStep") -> None:
        try:
            step.fn(self.db, *step.args)
        except BaseException as exc:  # noqa: BLE001 - shown, never a traceback
            self.call_from_thread(self.notify, f"Could not undo: {describe(exc)}", severity="error", markup=False)
            return
        self.call_from_thread(self._undone, step)

    def _undone(self, step: "UndoStep") -> None:
        self.notify(f"Undone: {step.label}", markup=False)
        if step.names:
            with self._queue_lock:
                self._queue = None
        self.data_changed(step.contact_ids, names=step.names)
        if step.after is not None:
            step.after()

    def action_hidden_reminders(self) -> None:
        if self.later(self.action_hidden_reminders):
            return
        from netjournal.tui.dialogs.hidden import HiddenRemindersModal

        if not isinstance(self.screen, HiddenRemindersModal):
            self.push_screen(HiddenRemindersModal())

    # ------------------------------------------------------------------ start-up
    def on_mount(self) -> None:
        if self.config.theme:
            if self.config.theme in self.available_themes:
                self.theme = self.config.theme
            else:
                self.notify(f"[ui] theme {self.config.theme!r} is not a theme (try textual-dark, nord, gruvbox)",
                            severity="warning", markup=False)
        if self.config.keys:
            for problem in actions.keymap_problems(self.config.keys):
                self.notify(problem, severity="warning", markup=False)
            self.set_keymap({k: v for k, v in self.config.keys.items() if k in actions.BY_ID})
        # Start-up, one way with or without a fast start: Today paints (with the fast start's queue
        # if there is one), mounts its side pane after that frame and calls fast_finished, which
        # opens the journal after the next one.
        self.switch_mode("today")

    def fast_finished(self) -> None:
        """The fast start's queue is on screen (or there was none): now open the journal, after
        that paint, so that importing SQLAlchemy does not compete with it for the GIL."""
        self.call_after_refresh(self.startup.finished)
        if self.db is None and self.open_error is None:
            self.call_after_refresh(self.open_journal)

    @property
    def has_contacts(self) -> bool:
        """Whether the journal has (active) contacts, as far as known yet."""
        return bool(self.names) or (self.db is None and self.startup.painted)

    @work(thread=True, exclusive=True, exit_on_error=False, group="open")
    def open_journal(self) -> None:
        """Open (create, migrate) the journal off the UI thread, after the first paint."""
        try:
            from netjournal.store import api
            from netjournal.store.db import open_database

            try:
                self.engine_cfg = self.config.engine_config()
            except UserError as exc:
                self.call_from_thread(self.notify, str(exc), severity="warning", markup=False)
            db = self._given_db or open_database(self.url)
            names = api.contact_names(db)
        except BaseException as exc:  # noqa: BLE001 - shown on screen, never a traceback
            self.post_message(self.JournalFailed(describe(exc)))
            return
        self.post_message(self.JournalOpened(db, names))
        # the other screens' (and the common dialogs') modules: the first switch to one, or the
        # first l, does not import on the UI thread
        import importlib

        warm = [module for module, _name in _LAZY_SCREENS.values()]
        warm += ["netjournal.tui.screens.contact", "netjournal.tui.dialogs.log_touch", "netjournal.tui.dialogs.common"]
        for module in warm:
            try:
                importlib.import_module(module)
            except Exception:  # noqa: BLE001 - it will be reported when the screen is opened
                pass

    @on(JournalOpened)
    def _opened(self, message: JournalOpened) -> None:
        self.db = message.db
        self.set_names(message.names)
        self._reload_screen()
        for fn in self.startup.opened():
            fn()
        self.key_gate.journal_ready()

    def later(self, fn) -> bool:
        """True (and ``fn`` runs once the journal is open) while it is still opening: a key
        pressed right at start-up is carried out, not dropped."""
        if self.startup.later(fn, open_=self.db is not None, failed=self.open_error is not None):
            self.key_gate.wait_for_journal()
            return True
        return False

    @on(JournalFailed)
    def _failed(self, message: JournalFailed) -> None:
        self.open_error = message.error
        self.startup.failed()
        self.key_gate.journal_ready()
        screen = self.screen
        if hasattr(screen, "show_open_error"):
            screen.show_open_error(message.error)
        self.notify(message.error, severity="error", markup=False, timeout=30)

    # ------------------------------------------------------------------ shared data
    def set_names(self, names: list[tuple[int, str, str]]) -> None:
        had = bool(self.names)
        self.names = names
        self._names_index = None
        if had != bool(names):  # the first contact (or the last gone): Today's welcome changes
            for s in self.screen_stack:
                fn = getattr(s, "names_changed", None)
                if fn is not None:
                    fn()

    @property
    def names_index(self):
        if self._names_index is None:
            from netjournal.fuzzy import names_index

            self._names_index = names_index(self.names)
        return self._names_index

    def queue_items(self, full: bool = False) -> list:
        """Today's queue (runs in a worker). Only contacts written since are re-scored."""
        from netjournal.store.reminders import QueueCache

        with self._queue_lock:
            now = clock.now()
            if self._queue is None or full:
                self._queue = self._queue or QueueCache(self.db, self.engine_cfg)
                self._dirty.clear()
                # the first time, adopt the inputs the fast start ranked (same snapshot as shown)
                return self._queue.full(now, inputs=self.startup.inputs())
            ids, self._dirty = self._dirty, set()
            return self._queue.refresh(ids, now) if ids else self._queue.ranked()

    def data_changed(self, contact_ids: Iterable[int] = (), *, names: bool = False) -> None:
        """A write happened: re-score those contacts and reload what is on screen."""
        with self._queue_lock:
            self._dirty.update(contact_ids)
        if names:
            self.reload_names()
        self._reload_screen()

    @work(thread=True, exclusive=True, exit_on_error=False, group="names")
    def reload_names(self) -> None:
        from netjournal.store import api

        names = api.contact_names(self.db)
        self.call_from_thread(self.set_names, names)

    def _reload_screen(self) -> None:
        screen = self.screen
        target = screen if hasattr(screen, "reload") else None
        if target is None:  # a modal: reload what is under it
            for s in reversed(self.screen_stack):
                if hasattr(s, "reload"):
                    target = s
                    break
        if target is not None and self.db is not None:
            target.reload()

    # ------------------------------------------------------------------ actions
    def action_go(self, mode: str) -> None:
        """To that main screen itself (its list), whatever was opened from it before."""
        if self.current_mode != mode:
            self.switch_mode(mode)
        while len(self.screen_stack) > 1 and hasattr(self.screen, "reload"):
            self.pop_screen()
        arrive = getattr(self.screen, "arrive", None)
        if arrive is not None:
            self.call_after_refresh(arrive)

    def context_contacts(self) -> list:
        for s in reversed(self.screen_stack):
            fn = getattr(s, "context_contacts", None)
            if fn is not None:
                return fn()
        return []

    def action_log_touch(self, contact_ids: list[int] | None = None) -> None:
        if self.later(lambda: self.action_log_touch(contact_ids)):
            return
        from textual.command import CommandPalette

        from netjournal.tui.dialogs.log_touch import LogTouchModal

        if isinstance(self.screen, LogTouchModal):
            return
        if isinstance(self.screen, CommandPalette):  # ctrl+l over the palette: the palette goes
            self.screen.dismiss()
        pre = self.context_contacts()
        self.push_screen(LogTouchModal(pre), self._after_log)

    def _after_log(self, result: Any) -> None:
        if result is None:
            return
        touch, followup = result
        self.notify(f"Logged: {touch.summary or touch.channel} with {', '.join(r.name for r in touch.contacts)}",
                    markup=False)
        self.data_changed([r.id for r in touch.contacts])
        if followup:
            from netjournal.tui.dialogs.followup import PlanFollowupModal

            self.push_screen(PlanFollowupModal(list(touch.contacts), from_touch_id=touch.id),
                             lambda f: f and self.data_changed([r.id for r in f.contacts]))

    def action_add_contact(self) -> None:
        if self.later(self.action_add_contact):
            return
        from netjournal.tui.dialogs.contact_form import ContactFormModal

        self.push_screen(ContactFormModal(None), self._after_contact_form)

    def _after_contact_form(self, contact: Any) -> None:
        if contact is not None:
            self.notify(f"Saved {contact.name}", markup=False)
            self.data_changed([contact.id], names=True)

    def action_import_file(self) -> None:
        if self.later(self.action_import_file):
            return
        from netjournal.tui.dialogs.import_file import ImportModal

        self.push_screen(ImportModal(), self._after_import)

    def _after_import(self, report: Any) -> None:
        if report is not None and (report.added or report.merged or report.touches_added):
            with self._queue_lock:
                self._queue = None  # many contacts changed: rank everything again
            self.reload_names()
            self._reload_screen()

    def action_refresh_data(self) -> None:
        if self.db is None:
            if self.open_error:
                self.open_error = None
                self.open_journal()
            return
        with self._queue_lock:
            self._queue = None
        self.reload_names()
        self._reload_screen()

    def action_help(self) -> None:
        from netjournal.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def open_contact(self, contact_id: int) -> None:
        """Read the contact first (in a worker), then push its screen with the data in hand:
        the screen paints once, complete, and the read does not compete with its layout."""
        if self.later(lambda: self.open_contact(contact_id)):
            return
        self._load_contact(contact_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="open-contact")
    def _load_contact(self, contact_id: int) -> None:
        from netjournal.tui.screens.contact import load_contact

        try:
            data = load_contact(self.db, contact_id, self.engine_cfg)
        except BaseException as exc:  # noqa: BLE001
            self.call_from_thread(self.notify, describe(exc), severity="error", markup=False)
            return
        self.call_from_thread(self._push_contact, contact_id, data)

    def _push_contact(self, contact_id: int, data) -> None:
        from netjournal.tui.screens.contact import ContactScreen

        ContactScreen.show(self, contact_id, data)

    def open_followup(self, followup_id: int) -> None:
        from netjournal.tui.screens.followup import FollowupScreen

        self.push_screen(FollowupScreen(followup_id))

    def open_journal_day(self, day) -> None:
        self.switch_mode("journal")
        self.call_after_refresh(lambda: self.screen.show_day(day) if hasattr(self.screen, "show_day") else None)

    def on_unmount(self) -> None:
        self.startup.finished()
        if self.db is not None and self.url is not None:
            try:
                self.db.dispose()
            except Exception:  # noqa: BLE001
                pass


def run(url: str | None, config: Config) -> int:
    """Run the TUI on the journal at ``url`` (None: the default one). Returns the exit code."""
    from netjournal.tui.paste import install_paste_parser

    install_paste_parser()
    app = NetJournalApp(url, config)
    result = app.run()
    if app.return_code not in (None, 0):
        return app.return_code
    return int(result or 0)
