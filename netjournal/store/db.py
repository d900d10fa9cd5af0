"""Opening a journal: URL resolution, one engine per database, sessions per unit of work.

SQLite connections get WAL, ``foreign_keys=ON``, a busy timeout and ``synchronous=FULL``;
write transactions start with ``BEGIN IMMEDIATE`` so that two processes writing at once
queue on the busy timeout instead of failing with "database is locked" half-way through.
"""
from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, OperationalError, DatabaseError
from sqlmodel import Session

from netjournal import paths
from netjournal.errors import StoreError, UserError
from netjournal.store.urls import resolve_url, sqlite_file  # noqa: F401  (re-exported)

BUSY_TIMEOUT_MS = 30_000


def _in_default_place(folder: Path) -> bool:
    data = paths.data_dir()
    try:
        return folder == data or folder.resolve().is_relative_to(data.resolve())
    except OSError:
        return folder == data


def _prepare_sqlite_file(path: Path, *, create: bool = False) -> None:
    """Create the journal file (0600) and, if missing, its directory (0700).

    Missing folders are made only for the default place (the data directory) or with
    ``create`` (``--create``): a typo in ``--db`` must not look like an empty journal.
    An existing journal is left where it is (made 0600 if we own it); a read-only one still
    opens for reading, and a write to it fails with a clear message. A journal or folder that
    belongs to another user, or that others can write to, is refused (``paths.check_private``).
    """
    if path.exists():
        if path.is_dir():
            raise StoreError(f"cannot open the journal at {path}: it is a directory")
        if path.parent == paths.data_dir():
            _check_owner(path.parent, "the journal's folder")
            paths.ensure_private_dir(path.parent)  # the app's own directory: 0700 even if loosened
        _check_owner(path, "the journal")
        paths.private_file(path)
        paths.check_private(path.parent, what="the journal's folder")
        paths.check_private(path, what="the journal")
        return
    parent = path.parent
    try:
        if not parent.exists():
            if not (create or _in_default_place(parent)):
                raise StoreError(f"no folder {parent}: check the path, or add --create to start a new journal there")
            paths.ensure_private_dir(parent)
        elif parent == paths.data_dir():
            _check_owner(parent, "the journal's folder")
            paths.ensure_private_dir(parent)
        paths.check_private(parent, what="the journal's folder")
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
    except FileExistsError:
        pass
    except PermissionError:
        raise StoreError(f"cannot create the journal at {path}: permission denied") from None
    except OSError as exc:
        reason = {errno.EROFS: "the disk is read-only", errno.ENOSPC: "the disk is full",
                  errno.ENOTDIR: "a parent is not a directory"}.get(exc.errno, exc.strerror or str(exc))
        raise StoreError(f"cannot create the journal at {path}: {reason}") from None
    paths.check_private(path, what="the journal")


def _check_owner(path: Path, what: str) -> None:
    """Before touching its mode: a journal that is not ours is refused, not chmod-ed."""
    if hasattr(os, "geteuid"):
        try:
            uid = os.stat(path).st_uid
        except OSError:
            return
        if uid != os.geteuid():
            paths.check_private(path, what=what)


def _install_sqlite_events(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        try:
            cur.execute("PRAGMA journal_mode=WAL")
        except sqlite3.OperationalError:
            pass  # read-only file: keep its journal mode, reads still work
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        if conn.get_execution_options().get("nj_write"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


def make_engine(url: str, *, create: bool = False) -> Engine:
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        f = sqlite_file(url)
        if f is not None:
            _prepare_sqlite_file(f, create=create)
        engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        _install_sqlite_events(engine)
        return engine
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise UserError("PostgreSQL needs psycopg: pip install 'netjournal[postgres]'") from None
    return sa.create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10})


def _disk_full(path: Path | None) -> bool:
    try:
        return path is not None and shutil.disk_usage(path.parent).free < 1 << 20
    except OSError:
        return False


def db_error_line(exc: BaseException) -> str | None:
    """:func:`describe_db_error` for a database (SQLAlchemy) error, else None: lets a caller
    outside the store tell database errors apart without importing SQLAlchemy itself."""
    import sqlalchemy.exc as sae

    return describe_db_error(exc) if isinstance(exc, sae.SQLAlchemyError) else None


def describe_db_error(exc: BaseException, where: str = "", path: Path | None = None) -> str:
    """One line a user can act on, for a database error (``path``: the journal file, if any)."""
    msg = str(getattr(exc, "orig", exc) or exc).strip().splitlines()[0] if str(exc) else type(exc).__name__
    low = msg.lower()
    if ("disk is full" in low or "database or disk is full" in low or "no space" in low
            or ("disk i/o error" in low and _disk_full(path))):
        return "the disk is full: nothing was written" if not where else f"the disk is full: {where} was not written"
    if "disk i/o error" in low:
        # On a full disk SQLite often fails growing its -shm/-wal files with a plain I/O error.
        return "the journal could not be read or written (disk I/O error: is the disk full or failing?); nothing was written"
    if "readonly" in low or "read-only" in low:
        return "the journal is read-only: nothing was written"
    if "locked" in low or "busy" in low:
        return "the journal is busy in another program; try again"
    if "not a database" in low or "malformed" in low:
        return f"the journal file is damaged ({msg}); run `netjournal doctor`"
    if "could not connect" in low or "connection refused" in low or "connection failed" in low:
        return f"cannot reach the database server: {msg}"
    if "unable to open" in low:
        return f"cannot open the journal: {msg}"
    return f"database error: {msg}"


def fix_sequences(conn) -> None:
    """After rows were inserted with explicit ids, move PostgreSQL's id sequences past them."""
    if conn.dialect.name != "postgresql":
        return
    for table in ("contact", "handle", "important_date", "touch", "followup", "journal_entry", "snooze",
                  "dismissal", "search_doc"):
        conn.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)")


class Database:
    """One engine per database; a session per unit of work (``read()`` / ``write()``)."""

    def __init__(self, url: str, engine: Engine):
        self.url = url
        self.engine = engine
        self.file = sqlite_file(url)
        self.dialect = engine.dialect.name

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    @contextmanager
    def read(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as s:
            s.connection()
            try:
                yield s
            finally:
                s.rollback()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction: committed on success, rolled back on any error."""
        with Session(self.engine, expire_on_commit=False) as s:
            try:
                s.connection(execution_options={"nj_write": True})
                yield s
                s.commit()
            except (OperationalError, DatabaseError) as exc:
                s.rollback()
                raise StoreError(describe_db_error(exc, path=self.file)) from exc
            except BaseException:
                s.rollback()
                raise

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(url: str | None = None, *, migrate: bool = True, backup_dir: Path | None = None,
                  create: bool = False) -> Database:
    """Open (creating or upgrading as needed) the journal at ``url``. ``create``: also make
    missing folders outside the data directory."""
    resolved = resolve_url(url)
    engine = make_engine(resolved, create=create)
    db = Database(resolved, engine)
    if migrate:
        from netjournal.store import schema

        try:
            schema.ensure_current(db, backup_dir=backup_dir)
        except UserError:
            engine.dispose()
            raise
        except (OperationalError, DatabaseError) as exc:
            engine.dispose()
            raise StoreError(describe_db_error(exc, path=db.file)) from exc
    return db
