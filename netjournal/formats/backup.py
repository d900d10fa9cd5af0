"""Backups and restores: a consistent SQLite copy, or a complete versioned JSON document.

JSON backup layout::

    {"format": "netjournal-backup", "version": 1, "schema": "<alembic revision>",
     "created_at": "...Z", "tables": {"contact": [{...}, ...], "handle": [...], ...}}

Every table's rows with every column (ids included), in an order that respects foreign keys.
The search index is not stored: ``restore`` rebuilds it (``maintenance.reindex_all``).
"""
from __future__ import annotations

import json
import os
import sqlite3
from datetime import date, datetime, time, timezone
from pathlib import Path

import sqlalchemy as sa

from netjournal import paths
from netjournal.errors import UserError

FORMAT = "netjournal-backup"
VERSION = 1
# Foreign-key order: parents first.
TABLES = ("contact", "handle", "contact_tag", "important_date", "touch", "touch_contact", "followup",
          "followup_contact", "journal_entry", "journal_mention", "snooze", "dismissal",
          "contact_link")  # issue 16: links between contacts (after contact and touch)


def _tables():
    from sqlmodel import SQLModel

    import netjournal.store.models  # noqa: F401 - registers the tables

    return {name: SQLModel.metadata.tables[name] for name in TABLES}


def _to_json(value):
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return value


def _from_json(col: sa.Column, value):
    if value is None:
        return None
    t = col.type
    py = None
    try:
        py = t.python_type
    except NotImplementedError:
        py = None
    impl = getattr(t, "impl", None)
    if impl is not None and isinstance(impl, sa.DateTime) or isinstance(t, sa.DateTime):
        if isinstance(value, datetime):
            dt = value
        else:
            dt = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)
    if py is date or isinstance(t, sa.Date):
        return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    if py is time or isinstance(t, sa.Time):
        return value if isinstance(value, time) else time.fromisoformat(str(value))
    if py is bool or isinstance(t, sa.Boolean):
        return bool(value) if not isinstance(value, str) else value.lower() in ("1", "true")
    if py is int or isinstance(t, sa.Integer):
        return int(value)
    return value


def dump(db) -> dict:
    """Every row of every table, in one read transaction (a consistent snapshot)."""
    from netjournal.store import schema

    tables = _tables()
    out: dict = {"format": FORMAT, "version": VERSION, "schema": schema.HEAD,
                 "created_at": _to_json(datetime.now(timezone.utc)), "tables": {}}
    with db.read() as s:
        for name, table in tables.items():
            pk = list(table.primary_key.columns)
            rows = s.execute(sa.select(table).order_by(*pk)).mappings().all()
            out["tables"][name] = [{k: _to_json(v) for k, v in r.items()} for r in rows]
    return out


def dump_json(db) -> str:
    return json.dumps(dump(db), ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def write_private(path: Path, data: bytes | str) -> None:
    """Write ``path`` atomically (temp file + rename), readable by the user alone (0600)."""
    path = Path(path)
    if path.is_dir():
        raise UserError(f"{path} is a folder: give a file name")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.exists():
        raise UserError(f"no such folder: {parent}")
    if isinstance(data, str):
        data = data.encode("utf-8")
    tmp = parent / f".{path.name}.{os.getpid()}.tmp"
    try:
        fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        try:
            view = memoryview(data)
            while view:
                n = os.write(fd, view)
                view = view[n:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except PermissionError:
        _unlink(tmp)
        raise UserError(f"cannot write {path}: permission denied") from None
    except OSError as exc:
        _unlink(tmp)
        if exc.errno == 28:
            raise UserError(f"the disk is full: {path} was not written") from None
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None


def _unlink(p: Path) -> None:
    try:
        p.unlink()
    except OSError:
        pass


# ----------------------------------------------------------------------------- backup

def _stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")


def backup(db, dest_dir: Path | None = None, keep: int = 10) -> Path:
    """A consistent copy of the journal in ``dest_dir`` (default: <data dir>/backups), rotated."""
    from netjournal.store import schema

    if keep < 1:
        raise UserError("keep at least one backup")
    dest = Path(dest_dir) if dest_dir is not None else paths.backups_dir(db.file)
    try:
        paths.ensure_private_dir(dest)
    except OSError as exc:
        raise UserError(f"cannot create the backup folder {dest}: {exc.strerror or exc}") from None
    if db.file is not None:
        try:
            path = schema.backup_sqlite(db.file, dest, "backup")
        except (sqlite3.Error, OSError) as exc:
            raise UserError(f"the backup failed: {exc}") from None
        pattern = f"{db.file.stem}-backup-*.db"
    else:
        path = dest / f"netjournal-backup-{_stamp()}.json"
        write_private(path, dump_json(db))
        pattern = "netjournal-backup-*.json"
    olds = sorted(dest.glob(pattern), key=lambda p: p.name)
    for p in olds[:-keep]:
        _unlink(p)
    return path


# ----------------------------------------------------------------------------- restore

def _read_backup(path: Path) -> dict:
    path = Path(path)
    if not path.is_file():
        raise UserError(f"no such backup file: {path}")
    with open(path, "rb") as fh:
        head = fh.read(16)
    if head.startswith(b"SQLite format 3\x00"):
        return _read_sqlite_backup(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserError(f"{path.name} is not a netjournal backup (not JSON: {exc})") from None
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror or exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("tables"), dict):
        raise UserError(f"{path.name} is not a netjournal backup")
    if not isinstance(data.get("version"), int) or data["version"] > VERSION:
        raise UserError(f"{path.name} was written by a newer netjournal (backup version {data.get('version')}); "
                        "upgrade netjournal to restore it")
    return data


def _read_sqlite_backup(path: Path) -> dict:
    tables = _tables()
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise UserError(f"cannot open {path.name}: {exc}") from None
    try:
        con.row_factory = sqlite3.Row
        try:
            rev = con.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.Error:
            raise UserError(f"{path.name} is not a netjournal journal") from None
        out = {"format": FORMAT, "version": VERSION, "schema": rev[0] if rev else None, "tables": {}}
        for name, table in tables.items():
            cols = [c.name for c in table.columns]
            try:
                rows = con.execute(f"SELECT {', '.join(cols)} FROM {name}").fetchall()
            except sqlite3.Error as exc:
                raise UserError(f"{path.name} is not a readable netjournal journal ({exc})") from None
            out["tables"][name] = [dict(zip(cols, r)) for r in rows]
        return out
    except sqlite3.DatabaseError as exc:
        raise UserError(f"{path.name} is damaged or not a journal ({exc})") from None
    finally:
        con.close()


def restore(db, path: Path, *, force: bool = False) -> dict[str, int]:
    """Replace the journal's rows with a backup's (same ids). Refuses a non-empty journal unless force."""
    from netjournal.store import schema
    from netjournal.store.maintenance import reindex_all

    data = _read_backup(path)
    if data.get("schema") and data["schema"] != schema.HEAD:
        raise UserError(f"{Path(path).name} has schema {data['schema']}, this netjournal has {schema.HEAD}: "
                        "restore it with the matching netjournal version")
    tables = _tables()
    counts: dict[str, int] = {}
    try:
        with db.write() as s:
            n = s.execute(sa.select(sa.func.count()).select_from(tables["contact"])).scalar() or 0
            if n and not force:
                raise UserError(f"the journal already holds {n} contact(s): restore refuses to overwrite it "
                                "(use --force to replace everything)")
            from netjournal.store.models import SearchDoc

            s.execute(sa.delete(SearchDoc.__table__))
            for name in reversed(TABLES):
                s.execute(sa.delete(tables[name]))
            for name in TABLES:
                table = tables[name]
                rows = data["tables"].get(name) or []
                cols = {c.name: c for c in table.columns}
                clean = []
                for r in rows:
                    if not isinstance(r, dict):
                        raise UserError(f"{Path(path).name}: a row of {name} is not an object")
                    clean.append({k: _from_json(cols[k], v) for k, v in r.items() if k in cols})
                for i in range(0, len(clean), 2000):
                    s.execute(sa.insert(table), clean[i:i + 2000])
                counts[name] = len(clean)
            if db.dialect == "postgresql":
                for name in TABLES:
                    table = tables[name]
                    if "id" in table.c:
                        s.execute(sa.text(
                            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                            f"COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)"))
    except UserError:
        raise
    except (ValueError, TypeError, KeyError, sa.exc.IntegrityError, sa.exc.StatementError) as exc:
        raise UserError(f"{Path(path).name} could not be restored ({type(exc).__name__}: "
                        f"{str(exc).splitlines()[0] if str(exc) else ''}); the journal was not changed") from None
    reindex_all(db)
    return counts
