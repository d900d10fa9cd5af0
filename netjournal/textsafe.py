"""One place that makes text safe for a terminal: control bytes out.

``neutralise`` is used on every way in (``add``, ``edit``, imports, ``restore``: through
``store.validate.text``) and on every way out (CLI text output, the TUI, the Markdown export),
so a control sequence stored before this check existed is never sent to a terminal either.

Removed: C0 controls (except the ones a field allows, ``\\n`` and ``\\t`` by default), ESC, DEL,
the C1 controls U+0080–U+009F (U+009B is a one-byte CSI, U+009D a one-byte OSC), and the
bidirectional embedding/override/isolate controls U+202A–U+202E, U+2066–U+2069 (they reorder
what the terminal shows: "Trojan source"). Lone surrogates (undecodable bytes kept by
``surrogateescape``) become U+FFFD. Zero-width joiners and LRM/RLM marks stay: real scripts
and emoji need them.
"""
from __future__ import annotations

import re

_BIDI = "\u202a-\u202e\u2066-\u2069"
_BASE = "\x00-\x08\x0b-\x1f\x7f-\x9f" + _BIDI  # all but \t and \n
_PATTERNS: dict[str, re.Pattern[str]] = {}
_SURROGATE = re.compile("[\ud800-\udfff]")


def _pattern(keep: str) -> re.Pattern[str]:
    p = _PATTERNS.get(keep)
    if p is None:
        extra = "".join(c for c in "\t\n" if c not in keep)
        p = _PATTERNS[keep] = re.compile("[" + _BASE + re.escape(extra) + "]" if extra else "[" + _BASE + "]")
    return p


def neutralise(value: object, keep: str = "\n\t") -> str:
    """``value`` as text with every control character removed but those in ``keep``
    (a subset of ``"\\n\\t"``)."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if text.isascii() and text.isprintable():
        return text  # the common case, fast
    text = _pattern(keep).sub("", text)
    return _SURROGATE.sub("\ufffd", text)


def translate_table(keep: str = "\n\t") -> dict[int, None]:
    """The same set as a ``str.translate`` table (code point -> None), lone surrogates aside."""
    p = _pattern(keep)
    return {cp: None for cp in list(range(0xA0)) + list(range(0x202A, 0x202F)) + list(range(0x2066, 0x206A))
            if p.match(chr(cp))}


def has_controls(value: str, keep: str = "\n\t") -> bool:
    return bool(_pattern(keep).search(value))
