"""The one contact filter, shared by the CLI's ``list`` and the TUI's Contacts filter box
(standard library; no textual, no database).

Syntax: free words plus optional tokens, in any order::

    mar tier:close stage:aff #work

- ``tier:X`` / ``stage:X`` keep one tier / stage; a prefix is enough (``tier:clo`` = close);
- ``#tag`` keeps contacts with that tag (any case);
- the remaining words match name, nickname and company with the fuzzy matcher
  (netjournal.fuzzy: word starts, then insides, then typos).

Values set in the text win over those given separately (the TUI's drop-downs, the CLI's
``--tier``/``--stage``/``--tag``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Protocol, Sequence, TypeVar

from netjournal import vocab
from netjournal.fuzzy import Index

_TOKEN = re.compile(r"(?:(tier|stage):(\S+)|#(\S+))", re.I)


class Filterable(Protocol):
    name: str
    nickname: str
    company: str
    tier: str
    stage: str
    tags: Sequence[str]


C = TypeVar("C", bound=Filterable)


def _expand(value: str, options: Sequence[str]) -> str:
    val = value.lower()
    return next((o for o in options if o.startswith(val)), val)


def contact_index(contacts: Sequence[C]) -> Index[C]:
    """The fuzzy index the text part of a filter runs on (name, nickname, company)."""
    return Index(contacts, lambda c: f"{c.name} {c.nickname} {c.company}")


@dataclass(frozen=True)
class ContactFilter:
    text: str = ""
    tier: str | None = None
    stage: str | None = None
    tag: str | None = None

    @classmethod
    def parse(cls, text: str) -> "ContactFilter":
        """``tier:close stage:aff #tag rest`` → ContactFilter("rest", "close", "affinity", "tag")."""
        tier = stage = tag = None
        for m in _TOKEN.finditer(text or ""):
            key = (m.group(1) or "").lower()
            if key == "tier":
                tier = _expand(m.group(2), vocab.TIERS)
            elif key == "stage":
                stage = _expand(m.group(2), vocab.STAGES)
            else:
                tag = m.group(3).lower()
        return cls(_TOKEN.sub(" ", text or "").strip(), tier, stage, tag)

    def otherwise(self, *, tier: str | None = None, stage: str | None = None,
                  tag: str | None = None) -> "ContactFilter":
        """This filter with the values the text left open taken from elsewhere."""
        return replace(
            self,
            tier=self.tier or (_expand(tier, vocab.TIERS) if tier else None),
            stage=self.stage or (_expand(stage, vocab.STAGES) if stage else None),
            tag=self.tag or (tag.lower().lstrip("#") if tag else None))

    def keeps(self, c: Filterable) -> bool:
        """True when ``c`` has this filter's tier, stage and tag (the text is not looked at)."""
        return ((not self.tier or c.tier == self.tier) and (not self.stage or c.stage == self.stage)
                and (not self.tag or self.tag in c.tags))

    def apply(self, index: Index[C]) -> list[C]:
        """The indexed contacts this filter keeps, best text matches first."""
        rows = index.filter(self.text)
        if self.tier or self.stage or self.tag:
            rows = [c for c in rows if self.keeps(c)]
        return rows
