"""Replay an interaction log through the engine, day by day (pure: events in, queues out).

The command line (reading the file, ``--ego``, printing JSON Lines) is
:mod:`netjournal.cli.replay`. For each ego, every interaction involving it is a message touch
with that alter, outbound when the ego initiated it. For each day from the ego's first event to
the end of the log (``until``; default: its own last event) that the user *looks* (every day by default; ``look_every=k``: every k-th day), the
engine runs with ``now`` at the start of that day, seeing only earlier interactions, and
:func:`replay_ego` yields that day's queue: what the user would have seen, the daily budget and
the caps applied.

How it stays fast and honest
----------------------------
The replay is incremental: an alter's items (via :func:`contact_items`, the same code the app
uses) and their due days (:func:`lapse_days`) only change when that alter is touched, so each
touch schedules the alter's keep-in-touch candidates on a calendar; each day the user looks,
the budget lets in at most N of the due ones in priority order (the overflow rolls over; back
after days away, up to ``catch_up`` more), exactly like :func:`~netjournal.engine.core.admit`,
and an item stays until the queue was seen on ``show_days`` days. Only alters with something
on the queue are evaluated. A touch on day d is observed after day d's queue, so no day ever
sees its own or later events.

Tiers: a log has none. Each alter's tier is inferred when it is touched from its rank by touch
days so far among the ego's alters, after the layers of personal networks (vocab
``TIER_LAYER_SIZE``: the top 5 are ``inner``, the next 10 ``close``, then ``friend`` up to 50,
``network`` up to 150, ``acquaintance`` beyond). The tier only sets the prior the learned
rhythm is shrunk toward while history is short, and the ranking term.
"""
from __future__ import annotations

import bisect
import heapq
from collections import defaultdict
from datetime import date

from netjournal.vocab import TIER_LAYER_SIZE, TIERS

from .config import EngineConfig
from .core import contact_items, lapse_days, limit_always
from .kinds import BUDGETED_KINDS
from .kinds.base import one_sided
from .model import ContactInput
from .state import RelationshipState

DAY = 86400
_EPOCH = date(1970, 1, 1).toordinal()
_LAYERS = sorted(TIER_LAYER_SIZE.items(), key=lambda kv: kv[1])


def tier_for_rank(rank: int) -> str:
    """Tier for the alter ranked ``rank`` (0 = most touch days)."""
    for tier, size in _LAYERS:
        if rank < size:
            return tier
    return TIERS[-1]


def replay_ego(ego: str, events: list[tuple[int, str, str]], cfg: EngineConfig, budget: int,
               look_every: int = 1, until: int | None = None):
    """Yield (day, [(alter, kind, score), ...]) for each day of the ego's span the user looks.

    ``events``: (unix seconds, alter, direction) involving the ego, in time order.
    ``look_every``: the user looks at the queue every this many days (1: every day), from the
    first day on; only those days admit new items, count toward ``show_days``, and are yielded.
    ``until``: unix seconds of the end of the log: the user keeps looking until that day, not
    only until their own last interaction (a silence at the end of the log is when the
    reminders matter most; stopping at the ego's last event cut every one due after it).
    """
    if look_every < 1:
        raise ValueError("look_every must be >= 1")
    events = sorted(events, key=lambda e: e[0])
    by_day: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for t, alter, direction in events:
        by_day[t // DAY].append((alter, direction))
    first = events[0][0] // DAY
    last = events[-1][0] // DAY
    if until is not None and until // DAY > last:
        last = until // DAY

    ids: dict[str, int] = {}
    names: list[str] = []
    states: dict[int, RelationshipState] = {}
    contact: dict[int, ContactInput] = {}
    version: dict[int, int] = {}
    vols: dict[int, int] = {}
    sorted_vols: list[int] = []           # negated touch-day counts, ascending
    calendar: dict[int, list] = defaultdict(list)   # day -> candidates becoming due
    pending: list = []                    # heap of (-priority, since, cid, kind, version)
    admitted: dict[tuple[int, str, int], int] = {}  # (cid, kind, since) -> admission day
    active: dict[int, int] = {}           # cid -> last day it may be visible (exclusive)
    owed: dict[int, int] = {}             # cid -> owed-since day
    show = cfg.show_days

    k = look_every
    day_budget = budget + min(cfg.catch_up, k - 1)  # back after k - 1 days away
    window = show * k                                # show_days seen days, one every k days
    for d in range(first, last + 1):
        # 1. due candidates join the pending pool; the budget lets some in (on days the user looks)
        for cand in calendar.pop(d, ()):
            heapq.heappush(pending, cand)
        looks = (d - first) % k == 0
        n = 0
        while looks and pending and n < (budget if d == first else day_budget):
            negp, since, cid, kind, ver = heapq.heappop(pending)
            if version[cid] != ver:
                continue  # resolved by a touch before it got in
            admitted[(cid, kind, since)] = d
            active[cid] = max(active.get(cid, 0), d + window)
            n += 1
        # 2. the queue of day d: only alters with something that may show
        today = date.fromordinal(_EPOCH + d)
        queue = []
        always = []
        look = [c for c, until in active.items() if until > d]
        for c in [c for c, until in active.items() if until <= d]:
            del active[c]
        for cid, o in list(owed.items()):
            if d - o >= cfg.reply_window_days:
                del owed[cid]
            elif d - o >= cfg.reply_days and cid not in active:
                look.append(cid)
        if looks:
            for cid in sorted(look):
                for it in contact_items(contact[cid], today, cfg):
                    if it.kind in BUDGETED_KINDS:
                        a = admitted.get((cid, it.kind, it.since.toordinal() - _EPOCH))
                        if a is None or not (a <= d < a + window):
                            continue
                        queue.append((-it.score, cid, it.kind, it.score))
                    else:
                        always.append(it)
            for it in limit_always(always, cfg, {}):
                queue.append((-it.score, it.contact_id, it.kind, it.score))
            queue.sort()
            yield today, [(names[cid], kind, score) for _, cid, kind, score in queue]
        # 3. the day's touches, seen only from tomorrow on
        todays = by_day.get(d)
        if not todays:
            continue
        touched: dict[int, None] = {}
        for alter, direction in todays:
            cid = ids.get(alter)
            if cid is None:
                cid = ids[alter] = len(names)
                names.append(alter)
                states[cid] = RelationshipState()
                version[cid] = 0
                vols[cid] = 0
                bisect.insort(sorted_vols, 0)
            st = states[cid]
            before = st.touch_days
            st.observe(today, "message", direction)
            if st.touch_days != before:
                # keep the sorted volume list current (negated: most first)
                i = bisect.bisect_left(sorted_vols, -vols[cid])
                del sorted_vols[i]
                vols[cid] = st.touch_days
                bisect.insort(sorted_vols, -st.touch_days)
            touched[cid] = None
        for cid in touched:
            st = states[cid]
            version[cid] += 1
            ver = version[cid]
            rank = bisect.bisect_left(sorted_vols, -vols[cid])
            c = contact[cid] = ContactInput(cid, names[cid], tier_for_rank(rank), state=st)
            if st.owed_ordinal is not None:
                owed[cid] = st.owed_ordinal - _EPOCH
            else:
                owed.pop(cid, None)
            # schedule this alter's keep-in-touch candidates (same rules as contact_items)
            lastd = st.last_ordinal - _EPOCH
            lp = lapse_days(c, cfg)
            dr, ds = lp.due_rhythm, lp.due_silence
            probe = [lastd + dr]
            if ds > dr:
                probe.append(lastd + ds)
            if one_sided(st, cfg):
                probe.append(lastd + 1)
            for pd in probe:
                for it in contact_items(c, date.fromordinal(_EPOCH + pd), cfg):
                    if it.kind in BUDGETED_KINDS and it.since is not None:
                        since = it.since.toordinal() - _EPOCH
                        if (cid, it.kind, since) in admitted:
                            continue  # the same item, already let in: it keeps its place
                        calendar[max(since, d + 1)].append((-it.priority, since, cid, it.kind, ver))


def split_events(events: list[tuple[str, str, int]], egos: list[str]) -> dict[str, list[tuple[int, str, str]]]:
    """Each ego's (unix seconds, alter, direction) from (initiator, other, unix seconds) lines."""
    per: dict[str, list] = {e: [] for e in egos}
    for a, b, t in events:
        if a in per:
            per[a].append((t, b, "out"))
        if b in per:
            per[b].append((t, a, "in"))
    return per
