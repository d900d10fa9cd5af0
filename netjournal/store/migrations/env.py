"""Alembic environment: run programmatically by netjournal.store.schema."""
from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

from netjournal.store import models  # noqa: F401  (registers the tables)
from netjournal.store.schema import is_search_index_object

config = context.config
target_metadata = SQLModel.metadata


def include_object(obj, name, type_, reflected, compare_to):
    if type_ in ("table", "index") and is_search_index_object(name):
        return False
    return True


def run_migrations_online() -> None:
    engine = config.attributes.get("nj_engine")
    connection = config.attributes.get("nj_connection")
    if connection is not None:
        _run(connection)
        return
    with engine.connect().execution_options(nj_write=True) as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            # A batch migration recreates tables; with foreign keys on, dropping the old table
            # would cascade-delete the rows that point at it. Switch them off (outside any
            # transaction, where SQLite honours it), check them after, switch them back on.
            conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        try:
            _run(conn)
            if sqlite:
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
                if broken:
                    raise RuntimeError(f"migration left {len(broken)} broken references")
            conn.commit()
        finally:
            if sqlite:
                conn.rollback()
                conn.connection.driver_connection.execute("PRAGMA foreign_keys=ON")


def _run(conn) -> None:
    context.configure(
        connection=conn,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite ALTER TABLE
        include_object=include_object,
        compare_type=True,
        transaction_per_migration=False,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("netjournal migrations run online only")
run_migrations_online()
