"""Which database: ``--db``/``NETJOURNAL_DB`` (a URL or a file path) to a SQLAlchemy URL.

Plain file paths and the default journal resolve without importing SQLAlchemy (the app's fast
start needs that); only a URL with a scheme is parsed by SQLAlchemy.
"""
from __future__ import annotations

import os
from pathlib import Path

from netjournal import paths
from netjournal.errors import UserError


def resolve_url(value: str | None) -> str:
    """Turn ``--db``/``NETJOURNAL_DB`` (a URL or a file path) into a SQLAlchemy URL."""
    value = (value if value is not None else os.environ.get("NETJOURNAL_DB") or "").strip()
    if not value:
        return "sqlite:///" + str(paths.default_db_path())
    if value.lower().startswith("file:") or value.lower().startswith("sqlite:///file:"):
        raise UserError(f"SQLite URI file names (file:…) are not supported: {value!r}; give the journal's path "
                        "(e.g. --db ~/journal.db)")
    if "://" not in value:
        if value.startswith(("postgres:", "postgresql:", "sqlite:")):
            raise UserError(f"not a database URL: {value!r} (expected e.g. sqlite:///path/journal.db or postgresql+psycopg://user@host/db)")
        return "sqlite:///" + str(Path(value).expanduser().resolve())
    if value.startswith("postgres://"):
        value = "postgresql+psycopg://" + value[len("postgres://"):]
    elif value.startswith("postgresql://"):
        value = "postgresql+psycopg://" + value[len("postgresql://"):]
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(value)
    except ArgumentError:
        raise UserError(f"not a database URL: {value!r} (expected e.g. sqlite:///path/journal.db or postgresql+psycopg://user@host/db)") from None
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise UserError(f"unsupported database {url.get_backend_name()!r}: use SQLite (a file path) or postgresql+psycopg://…")
    if url.get_backend_name() == "postgresql" and url.get_driver_name() != "psycopg":
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() == "sqlite" and url.database in (None, ""):
        raise UserError("a SQLite URL needs a file: sqlite:///path/journal.db")
    return url.render_as_string(hide_password=False)


def sqlite_path(url: str) -> Path | None:
    """The file of a ``sqlite:///`` URL, without SQLAlchemy (None for anything else)."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or "?" in url:
        return None
    rest = url[len(prefix):]
    return Path(rest) if rest and rest != ":memory:" else None
