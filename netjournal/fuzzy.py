"""The one fuzzy matcher of names: the store's name resolution, the TUI's pickers and filters, and
the contact filter all go through here (standard library; rapidfuzz only for typos, loaded lazily
so that an exact name never imports it).

A query matches an item when every word of the query starts a word of the item's text (best),
or appears inside the text. Near-misses (typos) are ranked by rapidfuzz's WRatio and kept only
at or above ``TYPO_CUTOFF``.

``TYPO_CUTOFF = 70``: "katherin jonson" still finds "Katherine Johnson" (WRatio ≈ 90), while a
name that merely shares a few letters with the query (WRatio 60–69) is not offered. (The store
used 60 and the TUI 70; below 75 the store never resolved a name anyway, so 70 only trims the
"did you mean" hints of the weakest guesses.)

10,000 names filter in a few milliseconds, so the UI can filter on every keystroke.
"""
from __future__ import annotations

from typing import Callable, Generic, Sequence, TypeVar

T = TypeVar("T")

TYPO_CUTOFF = 70


def starts_words(words: Sequence[str], tokens: Sequence[str]) -> bool:
    """True when every query word starts one of the tokens."""
    return all(any(t.startswith(w) for t in tokens) for w in words)


def near_misses(query: str, hay: Sequence[str], limit: int) -> list[tuple[int, float]]:
    """(position in ``hay``, WRatio score) of the best typo matches, at or above TYPO_CUTOFF."""
    from rapidfuzz import fuzz, process

    return [(i, float(score)) for _, score, i in process.extract(
        query, hay, scorer=fuzz.WRatio, limit=limit, score_cutoff=TYPO_CUTOFF)]


class Index(Generic[T]):
    """Items with a precomputed lowercase haystack."""

    def __init__(self, items: Sequence[T], text: Callable[[T], str]):
        self.items = list(items)
        self.hay = [text(it).lower() for it in self.items]
        self.words = [h.split() for h in self.hay]

    def filter(self, query: str, *, limit: int | None = None, typo_fallback: bool = True) -> list[T]:
        """Items matching ``query``: word starts first, then insides; typos only when nothing
        else matched. In original order within each group."""
        q = query.strip().lower()
        if not q:
            return self.items[:limit] if limit else list(self.items)
        words = q.split()
        prefix: list[int] = []
        inside: list[int] = []
        for i, hay in enumerate(self.hay):
            if all(w in hay for w in words):
                (prefix if starts_words(words, self.words[i]) else inside).append(i)
        order = prefix + inside
        if not order and typo_fallback and len(q) >= 3:
            order = [i for i, _ in near_misses(q, self.hay, limit or 50)]
        picked = [self.items[i] for i in order]
        return picked[:limit] if limit else picked

    def scored(self, query: str, limit: int) -> list[tuple[T, float]]:
        """(item, score) for name resolution: 100 when the text starts with the query, 95 when
        every word starts a word, else 0.9 × the typo score. Unsorted; the caller ranks."""
        q = query.strip().lower()
        words = q.split()
        out: list[tuple[T, float]] = []
        seen: set[int] = set()
        for i, hay in enumerate(self.hay):
            if starts_words(words, self.words[i]):
                out.append((self.items[i], 100.0 if hay.startswith(q) else 95.0))
                seen.add(i)
        for i, score in near_misses(q, self.hay, limit * 3):
            if i not in seen:
                out.append((self.items[i], score * 0.9))
                seen.add(i)
        return out


def names_index(names: Sequence[tuple[int, str, str]]) -> Index[tuple[int, str, str]]:
    """An index over (id, name, nickname) rows, matching on the name and the nickname."""
    return Index(names, lambda r: f"{r[1]} {r[2]}" if r[2] else r[1])
