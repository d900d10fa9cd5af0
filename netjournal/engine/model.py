"""Plain inputs and outputs of the engine (frozen dataclasses, no behaviour)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time

from netjournal.vocab import DEFAULT_STAGE

from .state import RelationshipState


def __getattr__(name: str):
    # Keep-in-touch kinds (counted against the daily budget) and the others (always shown,
    # within their own caps): derived from the kind registry (engine/kinds).
    if name in ("BUDGETED_KINDS", "ALWAYS_KINDS"):
        from . import kinds

        return getattr(kinds, name)
    raise AttributeError(name)


@dataclass(frozen=True)
class FollowupInput:
    id: int
    kind: str
    title: str
    due: date | None
    due_time: time | None = None


@dataclass(frozen=True)
class DateInput:
    kind: str
    month: int
    day: int
    year: int | None = None
    label: str = ""


@dataclass(frozen=True)
class SnoozeInput:
    """Hide ``kind`` (None: every keep-in-touch kind) of one contact until ``until``."""
    kind: str | None
    until: date
    created: date


@dataclass(frozen=True)
class DismissInput:
    """Dismissed on ``on``: hidden until something new happens.

    * rhythm / silence: until a touch on a later day (the next lapse shows again);
    * one-sided (they always start): until their next touch (inbound) on a later day;
    * reply: until a later inbound touch;
    * stage: for ``dismiss_stage_days`` (default 90) days;
    * followup: follow-ups due on or before ``on`` stay hidden; later ones show;
    * date: the occurrence whose lead window contains ``on`` is hidden (next year's shows).
    """
    kind: str
    on: date


@dataclass(frozen=True, init=False)
class ContactInput:
    id: int
    name: str
    tier: str
    kin: bool = False
    rhythm_days: int | None = None
    stage: str = DEFAULT_STAGE
    archived: bool = False
    state: RelationshipState = field(default_factory=RelationshipState)
    followups: tuple[FollowupInput, ...] = ()
    dates: tuple[DateInput, ...] = ()
    snoozes: tuple[SnoozeInput, ...] = ()
    dismissals: tuple[DismissInput, ...] = ()

    # The queue builds 10,000 of these at a time: one dict update instead of the generated
    # frozen __init__'s twelve object.__setattr__ calls (same fields, defaults and behaviour).
    def __init__(self, id: int, name: str, tier: str, kin: bool = False, rhythm_days: int | None = None,
                 stage: str = DEFAULT_STAGE, archived: bool = False, state: RelationshipState | None = None,
                 followups: tuple[FollowupInput, ...] = (), dates: tuple[DateInput, ...] = (),
                 snoozes: tuple[SnoozeInput, ...] = (), dismissals: tuple[DismissInput, ...] = ()) -> None:
        self.__dict__.update({
            "id": id, "name": name, "tier": tier, "kin": kin, "rhythm_days": rhythm_days, "stage": stage,
            "archived": archived, "state": RelationshipState() if state is None else state,
            "followups": followups, "dates": dates, "snoozes": snoozes, "dismissals": dismissals})


@dataclass(frozen=True)
class QueueItem:
    contact_id: int
    contact_name: str
    kind: str
    score: float
    terms: tuple[tuple[str, float], ...]
    reason: str
    action: str
    channel: str | None
    followup_id: int | None = None
    due: date | None = None
    suggestion: str | None = None
    # -- beyond the contract: what the budget needs --------------------------------------
    day: date | None = None          # the day this item was computed for ("today")
    since: date | None = None        # keep-in-touch kinds: the day it became due (new)
    priority: float = 0.0            # budget order among items new on the same days
    shown_since: date | None = None  # set by apply_budget: the day the budget let it in
    tier: str | None = None          # the contact's tier and kin (caps: tiers a kind shows for)
    kin: bool = False
    facts: tuple = ()                # the numbers its reason was written from, (name, value) pairs

    @property
    def budgeted(self) -> bool:
        from .kinds import BUDGETED_KINDS

        return self.kind in BUDGETED_KINDS

    def fact(self, name: str, default=None):
        for k, v in self.facts:
            if k == name:
                return v
        return default
