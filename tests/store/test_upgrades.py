"""Every released schema upgrades to the newest with every row intact; a failing migration
leaves the journal exactly as it was and says where the backup is."""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from netjournal.errors import StoreError
from netjournal.store import api, maintenance, schema, search
from netjournal.store.db import open_database

FIXTURES = sorted((Path(__file__).parents[1] / "fixtures" / "schema").glob("journal-*.db"))
TABLES = ["contact", "handle", "contact_tag", "important_date", "touch", "touch_contact", "followup",
          "followup_contact", "journal_entry", "journal_mention", "snooze", "dismissal", "search_doc"]


def rows(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table, by the columns the old file has."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        out = {}
        for t in TABLES:
            cols = [r[1] for r in con.execute(f"PRAGMA table_info({t})")]
            out[t] = (cols, sorted(con.execute(f"SELECT {', '.join(cols)} FROM {t}").fetchall(), key=repr))
        return out
    finally:
        con.close()


def test_there_is_a_fixture_per_released_schema():
    revs = {p.stem.split("-", 1)[1] for p in FIXTURES}
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(schema.MIGRATIONS_DIR))
    released = {r.revision for r in ScriptDirectory.from_config(cfg).walk_revisions()} - {schema.HEAD}
    assert released <= revs, f"make a fixture with scripts/make_schema_fixture.py for {released - revs}"


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_upgrade_keeps_every_row(fixture, tmp_path):
    f = tmp_path / "journal.db"
    shutil.copy(fixture, f)
    before = rows(f)
    db = open_database("sqlite:///" + str(f))
    try:
        assert schema.current_revision(db) == schema.HEAD
        backups = list((tmp_path / "backups").glob("journal-pre-*.db"))
        assert len(backups) == 1 and oct(backups[0].stat().st_mode & 0o777) == "0o600"
        assert rows(backups[0]) == before  # the backup is the journal as it was
        db.dispose()
        after = rows(f)
        for t, (cols, data) in before.items():
            new_cols, _ = after[t]
            con = sqlite3.connect(f)
            got = sorted(con.execute(f"SELECT {', '.join(cols)} FROM {t}").fetchall(), key=repr)
            con.close()
            assert got == data, f"rows of {t} changed"
            assert set(cols) <= set(new_cols)
        db = open_database("sqlite:///" + str(f))
        rep = maintenance.doctor(db, repair=False)
        assert rep.ok, [c for c in rep.checks if not c.ok]
        zoe = api.resolve_contact(db, "zo")
        detail = api.get_contact(db, zoe.id)
        assert detail.name == "Zoë [bold]Ünïcode[/] 👩‍👩‍👧" and detail.birthday.month == 2 and detail.birthday.day == 29
        assert search.search(db, "DROP TABLE")[0].ref_id == zoe.id
        late = [t for t in api.list_touches(db, contact_id=zoe.id) if t.summary == "late dinner"][0]
        assert late.occurred_time.hour == 23 and len(late.contacts) == 2
        # the journal still takes writes after the upgrade
        api.log_touch(db, contact_ids=[zoe.id], channel="call", day=late.occurred_on)
    finally:
        db.dispose()


FAILING = '''
from alembic import op
import sqlalchemy as sa
revision = "9001"
down_revision = "{head}"
branch_labels = None
depends_on = None

def upgrade():
    op.add_column("contact", sa.Column("doomed", sa.Integer(), nullable=True))
    op.execute("UPDATE contact SET name = 'overwritten'")
    raise RuntimeError("boom in the middle of a migration")

def downgrade():
    pass
'''


def test_failing_migration_leaves_journal_untouched(tmp_path, monkeypatch):
    f = tmp_path / "journal.db"
    shutil.copy(FIXTURES[0], f)
    before = rows(f)
    mig = tmp_path / "migrations"
    shutil.copytree(schema.MIGRATIONS_DIR, mig, ignore=shutil.ignore_patterns("__pycache__"))
    (mig / "versions" / "9001_failing.py").write_text(FAILING.format(head=schema.HEAD))
    monkeypatch.setattr(schema, "MIGRATIONS_DIR", mig)
    monkeypatch.setattr(schema, "HEAD", "9001")
    with pytest.raises(StoreError) as e:
        open_database("sqlite:///" + str(f))
    msg = str(e.value)
    assert "left as it was" in msg and "backups" in msg and "\n" not in msg
    backup = Path(msg.rsplit(" at ", 1)[1])
    assert backup.exists() and rows(backup) == before
    assert rows(f) == before
    con = sqlite3.connect(f)
    assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == FIXTURES[0].stem.split("-", 1)[1]
    assert "doomed" not in [r[1] for r in con.execute("PRAGMA table_info(contact)")]
    con.close()
