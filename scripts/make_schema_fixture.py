#!/usr/bin/env python3
"""Make the journal fixture of one released schema version, from that version's own code.

    python scripts/make_schema_fixture.py COMMIT REVISION

Checks COMMIT out into a temporary git worktree, and with *that* code (PYTHONPATH) creates
``tests/fixtures/schema/journal-REVISION.db``: a small deterministic demo journal plus rows
with the awkward values an upgrade must carry intact (unicode, markup-like and SQL-like text,
29 February, a year-less birthday, a touch at 23:30, a group touch, a done follow-up with
meeting notes, a journal entry with mentions, a snooze and a dismissal).
tests/store/test_upgrades.py upgrades each fixture to the newest schema and checks every row.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BUILD = r'''
import sys
from datetime import date, time
from netjournal.store.db import open_database
from netjournal.store import api, demo, schema
url = "sqlite:///" + sys.argv[1]
db = open_database(url)
assert schema.current_revision(db) == sys.argv[2], (schema.current_revision(db), sys.argv[2])
demo.generate(db, contacts=30, touches=300, seed=42, today=date(2026, 11, 24))
a = api.add_contact(db, name="Zoë [bold]Ünïcode[/] 👩‍👩‍👧", nickname="zo", about="'; DROP TABLE contact; --",
                    handles=[(None, "zoe@example.com")], tags=["edge"], dates=[("birthday", 2, 29, None)])
b = api.add_contact(db, name="\u202eRight To Left", company="מפעל")
t = api.log_touch(db, contact_ids=[a.id, b.id], channel="in_person", day=date(2026, 11, 23), at=time(23, 30),
                  direction="mutual", summary="late dinner", notes="long\nnotes", value_given="an intro")
f = api.add_followup(db, contact_ids=[a.id], title="Coffee", kind="meet", due_on=date(2026, 11, 20), place="Café")
api.complete_followup(db, f.id, day=date(2026, 11, 20), meeting_notes="## Notes\n- hiring", outcome="good",
                      next_steps=[("send CV", date(2026, 11, 30))])
api.save_journal(db, date(2026, 11, 23), "Dinner with @zo")
api.snooze(db, b.id, until=date(2026, 12, 24), today=date(2026, 11, 24))
api.dismiss(db, a.id, kind="rhythm", today=date(2026, 11, 24))
db.dispose()
'''


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    commit, rev = sys.argv[1], sys.argv[2]
    out = ROOT / "tests" / "fixtures" / "schema" / f"journal-{rev}.db"
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.exists():
        out.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        wt = Path(tmp) / "wt"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(wt), commit], check=True,
                       capture_output=True)
        try:
            env = dict(os.environ, PYTHONPATH=str(wt), NETJOURNAL_DATA_DIR=str(Path(tmp) / "data"),
                       NETJOURNAL_CONFIG_DIR=str(Path(tmp) / "cfg"))
            subprocess.run([sys.executable, "-c", BUILD, str(out), rev], check=True, env=env, cwd=tmp)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(wt)], check=True)
    for suffix in ("-wal", "-shm"):
        Path(str(out) + suffix).unlink(missing_ok=True)
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
