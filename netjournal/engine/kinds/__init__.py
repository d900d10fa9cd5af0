"""The reminder kinds: one object each, registered here (one line per kind).

Adding a kind: write one module with a :class:`~.base.ReminderKind` subclass and its ``KIND``
instance, then add it to ``REGISTRY`` below. Everything else (the kind names in
``vocab.REMINDER_KINDS``, the labels of Today, the default score weights, which kinds the
budget admits, the ranking's tie order) is derived from this list.
"""
from __future__ import annotations

from . import dates, followup, lapse, onesided, reply, stage
from .base import Candidate, ReminderKind, Signals

REGISTRY: tuple[ReminderKind, ...] = (
    followup.KIND,
    reply.KIND,
    dates.KIND,
    lapse.SILENCE,
    lapse.RHYTHM,
    stage.KIND,
    onesided.KIND,
)

KINDS: dict[str, ReminderKind] = {k.name: k for k in REGISTRY}
KIND_NAMES: tuple[str, ...] = tuple(KINDS)
KIND_LABELS: dict[str, str] = {k.name: k.label for k in REGISTRY}
KIND_ORDER: dict[str, int] = {k.name: k.order for k in REGISTRY}
BUDGETED_KINDS = frozenset(k.name for k in REGISTRY if k.budgeted)
ALWAYS_KINDS = frozenset(k.name for k in REGISTRY if not k.budgeted)
# keep-in-touch kinds in the order a contact's one candidate is chosen
KEEP_IN_TOUCH: tuple[ReminderKind, ...] = tuple(sorted((k for k in REGISTRY if k.budgeted),
                                                       key=lambda k: k.precedence))
ALWAYS: tuple[ReminderKind, ...] = tuple(k for k in REGISTRY if not k.budgeted)


def default_weights() -> dict[str, float]:
    """Every kind's score weights, in registry order."""
    out: dict[str, float] = {}
    for k in REGISTRY:
        out.update(k.weights)
    return out


__all__ = ["REGISTRY", "KINDS", "KIND_NAMES", "KIND_LABELS", "KIND_ORDER", "BUDGETED_KINDS",
           "ALWAYS_KINDS", "KEEP_IN_TOUCH", "ALWAYS", "Candidate", "ReminderKind", "Signals",
           "default_weights"]
