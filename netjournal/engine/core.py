"""The reminder engine: candidate items per contact, scores with their terms, and the budget.

Pure functions over plain inputs; ``now`` is always passed in.

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
  "They always start" is its own nudge (reach out first), new after their touch; "you always
  start" is said on the lapse items only (never right after your own touch).
* **Stage**: affinity or further along and never met offline.
* **Budget**: keep-in-touch items (rhythm, silence, one-sided, stage) enter the queue at most
  ``budget`` a day, in priority order; the overflow rolls over to the next days; once in, an
  item stays ``show_days`` days (or until resolved), then retires until something new happens.
  Admission is replayed from the items' due days, so the same inputs always give the same queue.
"""
from __future__ import annotations

import heapq
import math
from datetime import date, datetime, timedelta
from typing import Iterable

from netjournal.vocab import CHANNEL_LABELS, STAGES, TIERS

from .config import EngineConfig
from .model import ALWAYS_KINDS, BUDGETED_KINDS, ContactInput, DateInput, QueueItem

_KIND_ORDER = {k: i for i, k in enumerate(("followup", "reply", "date", "silence", "rhythm", "stage", "one-sided"))}
_AFFINITY = STAGES.index("affinity")
_STAGE_IDX = {s: i for i, s in enumerate(STAGES)}
_LAPSE = ("rhythm", "silence")
_MESSAGE_LIKE = frozenset({"message", "email", "social", "other", "letter", "gift"})
_FOLLOWUP_ACTION = {
    "meet": ("meet offline", "in_person"), "call": ("call", "call"), "send": ("send it", None),
    "reply": ("reply", None), "introduce": ("make the introduction", "email"),
    "other": ("follow up", None),
}
_DEFAULT_CFG = EngineConfig()


def _today(now: datetime | date) -> date:
    return now.date() if isinstance(now, datetime) else now


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _fmt_days(x: float) -> str:
    r = round(x)
    return str(int(r)) if abs(x - r) < 0.05 or x >= 10 else f"{x:.1f}"


def lower_tier(tier: str) -> str | None:
    i = TIERS.index(tier) if tier in TIERS else len(TIERS) - 1
    return TIERS[i + 1] if i + 1 < len(TIERS) else None


# -- rhythm ------------------------------------------------------------------------------
def tier_prior(c: ContactInput, cfg: EngineConfig) -> float:
    p = cfg.tier_prior_days.get(c.tier, cfg.tier_prior_days["network"])
    return p * cfg.kin_factor if c.kin else p


def learned_rhythm(c: ContactInput, cfg: EngineConfig | None = None) -> tuple[float, str]:
    """(days, "set" | "learned" | "tier prior"): the contact's rhythm, for the UI header."""
    cfg = cfg or _DEFAULT_CFG
    if c.rhythm_days:
        return float(c.rhythm_days), "set"
    tp = cfg.tier_prior_days  # tier_prior(), inlined: this runs for every contact on every queue
    prior = tp.get(c.tier, tp["network"])
    if c.kin:
        prior *= cfg.kin_factor
    st = c.state
    n = len(st._gaps)
    if n == 0:
        return prior, "tier prior"
    if n > cfg.gap_window:
        n = cfg.gap_window
    raw = st.learned_gap_for(cfg.recency_half_life, cfg.gap_window, cfg.fade_cap)
    k = cfg.prior_strength
    if k <= 0:
        return raw, "learned"
    r = math.exp((n * math.log(max(raw, 0.5)) + k * math.log(prior)) / (n + k))
    return r, "learned"


def lapse_days(c: ContactInput, cfg: EngineConfig) -> tuple[int, int, float, str, float]:
    """(rhythm-due day offset, silence day offset, rhythm, source, channel weight) after the last touch."""
    r, src = learned_rhythm(c, cfg)
    cw = cfg.channel_weights
    w = 1.0
    chans = c.state._chans
    if chans:  # the strongest channel of the last touch day (a loop: no generator per contact)
        w = cw.get(chans[0], 1.0)
        for ch in chans[1:]:
            x = cw.get(ch, 1.0)
            if x > w:
                w = x
    if src == "set":
        due_r = r * w
        due_s = cfg.silence_factor * r * w
    else:
        floor = cfg.min_silence_days
        due_r = max(cfg.rhythm_grace * r * w, floor)
        due_s = max(cfg.silence_factor * r * w, floor)
    dr = max(1, math.ceil(due_r - 1e-9))
    ds = max(1, math.ceil(due_s - 1e-9))
    return dr, ds, r, src, w


# -- dates -------------------------------------------------------------------------------
def occurrence(d: DateInput, year: int) -> date:
    """The date in ``year``; 29 February falls on 28 February in non-leap years."""
    try:
        return date(year, d.month, d.day)
    except ValueError:
        if d.month == 2 and d.day == 29:
            return date(year, 2, 28)
        raise


def next_occurrence(d: DateInput, today: date) -> date:
    occ = occurrence(d, today.year)
    if occ < today:
        occ = occurrence(d, today.year + 1)
    return occ


# -- items -------------------------------------------------------------------------------
def _mk(c, kind, terms, reason, action, channel, today, **kw) -> QueueItem:
    score = 0.0
    for _, v in terms:
        score += v
    return QueueItem(c.id, c.name, kind, round(score, 6), tuple(terms), reason, action, channel,
                     day=today, **kw)


def _snoozed(c: ContactInput, kind: str, today: date) -> tuple[bool, date | None]:
    """(hidden now, latest expired snooze end) for ``kind``."""
    hidden = False
    woke = None
    budgeted = kind in BUDGETED_KINDS
    for s in c.snoozes:
        if s.kind == kind or (s.kind is None and budgeted):
            if s.until > today:
                hidden = True
            elif woke is None or s.until > woke:
                woke = s.until
    return hidden, woke


def _suggestion(c: ContactInput, cfg: EngineConfig) -> str | None:
    if not c.snoozes:
        return None
    last = c.state._last
    streak = 0
    for s in c.snoozes:
        if (s.kind is None or s.kind in BUDGETED_KINDS) and (last is None or s.created.toordinal() > last):
            streak += 1
    if streak < cfg.snooze_streak:
        return None
    lower = lower_tier(c.tier)
    if lower is None:
        return f"snoozed {streak} times in a row: consider archiving"
    return f"snoozed {streak} times in a row: consider tier '{lower}'"


def _one_sided(st, cfg: EngineConfig) -> tuple[str, int, int] | None:
    """("out"|"in", count, n) when one side started >= share of the last touches.

    Looks at the last ``one_sided_window`` touches; with fewer than ``one_sided_min_touches``
    the share is taken of that minimum (so a short history is one-sided only if every touch
    came from one side and there are enough of them to mean it).
    """
    dirs = st._dirs[-cfg.one_sided_window:]
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


def contact_items(c: ContactInput, now: datetime | date, cfg: EngineConfig | None = None) -> list[QueueItem]:
    """All candidate items for one contact, before the budget (snoozes and dismissals applied)."""
    cfg = cfg or _DEFAULT_CFG
    today = _today(now)
    out = always_items(c, today, cfg)
    cand = keep_in_touch_candidate(c, today.toordinal(), cfg)
    if cand is not None:
        out.append(render_candidate(c, cand, today, cfg))
    return out


def _tier_terms(c: ContactInput, wt: dict) -> list[tuple[str, float]]:
    """Closeness terms: a reply or a birthday in the inner circle ranks above an acquaintance's."""
    terms = []
    w = wt.get(f"tier_{c.tier}", 0.0)
    if w:
        terms.append((f"tier {c.tier}", w))
    if c.kin and wt.get("kin"):
        terms.append(("kin", wt["kin"]))
    return terms


def always_items(c: ContactInput, today: date, cfg: EngineConfig) -> list[QueueItem]:
    """Follow-ups due, dates coming and replies owed: the items the budget never holds back."""
    t = today.toordinal()
    wt = cfg.weights
    out: list[QueueItem] = []
    dismissals = c.dismissals

    # follow-ups: due today or overdue
    for f in c.followups:
        if f.due is None or f.due > today:
            continue
        if any(d.kind == "followup" and d.on >= f.due for d in dismissals):
            continue
        if c.snoozes and _snoozed(c, "followup", today)[0]:
            continue
        late = t - f.due.toordinal()
        terms = [("follow-up due", wt["followup"])]
        if late:
            terms.append((f"{_plural(late, 'day')} overdue", min(late * wt["followup_per_day"], wt["followup_cap"])))
        when = "due today" if late == 0 else f"overdue by {_plural(late, 'day')}"
        if f.due_time is not None and late == 0:
            when = f"due today at {f.due_time.strftime('%H:%M')}"
        action, channel = _FOLLOWUP_ACTION.get(f.kind, ("follow up", None))
        out.append(_mk(c, "followup", terms, f"Follow-up \u201c{f.title}\u201d {when}", action, channel,
                       today, followup_id=f.id, due=f.due))

    # important dates
    for d in c.dates:
        occ = next_occurrence(d, today)
        until = (occ - today).days
        lead = cfg.date_lead_days.get(d.kind, 3)
        if until > lead:
            continue
        start = occ - timedelta(days=lead)
        if any(x.kind == "date" and start <= x.on <= occ for x in dismissals):
            continue
        if c.snoozes and _snoozed(c, "date", today)[0]:
            continue
        what = d.label or {"birthday": "birthday", "anniversary": "anniversary"}.get(d.kind, "date")
        when = "today" if until == 0 else "tomorrow" if until == 1 else f"in {until} days"
        extra = ""
        if d.kind == "birthday" and d.year:
            extra = f" (turns {occ.year - d.year})"
        elif d.kind == "anniversary" and d.year:
            extra = f" ({occ.year - d.year} years)"
        terms = [(what, wt["date"])]
        if lead - until:
            terms.append(("coming soon", (lead - until) * wt["date_per_day"]))
        terms += _tier_terms(c, wt)
        close = TIERS.index(c.tier) <= 1 if c.tier in TIERS else False
        action = f"send a {what} message" if d.kind != "custom" else f"mark the {what}"
        out.append(_mk(c, "date", terms, f"{c.name}'s {what} is {when}{extra}, {occ.strftime('%d %B')}",
                       ("call for the " + what) if close and d.kind != "custom" else action,
                       "call" if close else "message", today, due=occ))

    if c.archived:
        return out
    st = c.state

    # reply owed
    owed = st._owed
    if owed is not None:
        waited = t - owed
        if cfg.reply_days <= waited < cfg.reply_window_days and not any(
                x.kind == "reply" and x.on.toordinal() >= st._last_in for x in dismissals) and not (
                c.snoozes and _snoozed(c, "reply", today)[0]):
            terms = [("reply owed", wt["reply"]),
                     (f"waiting {_plural(waited, 'day')}", min(waited * wt["reply_per_day"], wt["reply_cap"]))]
            terms += _tier_terms(c, wt)
            ch = st._in_ch
            label = CHANNEL_LABELS.get(ch, ch) if ch else "touch"
            out.append(_mk(c, "reply", terms,
                           f"{c.name} reached out ({label}) {_plural(waited, 'day')} ago and you have not answered",
                           "reply", ch, today))
    return out


def keep_in_touch_candidate(c: ContactInput, t: int, cfg: EngineConfig) -> tuple | None:
    """The contact's keep-in-touch candidate on day ordinal ``t`` (cheap: no text).

    (kind, since ordinal, priority, contact id, detail) or None. At most one per contact: a lapse
    (rhythm / silence) takes precedence, then a stage nudge, then one-sided; the lesser
    signals fold into it as terms.
    """
    if c.archived:
        return None
    st = c.state
    last = st._last
    if last is None:
        return None
    elapsed = t - last
    wt = cfg.weights
    dismissals = c.dismissals
    snoozes = c.snoozes
    one = _one_sided(st, cfg)
    # Affinity or further, never met offline: suggest moving it offline — from the day after a
    # touch (right after you've talked, the nudge would only be noise).
    stage_nudge = st._offline_n == 0 and _STAGE_IDX.get(c.stage, 0) >= _AFFINITY and elapsed >= 1
    base = wt["tier_" + c.tier] if ("tier_" + c.tier) in wt else 0.0
    if c.kin:
        base += wt["kin"]
    lapse = lapse_days(c, cfg)
    dr, ds = lapse[0], lapse[1]
    kind = None
    if elapsed >= dr:
        kind = "silence" if elapsed >= ds else "rhythm"
        since = last + (ds if kind == "silence" else dr)
        if dismissals and any(x.kind in _LAPSE and x.on.toordinal() >= last for x in dismissals):
            kind = None
        elif snoozes:
            hidden, woke = _snoozed(c, kind, date.fromordinal(t))
            if hidden:
                kind = None
            elif woke is not None and woke.toordinal() > since:
                since = woke.toordinal()
        if kind is not None:
            prio = wt[kind] + base + (wt["one_sided"] if one else 0.0) + (wt["stage"] if stage_nudge else 0.0)
            return (kind, since, prio, c.id, (elapsed, lapse, one, stage_nudge))
    # stage nudge: never reset by a dismissal until dismiss_stage_days have passed
    if stage_nudge and not (dismissals and any(
            x.kind == "stage" and t - x.on.toordinal() < cfg.dismiss_stage_days for x in dismissals)):
        since = last
        hidden = False
        if snoozes:
            hidden, woke = _snoozed(c, "stage", date.fromordinal(t))
            if woke is not None and woke.toordinal() > since:
                since = woke.toordinal()
        if not hidden:
            ins = one is not None and one[0] == "in"
            prio = wt["stage"] + base + (wt["one_sided"] if ins else 0.0)
            return ("stage", since, prio, c.id, (elapsed, lapse, one if ins else None, True))
    # one-sided, they always start: a standalone nudge to reach out first, new after their touch
    # (you always start: said on lapse items only, never right after your own touch)
    if one is not None and one[0] == "in" and st._last_in is not None:
        li = st._last_in
        if dismissals and any(x.kind == "one-sided" and x.on.toordinal() >= li for x in dismissals):
            return None
        since = li
        if snoozes:
            hidden, woke = _snoozed(c, "one-sided", date.fromordinal(t))
            if hidden:
                return None
            if woke is not None and woke.toordinal() > since:
                since = woke.toordinal()
        return ("one-sided", since, wt["one_sided"] + base, c.id, (elapsed, lapse, one, False))
    return None


def render_candidate(c: ContactInput, cand: tuple, today: date, cfg: EngineConfig) -> QueueItem:
    """The full item (terms, reason, action) for a keep-in-touch candidate."""
    kind, since, prio, _, (elapsed, lapse, one, stage_nudge) = cand
    dr, ds, r, src, w = lapse
    wt = cfg.weights
    st = c.state
    terms: list[tuple[str, float]] = []
    last_ch = st._chans[0] if st._chans else "message"
    if kind in _LAPSE:
        terms.append(("long silence" if kind == "silence" else "past its rhythm", wt[kind]))
    elif kind == "stage":
        terms.append(("never met offline", wt["stage"]))
    else:
        terms.append(("one-sided", wt["one_sided"]))
    terms.append((f"tier {c.tier}", wt.get(f"tier_{c.tier}", 0.0)))
    if c.kin:
        terms.append(("kin", wt["kin"]))
    extra = []
    if one and kind != "one-sided":
        terms.append(("one-sided", wt["one_sided"]))
        extra.append(_one_sided_text(one, c))
    if kind in _LAPSE:
        if stage_nudge:
            terms.append(("never met offline", wt["stage"]))
        due = ds if kind == "silence" else dr
        over = min((elapsed - due) / r, wt["overdue_cap"]) * wt["overdue"] if r > 0 else 0.0
        if over > 0:
            terms.append((f"{_fmt_days(elapsed / r)}x the rhythm", round(over, 6)))
        rtxt = {"learned": f"you usually talk every {_fmt_days(r)}",
                "set": f"you wanted every {_fmt_days(r)}",
                "tier prior": f"about every {_fmt_days(r)} for a {c.tier} contact"}[src]
        reason = f"{elapsed} days since you last talked; {rtxt}"
        if w != 1.0 and st._chans:
            reason += f" (last touch: {CHANNEL_LABELS.get(st._chans[0], st._chans[0])})"
        if extra:
            reason += "; " + "; ".join(extra)
        if kind == "silence" or stage_nudge:
            if stage_nudge or last_ch in ("call", "video") or (c.tier in TIERS and TIERS.index(c.tier) <= 2):
                action, channel = "meet offline", "in_person"
            else:
                action, channel = "call", "call"
            if kind == "silence":
                reason += " \u2014 a long silence: try a richer channel than a message"
        else:
            action, channel = "reach out", last_ch
    elif kind == "stage":
        reason = f"{c.name} is at {c.stage} and you have never met offline"
        if extra:
            reason += "; " + "; ".join(extra)
        action, channel = "meet offline", "in_person"
    else:
        txt = _one_sided_text(one, c)
        reason = txt[0].upper() + txt[1:]
        if one[0] == "out":
            action = "ask them something they will want to answer"
        else:
            action = "reach out first"
        channel = st._chans[0] if st._chans else None
    return _mk(c, kind, terms, reason, action, channel, today, since=date.fromordinal(since),
               priority=prio, suggestion=_suggestion(c, cfg))


def _one_sided_text(one: tuple[str, int, int], c: ContactInput) -> str:
    side, k, n = one
    if side == "out":
        return f"you started {k} of the last {n} touches"
    return f"{c.name} started {k} of the last {n} touches"


# -- ranking and budget --------------------------------------------------------------------
def rank_key(it: QueueItem):
    return (-it.score, _KIND_ORDER.get(it.kind, 99), it.contact_id, it.followup_id or 0,
            it.due or date.min)


def admit(budgeted: list[tuple[int, float, int, str, object]], budget: int, today: int) -> dict[object, int]:
    """Admission days of keep-in-touch items: at most ``budget`` new ones a day.

    ``budgeted`` holds (since ordinal, priority, contact id, kind, key). Each day, the pending
    items (due on or before it, not yet in) are let in by priority (then earliest due, then
    contact id) until the day's budget is spent; the rest roll over. Items due after ``today``
    are ignored. Returns key -> admission day ordinal (only items admitted by ``today``).
    """
    items = sorted(b for b in budgeted if b[0] <= today)
    res: dict[object, int] = {}
    if budget <= 0 or not items:
        return res
    heap: list = []
    i = 0
    n = len(items)
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


def apply_budget(items: list[QueueItem], cfg: EngineConfig | None = None, *, today: date | None = None,
                 budget: int | None = None) -> list[QueueItem]:
    """Rank ``items`` and keep the keep-in-touch ones the daily budget lets in.

    Follow-ups, replies owed and dates always show. ``today`` defaults to the items' ``day``.
    Kept keep-in-touch items get ``shown_since`` (the day the budget let them in).
    """
    cfg = cfg or _DEFAULT_CFG
    n = cfg.budget if budget is None else budget
    if today is None:
        days = [it.day for it in items if it.day is not None]
        if not days:
            return sorted(items, key=rank_key)
        today = max(days)
    t = today.toordinal()
    keep = [it for it in items if it.kind in ALWAYS_KINDS]
    bud = [(it.since.toordinal() if it.since else t, it.priority, it.contact_id, it.kind, k)
           for k, it in enumerate(items) if it.kind in BUDGETED_KINDS]
    if bud:
        adm = admit(bud, n, t)
        show = cfg.show_days
        for k, a in adm.items():
            if t < a + show:
                it = items[k]
                keep.append(_with_shown(it, date.fromordinal(a)))
    keep.sort(key=rank_key)
    return keep


def _with_shown(it: QueueItem, a: date) -> QueueItem:
    # dataclasses.replace is slow; build directly
    return QueueItem(it.contact_id, it.contact_name, it.kind, it.score, it.terms, it.reason, it.action,
                     it.channel, it.followup_id, it.due, it.suggestion, it.day, it.since, it.priority, a)


def build_queue(contacts: Iterable[ContactInput], now: datetime | date, cfg: EngineConfig | None = None, *,
                budget: int | None = None) -> list[QueueItem]:
    """The ranked queue for ``now``: every contact's items, the daily budget applied.

    Same result as ``apply_budget([*contact_items(c) for c], ...)``, but only the keep-in-touch
    items the budget lets in are rendered (text and terms), which keeps 10,000 contacts fast.
    """
    cfg = cfg or _DEFAULT_CFG
    today = _today(now)
    t = today.toordinal()
    n = cfg.budget if budget is None else budget
    items: list[QueueItem] = []
    cands: list[tuple] = []
    byid: dict[int, ContactInput] = {}
    for c in contacts:
        if c.followups or c.dates or c.state._owed is not None:
            items.extend(always_items(c, today, cfg))
        cand = keep_in_touch_candidate(c, t, cfg)
        if cand is not None:
            cands.append((cand[1], cand[2], cand[3], cand[0], len(cands)))
            byid[len(byid)] = (c, cand)
    if cands:
        show = cfg.show_days
        for k, a in admit(cands, n, t).items():
            if t < a + show:
                c, cand = byid[k]
                it = render_candidate(c, cand, today, cfg)
                items.append(_with_shown(it, date.fromordinal(a)))
    items.sort(key=rank_key)
    return items


class QueueCache:
    """Per-contact items kept between refreshes: the <= 20 ms path after logging one touch.

    Build it once for a day (``QueueCache(contacts, now, cfg)``), call :meth:`update` with the
    contact whose state changed (or :meth:`remove`), then :meth:`queue` for the ranked queue.
    A new day needs a new cache (scores and due items depend on the day).
    """

    def __init__(self, contacts: Iterable[ContactInput], now: datetime | date,
                 cfg: EngineConfig | None = None, *, budget: int | None = None) -> None:
        self.cfg = cfg or _DEFAULT_CFG
        self.today = _today(now)
        self.budget = self.cfg.budget if budget is None else budget
        self._always: dict[int, list[QueueItem]] = {}
        self._cand: dict[int, tuple[ContactInput, tuple]] = {}
        for c in contacts:
            self.update(c)

    def update(self, c: ContactInput) -> None:
        t = self.today.toordinal()
        if c.followups or c.dates or c.state._owed is not None:
            self._always[c.id] = always_items(c, self.today, self.cfg)
        else:
            self._always.pop(c.id, None)
        cand = keep_in_touch_candidate(c, t, self.cfg)
        if cand is None:
            self._cand.pop(c.id, None)
        else:
            self._cand[c.id] = (c, cand)

    def remove(self, contact_id: int) -> None:
        self._always.pop(contact_id, None)
        self._cand.pop(contact_id, None)

    def queue(self) -> list[QueueItem]:
        t = self.today.toordinal()
        items = [it for lst in self._always.values() for it in lst]
        cands = [(cand[1], cand[2], cand[3], cand[0], cid) for cid, (_, cand) in self._cand.items()]
        show = self.cfg.show_days
        for cid, a in admit(cands, self.budget, t).items():
            if t < a + show:
                c, cand = self._cand[cid]
                items.append(_with_shown(render_candidate(c, cand, self.today, self.cfg), date.fromordinal(a)))
        items.sort(key=rank_key)
        return items
