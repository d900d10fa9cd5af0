#!/usr/bin/env python3
"""Wall time of CLI commands on a big demo journal, next to the floor `python -c "import sqlmodel"`.

    python bench/cli_bench.py [--contacts 10000] [--touches 200000] [--rounds 15] [--journal PATH]

Builds the demo journal (timing `netjournal demo`), makes sure bytecode is compiled (as a normal
`pip install` does), then runs every command once per round, interleaved so that machine noise
hits them alike, and prints medians and ratios to the floor. Uses a temporary data directory:
never the user's journal.
"""
from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import netjournal


def timed(argv: list[str], env: dict) -> float:
    t = time.perf_counter()
    p = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    dt = time.perf_counter() - t
    if p.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed: {p.stderr.decode()[-300:]}")
    return dt


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--contacts", type=int, default=10_000)
    ap.add_argument("--touches", type=int, default=200_000)
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--journal", help="reuse this demo journal file (created if missing)")
    a = ap.parse_args()

    compileall.compile_dir(str(Path(netjournal.__file__).parent), quiet=1)
    exe = shutil.which("netjournal") or sys.exit("netjournal is not installed")
    tmp = Path(tempfile.mkdtemp(prefix="nj-bench-"))
    env = dict(os.environ, NETJOURNAL_DATA_DIR=str(tmp / "data"), NETJOURNAL_CONFIG_DIR=str(tmp / "config"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    journal = Path(a.journal) if a.journal else tmp / "demo.db"
    env["NETJOURNAL_DB"] = str(journal)
    if not journal.exists():
        t = timed([exe, "demo", "--contacts", str(a.contacts), "--touches", str(a.touches), "--seed", "7"], env)
        print(f"netjournal demo --contacts {a.contacts} --touches {a.touches}: {t:.1f} s")
    name = subprocess.run([exe, "list", "--json"], env=env, capture_output=True, text=True).stdout
    import json

    first = json.loads(name)[len(json.loads(name)) // 2]["name"]
    cmds = {
        "floor: python -c 'import sqlmodel'": [sys.executable, "-c", "import sqlmodel"],
        f"netjournal log '{first}' -c call": [exe, "log", first, "-c", "call", "--no-stdin", "benchmark touch"],
        "netjournal search coffee": [exe, "search", "coffee"],
        "netjournal due": [exe, "due"],
        f"netjournal show '{first}'": [exe, "show", first],
        "netjournal followup list": [exe, "followup", "list"],
    }
    times: dict[str, list[float]] = {k: [] for k in cmds}
    for k, argv in cmds.items():  # warm-up
        timed(argv, env)
    for _ in range(a.rounds):
        for k, argv in cmds.items():
            times[k].append(timed(argv, env))
    floor = statistics.median(times[next(iter(cmds))])
    print(f"{'command':48s} {'median':>9s} {'× floor':>8s}")
    for k, ts in times.items():
        m = statistics.median(ts)
        print(f"{k:48s} {m * 1000:7.0f} ms {m / floor:7.2f}×")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
