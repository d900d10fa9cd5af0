"""Numbers with their units, for every sentence the engine writes ("every 5 days", "1 day")."""
from __future__ import annotations


def plural(n: int, word: str) -> str:
    """``1 day``, ``3 days``."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def num(x: float) -> str:
    """A day count as people say it: whole when near a whole number or large, else one decimal."""
    r = round(x)
    return str(int(r)) if abs(x - r) < 0.05 or x >= 10 else f"{x:.1f}"


def days(x: float) -> str:
    """``1 day``, ``5 days``, ``5.2 days``."""
    n = num(x)
    return f"{n} day" if n == "1" else f"{n} days"


def every(x: float) -> str:
    """``every day``, ``every 5 days``, ``every 5.2 days``."""
    n = num(x)
    return "every day" if n == "1" else f"every {n} days"


def times(x: float) -> str:
    """A factor: ``1.5×``, ``2×``."""
    return f"{num(x) if x < 10 else round(x)}\u00d7"


def held_lines(held: dict[str, int], see: str | None = "netjournal due --all") -> list[str]:
    """One line per kind the caps held back: "12 more overdue follow-ups (netjournal due --all)".
    ``see``: how to see them all (the app says its own key; None: no hint)."""
    words = {"followup": ("overdue follow-up", "overdue follow-ups"), "reply": ("reply owed", "replies owed"),
             "date": ("date coming", "dates coming"),
             "keep-in-touch": ("keep-in-touch nudge waiting for a day's budget",
                               "keep-in-touch nudges waiting for the daily budget")}
    out = []
    for kind in ("followup", "reply", "date", "keep-in-touch"):
        n = held.get(kind, 0)
        if n:
            one, many = words[kind]
            out.append(f"{n} more {one if n == 1 else many}" + (f" ({see})" if see else ""))
    return out
