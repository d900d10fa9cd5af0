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
from datetime import date
from datetime import timedelta as _timedelta
from pathlib import Path
from typing import Callable

from netjournal.errors import UserError
from netjournal.textsafe import translate_table
from netjournal.formats.records import ContactRecord, Person, Problem, TouchRecord, name_key

__all__ = ["Problem", "ImportReport", "detect_format", "import_path"]  # format names: formats.registry

# Handles that identify a person (a company website or an address does not).
MATCH_KINDS = frozenset({"email", "phone", "linkedin", "x", "github", "mastodon", "bluesky", "facebook", "instagram"})
from netjournal.store.imports import CONTACT_COLUMNS  # noqa: E402 - one list, the store's
FIELD_LABELS = {"given_name": "given name", "family_name": "family name", "met_how": "how you met",
                "met_on": "met on", "about": "notes", "ask_next": "ask about next time",
                "target_why": "target why", "target_offer": "target offer", "rhythm_days": "rhythm",
                "target_priority": "target priority"}
CONTACT_ONLY = frozenset({"vcard", "linkedin-connections", "google-csv", "outlook-csv"})
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
    followups_added: int = 0
    followups_moved: int = 0       # calendars: a meeting moved since the last import
    followups_cancelled: int = 0   # calendars: a meeting the organizer called off
    skipped_why: dict = field(default_factory=dict)   # reason -> count (mailing lists, bots, …)
    notes: list[str] = field(default_factory=list)    # e.g. "your address was guessed: …"
    per_contact: dict = field(default_factory=dict)   # contact name -> [touches, follow-ups]
    # Names that matched no contact and were never decided: {name, scope, key, messages, days},
    # most messages first (the TUI asks who they are; the CLI lists them for --map).
    unknown: list = field(default_factory=list)

    def skip(self, reason: str, n: int = 1) -> None:
        self.skipped_why[reason] = self.skipped_why.get(reason, 0) + n

    @property
    def changes(self) -> int:
        """How many things the import writes (or would): contacts, touches, follow-ups."""
        return (self.added + self.merged + self.touches_added + self.followups_added + self.followups_moved
                + self.followups_cancelled)

    @property
    def bad_records(self) -> list[Problem]:
        return [p for p in self.problems if p.fatal]

    def summary(self) -> str:
        verb = "would add" if self.dry_run else "added"
        parts = [f"{verb} {self.added}", f"merged {self.merged}", f"skipped {self.skipped} (already there)"]
        if self.touches_added or self.touches_skipped or self.format not in CONTACT_ONLY:
            parts.append(f"touches {'would add' if self.dry_run else 'added'} {self.touches_added}, "
                         f"skipped {self.touches_skipped} (already there)")
        if self.followups_added:
            parts.append(f"follow-ups {'would add' if self.dry_run else 'added'} {self.followups_added}")
        if self.followups_moved:
            parts.append(f"follow-ups {'would move' if self.dry_run else 'moved'} {self.followups_moved}")
        if self.followups_cancelled:
            parts.append(f"follow-ups {'would cancel' if self.dry_run else 'cancelled'} {self.followups_cancelled}")
        if self.bad_records:
            parts.append(f"{len(self.bad_records)} unreadable record(s)")
        if not self.written:
            parts.append("nothing written (--strict)")
        return "; ".join(parts)


# ----------------------------------------------------------------------------- detection

def detect_format(path: Path) -> str:
    """The name of the registered reader for a file or folder (see :mod:`registry`)."""
    from netjournal.formats import registry

    return registry.detect(Path(path)).name


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
        from netjournal.store import imports

        contacts, handles, tags, dates = imports.identities(s)
        for row in contacts:
            t = Target(int(row[0]), dict(zip(CONTACT_COLUMNS, row[1:])))
            self.targets[t.id] = t
            self.by_name[name_key(t.name)].append(t)
        for cid, kind, norm in handles:
            t = self.targets.get(cid)
            if t is None:
                continue
            t.handle_norms.add((kind, norm))
            if kind in MATCH_KINDS and _matchable(kind, norm):
                self.by_handle.setdefault((kind, norm), t)
        for cid, tag in tags:
            if cid in self.targets:
                self.targets[cid].tags.add(tag)
        for cid, kind, m, d, y, lab in dates:
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
    from netjournal.store import imports
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
        fields = imports.clean_contact_fields(raw)
    except UserError as exc:
        problems.append(Problem(rec.source, rec.line, f"{rec.name[:60]!r}: {exc.message}; skipped"))
        return None
    handles, seen = [], set()
    for kind, value, label in rec.handles:
        try:
            k, val, lab = imports.clean_handle(kind, value, label[:100])
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
            d = imports.clean_date(kind, mon, day, year, label)
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

def import_path(db, path: Path, *, fmt: str | None = None, dry_run: bool = False, strict: bool = False,
                today: date, progress: Callable[[int, int], None] | None = None,
                me_emails=(), me_names=(), max_recipients: int = 10, add_people: bool = False,
                since: date | None = None, names: dict | None = None, future: bool = False) -> ImportReport:
    """Import a file or a folder (vCards, a Maildir). See the module docstring.

    ``names`` maps a name as a chat or calendar spells it (or an address) to a contact id, or to
    ``"new"``, ``"skip"`` or ``"me"`` (``--map``, the TUI's "who is who?"). A written import
    remembers these choices (``import_name``); later imports use them without being told.

    A touch dated after tomorrow is refused and named (a broken timestamp would otherwise set the
    contact's "last touch" in the future) unless ``future`` (``--future``) says it is meant.
    """
    from netjournal.formats import registry

    started = _time.perf_counter()
    path = Path(path)
    if not path.exists():
        raise UserError(f"no such file: {path}")
    reader = registry.get(fmt) if fmt is not None else registry.detect(path)
    if path.is_dir() and not reader.folders:
        raise UserError(f"a folder cannot be imported as {reader.name}")
    from netjournal.store import imports as _store_imports

    names = dict(names or {})
    with db.read() as s:
        remembered = {(sc, k): (a, cid) for sc, k, a, cid in _store_imports.remembered_names(s)}
    me_names = [*me_names, *(n for n, v in names.items() if v == "me")]
    me_keys = {k for (sc, k), (a, _c) in remembered.items() if a == "me" and sc != "email"}
    me_emails = [*me_emails, *(k for (sc, k), (a, _c) in remembered.items() if a == "me" and sc == "email")]
    opts = registry.ReadOptions(today=today, me_emails=frozenset(e.strip().lower() for e in me_emails if e.strip()),
                                me_names=frozenset({*(name_key(n) for n in me_names if n.strip()), *me_keys}),
                                max_recipients=max_recipients, add_people=add_people, since=since)
    report = ImportReport(format=reader.name, dry_run=dry_run)
    try:
        res = reader.read(path, path.name, opts)
    except UserError as exc:
        res = registry.ReadResult(problems=[Problem(path.name, None, exc.message)])
    except Exception as exc:  # noqa: BLE001 - an unreadable file is a problem line, never a traceback
        res = registry.ReadResult(problems=[Problem(path.name, None,
                                                    f"could not read the file ({type(exc).__name__}: {exc})")])
    records: list[ContactRecord] = res.contacts
    touch_recs: list[TouchRecord] = res.touches
    follow_recs = res.followups
    report.problems.extend(res.problems)
    report.owner = res.owner
    report.notes.extend(res.notes)
    for k, n in res.skipped.items():
        report.skip(k, n)
    if not future:
        latest = today + _timedelta(days=1)
        for t in touch_recs:
            if t.day > latest:
                report.problems.append(Problem(t.source, t.line, f"dated {t.day.isoformat()}, after tomorrow: "
                                                                 "skipped (--future imports it)"))
        touch_recs = [t for t in touch_recs if t.day <= latest]
    if since is not None:
        kept = [t for t in touch_recs if t.day >= since]
        if len(kept) != len(touch_recs):
            report.skip(f"before {since.isoformat()} (--since)", len(touch_recs) - len(kept))
        touch_recs = kept
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
            finder = _PersonFinder(m, report, names, remembered)
            finder.choose_me(names, {(t.platform or "chat")[:20] for t in touch_recs})
            planned_touches = _plan_touches(s, m, touch_recs, report, finder)
            planned_followups, moves = _plan_followups(s, m, follow_recs, report, finder, today)
            cancels = _plan_cancels(s, res.cancels, report)
            report.unknown = finder.unknown_list()
            for n, v in names.items():
                if v != "me" and name_key(n) not in finder.used:
                    report.problems.append(Problem(path.name, None, f"--map {n[:80]!r}: nobody of that name or "
                                                                    "address in this file; not used", fatal=False))
            report.added = len(m.new)
            report.merged = sum(1 for t in m.targets.values() if t.status == "merged")
            if strict and report.bad_records:
                report.written = False
                report.details.append(f"nothing written: --strict and {len(report.bad_records)} unreadable record(s)")
                return _finish(report, started)
            if not dry_run:
                from netjournal.store import imports

                imports.write_contacts(s, m, planned_touches, progress, len(records), total)
                if planned_followups:
                    imports.write_followups(s, planned_followups)
                for fid, day, at in moves:
                    imports.move_followup(s, fid, day, at)
                if cancels:
                    imports.cancel_followups(s, cancels)
                imports.remember_names(s, finder.remember_rows())
                if finder.relinks:
                    linked = imports.link_existing_touches(s, [(src, t.id) for src, t in finder.relinks])
                    for name, n in sorted(linked.items()):
                        report.notes.append(f"{name}: added to {n} conversation(s) imported earlier without them")
            elif finder.relinks:
                names_ = sorted({t.name for _src, t in finder.relinks})
                report.notes.append(f"{', '.join(names_)}: would be added to {len(finder.relinks)} conversation(s) "
                                    "imported earlier without them")
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
        report.added = report.merged = report.skipped = report.touches_added = report.followups_added = 0
        report.followups_moved = report.followups_cancelled = 0
    report.seconds = _time.perf_counter() - started
    return report


class _PersonFinder:
    """Finds the contact for a :class:`Person`: the user's choices (``--map`` or the TUI's "who is
    who?"), then what they said before (``import_name``), then handles, then exact name if allowed.

    A choice is a contact id, ``"new"`` (add them), ``"skip"`` or ``"me"``. Names that match
    nobody and were never decided are collected in ``unknown`` (with their messages and days) so
    the TUI can ask once; the choices used are kept in ``chosen`` to be remembered."""

    def __init__(self, m: Matcher, report: ImportReport, names: dict, remembered: dict | None = None):
        from netjournal.store import validate as v

        self.m, self.report, self.v = m, report, v
        self.names = {name_key(k): cid for k, cid in names.items()}
        self.remembered = remembered or {}
        self.cache: dict = {}
        self.unknown: dict[tuple[str, str], list] = {}    # (scope, key) -> [name, messages, days]
        self.chosen: dict[tuple[str, str], tuple] = {}    # (scope, key) -> (name, action, Target | None)
        self.used: set[str] = set()                       # keys of ``names`` a participant matched
        self.relinks: list[tuple[str, Target]] = []       # (touch source, contact) of touches imported earlier

    @staticmethod
    def scope_key(p: Person, platform: str) -> tuple[str, str]:
        """(scope, key) as ``import_name`` stores them: cut to its columns here, once."""
        for kind, value in p.handles:
            if kind == "email":
                return "email", value.strip().lower()[:300]
        return (platform or "chat")[:20], name_key(p.name)[:300]

    def find(self, p: Person, count: bool = True, platform: str = "") -> Target | None:
        sk = self.scope_key(p, platform)
        key = (sk, p.name, tuple(p.handles), p.match_name, p.create)
        if key in self.cache:
            t, state = self.cache[key]
        else:
            t, state = self._find(p, sk)
            self.cache[key] = (t, state)
        if t is None and count:
            if state == "skip":
                self.report.skip("names you chose to skip")
            elif state == "unknown":
                self.report.skip("unknown correspondents (not contacts: --add-people or --map adds them)")
                if sk[1]:
                    u = self.unknown.setdefault(sk, [p.name or sk[1], 0, 0])
                    u[1] += p.messages
                    u[2] += 1
        return t

    def _choice(self, p: Person, sk: tuple[str, str]):
        for k in (name_key(p.name), sk[1]):
            if k and k in self.names:
                self.used.add(k)
                return self.names[k]
        return None

    def _find(self, p: Person, sk: tuple[str, str]) -> tuple[Target | None, str]:
        choice = self._choice(p, sk)
        if choice is not None:
            if choice in ("skip", "me"):
                self.chosen[sk] = (p.name or sk[1], choice, None)
                return None, choice if choice == "skip" else "me"
            if choice == "new":
                t = self._create(p)
                if t is not None:
                    self.chosen[sk] = (p.name or sk[1], "contact", t)
                return t, "found" if t is not None else "unknown"
            t = self.m.targets.get(choice)
            if t is not None:
                self.chosen[sk] = (p.name or sk[1], "contact", t)
                return t, "found"
        rem = self.remembered.get(sk)
        if rem is not None:
            action, cid = rem
            if action == "skip":
                return None, "skip"
            if action == "me":
                return None, "me"
            t = self.m.targets.get(cid)
            if t is not None:
                return t, "found"
        nk = name_key(p.name)
        for kind, value in p.handles:
            norm = self.v.handle_norm(kind, value)
            if kind in MATCH_KINDS and _matchable(kind, norm):
                t = self.m.by_handle.get((kind, norm))
                if t is not None:
                    return t, "found"
        if p.match_name and nk:
            same = self.m.by_name.get(nk)
            if same and len(same) == 1:
                return same[0], "found"
        if p.create:
            t = self._create(p)
            return t, "found" if t is not None else "unknown"
        return None, "unknown"

    def _create(self, p: Person) -> Target | None:
        from netjournal import vocab

        name = p.name or (p.handles[0][1] if p.handles else "")
        if len(name) > vocab.MAX_NAME:   # a name told "new" is made, shortened, not refused on every import
            short = name[:vocab.MAX_NAME - 1].rstrip() + "…"
            self.report.notes.append(f"{short[:60]}…: a name of {len(name)} characters, made a contact under "
                                     f"its first {vocab.MAX_NAME - 1} (rename it with edit)")
            name = short
        rec = ContactRecord(source="import", name=name)
        for kind, value in p.handles:
            rec.add_handle(kind, value)
        cleaned = clean_record(rec, self.report.problems)
        if cleaned is None:
            return None
        return plan_record(self.m, rec, cleaned, self.report, quiet=True)

    def unknown_list(self) -> list[dict]:
        out = [{"name": n, "scope": sc, "key": k, "messages": msgs, "days": days}
               for (sc, k), (n, msgs, days) in self.unknown.items()]
        out.sort(key=lambda u: (-u["messages"], -u["days"], u["name"].casefold()))
        return out

    def choose_me(self, names: dict, platforms: set[str]) -> None:
        """"That's me" (``--map NAME=me``): the reader already left them out; remember it for
        every scope they may be met in (keys cut as :meth:`scope_key` cuts them)."""
        for n, v in names.items():
            key = name_key(n)[:300]
            if v == "me" and key:
                for sc in ({"email"} if "@" in key else platforms):
                    self.chosen[(sc, key)] = (n, "me", None)

    def remember_rows(self) -> list[tuple]:
        return [(sc, k, n, action, t.id if t is not None else None)
                for (sc, k), (n, action, t) in self.chosen.items() if action != "contact" or t is not None]


def _plan_touches(s, m: Matcher, touch_recs: list[TouchRecord], report: ImportReport, finder: _PersonFinder) -> list:
    if not touch_recs:
        return []
    from netjournal.store import imports

    existing = imports.existing_sources(s, [t.source for t in touch_recs])
    planned = []
    people: dict[tuple[str, str], Target] = {}
    for tr in touch_recs:
        if tr.source in existing:
            report.touches_skipped += 1
            # a --map answer for someone in a conversation imported earlier: remember it, and add
            # that contact to the touch already there (written by write_contacts, idempotently)
            for p in tr.people:
                if finder._choice(p, finder.scope_key(p, tr.platform)) is not None:
                    t = finder.find(p, count=False, platform=tr.platform)
                    if t is not None:
                        finder.relinks.append((tr.source, t))
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
        for p in tr.people:
            t = finder.find(p, platform=tr.platform)
            if t is not None and t not in targets:
                targets.append(t)
        if tr.people and not targets:
            report.skip("conversations with nobody in your journal")
            continue
        if not targets:
            report.problems.append(Problem(tr.source, tr.line, "a conversation with nobody but you: skipped"))
            continue
        if tr.first is not None:
            tr.direction = "in" if finder.find(tr.first, count=False, platform=tr.platform) in targets else "out"
        tr.summary = tr.summary.translate(_CONTROL_LINE)
        tr.notes = tr.notes.translate(_CONTROL_TEXT)
        report.touches_added += 1
        for t in targets:
            report.per_contact.setdefault(t.name, [0, 0])[0] += 1
        report.details.append(f"touch  {tr.day.isoformat()} {tr.direction:<6} {tr.channel:<9} "
                              f"{', '.join(t.name for t in targets)}: {tr.summary[:60]}")
        planned.append((tr, targets))
    return [(tr, _Ids(targets)) for tr, targets in planned]


# textsafe's set (C0, C1, ESC, DEL, bidi overrides) as translate tables; one line: newline → space
_CONTROL_TEXT = translate_table()
_CONTROL_LINE = {**_CONTROL_TEXT, 10: " "}


def _plan_followups(s, m: Matcher, recs: list, report: ImportReport, finder: _PersonFinder,
                    today: date) -> tuple[list, list]:
    """(follow-ups to add, (id, day, time) of follow-ups whose meeting moved). A meeting imported
    before is found by its event (``source``): moved if it is still open and its time changed,
    else left alone."""
    if not recs:
        return [], []
    from netjournal.store import imports

    planned, moves = [], []
    seen: set = set()
    verb = "would move" if report.dry_run else "moved"
    for fr in recs:
        known = imports.followup_from(s, fr.source) if fr.source else None
        if known is not None:
            fid, status, due_on, due_time = known
            if status == "open" and (due_on, due_time) != (fr.day, fr.at):
                moves.append((fid, fr.day, fr.at))
                report.followups_moved += 1
                was = due_on.isoformat() if due_on else "no date"
                report.details.append(f"{verb} {was} → {fr.day.isoformat()}: "
                                      f"{fr.title.translate(_CONTROL_LINE)[:60]}")
            else:
                report.skip("follow-ups already there")
            continue
        targets = []
        for p in fr.people:
            t = finder.find(p, platform="email")
            if t is not None and t not in targets:
                targets.append(t)
        if not targets:
            report.skip("future events with nobody in your journal")
            continue
        ids = [t.id for t in targets if t.id is not None]
        key = (fr.title, fr.day)
        dup = key in seen
        if not dup and ids:
            dup = imports.followup_exists(s, fr.title, fr.day, ids)
        if dup:
            report.skip("follow-ups already there")
            continue
        seen.add(key)
        fr.title, fr.place = fr.title.translate(_CONTROL_LINE), fr.place.translate(_CONTROL_LINE)
        report.followups_added += 1
        for t in targets:
            report.per_contact.setdefault(t.name, [0, 0])[1] += 1
        report.details.append(f"follow {fr.day.isoformat()} {fr.kind:<6} {', '.join(t.name for t in targets)}: "
                              f"{fr.title[:60]}")
        planned.append((fr, _Ids(targets)))
    return planned, moves


def _plan_cancels(s, recs: list, report: ImportReport) -> list[int]:
    """The open follow-ups of meetings the organizer called off (ids), each named in the report;
    a cancellation of a meeting that has no open follow-up here is only a note."""
    if not recs:
        return []
    from netjournal.store import imports

    out: list[int] = []
    verb = "would cancel" if report.dry_run else "cancelled"
    for c in recs:
        title = c.title.translate(_CONTROL_LINE)
        when = f" on {c.day.isoformat()}" if c.day else " (every occurrence)"
        found = [f for f in imports.open_followups_from(s, c.source, series=c.series) if f[0] not in out]
        for fid, ftitle, due in found:
            out.append(fid)
            report.followups_cancelled += 1
            report.details.append(f"{verb} {due.isoformat() if due else '(no date)'}: {ftitle[:60]} "
                                  "(the organizer called the meeting off)")
        if found:
            report.notes.append(f"the meeting {title!r}{when} was cancelled by the organizer: its follow-up "
                                f"{'would be' if report.dry_run else 'was'} cancelled")
        else:
            report.notes.append(f"the meeting {title!r}{when} was cancelled by the organizer (no open "
                                "follow-up of it here)")
    return out


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
