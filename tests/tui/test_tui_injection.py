"""The TUI never sends stored control bytes to the terminal (issue 13, break 1): a contact whose
name, notes and touches were stored with ESC/OSC/CSI and C1 controls behind the app's back (an
old journal, a crafted backup restored by an older version) renders with none of them."""
from __future__ import annotations

import re
import sqlite3
from datetime import date

from tests.tui.conftest import SIZE, make_app, settle
from tests.tui.test_flows import screen_text

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


async def test_contact_screen_renders_no_control_bytes(empty_db, nj_env):
    from netjournal.store import api

    c = api.add_contact(empty_db, name="Eve Evil", about="plain")
    api.log_touch(empty_db, contact_ids=[c.id], channel="call", day=date(2026, 11, 20), summary="hello", notes="n")
    con = sqlite3.connect(nj_env / "data" / "journal.db")
    con.execute("UPDATE contact SET name = ?, about = ?, company = ? WHERE id = ?",
                ("Eve\x1b]0;pwned\x07\x9b2J Evil", "about \x1b]52;c;ZXZpbA==\x07 me\x9d8;;x\x9c", "Acme\u202eroc", c.id))
    con.execute("UPDATE touch SET summary = ?, notes = ?", ("hi\x1b[2J there", "n\x1b]0;t\x07"))
    con.commit()
    con.close()
    app = make_app(empty_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not CONTROL.search(screen_text(app))          # the lists
        app.open_contact(c.id)
        await settle(pilot)
        assert app.screen.__class__.__name__ == "ContactScreen"
        text = screen_text(app)
        assert "Evil" in text and "about" in text and "there" in text, text   # shown…
        assert not CONTROL.search(text), [m.group() for m in CONTROL.finditer(text)]  # …defused
