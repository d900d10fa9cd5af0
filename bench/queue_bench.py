#!/usr/bin/env python3
"""The reminder queue as the app gets it, from a real journal on disk.

    python bench/queue_bench.py [--journal PATH] [--contacts 10000] [--touches 200000] [--runs 7]

Builds (or reuses) a `netjournal demo` journal, then times, median of --runs:
  * full queue: read every contact's inputs from the store + rank them (the engine's queue);
  * the same through the standard-library sqlite3 fast path the app paints its first screen with;
  * refresh after logging one touch: re-read that contact only and re-rank (QueueCache.refresh);
  * the budget and caps (issue 12): items on the default queue by kind, what the caps hold back,
    and the size of ``due --all`` (everything), on the first look and after a week of daily looks.
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import date, datetime
from pathlib import Path


def median_ms(fn, runs: int) -> tuple[float, float]:
    ts = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        ts.append((time.perf_counter() - t) * 1000)
    return statistics.median(ts), max(ts)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--journal")
    ap.add_argument("--contacts", type=int, default=10_000)
    ap.add_argument("--touches", type=int, default=200_000)
    ap.add_argument("--runs", type=int, default=7)
    a = ap.parse_args()

    from netjournal import engine
    from netjournal.store import api, demo, fastread, reminders
    from netjournal.store.db import open_database

    path = Path(a.journal) if a.journal else Path(tempfile.mkdtemp(prefix="nj-queue-")) / "journal.db"
    db = open_database("sqlite:///" + str(path))
    today = date(2026, 11, 24)
    if not api.contact_names(db):
        t = time.perf_counter()
        demo.generate(db, contacts=a.contacts, touches=a.touches, seed=7, today=today)
        print(f"demo journal built in {time.perf_counter() - t:.1f} s")
    now = datetime(2026, 11, 24, 9)
    cfg = engine.EngineConfig()
    n = len(reminders.load_inputs(db))

    def full():  # what the app and `netjournal due` do
        return reminders.QueueCache(db, cfg).full(now)

    def fast():
        inputs = fastread.sqlite_inputs(path)
        seen = fastread.sqlite_seen(path) or []
        with fastread.no_gc():
            return engine.QueueCache(inputs, now, cfg, seen=seen).queue()

    m, mx = median_ms(full, a.runs)
    print(f"full queue from the store ({n} contacts, {len(full())} items): median {m:.0f} ms (max {mx:.0f})")
    m, mx = median_ms(fast, a.runs)
    print(f"full queue via stdlib sqlite3 (first paint): median {m:.0f} ms (max {mx:.0f})")
    m, mx = median_ms(lambda: engine.QueueCache(reminders.load_inputs(db), now, cfg), 1)
    cache = reminders.QueueCache(db, cfg)
    cache.full(now)
    some = api.list_contacts(db)[:a.runs]
    times = []
    for c in some:
        api.log_touch(db, contact_ids=[c.id], channel="call", day=today, summary="bench")
        t = time.perf_counter()
        cache.refresh([c.id], now)
        times.append((time.perf_counter() - t) * 1000)
    print(f"refresh after logging one touch: median {statistics.median(times):.1f} ms (max {max(times):.1f})")
    from collections import Counter

    def kinds(q) -> str:
        return ", ".join(f"{k} {v}" for k, v in sorted(Counter(it.kind for it in q).items()))

    q = reminders.queue(db, now, cfg)
    print(f"default queue, first look: {len(q)} items ({kinds(q)}); held back: {dict(sorted(q.held.items()))}")
    everything = reminders.queue(db, now, cfg, everything=True)
    print(f"due --all: {len(everything)} items ({kinds(everything)})")
    from datetime import timedelta
    week = [today - timedelta(days=k) for k in range(1, 8)]
    qw = engine.build_queue(reminders.load_inputs(db), now, cfg, seen=week)
    print(f"default queue after a week of daily looks: {len(qw)} items ({kinds(qw)})")
    m, mx = median_ms(lambda: reminders.queue(db, now, cfg, everything=True), a.runs)
    print(f"due --all from the store: median {m:.0f} ms (max {mx:.0f})")
    db.dispose()


if __name__ == "__main__":
    main()
