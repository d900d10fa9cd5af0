"""Two-way sync of the journal's contacts with a vdir (a folder with one .vcf per contact).

The store side of the sync: the ``vdir_link`` rows (UID, file name, card hash, merge base per
synced contact), the journal's synced fields for every contact, and one transaction applying a
sync's changes. :func:`sync_vdir` runs a whole sync: it scans the folder, finds changes by
content hash, merges each pair three ways (:func:`netjournal.formats.vdir.merge`), writes cards
atomically (temp file + rename, 0600) and then the journal in one transaction.

Rules (README "Sync your address book"):

* a card new in the folder becomes a contact (or is linked to the one unlinked, unarchived
  contact of the same name); a contact new in the journal gets a new UID and a new file;
* a field changed on both sides is a conflict: the journal wins unless ``prefer="vdir"``; the
  losing value is kept as a note on the contact and reported;
* a card deleted from the folder archives its contact (touches are never deleted); a contact
  deleted in the journal deletes its file only with ``delete=True`` (and only if the card did
  not change since);
* cards that cannot be read or parsed, duplicate UIDs and group cards are left alone, and the
  contacts they belong to are not touched; each problem is one line in the report.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import stat
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from netjournal.errors import UserError
from netjournal.formats import vdir as V
from netjournal.store.db import Database

# The reads every sync makes (links, the synced fields of every contact) use these light Core
# tables, so a sync with nothing to write never imports the SQLModel models (a tenth of a
# second at start-up); the writes import them.
_vl = sa.table("vdir_link", *(sa.column(c) for c in (
    "id", "vdir", "contact_id", "uid", "filename", "card_hash", "journal_hash", "base_json")))
_ct = sa.table("contact", *(sa.column(c) for c in (
    "id", "archived", "name", "given_name", "family_name", "nickname", "company", "role", "about")))
_hd = sa.table("handle", sa.column("contact_id"), sa.column("kind"), sa.column("value"))
_tg = sa.table("contact_tag", sa.column("contact_id"), sa.column("tag"))
_dt = sa.table("important_date", *(sa.column(c) for c in ("id", "contact_id", "kind", "month", "day", "year")))

_HANDLE_KEYS = {"email": "emails", "phone": "phones", "website": "urls"}
_KEY_HANDLES = {v: k for k, v in _HANDLE_KEYS.items()}


# ----------------------------------------------------------------------------- store API

@dataclass(slots=True)
class Link:
    id: int
    contact_id: int | None
    uid: str
    filename: str
    card_hash: str
    journal_hash: str
    base_json: str

    @property
    def base(self) -> dict:
        """The merge base (stored normalised by the sync itself)."""
        try:
            data = json.loads(self.base_json) if self.base_json else {}
        except ValueError:
            data = {}
        out = V.empty_fields()
        if isinstance(data, dict):
            out.update({k: data[k] for k in V.FIELDS if k in data and type(data[k]) is type(out[k])})
        return out


def load_links(db: Database, folder: str) -> list[Link]:
    with db.read() as s:
        c = _vl.c
        rows = s.connection().execute(sa.select(
            c.id, c.contact_id, c.uid, c.filename, c.card_hash, c.journal_hash, c.base_json)
            .where(c.vdir == folder)).all()
    return [Link(*r) for r in rows]


class Entry:
    """One contact's synced values as stored: ``raw`` as in the tables, ``digest`` of them.

    Built for every contact on every sync, so it keeps the rows as fetched and makes ``raw`` and
    ``fields`` only when the sync looks at this contact (a changed pair, a new contact)."""

    __slots__ = ("archived", "_row", "_extra", "_dates", "digest", "_raw", "_fields")

    def __init__(self, archived: bool, row: tuple, extra: dict, dates: dict, digest: str):
        self.archived = archived
        self._row, self._extra, self._dates, self.digest = row, extra, dates, digest
        self._raw: dict | None = None
        self._fields: dict | None = None

    @property
    def raw(self) -> dict:
        if self._raw is None:
            r, dd = self._row, self._dates
            self._raw = {"name": r[0], "given_name": r[1], "family_name": r[2], "nickname": r[3], "company": r[4],
                         "role": r[5], "about": r[6], **self._extra,
                         "birthday": dd.get("birthday", ""), "anniversary": dd.get("anniversary", "")}
        return self._raw

    @property
    def fields(self) -> dict:
        if self._fields is None:
            self._fields = V.normalize(self.raw)
        return self._fields


def journal_fields(db: Database) -> dict[int, Entry]:
    """Every contact's synced fields with its archived flag and a digest of the stored values."""
    with db.read() as s:
        return _journal_rows(s.connection())


_NO_DATES: dict = {}


def _journal_rows(conn, ids: list[int] | None = None) -> dict[int, Entry]:
    def where(col):
        return col.in_(ids) if ids is not None else sa.true()

    C, H, T, D = _ct.c, _hd.c, _tg.c, _dt.c
    contacts = conn.execute(sa.select(
        C.id, C.archived, C.name, C.given_name, C.family_name, C.nickname, C.company, C.role, C.about)
        .where(where(C.id))).all()
    lists: dict[int, dict] = {}
    keys = _HANDLE_KEYS
    for cid, kind, value in conn.execute(sa.select(H.contact_id, H.kind, H.value)
                                         .where(H.kind.in_(tuple(keys)), where(H.contact_id))).all():
        d = lists.get(cid)
        if d is None:
            lists[cid] = {keys[kind]: [value]}
        else:
            lst = d.get(keys[kind])
            if lst is None:
                d[keys[kind]] = [value]
            else:
                lst.append(value)
    for cid, tag in conn.execute(sa.select(T.contact_id, T.tag).where(where(T.contact_id))).all():
        d = lists.get(cid)
        if d is None:
            lists[cid] = {"tags": [tag]}
        else:
            lst = d.get("tags")
            if lst is None:
                d["tags"] = [tag]
            else:
                lst.append(tag)
    dates: dict[int, dict] = {}
    for cid, kind, m, d, y in conn.execute(sa.select(
            D.contact_id, D.kind, D.month, D.day, D.year).where(D.kind.in_(("birthday", "anniversary")),
                                                                 where(D.contact_id)).order_by(D.id)).all():
        dates.setdefault(cid, {}).setdefault(kind, V.date_text(m, d, y))
    out = {}
    blake = hashlib.blake2b
    empty: dict = {}
    for row in contacts:
        cid = row[0]
        extra = lists.get(cid, empty)
        for v in extra.values():
            v.sort()
        dd = dates.get(cid, _NO_DATES)
        rest = row[2:]
        # (the digest's form is what link rows store: keep it, or every link looks changed once)
        digest = blake(repr((rest, sorted(extra.items()), dd.get("birthday", ""), dd.get("anniversary", ""))).encode(),
                       digest_size=16).hexdigest()
        out[cid] = Entry(bool(row[1]), tuple(rest), extra, dd, digest)
    return out


def check_fields(f: dict) -> None:
    """Raise UserError if the journal would refuse these values (too long, control bytes…)."""
    from netjournal.store import api, contacts
    from netjournal.store import validate as v

    api.clean_contact_fields({k: f[k] for k in (*V.TEXT_FIELDS, "about")})
    for t in f["tags"]:
        v.tag(t)
    for key, kind in _KEY_HANDLES.items():
        for val in f[key]:
            contacts.clean_handle(kind, val)
    for k in V.DATE_FIELDS:
        parts = V.date_parts(f[k])
        if parts:
            contacts.clean_date(k, *parts)


@dataclass
class Changes:
    """What one sync writes to the journal, in one transaction."""

    creates: list[tuple[dict, str, str, str]] = field(default_factory=list)   # fields, uid, filename, hash
    updates: list[tuple[int, dict, dict]] = field(default_factory=list)       # contact id, new, old
    archive: list[int] = field(default_factory=list)
    links: list[tuple[int | None, int | None, str, str, str, dict]] = field(default_factory=list)
    # (link id or None for a new one, contact id, uid, filename, hash, base)
    drop_links: list[int] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.creates or self.updates or self.archive or self.links or self.drop_links)


def apply_changes(db: Database, folder: str, ch: Changes) -> None:
    from netjournal.store import api, index
    from netjournal.store import validate as v
    from netjournal.store.models import Contact, VdirLink, utcnow

    now = utcnow()
    with db.write() as s:
        conn = s.connection()
        touched: list[int] = []
        for cid, new, old in ch.updates:
            c = s.get(Contact, cid)
            if c is None:
                continue
            clean = api.clean_contact_fields({k: new[k] for k in (*V.TEXT_FIELDS, "about") if new[k] != old[k]})
            for k, val in clean.items():
                setattr(c, k, val)
            c.updated_at = now
            s.add(c)
            _write_lists(s, cid, new, old, v)
            touched.append(cid)
        if ch.archive:
            s.execute(sa.update(Contact).where(Contact.id.in_(ch.archive), Contact.archived == sa.false())
                      .values(archived=True, updated_at=now))
        s.flush()
        new_ids = _create_contacts(s, conn, ch.creates, now)
        links = [(None, cid, uid, filename, h, f) for (f, uid, filename, h), cid in zip(ch.creates, new_ids)]
        links += ch.links
        if ch.drop_links:
            s.execute(sa.delete(VdirLink).where(VdirLink.id.in_(ch.drop_links)))
        for cid in touched:
            index.index_contact(s, cid)
        s.flush()
        # what the journal holds now for the linked contacts: the digest the next sync compares to
        cids = [x[1] for x in links if x[1] is not None]
        if len(cids) > 500:
            entries = _journal_rows(conn)
        else:
            entries = _journal_rows(conn, cids) if cids else {}
        fresh, old_rows = [], []
        for link_id, cid, uid, filename, h, base in links:
            row = {"vdir": folder, "contact_id": cid, "uid": uid, "filename": filename, "card_hash": h,
                   "journal_hash": entries[cid].digest if cid in entries else "",
                   "base_json": json.dumps(base, sort_keys=True, ensure_ascii=False), "synced_at": now}
            if link_id is None:
                fresh.append(row)
            else:
                old_rows.append({**row, "link_id": link_id})
        table = VdirLink.__table__
        if fresh:
            conn.execute(table.insert(), fresh)
        if old_rows:
            s.execute(table.update().where(table.c.id == sa.bindparam("link_id")).values(
                {k: sa.bindparam(k) for k in old_rows[0] if k != "link_id"}), old_rows)


def _write_lists(s, cid: int, new: dict, old: dict, v) -> None:
    from netjournal.store.models import ContactTag, Handle, ImportantDate

    for key, kind in _KEY_HANDLES.items():
        if new[key] == old[key]:
            continue
        keep = set(new[key])
        have = set()
        for h in s.execute(sa.select(Handle).where(Handle.contact_id == cid, Handle.kind == kind)).scalars():
            nv = V.norm_value(key, h.value)
            if nv not in keep or nv in have:
                s.delete(h)
            else:
                have.add(nv)
        for val in new[key]:
            if val not in have:
                s.add(Handle(contact_id=cid, kind=kind, value=val, norm=v.handle_norm(kind, val)))
    if new["tags"] != old["tags"]:
        s.execute(sa.delete(ContactTag).where(ContactTag.contact_id == cid))
        for t in sorted({v.tag(t) for t in new["tags"]}):
            s.add(ContactTag(contact_id=cid, tag=t))
    for kind in V.DATE_FIELDS:
        if new[kind] == old[kind]:
            continue
        rows = s.execute(sa.select(ImportantDate).where(ImportantDate.contact_id == cid, ImportantDate.kind == kind)
                         .order_by(ImportantDate.id)).scalars().all()
        parts = V.date_parts(new[kind])
        if rows and parts:
            rows[0].month, rows[0].day, rows[0].year = parts
            s.add(rows[0])
        elif rows:
            s.delete(rows[0])
        elif parts:
            s.add(ImportantDate(contact_id=cid, kind=kind, month=parts[0], day=parts[1], year=parts[2]))
    s.flush()


def _create_contacts(s, conn, creates: list, now) -> list[int]:
    """Insert new contacts with their emails, phones, websites, tags and dates, set-wise."""
    from netjournal.store import api
    from netjournal.store import validate as v
    from netjournal.store.models import Contact, ContactTag, Handle, ImportantDate, SearchDoc

    if not creates:
        return []
    template = {c.name: getattr(Contact(name="x"), c.name) for c in Contact.__table__.columns if c.name != "id"}
    template.update(created_at=now, updated_at=now)
    rows = []
    for f, *_ in creates:
        rows.append({**template, **api.clean_contact_fields({k: f[k] for k in (*V.TEXT_FIELDS, "about")})})
    table = Contact.__table__
    ids = list(conn.execute(table.insert().returning(table.c.id, sort_by_parameter_order=True), rows).scalars())
    handles, tags, dates, docs = [], [], [], []
    for (f, *_), cid, row in zip(creates, ids, rows):
        hv = []
        for key, kind in _KEY_HANDLES.items():
            for val in f[key]:
                handles.append({"contact_id": cid, "kind": kind, "value": val, "norm": v.handle_norm(kind, val),
                                "label": ""})
                hv.append(val)
        ct = sorted({v.tag(t) for t in f["tags"]})
        tags += [{"contact_id": cid, "tag": t} for t in ct]
        for kind in V.DATE_FIELDS:
            parts = V.date_parts(f[kind])
            if parts:
                dates.append({"contact_id": cid, "kind": kind, "month": parts[0], "day": parts[1], "year": parts[2],
                              "label": ""})
        c = Contact.model_construct(**row)
        title, body = api.contact_doc_text(c, hv, ct)
        docs.append({"kind": "contact", "ref_id": cid, "contact_id": cid, "day": None, "title": title, "body": body})
    for model, batch in ((Handle, handles), (ContactTag, tags), (ImportantDate, dates), (SearchDoc, docs)):
        if batch:
            conn.execute(model.__table__.insert(), batch)  # Core executemany: no ORM bookkeeping
    return ids


# ----------------------------------------------------------------------------- the sync run

@dataclass
class Report:
    folder: str
    dry_run: bool = False
    cards: int = 0
    unchanged: int = 0
    created_here: list[str] = field(default_factory=list)     # contacts made from new cards
    created_there: list[str] = field(default_factory=list)    # cards written for new contacts
    updated_here: list[str] = field(default_factory=list)
    updated_there: list[str] = field(default_factory=list)
    linked: list[str] = field(default_factory=list)
    archived: list[str] = field(default_factory=list)
    deleted_files: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    groups: int = 0

    def summary(self) -> str:
        verb = "would sync" if self.dry_run else "synced"
        parts = [f"{self.cards} card(s)", f"{len(self.created_here)} new contact(s)",
                 f"{len(self.created_there)} new card(s)", f"{len(self.updated_here)} contact(s) updated",
                 f"{len(self.updated_there)} card(s) updated"]
        for n, what in ((len(self.linked), "linked by name"), (len(self.archived), "archived"),
                        (len(self.deleted_files), "card file(s) deleted"), (len(self.conflicts), "conflict(s)"),
                        (len(self.problems), "problem(s)"), (self.groups, "group card(s) left alone")):
            if n:
                parts.append(f"{n} {what}")
        return f"{verb} {self.folder}: " + ", ".join(parts)


class _Card:
    """One card file of the folder. ``hash`` is its content hash; ``data`` is read when first
    needed (an unchanged card is never read: see :class:`StatCache`)."""

    __slots__ = ("name", "path", "hash", "_data", "parsed")

    def __init__(self, name: str, path: str, hash: str, data: bytes | None = None):
        self.name, self.path, self.hash, self._data = name, path, hash, data
        self.parsed: V.CardFile | None = None

    @property
    def data(self) -> bytes:
        if self._data is None:
            try:
                with open(self.path, "rb") as fh:
                    data = fh.read()
            except OSError as exc:
                raise UserError(f"cannot read {self.path} ({exc.strerror}); nothing was changed") from None
            if V.content_hash(data) != self.hash:
                raise UserError(f"{self.path} changed while the sync ran; nothing was changed: sync again")
            self._data = data
        return self._data

    def parse(self) -> V.CardFile:
        if self.parsed is None:
            self.parsed = V.parse_card(self.data.decode("utf-8"))
        return self.parsed


# A card whose last change (ctime and mtime) is this close to the time it was hashed is hashed
# again next time: a write in the same clock tick as our read could otherwise hide behind an
# identical stat (the "racy git" problem). 3 s covers 1 s and 2 s (FAT) timestamp granularity.
RACY_NS = 3_000_000_000
MAX_CACHE_BYTES = 64 << 20  # the stat cache of a 100,000-card folder is ~15 MB


class StatCache:
    """What each card file's stat was when its content was last hashed, and that hash.

    Kept per folder in the data directory (``vdir-sync-<key>.stat``): a fact about the files, not
    about a journal, so two journals syncing one folder share it and losing it costs only speed.
    The sync trusts a cached hash (and does not read the file) only if the file's device, inode,
    size, mtime and ctime (to the nanosecond) are all as recorded *and* the recorded change was at
    least :data:`RACY_NS` older than the moment the file was hashed. Rewriting a file, even with
    the same size and with its mtime set back (``touch -d``), moves its ctime, which no user
    program can set back; a rename over it (how vdirsyncer, khard and we write) changes the
    inode. Anything else: the file is read and hashed."""

    VERSION = 1

    def __init__(self, path: Path | None):
        self.path = path
        self.files: dict[str, list] = {}
        self.fresh: dict[str, list] = {}
        if path is None:
            return
        try:  # a regular file of sane size only: a FIFO or /dev/zero planted there must not hang us
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
            with os.fdopen(fd, "rb") as fh:
                st = os.fstat(fh.fileno())
                if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_CACHE_BYTES:
                    return
                data = json.loads(fh.read(MAX_CACHE_BYTES))
            if isinstance(data, dict) and data.get("v") == self.VERSION and isinstance(data.get("files"), dict):
                self.files = data["files"]
        except (OSError, ValueError, RecursionError):  # unreadable or damaged: it is only a cache
            pass

    @staticmethod
    def key(st: os.stat_result) -> list:
        return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]

    def lookup(self, name: str, st: os.stat_result) -> str | None:
        """The content hash recorded for this file if its stat says it cannot have changed."""
        rec = self.files.get(name)
        if (type(rec) is list and len(rec) == 7 and rec[:5] == self.key(st)
                and max(st.st_ctime_ns, st.st_mtime_ns) + RACY_NS <= rec[5] and type(rec[6]) is str):
            self.fresh[name] = rec
            return rec[6]
        return None

    def record(self, name: str, st: os.stat_result, hashed_at_ns: int, digest: str) -> None:
        key = self.key(st)
        old = self.files.get(name)
        if (type(old) is list and len(old) == 7 and old[:5] == key and old[6] == digest
                and max(st.st_ctime_ns, st.st_mtime_ns) + RACY_NS > hashed_at_ns):
            self.fresh[name] = old   # still too fresh to trust: the same record (no rewrite)
            return
        self.fresh[name] = [*key, hashed_at_ns, digest]

    def save(self) -> None:
        """Write what this scan saw (atomically; a failure only costs the next sync some speed)."""
        if self.path is None or self.fresh == self.files:
            return
        try:
            fd, tmp = tempfile.mkstemp(prefix=".", suffix=".stat.tmp", dir=self.path.parent)
            with os.fdopen(fd, "w") as fh:
                json.dump({"v": self.VERSION, "files": self.fresh}, fh, separators=(",", ":"))
            os.replace(tmp, self.path)
        except OSError:
            try:
                os.unlink(tmp)
            except (OSError, UnboundLocalError):
                pass


def lock_path(folder: Path, lock_dir: Path) -> Path:
    """The lock file of one folder's sync (in the data directory: the folder may be read-only)."""
    return lock_dir / f"vdir-sync-{hashlib.sha256(str(folder).encode()).hexdigest()[:16]}.lock"


def stat_cache_path(folder: Path, lock_dir: Path) -> Path:
    """The :class:`StatCache` file of one folder (next to its lock)."""
    return lock_path(folder, lock_dir).with_suffix(".stat")


def _lock(folder: Path, lock_dir: Path):
    lock_dir.mkdir(parents=True, exist_ok=True)
    path = lock_path(folder, lock_dir)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise UserError(f"another sync of {folder} is running (lock {path}); nothing done") from None
    return fd


def write_cards(cards: list[tuple[Path, str]]) -> None:
    """Write each card through a temp file in the same folder and a rename (mode 0600).

    All temp files are written and flushed to disk first (one ``fsync`` each, or one ``sync`` for
    a big batch), then renamed over their targets: a failure on the way (disk full, permissions)
    removes the temp files and leaves every card as it was."""
    tmps: list[tuple[str, Path]] = []
    try:
        for path, text in cards:
            fd, tmp = tempfile.mkstemp(prefix=".", suffix=".vcf.tmp", dir=path.parent)
            tmps.append((tmp, path))
            with os.fdopen(fd, "wb") as fh:
                os.fchmod(fh.fileno(), 0o600)
                fh.write(text.encode("utf-8"))
                if len(cards) <= 20:
                    fh.flush()
                    os.fsync(fh.fileno())
        if len(cards) > 20:
            os.sync()
    except BaseException:
        for tmp, _ in tmps:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        raise
    for tmp, path in tmps:
        os.replace(tmp, path)
    if tmps:
        try:
            fd = os.open(tmps[0][1].parent, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError:
            pass  # not every system can fsync a folder


def sync_vdir(db: Database, folder: Path, *, prefer: str = "journal", delete: bool = False, dry_run: bool = False,
              today: date, lock_dir: Path) -> Report:
    if prefer not in ("journal", "vdir"):
        raise UserError(f"--prefer must be journal or vdir, not {prefer!r}")
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise UserError(f"not a folder: {folder}")
    folder = folder.resolve()
    if not dry_run and not os.access(folder, os.W_OK | os.X_OK):
        raise UserError(f"cannot write to {folder} (permission denied); nothing synced")
    fd = _lock(folder, lock_dir)
    try:
        return _sync(db, folder, prefer=prefer, delete=delete, dry_run=dry_run, today=today,
                     stat_cache=StatCache(stat_cache_path(folder, lock_dir)))
    finally:
        os.close(fd)


def _sync(db: Database, folder: Path, *, prefer: str, delete: bool, dry_run: bool, today: date,
          stat_cache: StatCache | None = None) -> Report:
    key = str(folder)
    rep = Report(key, dry_run=dry_run)
    links = load_links(db, key)
    by_file = {ln.filename: ln for ln in links}
    by_uid = {ln.uid: ln for ln in links}

    # 1. the folder: a card whose stat is as when it was last hashed (StatCache) is not read;
    # every other card is read and hashed; only cards whose hash changed since the last sync
    # are parsed
    cache = stat_cache if stat_cache is not None else StatCache(None)
    cards: dict[str, _Card] = {}
    files_of: dict[str, list[str]] = defaultdict(list)
    left_alone: set[str] = set()                 # file names whose card we could not read
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        raise UserError(f"cannot read {folder}: {exc.strerror}") from None
    is_reg = stat.S_ISREG
    scan_start = time.time_ns()
    for e in entries:
        name = e.name
        if not name.lower().endswith(".vcf") or name.startswith("."):
            continue
        try:
            if not e.is_file():
                continue
            st = e.stat()
            if not is_reg(st.st_mode):
                continue
            link = by_file.get(name)
            digest = cache.lookup(name, st)
            data = None
            if digest is None or link is None or link.card_hash != digest:
                with open(e.path, "rb") as fh:
                    data = fh.read()
                digest = V.content_hash(data)
                # the stat taken before the read, with the time the scan began: a write after
                # either moves the ctime past the one recorded here
                cache.record(name, st, scan_start, digest)
        except OSError as exc:
            rep.problems.append(f"{name}: cannot read ({exc.strerror}); left alone")
            left_alone.add(name)
            continue
        rep.cards += 1
        card = _Card(name, e.path, digest, data)
        if link is not None and link.card_hash == digest:
            uid = link.uid
        else:
            try:
                cf = card.parse()
            except UnicodeDecodeError:
                rep.problems.append(f"{name}: not UTF-8 text; left alone")
                left_alone.add(name)
                continue
            except V.CardError as exc:
                rep.problems.append(f"{name}: {exc}; left alone")
                left_alone.add(name)
                continue
            if cf.is_group:
                rep.groups += 1
                left_alone.add(name)
                continue
            uid = cf.uid
            if not uid:
                rep.problems.append(f"{name}: the card has no UID; left alone")
                left_alone.add(name)
                continue
        files_of[uid].append(name)
        cards[uid] = card
    for uid, names in files_of.items():
        if len(names) > 1:
            rep.problems.append(f"duplicate UID {uid!r} in {', '.join(names)}: left alone")
            cards.pop(uid, None)
            left_alone.update(names)
    blocked = {uid for uid, names in files_of.items() if len(names) > 1}

    # 2. the journal
    journal = journal_fields(db)
    ch = Changes()
    writes: list[tuple[Path, str, str]] = []     # (path, text, what) cards to write
    removes: list[Path] = []
    day = today.isoformat()
    linked_cids: set[int] = set()

    def label(f: dict) -> str:
        return V.one_line(f.get("name")) or "(no name)"

    def settle(link_id, cid, uid, card: _Card, jf: dict | None, cf: dict, base: dict, filename: str) -> None:
        """Merge one pair and queue the writes on both sides."""
        merged, conflicts = V.merge(base, jf if jf is not None else cf, cf, prefer)
        if conflicts:
            note = V.conflict_note(conflicts, day)
            merged["about"] = (merged["about"] + "\n\n" + note).strip("\n")
            for c in conflicts:
                rep.conflicts.append(f"{label(merged)}: {V.FIELD_LABELS[c.key]} changed on both sides; kept "
                                     f"{'the journal' if c.kept_side == 'journal' else 'the address book'}'s "
                                     f"{V.show_value(c.kept)}, the other ({V.show_value(c.other)}) is in the contact's notes")
        try:
            check_fields(merged)
        except UserError as exc:
            rep.problems.append(f"{filename}: {exc}; left alone")
            return
        new_hash = card.hash
        if merged != cf:
            text = V.patch_card(card.parse(), merged)
            new_hash = V.content_hash(text.encode("utf-8"))
            writes.append((folder / filename, text, label(merged)))
            rep.updated_there.append(label(merged))
        if jf is not None and merged != jf:
            ch.updates.append((cid, merged, jf))
            rep.updated_here.append(label(merged))
        ch.links.append((link_id, cid, uid, filename, new_hash, merged))

    # 3. pairs synced before
    for link in links:
        if link.uid in blocked or (link.uid not in cards and link.filename in left_alone):
            if link.contact_id:
                linked_cids.add(link.contact_id)
            continue
        card = cards.get(link.uid)
        entry = journal.get(link.contact_id) if link.contact_id is not None else None
        if entry is not None:
            linked_cids.add(link.contact_id)
        if card is None:
            ch.drop_links.append(link.id)
            if entry is not None and not entry.archived:
                ch.archive.append(link.contact_id)
                rep.archived.append(label(entry.raw))
            continue
        if entry is None:
            if delete and card.hash == link.card_hash:
                removes.append(folder / card.name)
                ch.drop_links.append(link.id)
                rep.deleted_files.append(card.name)
            elif delete:
                rep.notes.append(f"{card.name}: its contact was deleted in netjournal but the card changed "
                                 "since the last sync; kept")
            else:
                rep.notes.append(f"{card.name}: its contact was deleted in netjournal; the card is kept "
                                 "(sync with --delete to remove it)")
            continue
        same_card = card.hash == link.card_hash and card.name == link.filename
        if same_card and entry.digest == link.journal_hash:
            rep.unchanged += 1   # the fast path: neither side changed, nothing parsed
            continue
        base = link.base
        jf = entry.fields
        if same_card and jf == base:
            rep.unchanged += 1   # stored differently, same meaning: remember the new digest
            ch.links.append((link.id, link.contact_id, link.uid, link.filename, link.card_hash, base))
            continue
        if card.hash == link.card_hash:
            cf = base  # the card did not change since it was synced
            try:
                cf = card.parse().fields
            except (UnicodeDecodeError, V.CardError):
                pass
        else:
            cf = card.parse().fields
        settle(link.id, link.contact_id, link.uid, card, jf, cf, base, card.name)  # (a renamed file too)

    # 4. cards new in the folder: link by name to an unlinked contact, else a new contact
    unlinked_by_name: dict[str, list[int]] = defaultdict(list)
    new_uids = [uid for uid in cards if uid not in by_uid]
    if new_uids:
        for cid, entry in journal.items():
            if cid not in linked_cids and not entry.archived:
                unlinked_by_name[V.one_line(entry.raw["name"]).casefold()].append(cid)
    for uid in new_uids:
        card = cards[uid]
        cf = card.parse().fields
        if not cf["name"]:
            rep.problems.append(f"{card.name}: the card has no name, email or phone; left alone")
            continue
        same = unlinked_by_name.get(cf["name"].casefold(), [])
        if len(same) == 1:
            cid = same.pop()
            linked_cids.add(cid)
            rep.linked.append(cf["name"])
            settle(None, cid, uid, card, journal[cid].fields, cf, V.empty_fields(), card.name)
            continue
        try:
            check_fields(cf)
        except UserError as exc:
            rep.problems.append(f"{card.name}: {exc}; left alone")
            continue
        ch.creates.append((cf, uid, card.name, card.hash))
        rep.created_here.append(cf["name"])

    # 5. contacts new in the journal: a new card each
    taken = {e.name.lower() for e in entries}
    for cid, entry in journal.items():
        if cid in linked_cids or entry.archived:
            continue
        jf = entry.fields
        uid = V.new_uid()
        filename = V.file_name_for(uid)
        while filename.lower() in taken:
            uid = V.new_uid()
            filename = V.file_name_for(uid)
        taken.add(filename.lower())
        text = V.new_card(jf, uid)
        writes.append((folder / filename, text, jf["name"]))
        ch.links.append((None, cid, uid, filename, V.content_hash(text.encode("utf-8")), jf))
        rep.created_there.append(jf["name"])

    if dry_run:
        return rep
    cache.save()
    # 6. the cards first (each atomically), then the journal in one transaction
    try:
        write_cards([(path, text) for path, text, _what in writes])
    except OSError as exc:
        raise UserError(f"cannot write in {folder}: {exc.strerror}; nothing was changed") from None
    for path in removes:
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise UserError(f"cannot delete {path}: {exc.strerror}") from None
    if ch:
        apply_changes(db, key, ch)
    return rep
