"""Shared fixtures. Every test runs with its data and config directories in tmp_path, so no
test can read or write the real user's journal or settings."""
from __future__ import annotations

import os
import uuid

import pytest

PG_ENV = "NETJOURNAL_TEST_PG_URL"


@pytest.fixture(autouse=True)
def _private_dirs(tmp_path, monkeypatch):
    monkeypatch.setenv("NETJOURNAL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NETJOURNAL_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("NETJOURNAL_DB", raising=False)
    monkeypatch.delenv("NETJOURNAL_DEBUG", raising=False)
    monkeypatch.setenv("NETJOURNAL_TODAY", "2026-11-24")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))


def pg_admin_url() -> str | None:
    return os.environ.get(PG_ENV) or None


def _pg_required() -> bool:
    return bool(os.environ.get("NETJOURNAL_REQUIRE_PG"))


@pytest.fixture
def pg_url():
    """A fresh, empty PostgreSQL database for one test (dropped afterwards)."""
    admin = pg_admin_url()
    if not admin:
        if _pg_required():
            pytest.fail(f"{PG_ENV} is not set but NETJOURNAL_REQUIRE_PG is")
        pytest.skip(f"PostgreSQL tests need {PG_ENV}")
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    name = "nj_test_" + uuid.uuid4().hex[:12]
    base = make_url(admin).set(drivername="postgresql+psycopg")
    eng = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with eng.connect() as c:
            c.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except Exception as exc:  # noqa: BLE001
        eng.dispose()
        if _pg_required():
            pytest.fail(f"cannot create a PostgreSQL test database: {exc}")
        pytest.skip(f"PostgreSQL not reachable: {exc}")
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with eng.connect() as c:
            c.exec_driver_sql(
                f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid()")
            c.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
        eng.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """The same test on a SQLite file and on a PostgreSQL database."""
    if request.param == "sqlite":
        return "sqlite:///" + str(tmp_path / "data" / "journal.db")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def db(db_url):
    from netjournal.store.db import open_database

    d = open_database(db_url)
    yield d
    d.dispose()


@pytest.fixture
def sqlite_db(tmp_path):
    from netjournal.store.db import open_database

    d = open_database("sqlite:///" + str(tmp_path / "data" / "journal.db"))
    yield d
    d.dispose()
