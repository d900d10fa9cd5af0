#!/usr/bin/env python
"""TUI speed on a big journal (``netjournal demo --contacts 10000 --touches 200000``).

    python bench/tui_bench.py [--contacts 10000] [--touches 200000] [--runs 5]

Measures, in one run:
1. launch → Today's queue painted, against a bare Textual app that paints a DataTable
   (both as fresh processes, headless; goal: ≤ 1.5× the bare app);
2. a keystroke in the Contacts filter → the table repainted (goal ≤ 50 ms);
3. opening a contact with 2,000 touches → its screen painted (goal ≤ 100 ms).

The journal is built once in bench-data/ (git-ignored) and reused.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TODAY = date(2026, 11, 24)
HEAVY = "Heavy Hitter (bench)"

BARE_APP = r"""
import sys, time
from textual.app import App
from textual.widgets import DataTable, Footer, Header
class Bare(App):
    def compose(self):
        yield Header(); yield DataTable(); yield Footer()
    def on_mount(self):
        t = self.query_one(DataTable)
        t.add_columns("Who", "Kind", "Why", "Do")
        for i in range(50):
            t.add_row(f"Person {i}", "rhythm", "42 days since you last talked", "reach out")
        self.call_after_refresh(self.done)
    def done(self):
        print(json.dumps({"painted": time.time()}), flush=True)
        self.exit()
import json
Bare().run(headless=True, size=(120, 36))
"""

NJ_APP = r"""
import json, sys, time
from netjournal.config import Config
from netjournal.tui import faststart
faststart.prefetch(sys.argv[1], Config())  # what netjournal.tui.run(url, cfg) does before it imports Textual
from netjournal.tui.app import NetJournalApp
from netjournal.tui.screens.today import TodayScreen
orig = TodayScreen.got_queue
def got_queue(self, items):
    orig(self, items)
    def done():
        print(json.dumps({"painted": time.time(), "items": len(items)}), flush=True)
        self.app.exit()
    self.app.call_after_refresh(done)
TodayScreen.got_queue = got_queue
NetJournalApp(sys.argv[1], Config()).run(headless=True, size=(120, 36))
"""


def env_for(data: Path) -> dict:
    env = dict(os.environ)
    env.update(NETJOURNAL_DATA_DIR=str(data), NETJOURNAL_CONFIG_DIR=str(data / "config"),
               NETJOURNAL_TODAY=TODAY.isoformat(), PYTHONPATH=str(ROOT))
    env.pop("NETJOURNAL_DB", None)
    return env


def build(path: Path, contacts: int, touches: int) -> None:
    from netjournal.store import api, demo
    from netjournal.store.db import open_database
    from netjournal.store.touches import insert_touch

    if path.exists():
        return
    print(f"building {path} ({contacts:,} contacts, {touches:,} touches)…", flush=True)
    t = time.perf_counter()
    db = open_database(str(path))
    demo.generate(db, contacts=contacts, touches=touches, seed=1, today=TODAY)
    heavy = api.add_contact(db, name=HEAVY, tier="close")
    with db.write() as s:  # the importers' path: many touches in one transaction
        for i in range(2000):
            insert_touch(s, contact_ids=[heavy.id], channel="message", day=TODAY - timedelta(days=2000 - i),
                         direction="out" if i % 3 else "in", summary=f"note {i}", notes="",
                         value_given="", platform="")
    db.dispose()
    print(f"  built in {time.perf_counter() - t:.1f}s", flush=True)


def launch(code: str, args: list[str], env: dict) -> float:
    t0 = time.time()
    out = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, text=True,
                         timeout=300)
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("{")), None)
    if line is None:
        raise SystemExit(f"no paint reported:\n{out.stdout[-2000:]}\n{out.stderr[-3000:]}")
    return json.loads(line)["painted"] - t0


async def interactive(path: Path, runs: int) -> dict:
    from netjournal.tui.headless import settle

    from netjournal.config import Config
    from netjournal.store import api
    from netjournal.store.db import open_database
    from netjournal.tui.app import NetJournalApp
    from netjournal.tui.screens.contact import ContactScreen

    db = open_database(str(path))
    heavy = api.resolve_contact(db, HEAVY).id
    app = NetJournalApp(None, Config(), db=db)
    out: dict = {}
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        screen = app.screen
        table = screen.query_one("#contacts-table")
        screen.query_one("#filter").focus()  # (Contacts opens with it focused; pressing f would type an f)
        await pilot.pause()
        times = []
        for word in ["mar", "ann", "lee", "kim", "ros"][:max(runs, 1)]:
            for ch in word:
                t = time.perf_counter()
                await pilot.press(ch)  # returns once the key is handled and the screen idle
                times.append(time.perf_counter() - t)
            for _ in word:
                await pilot.press("backspace")
        out["filter_keystroke_ms"] = times
        out["contacts_rows"] = len(screen.all)
        # direct measure: filter + paint of the visible rows, without the pilot's own overhead
        direct = []
        inp = screen.query_one("#filter")
        for word in ("m", "ma", "mar", "mari", "maria"):
            t = time.perf_counter()
            inp.value = word
            screen.apply_filter()
            for y in range(table.size.height):
                table.render_line(y)
            direct.append(time.perf_counter() - t)
        out["filter_direct_ms"] = direct
        inp.value = ""
        await settle(pilot)

        opened = []
        for _ in range(runs):
            done = asyncio.Event()
            orig = ContactScreen.got_contact

            def hooked(self, result, _orig=orig, _done=done):
                _orig(self, result)
                self.app.call_after_refresh(_done.set)

            ContactScreen.got_contact = hooked
            t = time.perf_counter()
            app.open_contact(heavy)
            await asyncio.wait_for(done.wait(), 30)
            opened.append(time.perf_counter() - t)
            ContactScreen.got_contact = orig
            timeline = app.screen.query_one("#timeline")
            out["timeline_rows"] = len(timeline.rows)
            app.pop_screen()
            await settle(pilot)
        out["open_contact_ms"] = opened
    db.dispose()
    return out


def ms(xs) -> str:
    xs = [x * 1000 for x in xs]
    return f"median {statistics.median(xs):.1f} ms, max {max(xs):.1f} ms (n={len(xs)})"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--contacts", type=int, default=10_000)
    ap.add_argument("--touches", type=int, default=200_000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    data = ROOT / "bench-data" / f"tui-{args.contacts}-{args.touches}"
    data.mkdir(parents=True, exist_ok=True)
    os.environ.update(env_for(data))
    path = data / "journal.db"
    build(path, args.contacts, args.touches)
    env = env_for(data)

    bare, nj = [], []
    for _ in range(args.runs):  # interleaved, so both see the same machine load
        bare.append(launch(BARE_APP, [], env))
        nj.append(launch(NJ_APP, ["sqlite:///" + str(path)], env))  # the URL the CLI passes
    inter = asyncio.run(interactive(path, args.runs))

    b, n = statistics.median(bare), statistics.median(nj)
    print(f"journal: {args.contacts:,} contacts, {args.touches:,} touches + one contact with 2,000 touches")
    print(f"launch → painted, bare Textual DataTable app: {ms(bare)}")
    print(f"launch → Today queue painted, netjournal:      {ms(nj)}   ratio {n / b:.2f}× (goal ≤ 1.5×)")
    print(f"contacts filter keystroke → repainted (pilot): {ms(inter['filter_keystroke_ms'])} (goal ≤ 50 ms)"
          f" over {inter['contacts_rows']:,} contacts")
    print(f"contacts filter → visible rows painted (direct): {ms(inter['filter_direct_ms'])}")
    print(f"open a contact with {inter['timeline_rows']:,} timeline rows → painted: {ms(inter['open_contact_ms'])}"
          " (goal ≤ 100 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
