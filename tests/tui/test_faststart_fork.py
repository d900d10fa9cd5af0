"""The fast start through its real fork: a fresh process (one thread, as when the CLI starts)
prefetches the queue in a forked child, then runs the app headless; Today shows exactly the
queue the store ranks, and the journal opens afterwards."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import asyncio, json, sys
from netjournal.tui import faststart

path = sys.argv[1]
pre = faststart.prefetch(path)          # before Textual is imported, one thread: it forks
forked = pre is not None and pre._pid is not None

from netjournal.config import Config
from netjournal.tui.app import NetJournalApp
from netjournal.tui.headless import settle
from netjournal.tui.screens.today import TodayScreen

# The first frame must not wait for SQLAlchemy (~300 ms of imports): the journal opens after it.
heavy_at_paint = []
_orig = TodayScreen.got_fast
def got_fast(self, fast):
    _orig(self, fast)
    heavy_at_paint.append(sorted(m for m in ("sqlalchemy", "sqlmodel") if m in sys.modules))
TodayScreen.got_fast = got_fast

async def main():
    app = NetJournalApp(path, Config())
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = app.screen
        rows = [(it.contact_id, it.kind) for it in screen.query_one("#queue").rows]
        out = {"forked": forked, "painted": app.startup.painted, "opened": app.db is not None,
               "heavy_at_paint": heavy_at_paint,
               "rows": rows, "side": bool(screen.query("#journal")), "error": app.open_error}
        from netjournal.store.reminders import QueueCache
        from netjournal import clock
        out["store_rows"] = [(it.contact_id, it.kind) for it in QueueCache(app.db, None).full(clock.now())]
        out["toasts"] = [str(n.message) for n in app._notifications if n.severity == "error"]
        from netjournal.store.reminders import seen_days
        out["seen"] = [d.isoformat() for d in seen_days(app.db)]
    print(json.dumps(out))

asyncio.run(main())
"""


@pytest.mark.skipif(not hasattr(os, "fork") or sys.platform == "darwin", reason="the fast start forks only on Linux")
def test_app_through_the_real_fork(nj_env):
    from netjournal.store import api
    from netjournal.store.db import open_database

    path = nj_env / "data" / "journal.db"
    db = open_database(str(path))
    ada = api.add_contact(db, name="Ada Lovelace", tier="close")
    bob = api.add_contact(db, name="Bob Stone", tier="inner")
    api.log_touch(db, contact_ids=[ada.id], channel="message", day=date(2026, 10, 1), direction="in")
    api.log_touch(db, contact_ids=[bob.id], channel="call", day=date(2026, 9, 1))
    api.add_followup(db, contact_ids=[ada.id], title="Coffee", due_on=date(2026, 11, 20))
    db.dispose()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-c", CHILD, str(path)], env=env, capture_output=True, text=True,
                          timeout=300, cwd=str(ROOT))
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["forked"] is True
    assert out["painted"] is True and out["opened"] is True and out["error"] is None
    assert out["side"] is True
    # the first frame painted without SQLAlchemy (it cost ~300 ms when Today's held-back line
    # imported the store's reminders module to word its line)
    assert out["heavy_at_paint"] == [[]]
    assert out["rows"] and out["rows"] == out["store_rows"]
    # the queue painted before the journal opened: no store call on a journal not open yet, and
    # the day counts as seen once it is
    assert out["toasts"] == [] and out["seen"] == ["2026-11-24"]
