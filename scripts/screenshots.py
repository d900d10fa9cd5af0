#!/usr/bin/env python
"""Write an SVG of each screen of the real app into screenshots/ (a fixed demo journal).

    python scripts/screenshots.py [--out screenshots] [--size 120x36]

"Today" is pinned to 2026-11-24 and the journal lives in a temporary directory, so the
pictures are reproducible and never touch your own journal.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TODAY = date(2026, 11, 24)


def busiest(app):
    from netjournal.store import api

    return max(api.list_contacts(app.db), key=lambda c: (c.touch_count, -c.id)).id


def most_connected(app):
    from netjournal.store import links

    return links.most_connected(app.db, limit=1)[0].contact.id


def best_introduced(app):
    """The contact whose best introducer scores highest (for "who can introduce me")."""
    from netjournal.store import links

    return max((r.contact.id for r in links.most_connected(app.db, limit=40)),
               key=lambda cid: max((i.score for i in links.introducers(app.db, cid, today=TODAY, limit=1)), default=0))


def people(pick):
    """Open the picked contact with its People section in view."""
    def setup(app):
        app.open_contact(pick(app))
        return lambda: app.screen.query_one("#people").scroll_visible(animate=False)  # once it is open
    return setup


def first_followup(app):
    from netjournal.store import api

    return api.list_followups(app.db)[0].id


SHOTS = [
    ("01-today", [], None),
    ("02-log-touch", ["l", "m", "a", "enter", "enter", "c", "enter"], None),
    ("03-why", ["w"], None),
    ("04-contacts", ["c"], None),
    ("05-contact", [], lambda app: app.open_contact(busiest(app))),
    ("06-followups", ["F"], None),
    ("07-followup-notes", [], lambda app: app.open_followup(first_followup(app))),
    ("08-journal", ["J", "left_square_bracket"], None),
    ("09-search", ["slash", "c", "o", "f", "f", "e", "e"], None),
    ("10-insights", ["i"], None),
    ("11-help", ["question_mark"], None),
    ("12-people", [], people(most_connected)),
    ("13-introduce", ["n"], people(best_introduced)),
]


async def shoot(db, out: Path, size: tuple[int, int]) -> list[Path]:
    from netjournal.config import Config
    from netjournal.tui.app import NetJournalApp
    from netjournal.tui.headless import settle

    written = []
    for name, keys, setup in SHOTS:
        app = NetJournalApp(None, Config(), db=db)
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            if setup:
                then = setup(app)
                await settle(pilot)
                if then:
                    then()
                    await settle(pilot)
            for k in keys:
                await pilot.press(k)
                await settle(pilot, 2)
            for w in app.screen.query("Input, TextArea"):
                w.cursor_blink = False
            await pilot.pause()
            path = app.save_screenshot(filename=f"{name}.svg", path=str(out))
            written.append(Path(path))
    return written


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "screenshots"))
    ap.add_argument("--size", default="120x36")
    args = ap.parse_args()
    w, h = (int(x) for x in args.size.lower().split("x"))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="netjournal-shots-") as tmp:
        os.environ.update(NETJOURNAL_DATA_DIR=tmp + "/data", NETJOURNAL_CONFIG_DIR=tmp + "/config",
                          NETJOURNAL_TODAY=TODAY.isoformat())
        os.environ.pop("NETJOURNAL_DB", None)
        from netjournal.store import demo
        from netjournal.store.db import open_database

        db = open_database(tmp + "/data/journal.db")
        demo.generate(db, contacts=300, touches=6000, seed=7, today=TODAY)
        for p in asyncio.run(shoot(db, out, (w, h))):
            print(p)
        db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
