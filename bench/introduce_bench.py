#!/usr/bin/env python3
""""Who can introduce me to X?" on a big demo journal: the store query behind `netjournal
introduce X` and the contact screen's key, timed over many targets.

    python bench/introduce_bench.py [--journal PATH] [--contacts 10000] [--touches 200000] [--targets 300]

Without --journal, builds `netjournal --db TMP demo --contacts N --touches M --seed 7` in a
temporary folder first (never the user's journal). Times `links.introducers(db, X)` for
--targets targets picked with a fixed seed (half of them people with links, the rest anyone),
after one warm-up call, and prints the median, 90th percentile and maximum. Target: median
<= 100 ms. Also times the whole `netjournal introduce X` command once per 20 targets.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--journal", help="an existing demo journal (a .db file)")
    ap.add_argument("--contacts", type=int, default=10_000)
    ap.add_argument("--touches", type=int, default=200_000)
    ap.add_argument("--targets", type=int, default=300)
    a = ap.parse_args()
    tmp = None
    if a.journal:
        path = Path(a.journal)
    else:
        tmp = tempfile.TemporaryDirectory()
        path = Path(tmp.name) / "demo.db"
        env = dict(os.environ, NETJOURNAL_DATA_DIR=tmp.name, NETJOURNAL_CONFIG_DIR=tmp.name)
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "netjournal.cli", "--db", str(path), "demo", "--contacts",
                        str(a.contacts), "--touches", str(a.touches), "--seed", "7"], check=True, env=env)
        print(f"demo built in {time.perf_counter() - t:.1f} s")

    import sqlalchemy as sa

    from netjournal.store import links
    from netjournal.store.db import open_database
    from netjournal.store.models import Contact, ContactLink

    db = open_database("sqlite:///" + str(path))
    with db.read() as s:
        ids = [r[0] for r in s.exec(sa.select(Contact.id)).all()]
        linked = sorted({r[0] for r in s.exec(sa.select(ContactLink.a_id)).all()}
                        | {r[0] for r in s.exec(sa.select(ContactLink.b_id)).all()})
        n_links = s.exec(sa.select(sa.func.count()).select_from(ContactLink)).one()[0]
    rng = random.Random(16)
    targets = rng.sample(linked, min(len(linked), a.targets // 2)) + rng.sample(ids, min(len(ids), a.targets - a.targets // 2))
    today = date.today()
    links.introducers(db, targets[0], today=today)  # warm-up: imports, first connection
    times, found = [], []
    for x in targets:
        t = time.perf_counter()
        rows = links.introducers(db, x, today=today)
        times.append((time.perf_counter() - t) * 1000)
        found.append(len(rows))
    times.sort()
    p90 = times[int(0.9 * (len(times) - 1))]
    print(f"journal: {len(ids)} contacts, {n_links} links; {len(targets)} targets, "
          f"median {statistics.median(found):.0f} introducers found (max 10 shown)")
    print(f"who can introduce me to X: median {statistics.median(times):.1f} ms, p90 {p90:.1f} ms, "
          f"max {times[-1]:.1f} ms  (target: median <= 100 ms)")
    cli = []
    for x in targets[::20]:
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "netjournal.cli", "--db", str(path), "introduce", f"#{x}"],
                       check=True, stdout=subprocess.DEVNULL)
        cli.append((time.perf_counter() - t) * 1000)
    print(f"`netjournal introduce X` whole command: median {statistics.median(cli):.0f} ms over {len(cli)} runs")
    db.dispose()
    if tmp:
        tmp.cleanup()


if __name__ == "__main__":
    main()
