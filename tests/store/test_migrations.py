"""Migrations create exactly the models' schema, on SQLite and PostgreSQL; opening a current
journal costs no Alembic import; upgrades back up first."""
from __future__ import annotations

import subprocess
import sys

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

from netjournal.store import schema
from netjournal.store.db import open_database


def test_head_constant_matches_scripts():
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(schema.MIGRATIONS_DIR))
    assert ScriptDirectory.from_config(cfg).get_current_head() == schema.HEAD


def test_migrations_match_models(db):
    import netjournal.store.models  # noqa: F401

    assert schema.current_revision(db) == schema.HEAD
    with db.engine.connect() as conn:
        mc = MigrationContext.configure(conn, opts={
            "compare_type": True,
            "include_object": lambda o, name, t, r, c: not schema.is_search_index_object(name),
        })
        diff = compare_metadata(mc, SQLModel.metadata)
    assert diff == []


def test_search_index_exists(db):
    with db.engine.connect() as conn:
        if db.is_sqlite:
            assert conn.exec_driver_sql("SELECT count(*) FROM sqlite_master WHERE name='search_fts'").scalar() == 1
        else:
            assert conn.exec_driver_sql("SELECT to_regclass('ix_search_doc_tsv')").scalar() is not None


def test_open_current_journal_does_not_import_alembic(tmp_path):
    url = "sqlite:///" + str(tmp_path / "j.db")
    open_database(url).dispose()
    code = ("import sys; from netjournal.store.db import open_database; open_database(%r).dispose(); "
            "print('alembic' in sys.modules)") % url
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_foreign_database_is_refused(tmp_path):
    import sqlite3

    from netjournal.errors import StoreError

    f = tmp_path / "other.db"
    con = sqlite3.connect(f)
    con.execute("CREATE TABLE stuff (x)")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="not a netjournal journal"):
        open_database("sqlite:///" + str(f))


def test_newer_schema_is_refused(tmp_path):
    from netjournal.errors import StoreError

    url = "sqlite:///" + str(tmp_path / "j.db")
    db = open_database(url)
    with db.engine.begin() as c:
        c.exec_driver_sql("UPDATE alembic_version SET version_num='9999'")
    db.dispose()
    with pytest.raises(StoreError, match="newer netjournal"):
        open_database(url)
