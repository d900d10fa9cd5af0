"""Keys in order, each to the widget that has the focus *after* the key before it.

Textual hands a key to the focused widget the moment it reads it. In a burst (a fast typist,
tmux send-keys, a key macro, a terminal that stalled for a moment) the keys after one that moves
the focus were handed to the widget focused *before* it: ``l`` then ``maya`` opened the log
dialog and lost "maya"; ``Name``, tab, ``Acme`` put "Acme" in the name field.

The gate: a key that may move the focus closes it. That is every key except those a text field
keeps (characters, backspace, arrows…) while a text field has the focus. The keys (and pastes)
read after it wait, in order, until

1. that key has gone through every widget it bubbles to (a :class:`KeyDone` sent behind it
   reaches the app), then
2. the app has run what the key scheduled (a focus change, a screen pushed or popped), then
3. a screen the key opened, or went back to, has composed and taken its focus,

and are then handed on one by one, each through the gate again. The waiting is counted in
message rounds, never in time, so a loaded machine changes nothing but the pace. A key in a
burst that would fire a command on the screen it left now goes to the dialog it opened.
"""
from __future__ import annotations

import asyncio
from collections import deque

from textual import events
from textual.message import Message

# Keys a text field keeps: they edit the text and never move the focus. (Not up/down: in the
# Contacts and Search filters `down` goes to the list.)
FIELD_KEYS = frozenset({
    "backspace", "delete", "left", "right", "home", "end", "pageup", "pagedown",
    "shift+left", "shift+right", "shift+up", "shift+down", "shift+home", "shift+end",
    "ctrl+left", "ctrl+right", "ctrl+shift+left", "ctrl+shift+right",
})

# The last resort: rounds of app idleness a closed gate waits for its key before it lets the
# rest go anyway (the KeyDone lost some way :func:`_passed` does not see).
_STUCK_IDLES = 200


def _passed(widget) -> bool:
    """Whether nothing waits in the queues from ``widget`` up to its screen. Seen from the app's
    idle (its own queue empty), the KeyDone is then neither on its way nor arrived: it was
    dropped (a parent closing under it), so the key is done."""
    node = widget
    while node is not None and node is not widget.app:
        queue = getattr(node, "_message_queue", None)
        if queue is None or not queue.empty():
            return False
        node = node._parent
    return True


class KeyDone(Message):
    """Sent behind a gate-closing key, to the widget the key went to: it bubbles to the app
    after the key has been handled at every level."""

    def __init__(self, token: int) -> None:
        super().__init__()
        self.token = token


class KeyGate:
    def __init__(self, app) -> None:
        self.app = app
        self.held: deque = deque()
        self._token = 0
        self._waiting: int | None = None   # the token of the key the gate waits for
        self._target = None                # the widget that key went to
        self._screen = None                # the screen it was pressed on
        self._idles = 0
        self._journal = False   # a key's action waits for the journal to open: so do the keys after it
        self._parked: int | None = None
        self._open = asyncio.Event()
        self._open.set()

    # ------------------------------------------------------------------ state
    @property
    def closed(self) -> bool:
        return self._waiting is not None

    async def wait_open(self, timeout: float = 30.0) -> None:
        """Until every key read so far has been handed on (for tests and scripted drivers); a
        gate still closed after ``timeout`` seconds is a bug, and says so."""
        try:
            await asyncio.wait_for(self._open.wait(), timeout)
        except asyncio.TimeoutError:
            raise RuntimeError(f"key gate still closed after {timeout:g} s: {len(self.held)} key(s) held, "
                               f"waiting for {self._waiting}") from None

    # ------------------------------------------------------------------ keys in
    def hold(self, event) -> bool:
        """True when ``event`` (a key or a paste just read) must wait behind a key before it."""
        if self._waiting is None and not self.held:
            return False
        self.held.append(event)
        self._open.clear()
        return True

    def closes(self, event) -> bool:
        """Whether ``event`` may move the focus (so the keys after it must wait for it)."""
        if not isinstance(event, events.Key):
            return False
        from netjournal.tui import actions

        if not actions.is_typing(self.app.focused):
            return True
        char = event.character
        if char is not None and len(char) == 1 and char.isprintable():
            return False
        return event.key not in FIELD_KEYS

    def sent(self, event, target) -> None:
        """``event`` was just handed to ``target`` (the focused widget, or the screen): close the
        gate behind it if it may move the focus."""
        if not self.closes(event):
            return
        self._token += 1
        self._waiting, self._target, self._screen, self._idles = self._token, target, self.app.screen, 0
        self._open.clear()
        if target is None or not target.post_message(KeyDone(self._token)):
            self._settle(self._token)

    # ------------------------------------------------------------------ the key went through
    def done(self, token: int) -> None:
        """A :class:`KeyDone` reached the app."""
        if token == self._waiting:
            self._settle(token)

    def idle(self) -> None:
        """The app is idle: a key whose widget (or screen) was closed under it is done."""
        if self._waiting is None or self._waiting < 0:   # open, or already settling
            return
        self._idles += 1
        t = self._target
        gone = (t is None or not t.is_attached or t._closing or t._closed
                or self._screen not in self.app.screen_stack or _passed(t))
        if gone or self._idles > _STUCK_IDLES:
            self._settle(self._waiting)

    def _settle(self, token: int) -> None:
        self._target = None
        self._waiting = -token   # settling: still closed, no longer waiting for the KeyDone
        # 2: behind what the key's action put on the app's queue (set_focus, push/pop…)
        self.app.call_later(self._after_app, token, 0)

    def _after_app(self, token: int, rounds: int) -> None:
        if self._waiting != -token:
            return
        screen = self.app.screen
        if screen is not self._screen and rounds < 3:
            # 3: a new screen: behind its compose, mount and resume (where it takes its focus)
            self._screen = screen
            if screen.call_later(lambda: self.app.call_later(self._after_app, token, rounds + 1)):
                return
        self._release(token)

    # ------------------------------------------------------------------ start-up
    def wait_for_journal(self) -> None:
        """A key's action was put off until the journal is open (``l`` pressed at start-up): the
        keys typed after it wait for that action, not for the screen as it is now."""
        self._journal = True

    def journal_ready(self) -> None:
        """The journal opened (and the put-off actions ran), or failed to open."""
        self._journal = False
        token, self._parked = self._parked, None
        if token is not None and self._waiting == -token:
            self.app.call_later(self._after_app, token, 0)

    def _release(self, token: int) -> None:
        if self._waiting != -token:
            return
        if self._journal:
            self._parked = token
            return
        self._waiting = None
        self.app.call_later(self._flush)

    async def _flush(self) -> None:
        """Hand the held keys on, in order, until one of them closes the gate again."""
        while self.held and self._waiting is None:
            await self.app.route_input(self.held.popleft())
        if self._waiting is None and not self.held:
            self._open.set()
