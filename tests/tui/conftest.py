"""TUI test fixtures: private data/config dirs, a pinned "today", small demo journals."""
from __future__ import annotations

from datetime import date

import pytest

from netjournal.tui.headless import settle  # noqa: F401  (the tests import it from here)

TODAY = date(2026, 11, 24)
SIZE = (120, 36)


@pytest.fixture(autouse=True)
def nj_env(tmp_path, monkeypatch):
    """Keep the developer's own journal, config and editor out of every test."""
    monkeypatch.setenv("NETJOURNAL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NETJOURNAL_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("NETJOURNAL_TODAY", TODAY.isoformat())
    monkeypatch.delenv("NETJOURNAL_DB", raising=False)
    monkeypatch.setenv("EDITOR", "true")
    monkeypatch.delenv("VISUAL", raising=False)
    return tmp_path


def _open(tmp_path, name="journal.db"):
    from netjournal.store.db import open_database

    return open_database(str(tmp_path / "data" / name))


@pytest.fixture
def demo_db(nj_env):
    from netjournal.store import demo

    db = _open(nj_env)
    demo.generate(db, contacts=40, touches=400, seed=7, today=TODAY)
    yield db
    db.dispose()


@pytest.fixture
def empty_db(nj_env):
    db = _open(nj_env)
    yield db
    db.dispose()


@pytest.fixture
def small_db(nj_env):
    """A hand-made journal: a few contacts (one with a markup-looking name), touches, a follow-up."""
    from netjournal.store import api

    db = _open(nj_env)
    ada = api.add_contact(db, name="Ada Lovelace", company="Analytical Engines", role="mathematician",
                          tier="close", stage="affinity", tags=["math", "london"], about="Loves poetry.",
                          handles=[("email", "ada@example.org")], dates=[("birthday", 12, 10, 1815)])
    bob = api.add_contact(db, name="Bob Stone", tier="friend", tags=["climbing"])
    odd = api.add_contact(db, name="[bold]x[/]", tier="network")
    api.add_contact(db, name="Carla Díaz", tier="acquaintance", stage="attention")
    api.log_touch(db, contact_ids=[ada.id], channel="call", day=date(2026, 9, 1), summary="caught up")
    api.log_touch(db, contact_ids=[ada.id], channel="message", day=date(2026, 10, 1), direction="in",
                  summary="asked about the talk")
    api.log_touch(db, contact_ids=[bob.id, odd.id], channel="in_person", day=date(2026, 11, 1),
                  summary="climbing [red]night[/]")
    api.add_followup(db, contact_ids=[ada.id], title="Coffee about the engine", kind="meet",
                     due_on=date(2026, 11, 20), place="Café Nero")
    api.add_followup(db, contact_ids=[bob.id], title="Send the route map", kind="send", due_on=date(2026, 11, 26))
    yield db
    db.dispose()


def make_app(db=None, config=None):
    from netjournal.config import Config
    from netjournal.tui.app import NetJournalApp

    app = NetJournalApp(None, config or Config(), db=db)
    # no animations in tests: a scroll that animates lands where the clock says, and a snapshot
    # taken on a loaded machine caught one halfway (the follow-up editor, one line off)
    app.animation_level = "none"
    return app
