"""Turning store values into rich Text for display. User text is never parsed as markup."""
from __future__ import annotations

from rich.text import Text

from netjournal import vocab
from netjournal.textsafe import neutralise, translate_table  # stored text never sends control bytes to the terminal

STAGE_LABELS = {s: s.capitalize() for s in vocab.STAGES}

# Every Text (rich) and Content (textual) the app builds drops what textsafe drops: they already
# strip a few control codes (BEL, BS, CR…) through these tables; ESC, C1 and bidi controls join them.
import rich.control, textual.content  # noqa: E401,E402
for _t in (getattr(rich.control, "_CONTROL_STRIP_TRANSLATE", None), getattr(textual.content, "_CONTROL_STRIP_TRANSLATE", None)):
    _t is not None and _t.update(translate_table())


def plain(value: object, style: str = "") -> Text:
    """User text as Text: shown literally (``[bold]x[/]`` stays as typed)."""
    return Text(neutralise(value), style=style, no_wrap=True, end="")


MENTION_STYLE = "bold underline"


def mention_text(value: str | None, style: str = "", *, wrap: bool = False) -> Text:
    """User text with each ``@[Full Name]``/``@Name`` shown as a styled ``@Full Name`` — the one
    place the app renders mentions (timelines, search, details). Never parsed as markup."""
    from netjournal.mentions import split_mentions

    t = Text(style=style, no_wrap=not wrap, end="")
    for piece, is_mention in split_mentions(neutralise(value or "")):
        t.append(piece, style=MENTION_STYLE if is_mention else "")
    return t


def one_line(value: str) -> str:
    return " ".join(neutralise(value).split())


def channel_label(channel: str | None) -> str:
    return vocab.CHANNEL_LABELS.get(channel or "", channel or "")


def highlighted(snippet: str, style: str = "bold reverse") -> Text:
    """A search snippet with its HL_START/HL_END markers turned into highlighting."""
    from netjournal.store.read import HL_END, HL_START  # not at import: keeps the first paint lean

    from netjournal.mentions import plain_mentions

    out = Text(no_wrap=True, end="")
    rest = plain_mentions(neutralise((snippet or "").replace(HL_START, "\ue000").replace(HL_END, "\ue001")).replace(
        "\ue000", HL_START).replace("\ue001", HL_END).replace("\n", " "))
    on = False
    while rest:
        marker = HL_END if on else HL_START
        i = rest.find(marker)
        chunk, rest = (rest, "") if i < 0 else (rest[:i], rest[i + 1:])
        chunk = chunk.replace(HL_START, "").replace(HL_END, "")
        out.append(chunk, style=style if on else "")
        if i >= 0:
            on = not on
    return out


def bar(value: float, total: float, width: int) -> str:
    """A horizontal bar of ``width`` cells filled in proportion (eighths)."""
    if total <= 0 or width <= 0:
        return " " * max(width, 0)
    frac = max(0.0, min(1.0, value / total))
    eighths = round(frac * width * 8)
    full, part = divmod(eighths, 8)
    s = "█" * full + ("▏▎▍▌▋▊▉"[part - 1] if part else "")
    return s.ljust(width)
