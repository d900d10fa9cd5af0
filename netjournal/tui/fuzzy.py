"""Fast in-memory fuzzy matching of names for pickers and filters (no textual, no database).

Every word of the query must start a word of the name (or appear inside it); when nothing
matches that way, rapidfuzz's WRatio ranks near-misses (typos). 10,000 names filter in a few
milliseconds, so the UI can filter on every keystroke.
"""
from __future__ import annotations

from typing import Callable, Generic, Sequence, TypeVar

T = TypeVar("T")


class Index(Generic[T]):
    """Items with a precomputed lowercase haystack."""

    def __init__(self, items: Sequence[T], text: Callable[[T], str]):
        self.items = list(items)
        self.hay = [text(it).lower() for it in self.items]
        self.words = [h.split() for h in self.hay]

    def filter(self, query: str, *, limit: int | None = None, typo_fallback: bool = True) -> list[T]:
        """Items matching ``query``, best first; in original order when all match equally."""
        q = query.strip().lower()
        if not q:
            return self.items[:limit] if limit else list(self.items)
        words = q.split()
        prefix: list[int] = []
        inside: list[int] = []
        for i, hay in enumerate(self.hay):
            if all(w in hay for w in words):
                toks = self.words[i]
                if all(any(t.startswith(w) for t in toks) for w in words):
                    prefix.append(i)
                else:
                    inside.append(i)
        order = prefix + inside
        if not order and typo_fallback and len(q) >= 3:
            from rapidfuzz import fuzz, process

            order = [i for _, _, i in process.extract(
                q, self.hay, scorer=fuzz.WRatio, limit=limit or 50, score_cutoff=70)]
        picked = [self.items[i] for i in order]
        return picked[:limit] if limit else picked
