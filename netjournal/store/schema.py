"""Schema version checks and migrations (Alembic, shipped in the package).

Opening a journal costs one ``SELECT`` when its schema is current: Alembic is imported only
to create a new journal or to upgrade an older one. Before an upgrade of a SQLite journal a
consistent copy is written to the backups directory; if the upgrade fails the journal is
left as it was and the message says where the copy is.
"""
from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import sqlalchemy as sa

from netjournal import paths
from netjournal.errors import StoreError

from netjournal.store.revision import HEAD  # noqa: E402  (the newest revision id)
MIGRATIONS_DIR = Path(__file__).with_name("migrations")

# Objects the migrations create that the models do not describe (dialect-specific search).
def is_search_index_object(name: str | None) -> bool:
    return bool(name) and (name.startswith("search_fts") or name == "ix_search_doc_tsv")


def current_revision(db) -> str | None:
    """The journal's schema revision, or None for a database without one (one cheap query)."""
    with db.engine.connect() as conn:
        if db.is_sqlite:
            found = conn.exec_driver_sql(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'").first()
        else:
            found = conn.exec_driver_sql("SELECT to_regclass('alembic_version')").scalar()
        if not found:
            return None
        row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").first()
        return row[0] if row else None


def _has_tables(db) -> bool:
    with db.engine.connect() as conn:
        return bool(sa.inspect(conn).get_table_names())


def alembic_config(db):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["nj_engine"] = db.engine
    return cfg


def upgrade(db, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(db), revision)


def backup_sqlite(src: Path, dest_dir: Path, tag: str) -> Path:
    """A consistent copy of a live SQLite journal (the online backup API), 0600."""
    paths.ensure_private_dir(dest_dir)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    dest = dest_dir / f"{src.stem}-{tag}-{stamp}.db"
    source = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
    try:
        import os

        fd = os.open(dest, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
        os.close(fd)
        target = sqlite3.connect(dest)
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()
    return dest


def ensure_current(db, *, backup_dir: Path | None = None) -> str | None:
    """Create a new journal at head, or upgrade an older one (after a backup).

    Returns the path of the backup made before an upgrade, else None.
    """
    rev = current_revision(db)
    if rev == HEAD:
        return None
    if rev is None:
        if _has_tables(db):
            raise StoreError("this database holds tables that are not a netjournal journal; choose another --db")
        upgrade(db)
        return None
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config(db))
    known = {r.revision for r in script.walk_revisions()}
    if rev not in known:
        raise StoreError(f"this journal was written by a newer netjournal (schema {rev}); upgrade netjournal to open it")
    backup = None
    if db.file is not None:
        backup = backup_sqlite(db.file, backup_dir or paths.backups_dir(db.file), f"pre-{HEAD}")
    try:
        upgrade(db)
    except Exception as exc:
        where = f"; a copy made before the upgrade is at {backup}" if backup else ""
        if db.file is not None and backup is not None:
            _restore_copy(db, backup)
        raise StoreError(f"upgrading the journal failed ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}); it was left as it was{where}") from exc
    return str(backup) if backup else None


def _restore_copy(db, backup: Path) -> None:
    """Put the pre-upgrade copy back (SQLite DDL is transactional, this is belt and braces)."""
    db.engine.dispose()
    src = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(db.file)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
