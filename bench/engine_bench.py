"""Benchmark of the reminder engine on a synthetic journal.

    python bench/engine_bench.py [--contacts 10000] [--touches 200000] [--runs 7] [--seed 1]

Builds N contacts (tiers after the layers of personal networks: 5 / 15 / 50 / 150 / rest),
feeds ~T touches (channel and direction mixes, rhythms by tier, some fading relationships)
through RelationshipState, adds follow-ups, birthdays, snoozes and stages, then times:

* the full queue: ``build_queue(contacts, now)`` (median of --runs);
* the one-touch refresh: log one touch for one contact, recompute that contact's items and
  re-merge with the cached items of everybody else through ``apply_budget`` (median);
* loading the states: ``RelationshipState.from_json`` for every contact.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from netjournal.engine import (ContactInput, DateInput, EngineConfig, FollowupInput,  # noqa: E402
                               RelationshipState, SnoozeInput, apply_budget, build_queue,
                               contact_items, QueueCache)
from netjournal.vocab import STAGES  # noqa: E402

TIER_MEAN_GAP = {"inner": 4, "close": 14, "friend": 45, "network": 120, "acquaintance": 300}
CHANNEL_MIX = (["message"] * 40 + ["email"] * 20 + ["social"] * 10 + ["call"] * 12 + ["video"] * 5
               + ["in_person"] * 10 + ["event"] * 2 + ["letter"] + ["gift"])
DIRECTION_MIX = ["out"] * 5 + ["in"] * 4 + ["mutual"] * 2


def tier_of(i: int) -> str:
    return "inner" if i < 5 else "close" if i < 20 else "friend" if i < 70 else "network" if i < 220 else "acquaintance"


def synth(n: int, total_touches: int, seed: int, today: date) -> list[ContactInput]:
    rng = random.Random(seed)
    tiers = [tier_of(i) if i < 220 else rng.choice(["network", "acquaintance", "acquaintance"]) for i in range(n)]
    # touches per contact proportional to 1 / mean gap, scaled to the total
    rate = [1.0 / TIER_MEAN_GAP[t] * rng.uniform(0.3, 1.7) for t in tiers]
    scale = total_touches / sum(rate)
    contacts = []
    start = today - timedelta(days=4 * 365)
    for i, t in enumerate(tiers):
        k = max(1, int(round(rate[i] * scale)))
        span = 4 * 365
        fading = rng.random() < 0.15
        days = []
        for _ in range(k):
            x = rng.random()
            if fading:
                x = x ** 2.5  # touches bunch early: a fading relationship
            days.append(start + timedelta(days=int(x * span)))
        days.sort()
        st = RelationshipState()
        for d in days:
            st.observe(d, rng.choice(CHANNEL_MIX), rng.choice(DIRECTION_MIX))
        fus = ()
        if rng.random() < 0.05:
            fus = (FollowupInput(i, rng.choice(["meet", "call", "send"]), "follow up",
                                 today + timedelta(days=rng.randint(-10, 10))),)
        dates = ()
        if rng.random() < 0.3:
            dates = (DateInput("birthday", rng.randint(1, 12), rng.randint(1, 28),
                               rng.choice([None, rng.randint(1950, 2005)])),)
        snoozes = ()
        if rng.random() < 0.03:
            snoozes = (SnoozeInput(None, today + timedelta(days=rng.randint(-5, 10)), today - timedelta(days=3)),)
        contacts.append(ContactInput(i, f"Contact {i}", t, kin=rng.random() < 0.02,
                                     stage=rng.choice(STAGES), state=st, followups=fus, dates=dates,
                                     snoozes=snoozes))
    return contacts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--contacts", type=int, default=10_000)
    ap.add_argument("--touches", type=int, default=200_000)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    today = date(2026, 6, 15)
    now = datetime(2026, 6, 15, 8, 30)
    cfg = EngineConfig()
    t0 = time.perf_counter()
    contacts = synth(args.contacts, args.touches, args.seed, today)
    build = time.perf_counter() - t0
    n_touch = sum(c.state.touches for c in contacts)

    blobs = [c.state.to_json() for c in contacts]
    loads = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        for b in blobs:
            RelationshipState.from_json(b)
        loads.append(time.perf_counter() - t0)

    full = []
    for _ in range(args.runs):
        # fresh states from JSON so no cache from the previous run helps
        cs = [replace(c, state=RelationshipState.from_json(b)) for c, b in zip(contacts, blobs)]
        t0 = time.perf_counter()
        q = build_queue(cs, now, cfg)
        full.append(time.perf_counter() - t0)

    # refresh: cached per-contact items; log one touch; recompute one contact; re-merge
    cache = {c.id: contact_items(c, now, cfg) for c in contacts}
    rng = random.Random(args.seed + 1)
    refresh = []
    for _ in range(args.runs * 3):
        c = contacts[rng.randrange(len(contacts))]
        t0 = time.perf_counter()
        st = c.state.copy()
        st.observe(today, "call", "out")
        c2 = replace(c, state=st)
        cache[c.id] = contact_items(c2, now, cfg)
        merged = [it for items in cache.values() for it in items]
        q2 = apply_budget(merged, cfg, today=today)
        refresh.append(time.perf_counter() - t0)

    kinds: dict[str, int] = {}
    for it in q:
        kinds[it.kind] = kinds.get(it.kind, 0) + 1
    print(f"contacts {len(contacts)}, touches {n_touch}, synthetic build {build:.2f}s")
    print(f"from_json x{len(blobs)}: median {statistics.median(loads) * 1000:.1f} ms")
    print(f"build_queue: median {statistics.median(full) * 1000:.1f} ms (min {min(full) * 1000:.1f}, "
          f"max {max(full) * 1000:.1f}) over {args.runs} runs; queue {len(q)} items {kinds}")
    print(f"refresh after one touch (cached contact_items + apply_budget): median "
          f"{statistics.median(refresh) * 1000:.1f} ms (max {max(refresh) * 1000:.1f}) over {len(refresh)} runs; "
          f"queue {len(q2)} items")

    # the same through QueueCache (caches candidates, renders only what the budget shows)
    qc = QueueCache(contacts, now, cfg)
    refresh2 = []
    for _ in range(args.runs * 3):
        c = contacts[rng.randrange(len(contacts))]
        t0 = time.perf_counter()
        st = c.state.copy()
        st.observe(today, "call", "out")
        qc.update(replace(c, state=st))
        q3 = qc.queue()
        refresh2.append(time.perf_counter() - t0)
    print(f"refresh after one touch (QueueCache.update + queue): median "
          f"{statistics.median(refresh2) * 1000:.1f} ms (max {max(refresh2) * 1000:.1f}) over {len(refresh2)} runs; "
          f"queue {len(q3)} items")
    return 0


if __name__ == "__main__":
    sys.exit(main())
