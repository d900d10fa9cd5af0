"""Which database: ``--db``/``NETJOURNAL_DB`` (a URL or a file path) to a SQLAlchemy URL.

Plain file paths and the default journal resolve without importing SQLAlchemy (the app's fast
start needs that); only a URL with a scheme is parsed by SQLAlchemy.
"""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote

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


def sqlite_file(url: str | None) -> Path | None:
    """The file behind a SQLite URL — what SQLAlchemy's ``make_url(url).database`` names — with
    the standard library only (the fast start needs it before SQLAlchemy loads). None for other
    databases, in-memory ones and a URL without a file. The one URL→file function: the store,
    the fast start and the fast reader all use it."""
    scheme, sep, rest = (url or "").partition("://")
    if not sep or scheme.split("+", 1)[0] != "sqlite":
        return None
    _host, slash, database = rest.partition("/")
    database = unquote(database.split("?", 1)[0]) if slash else ""
    return Path(database) if database and database != ":memory:" else None


def plain_sqlite_file(value: str | None) -> Path | None:
    """The SQLite file that ``--db``/``NETJOURNAL_DB`` (``value``: a URL, a path or None) plainly
    names, without SQLAlchemy; None for anything else (PostgreSQL, a URL with options, a bad
    value), which the caller leaves to the ordinary way."""
    value = (value if value is not None else os.environ.get("NETJOURNAL_DB") or "").strip()
    if "://" not in value:
        try:
            value = resolve_url(value)  # a path or the default journal: no SQLAlchemy
        except UserError:
            return None
    return None if "?" in value else sqlite_file(value)


def safe_url(url: str) -> str:
    """The journal's URL with any password hidden (for `doctor` and error lines)."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
