"""Concurrency: four CLI processes logging 250 touches each at the same time, while a fifth
keeps reading (`due`, `search`): no error reaches the user and all 1,000 touches are stored."""
from __future__ import annotations

import json
import subprocess

import pytest

from tests.robustness.helpers import EXE, integrity, proc_env, sql

WRITERS = 4
PER_WRITER = 250


def _hammer(tmp_path, db_args: list[str]) -> tuple[dict[int, str], list[str], int]:
    env = proc_env()
    procs = []
    for w in range(WRITERS):
        src = tmp_path / f"writer{w}.jsonl"
        src.write_text("".join(
            json.dumps({"contact": f"Writer{w} Person", "channel": "call", "summary": f"conc-w{w}-n{n}"}) + "\n"
            for n in range(1, PER_WRITER + 1)), encoding="utf-8")
        with open(src, "rb") as f:
            procs.append((w, subprocess.Popen([EXE, *db_args, "log", "--batch", "-"], stdin=f, stdout=subprocess.PIPE,
                                              stderr=subprocess.PIPE, text=True, env=env)))
    reader_failures: list[str] = []
    reads = 0
    while reads == 0 or any(p.poll() is None for _, p in procs):  # at least one read, however fast they are
        argv = [EXE, *db_args, *(("due", "--all", "--json") if reads % 2 == 0 else ("search", "--json", "conc"))]
        r = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=600, stdin=subprocess.DEVNULL)
        reads += 1
        if r.returncode != 0 or r.stderr:
            reader_failures.append(f"{argv[-2:]}: exit {r.returncode}: {r.stderr.strip()}")
        else:
            json.loads(r.stdout)
    stored: dict[int, str] = {}
    for w, p in procs:
        out, err = p.communicate(timeout=600)
        assert p.returncode == 0 and err == "", f"writer {w}: exit {p.returncode}: {err}"
        lines = [json.loads(x) for x in out.splitlines()]
        assert [x["line"] for x in lines] == list(range(1, PER_WRITER + 1))
        assert all(x["ok"] for x in lines), [x for x in lines if not x["ok"]][:3]
        for x in lines:
            stored[x["id"]] = f"conc-w{w}-n{x['line']}"
    return stored, reader_failures, reads


def _setup(nj, db_args):
    for w in range(WRITERS):
        r = nj(*db_args, "add", f"Writer{w}", "Person")
        assert r.code == 0, r.err


def test_four_writers_and_a_reader_sqlite(nj, journal, tmp_path):
    _setup(nj, [])
    acked, reader_failures, reads = _hammer(tmp_path, [])
    assert not reader_failures, reader_failures[:5]
    assert reads >= 1
    assert len(acked) == WRITERS * PER_WRITER
    stored = dict(sql(journal, "SELECT id, summary FROM touch"))
    assert stored == acked
    assert integrity(journal) == ["ok"]


@pytest.mark.postgres
@pytest.mark.slow  # ~25 s on 2 cores
def test_four_writers_and_a_reader_postgres(nj, pg_url, tmp_path):
    db_args = ["--db", pg_url]
    _setup(nj, db_args)
    acked, reader_failures, _ = _hammer(tmp_path, db_args)
    assert not reader_failures, reader_failures[:5]
    assert len(acked) == WRITERS * PER_WRITER
    r = nj(*db_args, "export", "json")
    assert r.code == 0, r.err
    touches = {t["id"]: t["summary"] for t in r.json()["tables"]["touch"]}
    assert touches == acked
    r = nj(*db_args, "doctor")
    assert r.code == 0, r.out + r.err
