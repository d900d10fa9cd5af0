from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "formats"
CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
TODAY = date(2025, 8, 1)


def maildir(root: Path, *messages: tuple[str, bytes | Path]) -> Path:
    """A Maildir folder at ``root`` (cur, new, tmp) with ``(name, bytes or file)`` in cur/."""
    for sub in ("cur", "new", "tmp"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    for name, body in messages:
        (root / "cur" / name).write_bytes(body.read_bytes() if isinstance(body, Path) else body)
    return root


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("NETJOURNAL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NETJOURNAL_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("TZ", "UTC")
    import time

    if hasattr(time, "tzset"):
        time.tzset()
    yield tmp_path
    monkeypatch.delenv("TZ", raising=False)
    if hasattr(time, "tzset"):
        time.tzset()


@pytest.fixture
def db(env):
    from netjournal.store.db import open_database

    d = open_database("sqlite:///" + str(env / "j.db"))
    yield d
    d.dispose()


@pytest.fixture
def make_db(env):
    from netjournal.store.db import open_database

    made = []

    def make(name: str):
        d = open_database("sqlite:///" + str(env / name))
        made.append(d)
        return d

    yield make
    for d in made:
        d.dispose()


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture
def cli(env, capsys):
    """The CLI on a journal in ``env``: ``cli(*args)`` → (exit code, stdout, stderr)."""
    from netjournal.cli import main

    dbp = str(env / "j.db")

    def run(*args):
        capsys.readouterr()
        code = main(["--db", dbp, *args])
        c = capsys.readouterr()
        return code, c.out, c.err

    return run
