"""The threading rule, in one place.

Every database call runs in a thread worker (``thread=True, exclusive=True,
exit_on_error=False``, one group per kind of query) that never touches widgets: it posts a
:class:`Fetched` message back to the screen, and the screen's ``got_<key>`` method (on the UI
thread) owns every state change. A failure becomes a one-line notification and ``failed_<key>``.
"""
from __future__ import annotations

import itertools
import logging
from datetime import date
from typing import Any, Callable

from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.worker import get_current_worker

from netjournal import clock
from netjournal.errors import UserError

log = logging.getLogger("netjournal.tui")
_seq = itertools.count(1)


class Fetched(Message):
    """A worker's result (or error), delivered to the node that asked."""

    def __init__(self, key: str, value: Any = None, error: str | None = None, undoable: bool = False) -> None:
        super().__init__()
        self.key, self.value, self.error, self.undoable = key, value, error, undoable


def describe(exc: BaseException) -> str:
    if isinstance(exc, UserError):
        return str(exc)
    log.exception("unexpected error in a worker", exc_info=exc)
    return f"unexpected error: {type(exc).__name__}: {exc}"


class DbMixin:
    """``self.fetch(key, fn, *args)`` runs ``fn`` in a worker; ``got_<key>(value)`` gets the result."""

    @property
    def db(self):
        return self.app.db  # type: ignore[attr-defined]

    @property
    def today(self) -> date:
        return clock.today()

    def fetch(self, key: str, fn: Callable[..., Any], *args: Any, exclusive: bool = True,
              undoable: bool = False, **kwargs: Any) -> None:
        """``undoable``: a destructive action whose ``got_<key>`` records its undo step; until it
        has, ``u`` waits for it (a fast ``d u`` undoes that dismiss, not the one before)."""
        group = f"q-{key}" if exclusive else f"w-{key}-{next(_seq)}"
        if undoable:
            self._undoables = getattr(self, "_undoables", 0) + 1
            self.app.undoable_started()  # type: ignore[attr-defined]
        self.run_worker(  # type: ignore[attr-defined]
            lambda: self._in_thread(key, fn, args, kwargs, undoable),
            name=key, group=group, thread=True, exclusive=exclusive, exit_on_error=False,
        )

    def _in_thread(self, key: str, fn: Callable[..., Any], args: tuple, kwargs: dict, undoable: bool = False) -> None:
        worker = get_current_worker()
        try:
            value, error = fn(*args, **kwargs), None
        except BaseException as exc:  # noqa: BLE001 - reported, never raised into the UI
            value, error = None, describe(exc)
        delivered = not worker.is_cancelled and self.post_message(  # type: ignore[attr-defined]
            Fetched(key, value, error, undoable))
        if undoable and not delivered:   # cancelled, or the screen closed: u must not wait for it
            self.app.call_from_thread(self._undoable_done, True)  # type: ignore[attr-defined]

    def _undoable_done(self, failed: bool) -> None:
        """An undoable action of this screen ended (once each, however it ended)."""
        if getattr(self, "_undoables", 0) > 0:
            self._undoables -= 1
            self.app.undoable_finished(failed=failed)  # type: ignore[attr-defined]

    def on_unmount(self) -> None:
        # a result still queued when the screen closed is never handled: settle what it owed
        while getattr(self, "_undoables", 0) > 0:
            self._undoable_done(True)

    def on_fetched(self, message: Fetched) -> None:
        message.stop()
        try:
            if message.error is not None:
                handler = getattr(self, f"failed_{message.key}", None)
                if handler is None or handler(message.error) is not True:
                    self.app.notify(message.error, severity="error", markup=False, timeout=6)  # type: ignore[attr-defined]
                return
            handler = getattr(self, f"got_{message.key}", None)
            if handler is not None:
                handler(message.value)
        finally:
            if message.undoable:
                self._undoable_done(message.error is not None)


class BaseScreen(DbMixin, Screen):
    """A main screen: reloads its data when shown again (changes made by the CLI appear)."""

    SCOPE = ""
    HOME = ""  # the list that escape in a field of this screen goes back to
    loaded = False

    def arrive(self) -> None:
        """Shown by its go key (t, c, F, J, /, i): the screen puts the focus where typing belongs."""

    def on_screen_resume(self) -> None:
        if self.app.db is not None:  # type: ignore[attr-defined]
            self.reload()

    def reload(self) -> None:
        """Start the workers that read this screen's data."""


class BaseModal(DbMixin, ModalScreen):
    def after_typing(self, fn: Callable[[], Any]) -> None:
        """Run ``fn`` once the focused field has taken every key already sent to it: a ctrl+s
        (a priority key, handled at once) typed right after a name saves the whole name."""
        target = self.focused if self.focused is not None else self
        target.call_later(fn)
