#!/usr/bin/env python3
"""Time and peak memory of `export json` and `restore` on the big demo journal (issue 13, break 9).

    python bench/backup_bench.py [--contacts 10000] [--touches 200000] [--seed 7] [--journal PATH]

Builds the demo journal (`netjournal --db X demo --contacts N --touches M --seed 7`) unless
--journal names one, then runs, each as its own process:

    netjournal --db X export json -o backup.json
    netjournal --db Y restore backup.json          (Y: a new, empty journal)

and prints wall time and the child's peak resident memory (``getrusage(RUSAGE_CHILDREN)``
after each child is waited for: each runs in a fresh helper process so the figure is that
command's own). Goals: export <= 10 s and <= 150 MB; restore <= 30 s and <= 200 MB. Then checks
that the restored journal holds the same rows (`export json` of it, timestamps aside) and that
`doctor` says all good. Uses a temporary folder: never the user's journal.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOALS = {"export": (10.0, 150.0), "restore": (30.0, 200.0)}


def _exe() -> list[str]:
    exe = shutil.which("netjournal")
    return [exe] if exe else [sys.executable, "-m", "netjournal.cli"]


def measure(argv: list[str], env: dict) -> tuple[float, float, float]:
    """(wall seconds, peak RSS in MB, CPU seconds) of one command, run by a fresh helper so RUSAGE_CHILDREN is its own."""
    helper = (
        "import resource, subprocess, sys, time, json\n"
        "t = time.perf_counter()\n"
        "p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
        "dt = time.perf_counter() - t\n"
        "if p.returncode: sys.exit(p.stderr.decode()[-500:])\n"
        "ru = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(json.dumps([dt, ru.ru_maxrss / 1024, ru.ru_utime + ru.ru_stime]))\n")
    p = subprocess.run([sys.executable, "-c", helper, *argv], env=env, capture_output=True, text=True)
    if p.returncode:
        sys.exit(f"{' '.join(argv)} failed: {p.stderr[-500:]}")
    dt, mb, cpu = json.loads(p.stdout)
    return dt, mb, cpu


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--contacts", type=int, default=10_000)
    ap.add_argument("--touches", type=int, default=200_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--journal", help="an existing demo journal to export (default: build one)")
    a = ap.parse_args()
    nj = _exe()
    with tempfile.TemporaryDirectory(prefix="nj-backup-bench-") as tmp:
        tmp = Path(tmp)
        env = dict(os.environ, NETJOURNAL_DATA_DIR=str(tmp / "data"), NETJOURNAL_CONFIG_DIR=str(tmp / "config"))
        src = Path(a.journal) if a.journal else tmp / "demo.db"
        if not a.journal:
            t = time.perf_counter()
            subprocess.run([*nj, "--db", str(src), "demo", "--contacts", str(a.contacts), "--touches",
                            str(a.touches), "--seed", str(a.seed)], env=env, check=True, stdout=subprocess.DEVNULL)
            print(f"demo journal built in {time.perf_counter() - t:.1f} s")
        out = tmp / "backup.json"
        results = {}
        results["export"] = measure([*nj, "--db", str(src), "export", "json", "-o", str(out)], env)
        size = out.stat().st_size
        dst = tmp / "restored.db"
        results["restore"] = measure([*nj, "--db", str(dst), "restore", str(out)], env)
        for name, (dt, mb, cpu) in results.items():
            gt, gm = GOALS[name]
            verdict = "ok" if dt <= gt and mb <= gm else "OVER GOAL"
            print(f"{name:8} {dt:6.1f} s wall ({cpu:5.1f} s CPU)  {mb:6.0f} MB peak   "
                  f"(goal <= {gt:.0f} s, <= {gm:.0f} MB)  {verdict}")
        print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs "
              "(on a busy machine the wall time is the CPU time stretched by the others' work)")
        print(f"backup file: {size / 1e6:.0f} MB")
        again = tmp / "again.json"
        subprocess.run([*nj, "--db", str(dst), "export", "json", "-o", str(again)], env=env, check=True)

        def body(p: Path) -> list[str]:
            with open(p, encoding="utf-8") as fh:
                return [ln for i, ln in enumerate(fh) if i > 0]  # line 1 holds created_at

        same = body(out) == body(again)
        doc = subprocess.run([*nj, "--db", str(dst), "doctor"], env=env, capture_output=True, text=True)
        print(f"restored journal identical: {'yes' if same else 'NO'}; doctor: "
              f"{'all good' if doc.returncode == 0 else 'PROBLEMS'}")
        if not same or doc.returncode:
            sys.exit(1)


if __name__ == "__main__":
    main()
