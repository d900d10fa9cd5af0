"""What every reminder kind is made of: the kind object, its candidates and the shared helpers.

A kind is one object (:class:`ReminderKind`): its name and label, whether the daily budget
admits it (keep-in-touch kinds) or it always shows within its own daily cap, its place in the
ranking, how it finds its candidates for a contact on a day, and how it renders one into a
:class:`~netjournal.engine.model.QueueItem` (one sentence template per kind).
"""
from __future__ import annotations

from datetime import date
from typing import Any, ClassVar, NamedTuple

from netjournal.vocab import STAGES, TIERS

from ..model import ContactInput, QueueItem
from ..rhythm import lapse_days, lower_tier


class Candidate(NamedTuple):
    """One reminder a kind found for a contact, before it is rendered into text."""
    kind: str
    since: int            # day ordinal it became new (budgeted kinds: what the budget replays from)
    priority: float       # budget order among candidates new on the same days
    contact_id: int
    signals: Any          # what render needs: Signals (keep-in-touch), a FollowupInput / DateInput


class Signals:
    """Per contact and day, what every keep-in-touch kind looks at (computed once)."""

    __slots__ = ("c", "t", "cfg", "elapsed", "lapse", "lapsed", "one", "stage_nudge", "base")

    def __init__(self, c: ContactInput, t: int, cfg) -> None:
        st = c.state
        self.c = c
        self.t = t
        self.cfg = cfg
        self.elapsed = e = t - st.last_ordinal
        # one_sided(st, cfg), inlined (this runs for every contact on every queue)
        dirs = st._dirs
        win = cfg.one_sided_window
        if len(dirs) > win:
            dirs = dirs[-win:]
        n = len(dirs)
        one = None
        if n:
            mt = cfg.one_sided_min_touches
            need = cfg.one_sided_share * (n if n > mt else mt) - 1e-9
            o = dirs.count("o")
            if o >= need:
                one = ("out", o, n)
            else:
                i = dirs.count("i")
                if i >= need:
                    one = ("in", i, n)
        self.one = one
        # Affinity or further, never met offline: suggest moving it offline — from the day after
        # a touch (right after you've talked, the nudge would only be noise).
        self.stage_nudge = (_STAGE_IDX.get(c.stage, 0) >= _AFFINITY and e >= 1 and st.offline_touches == 0)
        wt = cfg.weights
        base = wt.get(_TIER_KEY.get(c.tier) or "tier_" + c.tier, 0.0)
        if c.kin:
            base += wt["kin"]
        self.base = base
        self.lapse = lp = lapse_days(c, cfg)
        # which lapse kind the silence has reached: None, "rhythm" or "silence" (rhythm.lapse_kind)
        self.lapsed = None if e < lp[0] else "silence" if e >= lp[1] else "rhythm"


_AFFINITY = STAGES.index("affinity")
_TIER_KEY = {t: "tier_" + t for t in TIERS}
_STAGE_IDX = {s: i for i, s in enumerate(STAGES)}


class ReminderKind:
    """One kind of reminder. Subclass, set the class attributes, implement find and render."""

    name: ClassVar[str] = ""
    label: ClassVar[str] = ""          # the short label (Today's Kind column)
    budgeted: ClassVar[bool] = False   # True: the daily budget admits it; False: always, capped
    order: ClassVar[int] = 0           # ties in the ranking: lower first
    precedence: ClassVar[int] = 0      # budgeted: which candidate a contact gets (lower wins)
    weights: ClassVar[dict[str, float]] = {}   # its score weights ([engine.weights]) and defaults
    limit_key: ClassVar[str | None] = None     # EngineConfig field: how many show a day
    tiers_key: ClassVar[str | None] = None     # EngineConfig field: tiers it shows for by default
    template: ClassVar[str] = ""       # its sentence (documentation and tests)

    # -- finding -----------------------------------------------------------------------
    def applies(self, c: ContactInput) -> bool:
        """Always kinds: a cheap check whether :meth:`find` could find anything for ``c``."""
        return True

    def find(self, c: ContactInput, today: date, cfg, sig: Signals | None = None):
        """Always kinds: a list of candidates. Budgeted kinds: one candidate or None (``sig`` given)."""
        raise NotImplementedError

    def render(self, c: ContactInput, cand: Candidate, today: date, cfg) -> QueueItem:
        raise NotImplementedError

    # -- the default queue: which of its items show (always kinds) -------------------------
    def matters(self, it: QueueItem, cfg) -> bool:
        """Whether the item shows on the default queue at all (its tier matters for this kind)."""
        if self.tiers_key is None:
            return True
        return it.kin or it.tier in getattr(cfg, self.tiers_key)

    def limit(self, items: list[QueueItem], cfg) -> tuple[list[QueueItem], int]:
        """(shown, how many held back) from this kind's ranked items on the default queue."""
        keep = [it for it in items if self.matters(it, cfg)]
        n = getattr(cfg, self.limit_key) if self.limit_key else len(keep)
        return keep[:n], len(items) - min(n, len(keep))


# -- helpers shared by the kinds ---------------------------------------------------------
def make_item(c: ContactInput, kind: str, terms, reason: str, action: str, channel: str | None,
              today: date, facts: tuple = (), **kw) -> QueueItem:
    score = 0.0
    for _, v in terms:
        score += v
    return QueueItem(c.id, c.name, kind, round(score, 6), tuple(terms), reason, action, channel,
                     day=today, tier=c.tier, kin=c.kin, facts=facts, **kw)


def snoozed(c: ContactInput, kind: str, today: date, budgeted: bool) -> tuple[bool, date | None]:
    """(hidden now, latest expired snooze end) for ``kind``."""
    hidden = False
    woke = None
    for s in c.snoozes:
        if s.kind == kind or (s.kind is None and budgeted):
            if s.until > today:
                hidden = True
            elif woke is None or s.until > woke:
                woke = s.until
    return hidden, woke


def tier_terms(c: ContactInput, wt: dict) -> list[tuple[str, float]]:
    """Closeness terms: a reply or a birthday in the inner circle ranks above an acquaintance's."""
    terms = []
    w = wt.get(f"tier_{c.tier}", 0.0)
    if w:
        terms.append((f"tier {c.tier}", w))
    if c.kin and wt.get("kin"):
        terms.append(("kin", wt["kin"]))
    return terms


def one_sided(st, cfg) -> tuple[str, int, int] | None:
    """("out"|"in", count, n) when one side started >= share of the last touches.

    Looks at the last ``one_sided_window`` touches; with fewer than ``one_sided_min_touches``
    the share is taken of that minimum (so a short history is one-sided only if every touch
    came from one side and there are enough of them to mean it).
    """
    dirs = st.direction_codes[-cfg.one_sided_window:]
    n = len(dirs)
    if n == 0:
        return None
    need = cfg.one_sided_share * max(n, cfg.one_sided_min_touches) - 1e-9
    o = dirs.count("o")
    if o >= need:
        return "out", o, n
    i = dirs.count("i")
    if i >= need:
        return "in", i, n
    return None


def one_sided_text(one: tuple[str, int, int], c: ContactInput) -> str:
    side, k, n = one
    if side == "out":
        return f"you started {k} of the last {n} touches"
    return f"{c.name} started {k} of the last {n} touches"


def suggestion(c: ContactInput, cfg, budgeted_kinds) -> str | None:
    if not c.snoozes:
        return None
    last = c.state.last_ordinal
    streak = 0
    for s in c.snoozes:
        if (s.kind is None or s.kind in budgeted_kinds) and (last is None or s.created.toordinal() > last):
            streak += 1
    if streak < cfg.snooze_streak:
        return None
    lower = lower_tier(c.tier)
    if lower is None:
        return f"snoozed {streak} times in a row: consider archiving"
    return f"snoozed {streak} times in a row: consider tier '{lower}'"


def woke_since(c: ContactInput, kind: str, t: int, since: int) -> int | None:
    """``since`` moved past an expired snooze of ``kind``; None while snoozed."""
    if not c.snoozes:
        return since
    hidden, woke = snoozed(c, kind, date.fromordinal(t), True)
    if hidden:
        return None
    if woke is not None and woke.toordinal() > since:
        return woke.toordinal()
    return since
