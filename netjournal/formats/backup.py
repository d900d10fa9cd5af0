"""Backups and restores: a consistent SQLite copy, or a complete versioned JSON document.

JSON backup layout (version 1)::

    {"format": "netjournal-backup", "version": 1, "schema": "<alembic revision>",
     "created_at": "...Z", "tables": {
    "contact": [
    {...},
    {...}
    ],
    "handle": [
    ...
    ]}}

Every table's rows with every column (ids included), in an order that respects foreign keys.
It is one ordinary JSON document (any JSON tool reads it, as do older netjournal versions), laid
out with one row per line so that netjournal writes and reads it as a stream: export and restore
hold one chunk of rows at a time, whatever the journal's size. A version-1 file laid out any
other way (an older netjournal wrote it indented) is read whole.

The search index is not stored, and the derived columns that are (each contact's
``state_json``, ``last_touch_on``, ``touch_count``; each handle's ``norm``) are not trusted:
``restore`` checks every row as the forms do and rebuilds them (``store.backups``).
"""
from __future__ import annotations

import io
import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator, TextIO

from netjournal import paths
from netjournal.errors import UserError
from netjournal.formats.textio import read_head
from netjournal.store.backups import TABLES, RestoreRejected, plural  # noqa: F401 - re-exported (CLI, tests)
from netjournal.store.backups import to_json_value as _to_json

FORMAT = "netjournal-backup"
VERSION = 1


def _row_encoder() -> Callable[[object], str]:
    """json.dumps(obj, ensure_ascii=False) for plain values, with the C encoder built once
    (json.dumps builds one per call, most of the cost for a small row)."""
    try:
        from json.encoder import c_make_encoder, encode_basestring

        if c_make_encoder is None:
            raise ImportError
        enc = c_make_encoder(None, None, encode_basestring, None, ": ", ", ", False, False, True)
        return lambda obj: "".join(enc(obj, 0))
    except (ImportError, TypeError):
        return json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode


def write_json(db, fh: TextIO) -> None:
    """The whole journal as a backup document, written to ``fh`` row by row as it is read."""
    from netjournal.store import backups, schema

    head = {"format": FORMAT, "version": VERSION, "schema": schema.HEAD,
            "created_at": _to_json(datetime.now(timezone.utc))}
    dumps = _row_encoder()
    fh.write(dumps(head)[:-1] + ', "tables": {\n')
    current = None
    parts: list[str] = []
    for table, row in backups.iter_rows(db):
        if table != current:
            parts.append(("\n]" if current is not None else "") + ("," if current is not None else "")
                         + ("\n" if current is not None else "") + dumps(table) + ": [\n")
            current = table
        else:
            parts.append(",\n")
        parts.append(dumps(row))
        if len(parts) >= 2000:
            fh.write("".join(parts))
            parts.clear()
    if current is not None:
        parts.append("\n]\n")
    parts.append("}}\n")
    fh.write("".join(parts))


def dump_json(db) -> str:
    """The backup document as one string (small journals, tests); ``write_json`` streams."""
    buf = io.StringIO()
    write_json(db, buf)
    return buf.getvalue()


def dump(db) -> dict:
    return json.loads(dump_json(db))


def write_private_stream(path: Path, fill: Callable[[TextIO], None]) -> None:
    """Like ``write_private``, with ``fill(fh)`` writing the text as a stream."""
    path = Path(path)
    if path.is_dir():
        raise UserError(f"{path} is a folder: give a file name")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.exists():
        raise UserError(f"no such folder: {parent}")
    tmp = parent / f".{path.name}.{os.getpid()}.tmp"
    try:
        fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        with open(fd, "w", encoding="utf-8", newline="\n", buffering=1 << 20) as fh:
            fill(fh)
            fh.flush()
            os.fsync(fh.fileno())
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
    except BaseException:
        _unlink(tmp)
        raise


def write_private(path: Path, data: bytes | str) -> None:
    """Write ``path`` atomically (temp file + rename), readable by the user alone (0600)."""
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    write_private_stream(path, lambda fh: fh.write(text))


def _unlink(p: Path) -> None:
    try:
        p.unlink()
    except OSError:
        pass


# ----------------------------------------------------------------------------- backup

def _stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")


def backup(db, dest_dir: Path | None = None, keep: int = 10) -> Path:
    """A consistent copy of the journal in ``dest_dir`` (default: <data dir>/backups), rotated.

    A SQLite copy is checked (``PRAGMA integrity_check`` on the copy) before any older backup is
    rotated out: a damaged journal never pushes good backups out. The damaged copy is kept
    apart under a ``-damaged-`` name and the command fails, naming the newest good backup.
    """
    import sqlite3

    from netjournal.store import maintenance, schema

    if keep < 1:
        raise UserError("keep at least one backup")
    dest = Path(dest_dir) if dest_dir is not None else paths.backups_dir(db.file)
    try:
        paths.ensure_private_dir(dest)
    except OSError as exc:
        raise UserError(f"cannot create the backup folder {dest}: {exc.strerror or exc}") from None
    if db.file is not None:
        pattern = f"{db.file.stem}-backup-*.db"
        try:
            path = schema.backup_sqlite(db.file, dest, "backup")
        except (sqlite3.Error, OSError) as exc:
            raise UserError(f"the backup failed: {exc}") from None
        problem = maintenance.check_file(path)
        if problem:
            bad = path.with_name(path.name.replace("-backup-", "-damaged-"))
            try:
                os.replace(path, bad)
            except OSError:
                bad = path
            good = maintenance.newest_good_backup(dest, pattern)
            keep_msg = f"the newest good backup is {good}" if good else "there is no good backup in that folder"
            raise UserError(f"the journal is damaged ({problem}): the copy was kept apart as {bad} and no older "
                            f"backup was removed; {keep_msg} (see `netjournal doctor` to recover)")
    else:
        path = dest / f"netjournal-backup-{_stamp()}.json"
        write_private_stream(path, lambda fh: write_json(db, fh))
        pattern = "netjournal-backup-*.json"
    olds = sorted(dest.glob(pattern), key=lambda p: p.name)
    for p in olds[:-keep]:
        _unlink(p)
    return path


# ----------------------------------------------------------------------------- restore

def _json_rows(path: Path, name: str) -> Iterator[tuple[str, dict]]:
    """The rows of a JSON backup: streamed when laid out one row per line (as netjournal
    writes it), else the document is read whole."""
    try:
        fh = open(path, encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror or exc}") from None
    with fh:
        try:
            first = fh.readline()
            head = _stream_head(first)
            if head is None:
                fh.seek(0)
                data = json.loads(fh.read())
                _check_head(data, name)
                tables = data["tables"]
                # a whole document: its tables in foreign-key order, whatever order it lists them in
                ordered = [t for t in TABLES if t in tables] + [t for t in tables if t not in TABLES]
                for t, rows in ((t, tables[t]) for t in ordered):
                    if not isinstance(rows, list):
                        raise UserError(f"{name}: the table {t!r} is not a list of rows")
                    for r in rows:
                        yield t, r
                return
            _check_head(head, name)
            table = None
            ended = False
            for lineno, line in enumerate(fh, start=2):
                line = line.strip()
                if not line:
                    continue
                if ended:
                    raise ValueError(f"text after the end (line {lineno})")
                if line == "}}":
                    ended = True
                elif line in ("]", "],"):
                    table = None
                elif line[0] == "{" and table is not None:
                    yield table, json.loads(line[:-1] if line.endswith(",") else line)
                elif line.endswith("[") and table is None:
                    key = json.loads(line[:-1].rstrip().rstrip(":"))
                    if not isinstance(key, str):
                        raise ValueError(f"line {lineno}")
                    table = key
                elif line.endswith("]}}") and line.startswith('"') and table is None:
                    ended = True  # an empty last table on the closing line
                else:
                    raise ValueError(f"unexpected text on line {lineno}")
            if not ended:
                raise ValueError("the file ends before the document does (cut short?)")
        except UnicodeDecodeError as exc:
            raise UserError(f"{name} is not a netjournal backup (not UTF-8 text: {exc.reason})") from None
        except ValueError as exc:  # json.JSONDecodeError included
            raise UserError(f"{name} is not a readable netjournal backup ({str(exc).splitlines()[0]})") from None


def _stream_head(first: str) -> dict | None:
    line = first.strip()
    tail = '"tables": {'
    if not (line.startswith("{") and line.endswith(tail)):
        return None
    try:
        head = json.loads(line[:-len(tail)].rstrip().rstrip(",") + "}")
    except ValueError:
        return None
    return head if isinstance(head, dict) else None


def _check_head(data, name: str) -> None:
    if not isinstance(data, dict) or data.get("format") != FORMAT or \
            ("tables" in data and not isinstance(data.get("tables"), dict)):
        raise UserError(f"{name} is not a netjournal backup")
    if not isinstance(data.get("version"), int) or data["version"] > VERSION:
        raise UserError(f"{name} was written by a newer netjournal (backup version {data.get('version')}); "
                        "upgrade netjournal to restore it")
    from netjournal.store import schema

    if data.get("schema") and data["schema"] != schema.HEAD:
        raise UserError(f"{name} has schema {data['schema']}, this netjournal has {schema.HEAD}: "
                        "restore it with the matching netjournal version")


def restore(db, path: Path, *, force: bool = False) -> dict[str, int]:
    """Replace the journal's rows with a backup's (same ids), every row checked, derived state
    rebuilt. Refuses a non-empty journal unless ``force``. All or nothing: any bad row and
    nothing is written (``RestoreRejected`` names each bad row)."""
    from netjournal.store import backups, schema

    path = Path(path)
    name = path.name
    if not path.is_file():
        raise UserError(f"no such backup file: {path}")
    magic = read_head(path, 16)
    if magic.startswith(b"SQLite format 3\x00"):
        rev = backups.journal_file_schema(path)
        if rev and rev != schema.HEAD:
            raise UserError(f"{name} has schema {rev}, this netjournal has {schema.HEAD}: "
                            "restore it with the matching netjournal version")
        rows, naive = backups.iter_journal_file(path), True
    else:
        rows, naive = _json_rows(path, name), False
    return backups.restore_rows(db, rows, force=force, source=name, naive_utc=naive)
