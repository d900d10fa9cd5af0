"""Crash safety: `netjournal log` processes killed (SIGKILL) at random moments lose nothing
they acknowledged and never leave a damaged journal.

Acknowledged means: a single `log --json` that exited 0 (and printed its touch), or a line of
`log --batch -` that printed ``{"ok": true, "id": …}`` before its process was killed."""
from __future__ import annotations

import json
import random
import subprocess
import time

from tests.robustness.helpers import EXE, integrity, proc_env, sql

SEED = 20261124
BURSTS = 4
SINGLES_PER_BURST = 5
BATCH_LINES = 400


def _start_single(tag: str) -> subprocess.Popen:
    return subprocess.Popen([EXE, "log", "Ada Crash", "-c", "call", "--json", "--no-stdin", tag],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=proc_env())


def _start_batch(prefix: str, tmp_path) -> subprocess.Popen:
    src = tmp_path / f"{prefix}.jsonl"
    src.write_text("".join(json.dumps({"contact": "Bo Crash", "channel": "message", "summary": f"{prefix}-{n}"}) + "\n"
                           for n in range(1, BATCH_LINES + 1)), encoding="utf-8")
    with open(src, "rb") as f:
        return subprocess.Popen([EXE, "log", "--batch", "-"], stdin=f, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=proc_env())


def test_sigkill_bursts_lose_nothing_acknowledged(nj, journal, tmp_path):
    assert nj("add", "Ada", "Crash").code == 0
    assert nj("add", "Bo", "Crash").code == 0
    rng = random.Random(SEED)
    acked: dict[int, str] = {}        # touch id -> summary, for everything acknowledged
    killed = finished = 0
    for burst in range(BURSTS):
        procs: list[tuple[subprocess.Popen, str, float]] = []
        t0 = time.monotonic()
        for i in range(SINGLES_PER_BURST):
            tag = f"crash-b{burst}-s{i}-{rng.randrange(10**9)}"
            procs.append((_start_single(tag), tag, rng.uniform(0.3, 3.0)))
        prefix = f"crash-b{burst}-batch"
        procs.append((_start_batch(prefix, tmp_path), prefix, rng.uniform(1.5, 3.5)))
        for p, tag, at in sorted(procs, key=lambda x: x[2]):
            delay = at - (time.monotonic() - t0)
            if delay > 0:
                time.sleep(delay)
            if p.poll() is None:
                p.kill()
                killed += 1
            else:
                finished += 1
        for p, tag, _ in procs:
            out, err = p.communicate(timeout=60)
            assert "Traceback" not in err
            if tag.endswith("-batch"):
                # every line it printed as ok before it died was committed
                for line in out.splitlines():
                    try:
                        rec = json.loads(line)
                    except json.JSONDecodeError:
                        continue  # the kill cut the last line short: not acknowledged
                    if rec.get("ok"):
                        acked[rec["id"]] = f"{prefix}-{rec['line']}"
            elif p.returncode == 0:
                t = json.loads(out)
                assert t["summary"] == tag
                acked[t["id"]] = tag
    print(f"killed {killed}, finished {finished}, acknowledged {len(acked)}")
    assert killed > 0, "the test must actually kill something"
    assert acked, "and some writes must have been acknowledged"

    assert integrity(journal) == ["ok"]
    stored = dict(sql(journal, "SELECT id, summary FROM touch"))
    missing = {i: s for i, s in acked.items() if stored.get(i) != s}
    assert not missing, f"acknowledged touches lost: {missing}"
    # no half-written touches: each has its contact link and its search entry
    assert sql(journal, "SELECT count(*) FROM touch t WHERE NOT EXISTS "
                        "(SELECT 1 FROM touch_contact tc WHERE tc.touch_id = t.id)") == [(0,)]
    # and the app itself agrees: doctor finds nothing to complain about, writes still work
    r = nj("doctor", "--no-repair")
    assert r.code == 0, r.out + r.err
    r = nj("log", "Ada Crash", "-c", "call", "--json", "--no-stdin", "after the crash")
    assert r.code == 0, r.err
    r = nj("search", "--json", acked[max(acked)])
    assert r.code == 0 and any(h["ref_id"] == max(acked) for h in r.json()), r.out
