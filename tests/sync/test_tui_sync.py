"""The TUI's command palette offers "Sync address book": it runs the sync in a worker and says
what happened in a notification."""
from __future__ import annotations

import shutil

import pytest

from netjournal.config import Config
from netjournal.store import api
from netjournal.store.db import open_database

from tests.sync.conftest import BOOK
pytest.importorskip("textual")


@pytest.fixture
def db(tmp_path):
    d = open_database("sqlite:///" + str(tmp_path / "data" / "journal.db"))
    api.add_contact(d, name="Ada Lovelace")
    yield d
    d.dispose()


async def _palette_sync(app, pilot) -> list:
    from netjournal.tui.commands import NetjournalCommands
    from netjournal.tui.headless import settle

    await settle(pilot)
    hits = [h async for h in NetjournalCommands(app.screen).search("sync addr")]
    (hit,) = [h for h in hits if h.text == "Sync address book"]
    hit.command()
    await app.workers.wait_for_complete()
    await settle(pilot)
    return [n.message for n in app._notifications]


async def test_palette_syncs_the_configured_folder(db, tmp_path):
    from netjournal.tui.app import NetJournalApp

    book = tmp_path / "book"
    shutil.copytree(BOOK, book)
    app = NetJournalApp(None, Config(sync={"vdir": str(book)}), db=db)
    async with app.run_test(size=(120, 36)) as pilot:
        messages = await _palette_sync(app, pilot)
    assert any(m.startswith(f"synced {book}") and "3 new contact(s), 1 new card(s)" in m for m in messages)
    assert {c.name for c in api.list_contacts(db)} == {"Ada Lovelace", "Mira Okafor", "Northwind Traders",
                                                       "Jonas Weber"}


async def test_palette_without_a_folder_says_how_to_set_one(db):
    from netjournal.tui.app import NetJournalApp

    app = NetJournalApp(None, Config(), db=db)
    async with app.run_test(size=(120, 36)) as pilot:
        messages = await _palette_sync(app, pilot)
    assert any("[sync] vdir" in m for m in messages)
