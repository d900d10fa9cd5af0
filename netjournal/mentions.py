"""@mentions in free text, for display: ``@[Full Name]`` is how a mention of a name with spaces
is stored (``@Ada`` and ``@Ada_Lovelace`` need no brackets); a reader should see ``@Full Name``.

Plain standard library, no UI: the TUI styles the pieces (``netjournal.tui.text.mention_text``),
exports and other plain-text output call :func:`plain_mentions`.
"""
from __future__ import annotations

import re

# the same two forms the store resolves (netjournal.store.journal.MENTION_RE)
BRACKETED = re.compile(r"@\[([^\]\n]{1,200})\]")
MENTION = re.compile(r"@\[([^\]\n]{1,200})\]|(?<![\w@])@([\w][\w.'\-]*(?:_[\w.'\-]+)*)", re.UNICODE)


def plain_mentions(text: str) -> str:
    """``@[Ada Lovelace]`` -> ``@Ada Lovelace``; everything else unchanged."""
    if not text or "@[" not in text:
        return text or ""
    return BRACKETED.sub(lambda m: "@" + m.group(1), text)


def split_mentions(text: str) -> list[tuple[str, bool]]:
    """The text as (piece, is_a_mention) pairs, mentions shown as ``@Name`` (no brackets)."""
    out: list[tuple[str, bool]] = []
    at = 0
    for m in MENTION.finditer(text or ""):
        if m.start() > at:
            out.append((text[at:m.start()], False))
        out.append(("@" + (m.group(1) if m.group(1) is not None else m.group(2)), True))
        at = m.end()
    if at < len(text or ""):
        out.append((text[at:], False))
    return out
