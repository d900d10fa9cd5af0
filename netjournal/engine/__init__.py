"""The reminder engine: pure code over plain data, ``now`` passed in.

Imports nothing from netjournal but ``netjournal.vocab`` and no third-party package.
Exports resolve lazily (PEP 562) so ``import netjournal.engine`` stays cheap.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "RelationshipState": "state",
    "learned_gap": "state",
    "EngineConfig": "config",
    "FollowupInput": "model",
    "DateInput": "model",
    "SnoozeInput": "model",
    "DismissInput": "model",
    "ContactInput": "model",
    "QueueItem": "model",
    "BUDGETED_KINDS": "kinds",
    "ALWAYS_KINDS": "kinds",
    "KINDS": "kinds",
    "KIND_LABELS": "kinds",
    "KIND_NAMES": "kinds",
    "REGISTRY": "kinds",
    "ReminderKind": "kinds",
    "Candidate": "kinds",
    "Queue": "core",
    "Lapse": "rhythm",
    "learned_rhythm": "core",
    "lapse_days": "core",
    "tier_prior": "core",
    "next_occurrence": "core",
    "contact_items": "core",
    "build_queue": "core",
    "apply_budget": "core",
    "rank_key": "core",
    "QueueCache": "core",
    "always_items": "core",
    "keep_in_touch_candidate": "core",
    "render_candidate": "core",
    "replay_ego": "replay",
}

__all__ = sorted(_EXPORTS)

if TYPE_CHECKING:  # pragma: no cover
    from .config import EngineConfig
    from .core import (QueueCache, always_items, keep_in_touch_candidate, render_candidate, apply_budget, build_queue, contact_items, lapse_days, learned_rhythm,
                       next_occurrence, rank_key, tier_prior)
    from .core import Queue
    from .kinds import (ALWAYS_KINDS, BUDGETED_KINDS, KIND_LABELS, KIND_NAMES, KINDS, REGISTRY,
                        Candidate, ReminderKind)
    from .model import ContactInput, DateInput, DismissInput, FollowupInput, QueueItem, SnoozeInput
    from .replay import replay_ego
    from .rhythm import Lapse
    from .state import RelationshipState, learned_gap


def __getattr__(name: str) -> Any:
    mod = _EXPORTS.get(name)
    if mod is None:
        raise AttributeError(f"module 'netjournal.engine' has no attribute {name!r}")
    import importlib
    value = getattr(importlib.import_module(f".{mod}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
