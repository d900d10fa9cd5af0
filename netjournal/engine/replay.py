"""``netjournal replay EVENTS --ego ID [--ego ID ...] [--budget N]``: the engine on a real log.

EVENTS holds one interaction a line, ``initiator other unix_seconds`` (whitespace, commas or
semicolons; a header line is skipped); a CSV whose header starts with ``timestamp`` is read as
``timestamp,from,to,...``. For each ego, every line involving it is a message touch with that
alter, outbound when the ego initiated it. For each ego and each UTC day from its first to its
last event, the engine runs with ``now`` at the start of that day, seeing only earlier
interactions, and one JSON line is printed::

    {"ego": "ID", "day": "YYYY-MM-DD", "queue": [{"contact": "ID", "kind": "...", "score": 1.0}, ...]}

The queue is what the user would have seen that day, daily budget applied.

How it stays fast and honest
----------------------------
The replay is incremental: an alter's items (via :func:`contact_items`, the same code the app
uses) and their due days (:func:`lapse_days`) only change when that alter is touched, so each
touch schedules the alter's keep-in-touch candidates on a calendar; each day the budget lets
in at most N of the due ones in priority order (the overflow rolls over), exactly like
:func:`apply_budget`, and only alters with something on the queue are evaluated. A touch on day
d is observed after day d's queue is printed, so no day ever sees its own or later events.

Tiers: a log has none. Each alter's tier is inferred when it is touched from its rank by touch
days so far among the ego's alters, after the layers of personal networks (vocab
``TIER_LAYER_SIZE``: the top 5 are ``inner``, the next 10 ``close``, then ``friend`` up to 50,
``network`` up to 150, ``acquaintance`` beyond). The tier only sets the prior the learned
rhythm is shrunk toward while history is short, and the ranking term.
"""
from __future__ import annotations

import argparse
import bisect
import heapq
import json
import sys
from collections import defaultdict
from datetime import date, datetime, timezone

from netjournal.vocab import TIER_LAYER_SIZE, TIERS

from .config import EngineConfig
from .core import _one_sided, contact_items, lapse_days
from .model import BUDGETED_KINDS, ContactInput
from .state import RelationshipState

DAY = 86400
_EPOCH = date(1970, 1, 1).toordinal()
_LAYERS = sorted(TIER_LAYER_SIZE.items(), key=lambda kv: kv[1])


class ReplayError(Exception):
    pass


# Unix seconds of 0001-01-01 and 10000-01-01: what a calendar day can be.
_MIN_TS = -62135596800
_MAX_TS = 253402300800


def load_events(path: str) -> list[tuple[str, str, int]]:
    """(initiator, other, unix seconds) for every readable line, in file order."""
    events: list[tuple[str, str, int]] = []
    ts_first = False
    try:
        fh = open(path, encoding="utf-8", errors="replace")
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
        raise ReplayError(f"cannot read {path!r}: {getattr(exc, 'strerror', None) or exc}") from None
    with fh:
        for n, line in enumerate(fh):
            parts = line.replace(",", " ").replace(";", " ").split()
            if len(parts) < 3:
                continue
            if n == 0 and parts[0].lower().startswith("timestamp"):
                ts_first = True
                continue
            try:
                if ts_first:
                    t, a, b = int(float(parts[0])), parts[1], parts[2]
                else:
                    a, b, t = parts[0], parts[1], int(float(parts[2]))
            except (ValueError, OverflowError):
                continue  # a header or a malformed line
            if not _MIN_TS <= t < _MAX_TS:
                raise ReplayError(f"{path}:{n + 1}: timestamp {parts[0 if ts_first else 2]!r} is not a date "
                                  "between the years 1 and 9999 (expected unix seconds)")
            if a != b:
                events.append((a, b, t))
    if not events:
        raise ReplayError(f"{path}: no interactions read (expected 'initiator other unix_seconds' lines)")
    return events


def tier_for_rank(rank: int) -> str:
    """Tier for the alter ranked ``rank`` (0 = most touch days)."""
    for tier, size in _LAYERS:
        if rank < size:
            return tier
    return TIERS[-1]


def replay_ego(ego: str, events: list[tuple[int, str, str]], cfg: EngineConfig, budget: int):
    """Yield (day, [(alter, kind, score), ...]) for each day of the ego's span.

    ``events``: (unix seconds, alter, direction) involving the ego, in time order.
    """
    events = sorted(events, key=lambda e: e[0])
    by_day: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for t, alter, direction in events:
        by_day[t // DAY].append((alter, direction))
    first = events[0][0] // DAY
    last = events[-1][0] // DAY

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

    for d in range(first, last + 1):
        # 1. due candidates join the pending pool; the budget lets some in
        for cand in calendar.pop(d, ()):
            heapq.heappush(pending, cand)
        n = 0
        while pending and n < budget:
            negp, since, cid, kind, ver = heapq.heappop(pending)
            if version[cid] != ver:
                continue  # resolved by a touch before it got in
            admitted[(cid, kind, since)] = d
            active[cid] = max(active.get(cid, 0), d + show)
            n += 1
        # 2. the queue of day d: only alters with something that may show
        today = date.fromordinal(_EPOCH + d)
        queue = []
        look = [c for c, until in active.items() if until > d]
        for c in [c for c, until in active.items() if until <= d]:
            del active[c]
        for cid, o in list(owed.items()):
            if d - o >= cfg.reply_window_days:
                del owed[cid]
            elif d - o >= cfg.reply_days and cid not in active:
                look.append(cid)
        for cid in sorted(look):
            for it in contact_items(contact[cid], today, cfg):
                if it.kind in BUDGETED_KINDS:
                    a = admitted.get((cid, it.kind, it.since.toordinal() - _EPOCH))
                    if a is None or not (a <= d < a + show):
                        continue
                queue.append((-it.score, cid, it.kind, it.score))
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
            before = st._days
            st.observe(today, "message", direction)
            if st._days != before:
                # keep the sorted volume list current (negated: most first)
                i = bisect.bisect_left(sorted_vols, -vols[cid])
                del sorted_vols[i]
                vols[cid] = st._days
                bisect.insort(sorted_vols, -st._days)
            touched[cid] = None
        for cid in touched:
            st = states[cid]
            version[cid] += 1
            ver = version[cid]
            rank = bisect.bisect_left(sorted_vols, -vols[cid])
            c = contact[cid] = ContactInput(cid, names[cid], tier_for_rank(rank), state=st)
            if st._owed is not None:
                owed[cid] = st._owed - _EPOCH
            else:
                owed.pop(cid, None)
            # schedule this alter's keep-in-touch candidates (same rules as contact_items)
            lastd = st._last - _EPOCH
            dr, ds, _, _, _ = lapse_days(c, cfg)
            probe = [lastd + dr]
            if ds > dr:
                probe.append(lastd + ds)
            if _one_sided(st, cfg):
                probe.append(lastd + 1)
            for pd in probe:
                for it in contact_items(c, date.fromordinal(_EPOCH + pd), cfg):
                    if it.kind in BUDGETED_KINDS and it.since is not None:
                        since = it.since.toordinal() - _EPOCH
                        if (cid, it.kind, since) in admitted:
                            continue  # the same item, already let in: it keeps its place
                        calendar[max(since, d + 1)].append((-it.priority, since, cid, it.kind, ver))


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit status 2
        self.exit(2, f"netjournal replay: {message}\n")


def replay_main(argv: list[str] | None = None) -> int:
    ap = _Parser(prog="netjournal replay",
                                 description="Replay an interaction log through the reminder engine, day by day.")
    ap.add_argument("events", metavar="EVENTS", help="one interaction a line: initiator other unix_seconds")
    ap.add_argument("--ego", action="append", required=True, metavar="ID", help="whose queue to replay (repeatable)")
    ap.add_argument("--budget", type=int, default=None, metavar="N", help="new keep-in-touch items a day")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="override an [engine] setting, e.g. --set min_silence_days=7 (JSON values)")
    try:
        args = ap.parse_args(argv)
    except SystemExit as exc:
        return 0 if exc.code in (0, None) else 2
    try:
        overrides = {}
        for kv in args.set:
            key, sep, val = kv.partition("=")
            if not sep:
                raise ValueError(f"--set needs KEY=VALUE, got {kv!r}")
            try:
                overrides[key.strip()] = json.loads(val)
            except ValueError:
                raise ValueError(f"--set {key}: value must be JSON (a number or a table), got {val!r}") from None
        cfg = EngineConfig.from_mapping(overrides)
    except ValueError as exc:
        print(f"netjournal replay: {exc}", file=sys.stderr)
        return 2
    budget = cfg.budget if args.budget is None else args.budget
    if budget < 0:
        print("netjournal replay: --budget must be >= 0", file=sys.stderr)
        return 2
    try:
        events = load_events(args.events)
    except ReplayError as exc:
        print(f"netjournal replay: {exc}", file=sys.stderr)
        return 2
    egos = list(dict.fromkeys(args.ego))
    per: dict[str, list] = {e: [] for e in egos}
    for a, b, t in events:
        if a in per:
            per[a].append((t, b, "out"))
        if b in per:
            per[b].append((t, a, "in"))
    missing = [e for e in egos if not per[e]]
    if missing:
        print(f"netjournal replay: ego {missing[0]} has no interactions in {args.events}", file=sys.stderr)
        return 2
    out = sys.stdout
    dumps = json.dumps
    try:
        for e in egos:
            buf = []
            for day, queue in replay_ego(e, per[e], cfg, budget):
                buf.append(dumps({"ego": e, "day": day.isoformat(),
                                  "queue": [{"contact": a, "kind": k, "score": round(s, 3)} for a, k, s in queue]},
                                 separators=(",", ":")))
            out.write("\n".join(buf) + "\n")
        out.flush()
    except BrokenPipeError:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(replay_main(sys.argv[1:]))
