"""A gate: calls that wait until something opens (a pane that mounts after the first frame).

    class TodayScreen(Screen):
        side = Gate.per_instance()          # open until the screen shuts it

        def compose(self):
            self.side.shut()                # the side pane mounts after the first frame
            ...

        @Gate.waits("side")
        def got_journal(self, day): ...     # a plain handler: held while the gate is shut

        async def _mount_side_pane(self):
            ...
            self.side.open()                # what waited runs now, in order, once

No Textual here: a gate only keeps calls and runs them.
"""
from __future__ import annotations

import functools
from typing import Any, Callable


class Gate:
    def __init__(self, *, is_open: bool = True) -> None:
        self._open = is_open
        self._waiting: list[tuple[Callable, tuple, dict]] = []

    @property
    def is_open(self) -> bool:
        return self._open

    def shut(self) -> None:
        self._open = False

    def hold(self, fn: Callable, *args: Any, **kwargs: Any) -> bool:
        """True (and ``fn(*args, **kwargs)`` is kept for :meth:`open`) while the gate is shut;
        False when it is open (the caller goes on)."""
        if self._open:
            return False
        self._waiting.append((fn, args, kwargs))
        return True

    def open(self) -> None:
        """Open the gate and run what waited, in the order it came, once."""
        self._open = True
        waiting, self._waiting = self._waiting, []
        for fn, args, kwargs in waiting:
            fn(*args, **kwargs)

    @staticmethod
    def per_instance(*, is_open: bool = True) -> "_GateSlot":
        """A class attribute giving each instance its own gate (made on first use)."""
        return _GateSlot(is_open)

    @staticmethod
    def waits(name: str) -> Callable[[Callable], Callable]:
        """Decorate a method so that a call made while the gate ``self.<name>`` is shut runs when
        it opens (the method then returns None at once)."""
        def deco(method: Callable) -> Callable:
            @functools.wraps(method)
            def wrapper(self, *args, **kwargs):
                if getattr(self, name).hold(method, self, *args, **kwargs):
                    return None
                return method(self, *args, **kwargs)
            return wrapper
        return deco


class _GateSlot:
    def __init__(self, is_open: bool) -> None:
        self._is_open = is_open
        self._key = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self._key = f"_gate_{name}"

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        gate = obj.__dict__.get(self._key)
        if gate is None:
            gate = obj.__dict__[self._key] = Gate(is_open=self._is_open)
        return gate
