"""Import contacts and conversations from other tools, in one transaction.

``import_path`` reads a file (or a folder of .vcf files) into records, matches each record
against the journal (by email, phone, profile URL, then exact name), and writes new contacts,
merges into existing ones (empty fields filled, new handles/tags/dates added, conflicting
values reported — never overwritten) and touches (LinkedIn messages), all inside ONE
``db.write()`` transaction. Matching is set-wise: the journal's handles and names are loaded
once into dictionaries, and rows are inserted with executemany, so 10,000 cards take a few
seconds.
"""
from __future__ import annotations

import re
import time as _time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from types import SimpleNamespace
from typing import Callable

from netjournal.errors import UserError
from netjournal.formats.records import ContactRecord, Problem, TouchRecord, name_key

__all__ = ["Problem", "ImportReport", "detect_format", "import_path", "IMPORT_FORMATS"]

IMPORT_FORMATS = ("vcard", "linkedin-connections", "linkedin-messages", "google-csv", "outlook-csv")
FORMAT_ALIASES = {
    "vcf": "vcard", "vcard": "vcard", "linkedin": "linkedin-connections", "connections": "linkedin-connections",
    "linkedin-connections": "linkedin-connections", "messages": "linkedin-messages",
    "linkedin-messages": "linkedin-messages", "google": "google-csv", "google-csv": "google-csv",
    "outlook": "outlook-csv", "outlook-csv": "outlook-csv",
}
# Handles that identify a person (a company website or an address does not).
MATCH_KINDS = frozenset({"email", "phone", "linkedin", "x", "github", "mastodon", "bluesky", "facebook", "instagram"})
CONTACT_COLUMNS = ("name", "given_name", "family_name", "nickname", "company", "role", "location", "met_how",
                   "met_on", "tier", "stage", "target_priority", "target_why", "target_offer", "rhythm_days",
                   "about", "interests", "ask_next", "kin", "archived")
FIELD_LABELS = {"given_name": "given name", "family_name": "family name", "met_how": "how you met",
                "met_on": "met on", "about": "notes", "ask_next": "ask about next time",
                "target_why": "target why", "target_offer": "target offer", "rhythm_days": "rhythm",
                "target_priority": "target priority"}
DEFAULTS = {"tier": "network", "stage": "attention", "kin": False, "archived": False}


@dataclass
class ImportReport:
    format: str
    added: int = 0
    merged: int = 0
    skipped: int = 0
    touches_added: int = 0
    touches_skipped: int = 0
    problems: list[Problem] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    dry_run: bool = False
    details: list[str] = field(default_factory=list)
    # False when --strict refused to write because of bad records (nothing was changed).
    written: bool = True
    owner: str = ""            # LinkedIn messages: whose export it is
    seconds: float = 0.0

    @property
    def bad_records(self) -> list[Problem]:
        return [p for p in self.problems if p.fatal]

    def summary(self) -> str:
        verb = "would add" if self.dry_run else "added"
        parts = [f"{verb} {self.added}", f"merged {self.merged}", f"skipped {self.skipped} (already there)"]
        if self.touches_added or self.touches_skipped or self.format == "linkedin-messages":
            parts.append(f"touches {'would add' if self.dry_run else 'added'} {self.touches_added}, "
                         f"skipped {self.touches_skipped}")
        if self.bad_records:
            parts.append(f"{len(self.bad_records)} unreadable record(s)")
        if not self.written:
            parts.append("nothing written (--strict)")
        return "; ".join(parts)


# ----------------------------------------------------------------------------- detection

def _vcf_files(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in (".vcf", ".vcard"))
    except OSError as exc:
        raise UserError(f"cannot read the folder {folder}: {exc.strerror or exc}") from None


def detect_format(path: Path) -> str:
    from netjournal.formats.textio import decode

    path = Path(path)
    if path.is_dir():
        if not _vcf_files(path):
            raise UserError(f"no .vcf files in the folder {path}")
        return "vcard"
    if not path.exists():
        raise UserError(f"no such file: {path}")
    try:
        with open(path, "rb") as fh:
            head = fh.read(65536)
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror or exc}") from None
    text, _ = decode(head)
    stripped = text.lstrip("\ufeff \t\r\n")
    up = stripped[:4000].upper()
    if up.startswith("BEGIN:VCARD") or "\nBEGIN:VCARD" in up[:2000]:
        return "vcard"
    if up.startswith("BEGIN:VCALENDAR"):
        raise UserError(f"{path.name} is an iCalendar file: netjournal imports contacts (vCard, CSV), not calendars")
    if stripped.startswith("{") and "netjournal-backup" in stripped[:2000]:
        raise UserError(f"{path.name} is a netjournal backup: use `netjournal restore {path}`")
    if head.startswith(b"SQLite format 3\x00"):
        raise UserError(f"{path.name} is a netjournal/SQLite journal: use `netjournal restore {path}`")
    lines = [ln.strip().lstrip("\ufeff").lower() for ln in stripped.splitlines()[:25]]
    for ln in lines:
        cells = [c.strip().strip('"').strip() for c in re.split(r"[,;\t]", ln)]
        if "conversation id" in cells:
            return "linkedin-messages"
        if "first name" in cells and "last name" in cells and ("connected on" in cells or "url" in cells):
            return "linkedin-connections"
        if any(re.fullmatch(r"e-mail \d+ - (value|label|type)", c) for c in cells) or \
                ("given name" in cells and "family name" in cells) or "labels" in cells or "group membership" in cells:
            return "google-csv"
        if any(c in cells for c in ("e-mail address", "job title", "business phone", "mobile phone", "vorname",
                                    "e-mail-adresse", "prénom", "adresse de messagerie")):
            return "outlook-csv"
        if "first name" in cells and "last name" in cells and "company" in cells and "position" in cells:
            return "linkedin-connections"
    if lines and lines[0].rstrip(",") == "notes:":
        return "linkedin-connections"
    raise UserError(f"cannot tell the format of {path.name}: use --format "
                    f"({', '.join(IMPORT_FORMATS)})")


# ----------------------------------------------------------------------------- reading

def _read(path: Path, fmt: str, label: str):
    from netjournal.formats import csvformats, vcard
    from netjournal.formats.textio import read_text

    text = read_text(path)
    if fmt == "vcard":
        recs, probs = vcard.read_vcards(text, label)
        return recs, [], probs, {}
    if fmt == "linkedin-connections":
        recs, probs = csvformats.read_linkedin_connections(text, label)
        return recs, [], probs, {}
    if fmt == "linkedin-messages":
        touches, probs, info = csvformats.read_linkedin_messages(text, label)
        return [], touches, probs, info
    if fmt == "google-csv":
        recs, probs = csvformats.read_google(text, label)
        return recs, [], probs, {}
    if fmt == "outlook-csv":
        recs, probs = csvformats.read_outlook(text, label)
        return recs, [], probs, {}
    raise UserError(f"unknown import format {fmt!r} (one of: {', '.join(IMPORT_FORMATS)})")


# ----------------------------------------------------------------------------- planning

@dataclass
class Target:
    """A contact the import writes to: an existing one (id) or a new one (id None until written)."""

    id: int | None
    fields: dict
    handle_norms: set = field(default_factory=set)
    tags: set = field(default_factory=set)
    dates: set = field(default_factory=set)          # (kind, month, day, year, label)
    new_handles: list = field(default_factory=list)  # (kind, value, label, norm)
    new_tags: list = field(default_factory=list)
    new_dates: list = field(default_factory=list)
    changed: dict = field(default_factory=dict)      # filled fields of an existing contact
    status: str = "skipped"                          # added | merged | skipped
    seen_in_file: bool = False

    @property
    def name(self) -> str:
        return self.fields["name"]


class Matcher:
    """The journal's identities in memory: (kind, norm) and exact names to contacts."""

    def __init__(self, s, *, load: bool = True):
        self.by_handle: dict[tuple[str, str], Target] = {}
        self.by_name: dict[str, list[Target]] = defaultdict(list)
        self.targets: dict[int, Target] = {}
        self.new: list[Target] = []
        if load:
            self._load(s)

    def _load(self, s) -> None:
        import sqlalchemy as sa

        from netjournal.store.models import Contact, ContactTag, Handle, ImportantDate

        cols = [getattr(Contact, c) for c in CONTACT_COLUMNS]
        for row in s.execute(sa.select(Contact.id, *cols).order_by(Contact.id)).all():
            t = Target(int(row[0]), dict(zip(CONTACT_COLUMNS, row[1:])))
            self.targets[t.id] = t
            self.by_name[name_key(t.name)].append(t)
        for cid, kind, norm in s.execute(sa.select(Handle.contact_id, Handle.kind, Handle.norm).order_by(Handle.id)).all():
            t = self.targets.get(cid)
            if t is None:
                continue
            t.handle_norms.add((kind, norm))
            if kind in MATCH_KINDS and _matchable(kind, norm):
                self.by_handle.setdefault((kind, norm), t)
        for cid, tag in s.execute(sa.select(ContactTag.contact_id, ContactTag.tag)).all():
            if cid in self.targets:
                self.targets[cid].tags.add(tag)
        for cid, kind, m, d, y, lab in s.execute(sa.select(
                ImportantDate.contact_id, ImportantDate.kind, ImportantDate.month, ImportantDate.day,
                ImportantDate.year, ImportantDate.label)).all():
            if cid in self.targets:
                self.targets[cid].dates.add((kind, m, d, y, lab))

    def find(self, fields: dict, handles: list) -> tuple[Target | None, list[Target]]:
        hits: list[Target] = []
        for kind, _value, _label, norm in handles:
            if kind in MATCH_KINDS and _matchable(kind, norm):
                t = self.by_handle.get((kind, norm))
                if t is not None and t not in hits:
                    hits.append(t)
        if hits:
            return hits[0], hits[1:]
        same = self.by_name.get(name_key(fields["name"]))
        if same:
            return same[0], []
        return None, []

    def register(self, t: Target, handles: list) -> None:
        for kind, _v, _l, norm in handles:
            if kind in MATCH_KINDS and _matchable(kind, norm):
                self.by_handle.setdefault((kind, norm), t)
        key = name_key(t.name)
        if t not in self.by_name[key]:
            self.by_name[key].append(t)


def _matchable(kind: str, norm: str) -> bool:
    if not norm:
        return False
    if kind == "phone":
        return sum(ch.isdigit() for ch in norm) >= 7
    return True


def _extra_fields(rec: ContactRecord, problems: list[Problem]) -> dict:
    """netjournal's own fields from our vCard export (X-NETJOURNAL-*), typed."""
    out: dict = {}
    for key, raw in rec.extra.items():
        raw = raw.strip() if key not in ("target_why", "target_offer", "interests", "ask_next") else raw
        try:
            if key == "met_on":
                out[key] = date.fromisoformat(raw) if raw else None
            elif key in ("kin", "archived"):
                out[key] = raw.lower() in ("1", "true", "yes")
            elif key in ("target_priority", "rhythm_days"):
                out[key] = int(raw) if raw else None
            else:
                out[key] = raw
        except ValueError:
            problems.append(Problem(rec.source, rec.line, f"{key.replace('_', ' ')} {raw!r} not understood; ignored",
                                    fatal=False))
    return out


def clean_record(rec: ContactRecord, problems: list[Problem]) -> tuple[dict, list, list, list] | None:
    """Validated (fields, handles, tags, dates) of a record, or None (a fatal problem is added)."""
    from netjournal.store import api
    from netjournal.store import validate as v

    raw = {"name": rec.name, "given_name": rec.given_name, "family_name": rec.family_name,
           "nickname": rec.nickname, "company": rec.company, "role": rec.role, "location": rec.location,
           "met_how": rec.met_how, "met_on": rec.met_on, "about": rec.about}
    raw.update(_extra_fields(rec, problems))
    for key in ("company", "role", "location", "met_how", "nickname", "given_name", "family_name"):
        val = raw.get(key)
        if isinstance(val, str) and len(val) > (200 if key in ("nickname", "given_name", "family_name") else 500):
            rec.add_note(f"{FIELD_LABELS.get(key, key).capitalize()}: {val}")
            raw["about"] = rec.about
            raw[key] = ""
            problems.append(Problem(rec.source, rec.line, f"{FIELD_LABELS.get(key, key)} too long; kept in the notes",
                                    fatal=False))
    try:
        fields = api.clean_contact_fields(raw)
    except UserError as exc:
        problems.append(Problem(rec.source, rec.line, f"{rec.name[:60]!r}: {exc.message}; skipped"))
        return None
    handles, seen = [], set()
    for kind, value, label in rec.handles:
        try:
            k, val, lab = api._clean_handle(kind, value, label[:100])
        except UserError as exc:
            problems.append(Problem(rec.source, rec.line, f"{fields['name']}: a {kind} was not kept ({exc.message})",
                                    fatal=False))
            continue
        norm = v.handle_norm(k, val)
        if (k, norm) in seen:
            continue
        seen.add((k, norm))
        handles.append((k, val, lab, norm))
    tags = []
    for t in rec.tags:
        try:
            tag = v.tag(t)
        except UserError:
            continue
        if tag not in tags:
            tags.append(tag)
    dates = []
    for kind, mon, day, year, label in rec.dates:
        try:
            d = api._clean_date(kind, mon, day, year, label)
        except UserError as exc:
            problems.append(Problem(rec.source, rec.line, f"{fields['name']}: {exc.message}; date not kept", fatal=False))
            continue
        if d not in dates:
            dates.append(d)
    return fields, handles, tags, dates


def _same(a, b) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()
    return a == b


def _is_empty(key: str, value) -> bool:
    if key in DEFAULTS:
        return value == DEFAULTS[key] or value is None
    return value is None or value == ""


def plan_record(m: Matcher, rec: ContactRecord, cleaned, report: ImportReport, *, quiet: bool = False) -> Target:
    fields, handles, tags, dates = cleaned
    target, others = m.find(fields, handles)
    if target is None:
        t = Target(None, {**{k: DEFAULTS.get(k, "" if k not in ("met_on", "target_priority", "rhythm_days") else None)
                             for k in CONTACT_COLUMNS}, **fields})
        t.status = "added"
        t.seen_in_file = True
        for h in handles:
            t.new_handles.append(h)
            t.handle_norms.add((h[0], h[3]))
        t.new_tags = list(tags)
        t.tags = set(tags)
        for d in dates:
            t.new_dates.append(d)
            t.dates.add(d)
        m.new.append(t)
        m.register(t, handles)
        bits = [f"{len(handles)} handle(s)" if handles else "", f"{len(dates)} date(s)" if dates else "",
                ("tags " + ", ".join(tags)) if tags else ""]
        extra = ", ".join(b for b in bits if b)
        report.details.append(f"add    {t.name}" + (f" ({extra})" if extra else "") + _where(rec))
        return t
    who = f"{target.name}" + (f" (#{target.id})" if target.id else "")
    if others:
        report.conflicts.append(f"{fields['name']}{_where(rec)} matches several contacts ({who}, "
                                + ", ".join(f"{o.name}" + (f" #{o.id}" if o.id else "") for o in others)
                                + f"): merged into {who} only")
    added: list[str] = []
    for key, val in fields.items():
        if key == "name":
            if re.sub(r"\W+", "", val).casefold() != re.sub(r"\W+", "", target.name).casefold():
                report.conflicts.append(f"{who}: name kept; {_where(rec, 'the file')} calls them {val!r}")
            continue
        if _is_empty(key, val):
            continue
        cur = target.fields.get(key)
        if _is_empty(key, cur):
            target.fields[key] = val
            if target.id is not None:
                target.changed[key] = val
            added.append(FIELD_LABELS.get(key, key.replace("_", " ")))
        elif _same(cur, val):
            continue
        elif key in ("about", "interests", "ask_next", "target_why", "target_offer") and \
                " ".join(val.split()).casefold() in " ".join(cur.split()).casefold():
            continue
        else:
            shown = val if not isinstance(val, str) or len(val) < 80 else val[:77] + "…"
            report.conflicts.append(f"{who}: {FIELD_LABELS.get(key, key.replace('_', ' '))} kept; "
                                    f"{_where(rec, 'the file')} has {shown!r}")
    for h in handles:
        if (h[0], h[3]) not in target.handle_norms:
            target.handle_norms.add((h[0], h[3]))
            target.new_handles.append(h)
            added.append(f"{h[0]} {h[1]}")
    m.register(target, handles)
    for tag in tags:
        if tag not in target.tags:
            target.tags.add(tag)
            target.new_tags.append(tag)
            added.append(f"tag {tag}")
    for d in dates:
        kind, mon, day, year, label = d
        if any((k, mm, dd, lab) == (kind, mon, day, label) for k, mm, dd, _y, lab in target.dates):
            continue
        if kind == "birthday" and any(k == "birthday" for k, *_ in target.dates):
            old = next(x for x in target.dates if x[0] == "birthday")
            report.conflicts.append(f"{who}: birthday kept ({_fmt_date(old)}); "
                                    f"{_where(rec, 'the file')} has {_fmt_date(d)}")
            continue
        target.dates.add(d)
        target.new_dates.append(d)
        added.append(f"{kind} {_fmt_date(d)}")
    if added:
        if target.status == "skipped":
            target.status = "merged"
        report.details.append(f"merge  {who}: + " + ", ".join(added) + _where(rec))
    elif not quiet:
        report.details.append(f"skip   {who}: already there" + _where(rec))
    if not added and not quiet:
        report.skipped += 1  # a record that brought nothing new (also a duplicate within the file)
    return target


def _fmt_date(d) -> str:
    kind, mon, day, year, label = d
    return (f"{year:04d}-" if year else "--") + f"{mon:02d}-{day:02d}"


def _where(rec, prefix: str = "") -> str:
    if prefix:
        return f"{prefix} ({rec.source}:{rec.line})" if rec.line else f"{prefix} ({rec.source})"
    return f"  [{rec.source}:{rec.line}]" if rec.line else ""


# ----------------------------------------------------------------------------- writing

def _write(s, m: Matcher, touches: list, report: ImportReport, progress, done: int, total: int) -> None:
    import sqlalchemy as sa

    from netjournal.store import api
    from netjournal.store.models import Contact, ContactTag, Handle, ImportantDate, SearchDoc

    now = datetime.now(timezone.utc)
    ctab = Contact.__table__
    if m.new:
        rows = []
        for t in m.new:
            row = {k: t.fields.get(k) for k in CONTACT_COLUMNS}
            for k in ("target_why", "target_offer", "about", "interests", "ask_next"):
                row[k] = row[k] or ""
            row.update(created_at=now, updated_at=now, state_json=None, last_touch_on=None, touch_count=0)
            rows.append(row)
        for i in range(0, len(rows), 2000):
            chunk = rows[i:i + 2000]
            res = s.execute(sa.insert(ctab).returning(ctab.c.id, sort_by_parameter_order=True), chunk)
            for t, rid in zip(m.new[i:i + 2000], res.scalars().all()):
                t.id = int(rid)
            if progress:
                progress(min(total, done + i + len(chunk)), total)
    handle_rows, tag_rows, date_rows = [], [], []
    changed_ids = []
    for t in list(m.new) + [t for t in m.targets.values() if t.status == "merged"]:
        for kind, value, label, norm in t.new_handles:
            handle_rows.append({"contact_id": t.id, "kind": kind, "value": value, "label": label, "norm": norm})
        for tag in t.new_tags:
            tag_rows.append({"contact_id": t.id, "tag": tag})
        for kind, mon, day, year, label in t.new_dates:
            date_rows.append({"contact_id": t.id, "kind": kind, "month": mon, "day": day, "year": year, "label": label})
        if t.status == "merged":
            changed_ids.append(t.id)
            if t.changed:
                s.execute(sa.update(ctab).where(ctab.c.id == t.id).values(**t.changed, updated_at=now))
    if handle_rows:
        s.execute(sa.insert(Handle.__table__), handle_rows)
    if tag_rows:
        s.execute(sa.insert(ContactTag.__table__), tag_rows)
    if date_rows:
        s.execute(sa.insert(ImportantDate.__table__), date_rows)
    # Search documents: new contacts in bulk, merged ones through the store's indexer.
    docs = []
    handles_of: dict[int, list[str]] = defaultdict(list)
    for r in handle_rows:
        handles_of[r["contact_id"]].append(r["value"])
    for t in m.new:
        title, body = api.contact_doc_text(SimpleNamespace(**t.fields), handles_of.get(t.id, []), sorted(t.tags))
        docs.append({"kind": "contact", "ref_id": t.id, "contact_id": t.id, "day": None, "title": title, "body": body})
    for i in range(0, len(docs), 5000):
        s.execute(sa.insert(SearchDoc.__table__), docs[i:i + 5000])
    for cid in changed_ids:
        api._index_contact(s, cid)
    if touches:
        _write_touches(s, touches, report)


def _write_touches(s, touches: list, report: ImportReport) -> None:
    from netjournal.store import api
    from netjournal.store.models import Touch, TouchContact

    import sqlalchemy as sa

    objs = []
    for tr, target_ids in touches:
        t = Touch(occurred_on=tr.day, occurred_time=tr.at, channel=tr.channel, platform=tr.platform,
                  direction=tr.direction, summary=tr.summary, notes=tr.notes, value_given="", source=tr.source)
        objs.append((t, list(target_ids)))
    s.add_all([t for t, _ in objs])
    s.flush()
    links = [{"touch_id": t.id, "contact_id": cid} for t, ids in objs for cid in ids]
    if links:
        s.execute(sa.insert(TouchContact.__table__), links)
    affected = set()
    for t, ids in objs:
        api._index_touch(s, t, ids)
        affected.update(ids)
    s.flush()
    for cid in sorted(affected):
        api._rebuild_state(s, cid)


# ----------------------------------------------------------------------------- the import

def import_path(db, path: Path, *, fmt: str | None = None, dry_run: bool = False, strict: bool = False,
                today: date, progress: Callable[[int, int], None] | None = None) -> ImportReport:
    """Import a file or a folder of .vcf files. See the module docstring."""
    started = _time.perf_counter()
    path = Path(path)
    if fmt is not None:
        key = fmt.strip().lower()
        if key not in FORMAT_ALIASES:
            raise UserError(f"unknown import format {fmt!r} (one of: {', '.join(IMPORT_FORMATS)})")
        fmt = FORMAT_ALIASES[key]
    else:
        fmt = detect_format(path)
    if path.is_dir():
        if fmt != "vcard":
            raise UserError("a folder can only be imported as vCards (.vcf files)")
        files = [(p, str(p.relative_to(path))) for p in _vcf_files(path)]
        if not files:
            raise UserError(f"no .vcf files in the folder {path}")
    elif path.exists():
        files = [(path, path.name)]
    else:
        raise UserError(f"no such file: {path}")

    report = ImportReport(format=fmt, dry_run=dry_run)
    records: list[ContactRecord] = []
    touch_recs: list[TouchRecord] = []
    for p, label in files:
        try:
            recs, touches, probs, info = _read(p, fmt, label)
        except UserError as exc:
            report.problems.append(Problem(label, None, exc.message))
            continue
        except Exception as exc:  # noqa: BLE001 - one unreadable file never stops the rest
            report.problems.append(Problem(label, None, f"could not read the file ({type(exc).__name__}: {exc})"))
            continue
        records.extend(recs)
        touch_recs.extend(touches)
        report.problems.extend(probs)
        if info.get("owner"):
            report.owner = info["owner"]
    total = len(records) + len(touch_recs) + len(records)
    if progress:
        progress(0, total)

    try:
        ctx = db.read() if dry_run else db.write()
        with ctx as s:
            m = Matcher(s)
            for i, rec in enumerate(records):
                cleaned = clean_record(rec, report.problems)
                if cleaned is not None:
                    plan_record(m, rec, cleaned, report)
                if progress and i % 500 == 499:
                    progress(i + 1, total)
            planned_touches = _plan_touches(s, m, touch_recs, report)
            report.added = len(m.new)
            report.merged = sum(1 for t in m.targets.values() if t.status == "merged")
            if strict and report.bad_records:
                report.written = False
                report.details.append(f"nothing written: --strict and {len(report.bad_records)} unreadable record(s)")
                return _finish(report, started)
            if not dry_run:
                _write(s, m, planned_touches, report, progress, len(records), total)
            if progress:
                progress(total, total)
    except UserError:
        raise
    except Exception as exc:  # noqa: BLE001 - the transaction was rolled back; say so in one line
        raise UserError(f"the import failed and nothing was written ({type(exc).__name__}: "
                        f"{str(exc).splitlines()[0] if str(exc) else ''})") from exc
    return _finish(report, started)


def _finish(report: ImportReport, started: float) -> ImportReport:
    if not report.written:
        report.added = report.merged = report.skipped = report.touches_added = 0
    report.seconds = _time.perf_counter() - started
    return report


def _plan_touches(s, m: Matcher, touch_recs: list[TouchRecord], report: ImportReport) -> list:
    if not touch_recs:
        return []
    import sqlalchemy as sa

    from netjournal.store.models import Touch

    sources = [t.source for t in touch_recs]
    existing: set[str] = set()
    for i in range(0, len(sources), 500):
        existing.update(s.execute(sa.select(Touch.source).where(Touch.source.in_(sources[i:i + 500]))).scalars())
    planned = []
    people: dict[tuple[str, str], Target] = {}
    for tr in touch_recs:
        if tr.source in existing:
            report.touches_skipped += 1
            continue
        existing.add(tr.source)
        targets: list[Target] = []
        for name, url in tr.participants:
            key = (name, url)
            t = people.get(key)
            if t is None:
                rec = ContactRecord(source=tr.source.split(":")[0], line=tr.line, name=name or _name_from_url(url))
                if url:
                    rec.add_handle("linkedin", url)
                cleaned = clean_record(rec, report.problems)
                if cleaned is None:
                    continue
                t = plan_record(m, rec, cleaned, report, quiet=True)
                people[key] = t
            if t not in targets:
                targets.append(t)
        if not targets:
            report.problems.append(Problem(tr.source, tr.line, "a conversation with nobody but you: skipped"))
            continue
        report.touches_added += 1
        report.details.append(f"touch  {tr.day.isoformat()} {tr.direction:<6} "
                              f"{', '.join(t.name for t in targets)}: {tr.summary[:60]}")
        planned.append((tr, targets))
    return [(tr, _Ids(targets)) for tr, targets in planned]


class _Ids:
    """Contact ids of a planned touch, resolved after the new contacts are inserted."""

    def __init__(self, targets: list[Target]):
        self.targets = targets

    def __iter__(self):
        return iter([t.id for t in self.targets])


def _name_from_url(url: str) -> str:
    slug = url.rstrip("/").rsplit("/", 1)[-1]
    slug = re.sub(r"-[0-9a-f]{4,}$", "", slug)
    return " ".join(w.capitalize() for w in slug.replace("_", "-").split("-") if w) or url
