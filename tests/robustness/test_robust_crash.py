"""Crash safety: `netjournal log` processes killed (SIGKILL) at random moments lose nothing
they acknowledged and never leave a damaged journal.

Acknowledged means: a single `log --json` that exited 0 (and printed its touch), or a line of
`log --batch -` that printed ``{"ok": true, "id": …}`` before its process was killed.

Nothing here depends on the machine's speed. The batch writer is killed on its own signal:
after it has acknowledged a (random) number of lines, while its standard input is still open,
so it cannot have finished and is caught in the middle of the next writes. The single `log`s
are killed at random moments scaled from a baseline measured on this machine, in this run
(one `log` process timed here); whichever of them finished first is simply part of what
must survive. The invariant is asserted over whatever was acknowledged."""
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


def _start_batch(prefix: str) -> subprocess.Popen:
    """A batch writer fed through a pipe that stays open: it can only stop by being killed."""
    p = subprocess.Popen([EXE, "log", "--batch", "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=proc_env())
    # ~40 KB, less than a pipe holds, so this never blocks on a slow reader
    p.stdin.write("".join(json.dumps({"contact": "Bo Crash", "channel": "message", "summary": f"{prefix}-{n}"}) + "\n"
                          for n in range(1, BATCH_LINES + 1)))
    p.stdin.flush()
    return p


def _baseline(nj) -> float:
    """How long one `log` process takes on this machine right now (seconds)."""
    t0 = time.monotonic()
    r = nj("log", "Ada Crash", "-c", "call", "--json", "--no-stdin", "baseline")
    assert r.code == 0, r.err
    return time.monotonic() - t0


def test_sigkill_bursts_lose_nothing_acknowledged(nj, journal, tmp_path):
    assert nj("add", "Ada", "Crash").code == 0
    assert nj("add", "Bo", "Crash").code == 0
    rng = random.Random(SEED)
    acked: dict[int, str] = {}        # touch id -> summary, for everything acknowledged
    killed = finished = 0
    for burst in range(BURSTS):
        base = _baseline(nj)          # re-measured each burst: the load may change under us
        singles: list[tuple[subprocess.Popen, str, float]] = []
        t0 = time.monotonic()
        for i in range(SINGLES_PER_BURST):
            tag = f"crash-b{burst}-s{i}-{rng.randrange(10**9)}"
            # from well before the write to a little after a normal finish
            singles.append((_start_single(tag), tag, rng.uniform(0.3, 1.3) * base))
        prefix = f"crash-b{burst}-batch"
        batch = _start_batch(prefix)
        kill_after = rng.randrange(1, BATCH_LINES // 2)   # acknowledged lines before the kill
        for p, tag, at in sorted(singles, key=lambda x: x[2]):
            delay = at - (time.monotonic() - t0)
            if delay > 0:
                time.sleep(delay)  # a random kill moment, not a wait for a result: no assert depends on it
            if p.poll() is None:
                p.kill()
                killed += 1
            else:
                finished += 1
        # the batch: read its acknowledgements as they come, kill it after `kill_after` of them
        batch_out: list[str] = []
        while len(batch_out) < kill_after:
            line = batch.stdout.readline()
            assert line, f"the batch writer stopped by itself: {batch.stderr.read()}"
            batch_out.append(line)
        batch.kill()
        killed += 1
        rest, err = batch.communicate(timeout=600)
        assert "Traceback" not in err
        for line in [*batch_out, *rest.splitlines()]:
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue  # the kill cut the last line short: not acknowledged
            assert rec.get("ok"), rec
            acked[rec["id"]] = f"{prefix}-{rec['line']}"
        for p, tag, _ in singles:
            out, err = p.communicate(timeout=600)
            assert "Traceback" not in err
            if p.returncode == 0:
                t = json.loads(out)
                assert t["summary"] == tag
                acked[t["id"]] = tag
    print(f"killed {killed}, finished {finished}, acknowledged {len(acked)}")
    assert killed >= BURSTS and acked  # guaranteed by construction: each batch is killed after ≥1 ack

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
