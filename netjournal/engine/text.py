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
