#!/usr/bin/env python
"""Write SVGs of the contact screen's People section and of "who can introduce me"
(issue 16) into screenshots/, from the same fixed demo journal as scripts/screenshots.py.

    python scripts/people_screenshot.py [--out screenshots] [--size 120x36]

Writes 12-people.svg (the most connected contact's screen) and 13-introduce.svg (n on a
contact that others can introduce you to). Never touches your own journal.
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


async def shoot(db, out: Path, size: tuple[int, int]) -> list[Path]:
    from netjournal.config import Config
    from netjournal.store import links
    from netjournal.tui.app import NetJournalApp
    from netjournal.tui.headless import settle

    person = links.most_connected(db, limit=1)[0].contact.id
    # a target with a good introducer: the contact whose best introducer scores highest
    target = max((r.contact.id for r in links.most_connected(db, limit=40)),
                 key=lambda cid: max((i.score for i in links.introducers(db, cid, today=TODAY, limit=1)), default=0))
    written = []
    for name, cid, keys in (("12-people", person, []), ("13-introduce", target, ["n"])):
        app = NetJournalApp(None, Config(), db=db)
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            app.open_contact(cid)
            await settle(pilot)
            app.screen.query_one("#people").scroll_visible(animate=False)
            await settle(pilot)
            for k in keys:
                await pilot.press(k)
                await settle(pilot, 2)
            await pilot.pause()
            written.append(Path(app.save_screenshot(filename=f"{name}.svg", path=str(out))))
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
