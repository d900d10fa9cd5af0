"""The reminder engine: candidate items per contact, scores with their terms, and the budget.

Pure functions over plain inputs; ``now`` is always passed in. Each reminder kind is one
object in :mod:`netjournal.engine.kinds` (how it finds its candidates, how it renders its
reason); this module holds what they share: the rhythm (:mod:`.rhythm`), the daily budget,
the show window and the caps, in one admit-and-render routine (:func:`assemble`).

Rules (all numbers come from :class:`EngineConfig`):

* **Rhythm** ``R``: the contact's explicit rhythm ("set"); else the learned gap (recency-weighted
  median of gaps between touch days, capped at ``fade_cap`` x the long-run median) shrunk in
  log space toward the tier prior (x ``kin_factor`` for kin) with ``prior_strength`` pseudo-gaps
  ("learned"); else the tier prior alone ("tier prior").
* **Past its rhythm** once the silence reaches ``rhythm_grace`` x R (a learned rhythm is a
  typical gap, not a deadline) and at least ``min_silence_days``; for an explicit rhythm, at R.
  **Long silence** from ``silence_factor`` x R. Both are stretched by the weight of the last
  touch day's strongest channel (a meeting carries longer than a message).
* **Reply owed**: their touch unanswered for ``reply_days`` (until ``reply_window_days``).
* **One-sided**: >= ``one_sided_share`` of the last ``one_sided_window`` touches by one side.
* **Stage**: affinity or further along and never met offline.
* **Budget**: keep-in-touch items (rhythm, silence, one-sided, stage) enter the queue at most
  ``budget`` a day the queue is *seen*, in priority order; the overflow rolls over to the next
  seen days (back after days away: up to ``catch_up`` more that day, one per day away); once
  in, an item stays until the queue was seen on ``show_days`` days (or it is resolved), then
  retires until something new happens. ``seen=None`` means the user looks every day.
  Admission is replayed from the items' due days, so the same inputs always give the same queue.
* **Caps**: follow-ups due today always show, the ``followup_limit`` most important overdue
  ones too, the rest are grouped; replies owed and dates show for the tiers in
  ``reply_tiers`` / ``date_tiers`` (and kin), at most ``reply_limit`` / ``date_limit`` a day.
  What the caps hold back is counted in :attr:`Queue.held`; ``everything=True`` shows it all.
"""
from __future__ import annotations

import bisect
import heapq
from datetime import date, datetime
from typing import Callable, Iterable

from .config import EngineConfig
from .kinds import ALWAYS, KEEP_IN_TOUCH, KIND_ORDER, KINDS, Candidate, Signals
from .model import ContactInput, QueueItem
from .rhythm import lapse_days, lower_tier, next_occurrence, occurrence, tier_prior  # noqa: F401 (re-exported)
from .rhythm import learned_rhythm as _learned_rhythm

_DEFAULT_CFG = EngineConfig()
EVERYTHING_BUDGET = 10**9


def _today(now: datetime | date) -> date:
    return now.date() if isinstance(now, datetime) else now


def learned_rhythm(c: ContactInput, cfg: EngineConfig | None = None) -> tuple[float, str]:
    """(days, "set" | "learned" | "tier prior"): the contact's rhythm, for the UI header."""
    return _learned_rhythm(c, cfg or _DEFAULT_CFG)


class Queue(list):
    """The ranked queue (a list of :class:`QueueItem`) and what the caps held back.

    ``held`` maps a kind to how many of its items are not on the queue today (over its daily
    cap, or for tiers where it does not show by default); ``due --all`` shows them.
    """

    def __init__(self, items: Iterable[QueueItem] = (), held: dict[str, int] | None = None):
        super().__init__(items)
        self.held: dict[str, int] = held or {}


# -- finding and rendering, one contact ----------------------------------------------------
def always_items(c: ContactInput, today: date, cfg: EngineConfig) -> list[QueueItem]:
    """Follow-ups due, dates coming and replies owed: the items the budget never holds back."""
    out: list[QueueItem] = []
    for k in ALWAYS:
        if not k.applies(c):
            continue
        for cand in k.find(c, today, cfg):
            out.append(k.render(c, cand, today, cfg))
    return out


def keep_in_touch_candidate(c: ContactInput, t: int, cfg: EngineConfig) -> Candidate | None:
    """The contact's keep-in-touch candidate on day ordinal ``t`` (cheap: no text).

    At most one per contact: a lapse (silence, then rhythm) takes precedence, then a stage
    nudge, then one-sided; the lesser signals fold into it as terms.
    """
    if c.archived or c.state.last_ordinal is None:
        return None
    sig = Signals(c, t, cfg)
    today = None
    for k in KEEP_IN_TOUCH:
        cand = k.find(c, today, cfg, sig)
        if cand is not None:
            return cand
    return None


def render_candidate(c: ContactInput, cand: Candidate, today: date, cfg: EngineConfig) -> QueueItem:
    """The full item (terms, reason, action) for a keep-in-touch candidate."""
    return KINDS[cand.kind].render(c, cand, today, cfg)


def contact_items(c: ContactInput, now: datetime | date, cfg: EngineConfig | None = None) -> list[QueueItem]:
    """All candidate items for one contact, before the budget (snoozes and dismissals applied)."""
    cfg = cfg or _DEFAULT_CFG
    today = _today(now)
    out = always_items(c, today, cfg)
    cand = keep_in_touch_candidate(c, today.toordinal(), cfg)
    if cand is not None:
        out.append(render_candidate(c, cand, today, cfg))
    return out


# -- ranking, budget, show window, caps ------------------------------------------------------
def rank_key(it: QueueItem):
    return (-it.score, KIND_ORDER.get(it.kind, 99), it.contact_id, it.followup_id or 0,
            it.due or date.min)


def _seen_days(seen: Iterable | None, t: int) -> list[int] | None:
    """Sorted ordinals of the days before ``t`` the queue was seen (None: every day)."""
    if seen is None:
        return None
    out = set()
    for s in seen:
        o = s if isinstance(s, int) else s.toordinal()
        if o < t:
            out.add(o)
    return sorted(out)


def admit(budgeted: list[tuple], budget: int, today: int, seen: list[int] | None = None,
          catch_up: int = 0) -> dict[object, int]:
    """Admission days of keep-in-touch items: at most ``budget`` new ones a day the queue is seen.

    ``budgeted`` holds (since ordinal, priority, contact id, kind, key). On each seen day (every
    day when ``seen`` is None; ``today`` always counts), the pending items (due on or before it,
    not yet in) are let in by priority (then earliest due, then contact id) until the day's
    budget is spent; the rest roll over. A seen day after days away lets in up to ``catch_up``
    more (one per day away). Returns key -> admission day ordinal (items admitted by ``today``).
    """
    items = sorted(b for b in budgeted if b[0] <= today)
    res: dict[object, int] = {}
    if budget <= 0 or not items:
        return res
    heap: list = []
    i = 0
    n = len(items)
    if seen is None:
        day = items[0][0]
        while day <= today:
            while i < n and items[i][0] <= day:
                s, p, cid, kind, key = items[i]
                heapq.heappush(heap, (-p, s, cid, kind, i, key))
                i += 1
            if not heap:
                if i >= n:
                    break
                day = items[i][0]
                continue
            for _ in range(min(budget, len(heap))):
                res[heapq.heappop(heap)[-1]] = day
            day += 1
        return res
    prev = None
    first = items[0][0]
    for day in [*seen, today]:
        extra = 0 if prev is None else min(catch_up, day - prev - 1)
        prev = day
        if day < first:
            continue
        while i < n and items[i][0] <= day:
            s, p, cid, kind, key = items[i]
            heapq.heappush(heap, (-p, s, cid, kind, i, key))
            i += 1
        for _ in range(min(budget + extra, len(heap))):
            res[heapq.heappop(heap)[-1]] = day
    return res


def still_shown(a: int, t: int, show: int, seen: list[int] | None) -> bool:
    """Whether an item let in on day ``a`` is still on the queue on day ``t``: it stays until the
    queue was seen on ``show`` days (every day when ``seen`` is None), today being one of them."""
    if seen is None:
        return t < a + show
    return len(seen) - bisect.bisect_left(seen, a) < show


def limit_always(items: list[QueueItem], cfg: EngineConfig, held: dict[str, int]) -> list[QueueItem]:
    """The always-shown kinds within their caps (each kind decides); counts what it held back."""
    by_kind: dict[str, list[QueueItem]] = {}
    for it in items:
        by_kind.setdefault(it.kind, []).append(it)
    out: list[QueueItem] = []
    for kind, lst in by_kind.items():
        lst.sort(key=rank_key)
        kept, n = KINDS[kind].limit(lst, cfg)
        out.extend(kept)
        if n:
            held[kind] = held.get(kind, 0) + n
    return out


def assemble(always: list[QueueItem], pending: list[tuple], render: Callable[[object, int], QueueItem],
             today: date, cfg: EngineConfig, *, budget: int, seen: Iterable | None,
             limits: bool = True) -> Queue:
    """The one admit-and-render routine: caps on the always kinds, the budget over the seen days
    for the keep-in-touch ones, the show window, then the ranking.

    ``pending``: (since ordinal, priority, contact id, kind, key) of every keep-in-touch
    candidate; ``render(key, admission ordinal)`` makes the item of one that shows.
    """
    t = today.toordinal()
    held: dict[str, int] = {}
    items = limit_always(always, cfg, held) if limits else list(always)
    if pending:
        days = _seen_days(seen, t)
        show = cfg.show_days
        adm = admit(pending, budget, t, days, cfg.catch_up)
        for key, a in adm.items():
            if still_shown(a, t, show, days):
                items.append(render(key, a))
        if limits:
            n = len(pending) - len(adm)
            if n > 0:
                held["keep-in-touch"] = n  # due, waiting for a day's budget
    items.sort(key=rank_key)
    return Queue(items, held)


def _with_shown(it: QueueItem, a: date) -> QueueItem:
    # dataclasses.replace is slow; build directly
    return QueueItem(it.contact_id, it.contact_name, it.kind, it.score, it.terms, it.reason, it.action,
                     it.channel, it.followup_id, it.due, it.suggestion, it.day, it.since, it.priority, a,
                     it.tier, it.kin, it.facts)


def _settings(cfg: EngineConfig, budget: int | None, seen, everything: bool):
    if everything:
        return EVERYTHING_BUDGET, (), False
    return (cfg.budget if budget is None else budget), seen, True


def apply_budget(items: list[QueueItem], cfg: EngineConfig | None = None, *, today: date | None = None,
                 budget: int | None = None, seen: Iterable | None = None, everything: bool = False) -> Queue:
    """Rank ``items`` and keep what the caps and the daily budget let in (rendered items in).

    ``today`` defaults to the items' ``day``. Kept keep-in-touch items get ``shown_since``
    (the day the budget let them in).
    """
    cfg = cfg or _DEFAULT_CFG
    if today is None:
        days = [it.day for it in items if it.day is not None]
        if not days:
            return Queue(sorted(items, key=rank_key))
        today = max(days)
    t = today.toordinal()
    n, seen, limits = _settings(cfg, budget, seen, everything)
    always = [it for it in items if not KINDS[it.kind].budgeted]
    pending = [(it.since.toordinal() if it.since else t, it.priority, it.contact_id, it.kind, k)
               for k, it in enumerate(items) if KINDS[it.kind].budgeted]
    return assemble(always, pending, lambda k, a: _with_shown(items[k], date.fromordinal(a)), today, cfg,
                    budget=n, seen=seen, limits=limits)


def build_queue(contacts: Iterable[ContactInput], now: datetime | date, cfg: EngineConfig | None = None, *,
                budget: int | None = None, seen: Iterable | None = None, everything: bool = False) -> Queue:
    """The ranked queue for ``now``: every contact's items, caps and the daily budget applied.

    ``seen``: the days the queue was shown before (dates or ordinals; None: every day).
    ``everything``: no budget, no caps, nothing retired (``due --all``).
    Same result as ``apply_budget([*contact_items(c) for c], ...)``, but only the keep-in-touch
    items the budget lets in are rendered (text and terms), which keeps 10,000 contacts fast.
    """
    return QueueCache(contacts, now, cfg, budget=budget, seen=seen, everything=everything).queue()


class QueueCache:
    """Per-contact items kept between refreshes: the <= 20 ms path after logging one touch.

    Build it once for a day (``QueueCache(contacts, now, cfg, seen=...)``), call :meth:`update`
    with the contact whose state changed (or :meth:`remove`), then :meth:`queue` for the ranked
    queue. A new day needs a new cache (scores and due items depend on the day).
    """

    def __init__(self, contacts: Iterable[ContactInput], now: datetime | date,
                 cfg: EngineConfig | None = None, *, budget: int | None = None,
                 seen: Iterable | None = None, everything: bool = False) -> None:
        self.cfg = cfg or _DEFAULT_CFG
        self.today = _today(now)
        self.budget, seen, self.limits = _settings(self.cfg, budget, seen, everything)
        self.seen = None if seen is None else list(seen)
        self._always: dict[int, list[QueueItem]] = {}
        self._cand: dict[int, tuple[ContactInput, Candidate]] = {}
        self._applies = tuple(k.applies for k in ALWAYS)
        for c in contacts:
            self.update(c)

    def update(self, c: ContactInput) -> None:
        for applies in self._applies:  # cheap checks first: most contacts have no always item
            if applies(c):
                items = always_items(c, self.today, self.cfg)
                if items:
                    self._always[c.id] = items
                    break
                self._always.pop(c.id, None)
                break
        else:
            self._always.pop(c.id, None)
        cand = keep_in_touch_candidate(c, self.today.toordinal(), self.cfg)
        if cand is None:
            self._cand.pop(c.id, None)
        else:
            self._cand[c.id] = (c, cand)

    def remove(self, contact_id: int) -> None:
        self._always.pop(contact_id, None)
        self._cand.pop(contact_id, None)

    def queue(self) -> Queue:
        always = [it for lst in self._always.values() for it in lst]
        pending = [(cand.since, cand.priority, cand.contact_id, cand.kind, cid)
                   for cid, (_, cand) in self._cand.items()]
        today, cfg, cands = self.today, self.cfg, self._cand

        def render(cid, a):
            c, cand = cands[cid]
            return _with_shown(render_candidate(c, cand, today, cfg), date.fromordinal(a))

        return assemble(always, pending, render, today, cfg, budget=self.budget, seen=self.seen,
                        limits=self.limits)
