"""A paste is a paste, whatever bytes it holds.

Textual's terminal parser reads a bracketed paste (``ESC[200~ … ESC[201~``) one character at a
time, and an ESC *inside* the pasted text starts an escape sequence: the characters after it are
re-issued as key presses (text scattered over other fields, screen keys fired) — for a 200 KB
paste that was minutes of 100 % CPU. :class:`PasteSafeParser` takes the whole bracketed paste
out of the byte stream before the parser sees it and hands it on as one ``Paste`` event.

:func:`clean_paste` is what every pasted text goes through (the app applies it to each Paste
event): terminal escape sequences and other control characters are dropped — they are not text
anyone meant, and stored text must never carry them to a terminal — while tabs and line breaks
stay (CR LF and CR become LF).
"""
from __future__ import annotations

import re
import time
from typing import Iterable

from textual import events
from textual._xterm_parser import XTermParser

START = "\x1b[200~"
END = "\x1b[201~"
# CSI … final byte, OSC … BEL/ST, and two-byte ESC sequences
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")


def clean_paste(text: str) -> str:
    """Pasted text without escape sequences or control characters (tabs and newlines kept)."""
    if not text:
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x1b" in text:
        text = _ESCAPES.sub("", text)
    return _CONTROLS.sub("", text)


HOLD = 0.03  # seconds a possible start of a paste marker waits for the rest of it


def _partial_suffix(data: str, marker: str) -> int:
    """Length of the longest end of ``data`` that begins ``marker``."""
    for n in range(min(len(marker) - 1, len(data)), 0, -1):
        if data.endswith(marker[:n]):
            return n
    return 0


class PasteSafeParser(XTermParser):
    """XTermParser that lifts bracketed pastes out whole (see the module docstring)."""

    def __init__(self, debug: bool = False) -> None:
        super().__init__(debug)
        self._pasting: list[str] | None = None
        self._tail = ""
        self._held_at = 0.0

    def tick(self) -> Iterable:  # type: ignore[override]
        # a lone ESC (the escape key) held in case a paste marker followed: let it go on
        if self._tail and self._pasting is None and time.monotonic() - self._held_at >= HOLD:
            tail, self._tail = self._tail, ""
            yield from super().feed(tail)
        yield from super().tick()

    def feed(self, data: str) -> Iterable:  # type: ignore[override]
        if not data:  # end of input
            if self._pasting is not None:
                yield events.Paste(clean_paste("".join(self._pasting) + self._tail))
                self._pasting, self._tail = None, ""
            yield from super().feed(data)
            return
        data, self._tail = self._tail + data, ""
        while data:
            if self._pasting is None:
                i = data.find(START)
                if i < 0:
                    keep = _partial_suffix(data, START)
                    if keep:
                        data, self._tail = data[:-keep], data[-keep:]
                        self._held_at = time.monotonic()
                    if data:
                        yield from super().feed(data)
                    return
                if i:
                    yield from super().feed(data[:i])
                self._pasting = []
                data = data[i + len(START):]
            else:
                j = data.find(END)
                if j < 0:
                    keep = _partial_suffix(data, END)
                    self._pasting.append(data[:len(data) - keep])
                    self._tail = data[len(data) - keep:]
                    return
                self._pasting.append(data[:j])
                text, self._pasting = "".join(self._pasting), None
                yield events.Paste(clean_paste(text))
                data = data[j + len(END):]


def install_paste_parser() -> None:
    """Make the terminal drivers read input through :class:`PasteSafeParser`."""
    import importlib

    for name in ("textual.drivers.linux_driver", "textual.drivers.windows_driver"):
        try:
            module = importlib.import_module(name)
        except Exception:  # noqa: BLE001 - the other platform's driver
            continue
        if getattr(module, "XTermParser", None) is XTermParser:
            module.XTermParser = PasteSafeParser
