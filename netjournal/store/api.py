"""The store's public functions: everything the CLI, TUI and importers may do to a journal.

Each function takes a :class:`~netjournal.store.db.Database` and does one unit of work in
one transaction (``db.write()``/``db.read()``), returning plain read objects from
:mod:`netjournal.store.read`. Functions whose name starts with ``_`` work inside a caller's
session so importers can group many changes into one transaction.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Iterable, Sequence

import sqlalchemy as sa
from sqlmodel import Session, select

from netjournal import vocab
from netjournal.errors import NotFound, UserError
from netjournal.store import validate as v
from netjournal.store.db import Database
from netjournal.store.models import (
    Contact, ContactTag, Dismissal, FollowUp, FollowUpContact, Handle, ImportantDate,
    JournalEntry, JournalMention, SearchDoc, Snooze, Touch, TouchContact, utcnow,
)
from netjournal.store.read import (
    ContactDetail, ContactSummary, DateRow, FollowUpRow, HandleRow, JournalDay, Ref,
    TimelineEntry, TouchRow,
)

CONTACT_TEXT_FIELDS = {
    # field: (max length, multiline)
    "name": (vocab.MAX_NAME, False), "given_name": (vocab.MAX_NAME, False),
    "family_name": (vocab.MAX_NAME, False), "nickname": (vocab.MAX_NAME, False),
    "company": (vocab.MAX_SHORT, False), "role": (vocab.MAX_SHORT, False),
    "location": (vocab.MAX_SHORT, False), "met_how": (vocab.MAX_SHORT, False),
    "target_why": (vocab.MAX_TEXT, True), "target_offer": (vocab.MAX_TEXT, True),
    "about": (vocab.MAX_TEXT, True), "interests": (vocab.MAX_TEXT, True),
    "ask_next": (vocab.MAX_TEXT, True),
}
CONTACT_FIELDS = set(CONTACT_TEXT_FIELDS) | {
    "met_on", "tier", "stage", "target_priority", "rhythm_days", "kin", "archived",
}


# --------------------------------------------------------------------------- contacts

def clean_contact_fields(fields: dict) -> dict:
    """Validate contact fields (as typed by a user or read by an importer)."""
    out: dict = {}
    for key, value in fields.items():
        if key not in CONTACT_FIELDS:
            raise UserError(f"unknown contact field {key!r}")
        if key == "name":
            out[key] = v.name(value)
        elif key in CONTACT_TEXT_FIELDS:
            max_len, multi = CONTACT_TEXT_FIELDS[key]
            out[key] = v.text(value, key.replace("_", " "), max_len=max_len, multiline=multi)
        elif key == "tier":
            out[key] = v.choice(value, "tier", vocab.TIERS, vocab.DEFAULT_TIER)
        elif key == "stage":
            out[key] = v.choice(value, "stage", vocab.STAGES, vocab.DEFAULT_STAGE)
        elif key == "rhythm_days":
            out[key] = v.rhythm(value)
        elif key == "target_priority":
            out[key] = v.priority(value)
        elif key in ("kin", "archived"):
            out[key] = bool(value)
        elif key == "met_on":
            if value is not None and not isinstance(value, date):
                raise UserError("met on must be a date")
            out[key] = value
    return out


def add_contact(db: Database, *, name: str, handles: Sequence[tuple[str, str] | tuple[str, str, str]] = (),
                tags: Sequence[str] = (), dates: Sequence[tuple[str, int, int, int | None]] = (),
                **fields) -> ContactDetail:
    fields = clean_contact_fields({"name": name, **fields})
    clean_handles = [_clean_handle(*h) for h in handles]
    clean_tags = sorted({v.tag(t) for t in tags})
    clean_dates = [_clean_date(*d) for d in dates]
    with db.write() as s:
        c = Contact(**fields)
        s.add(c)
        s.flush()
        for kind, value, label in clean_handles:
            s.add(Handle(contact_id=c.id, kind=kind, value=value, label=label, norm=v.handle_norm(kind, value)))
        for t in clean_tags:
            s.add(ContactTag(contact_id=c.id, tag=t))
        for kind, month, day, year, label in clean_dates:
            s.add(ImportantDate(contact_id=c.id, kind=kind, month=month, day=day, year=year, label=label))
        s.flush()
        _index_contact(s, c.id)
        cid = c.id
    return get_contact(db, cid)


def update_contact(db: Database, contact_id: int, **fields) -> ContactDetail:
    """Change some of a contact's fields (see :func:`save_contact` for tags, handles, dates)."""
    return save_contact(db, contact_id, fields=fields)


def save_contact(db: Database, contact_id: int, *, fields: dict | None = None,
                 tags: Sequence[str] | None = None, handles: Sequence[tuple[str | None, str]] | None = None,
                 dates: dict[str, tuple[int, int, int | None] | None] | None = None) -> ContactDetail:
    """An edit of a contact in one transaction: its fields, and (when given) its whole list of
    tags, its whole list of handles, and its dates by kind (None removes that kind)."""
    clean = clean_contact_fields(fields or {})
    clean_tags = sorted({v.tag(t) for t in tags}) if tags is not None else None
    clean_handles = [_clean_handle(k, val)[:2] for k, val in handles] if handles is not None else None
    clean_dates = {kind: (_clean_date(kind, *md)[1:4] if md else None) for kind, md in (dates or {}).items()}
    with db.write() as s:
        c = _get(s, contact_id)
        for k, val in clean.items():
            setattr(c, k, val)
        c.updated_at = utcnow()
        s.add(c)
        if clean_tags is not None:
            s.exec(sa.delete(ContactTag).where(ContactTag.contact_id == contact_id))
            for t in clean_tags:
                s.add(ContactTag(contact_id=contact_id, tag=t))
        if clean_handles is not None:
            have = {(h.kind, h.value): h for h in s.exec(select(Handle).where(Handle.contact_id == contact_id))}
            for key, h in have.items():
                if key not in clean_handles:
                    s.delete(h)
            for kind, value in dict.fromkeys(clean_handles):
                if (kind, value) not in have:
                    s.add(Handle(contact_id=contact_id, kind=kind, value=value, norm=v.handle_norm(kind, value)))
        for kind, md in clean_dates.items():
            current = s.exec(select(ImportantDate).where(ImportantDate.contact_id == contact_id,
                                                         ImportantDate.kind == kind)).all()
            if md is not None and len(current) == 1 and (current[0].month, current[0].day, current[0].year) == md:
                continue
            for d in current:
                s.delete(d)
            if md is not None:
                s.add(ImportantDate(contact_id=contact_id, kind=kind, month=md[0], day=md[1], year=md[2]))
        s.flush()
        _index_contact(s, contact_id)
    return get_contact(db, contact_id)


def delete_contact(db: Database, contact_id: int) -> None:
    """Delete a contact with its handles, dates, tags, snoozes; touches shared with nobody else go too."""
    with db.write() as s:
        _get(s, contact_id)
        solo_ids, solo_fu = _solo(s, contact_id)
        _delete_docs(s, "contact", [contact_id])
        _delete_docs(s, "touch", solo_ids)
        _delete_docs(s, "followup", solo_fu)
        if solo_fu:
            s.exec(sa.delete(FollowUp).where(FollowUp.id.in_(solo_fu)))
        if solo_ids:
            s.exec(sa.delete(Touch).where(Touch.id.in_(solo_ids)))
        s.exec(sa.delete(Contact).where(Contact.id == contact_id))


@dataclass(frozen=True)
class DeleteCounts:
    """What deleting a contact takes with it (touches/follow-ups with nobody else) and leaves."""
    solo_touches: int
    shared_touches: int
    solo_followups: int


def delete_counts(db: Database, contact_id: int) -> DeleteCounts:
    """What :func:`delete_contact` would remove, counted (for the confirmation question)."""
    with db.read() as s:
        _get(s, contact_id)
        touches, followups = _solo(s, contact_id)
        total = s.exec(sa.text("SELECT count(*) FROM touch_contact WHERE contact_id = :c")
                       .bindparams(c=contact_id)).scalar_one()
    return DeleteCounts(len(touches), total - len(touches), len(followups))


def _solo(s: Session, contact_id: int) -> tuple[list[int], list[int]]:
    """Ids of the touches and of the follow-ups whose only contact is ``contact_id`` (the ones
    that go when the contact is deleted): the one query behind delete, its undo and its counts."""
    touches = [r[0] for r in s.exec(sa.text(
        "SELECT tc.touch_id FROM touch_contact tc WHERE tc.contact_id = :c AND NOT EXISTS "
        "(SELECT 1 FROM touch_contact o WHERE o.touch_id = tc.touch_id AND o.contact_id != :c)"
    ).bindparams(c=contact_id)).all()]
    followups = [r[0] for r in s.exec(sa.text(
        "SELECT fc.followup_id FROM followup_contact fc WHERE fc.contact_id = :c AND NOT EXISTS "
        "(SELECT 1 FROM followup_contact o WHERE o.followup_id = fc.followup_id AND o.contact_id != :c)"
    ).bindparams(c=contact_id)).all()]
    return touches, followups


def _clean_handle(kind: str | None, value: str, label: str = "") -> tuple[str, str, str]:
    value = v.text(value, "handle", max_len=vocab.MAX_SHORT, required=True).strip()
    kind = v.choice(kind, "handle kind", vocab.HANDLE_KINDS) if kind else v.guess_handle_kind(value)
    return kind, value, v.text(label, "label", max_len=100)


def _clean_date(kind: str, month: int, day: int, year: int | None = None, label: str = "") -> tuple:
    kind = v.choice(kind, "date kind", vocab.DATE_KINDS, "birthday")
    if year is not None and not 1 <= year <= 9999:
        raise UserError(f"year {year} is out of range")
    try:
        date(year or 2000, month, day)
    except (ValueError, TypeError):
        raise UserError(f"no such date: {day}/{month}" + (f"/{year}" if year else "")) from None
    return kind, month, day, year, v.text(label, "label", max_len=200)


def _get(s: Session, contact_id: int) -> Contact:
    c = s.get(Contact, contact_id)
    if c is None:
        raise NotFound(f"no contact #{contact_id}")
    return c


def get_contact(db: Database, contact_id: int, *, cfg=None) -> ContactDetail:
    with db.read() as s:
        return _detail(s, _get(s, contact_id), cfg)


def _detail(s: Session, c: Contact, cfg=None) -> ContactDetail:
    handles = tuple(HandleRow(h.id, h.kind, h.value, h.label) for h in s.exec(
        select(Handle).where(Handle.contact_id == c.id).order_by(Handle.kind, Handle.id)))
    tags = tuple(s.exec(select(ContactTag.tag).where(ContactTag.contact_id == c.id).order_by(ContactTag.tag)))
    dates = tuple(DateRow(d.id, d.kind, d.month, d.day, d.year, d.label) for d in s.exec(
        select(ImportantDate).where(ImportantDate.contact_id == c.id).order_by(ImportantDate.month, ImportantDate.day)))
    from netjournal import engine

    ci = engine.ContactInput(id=c.id, name=c.name, tier=c.tier, kin=c.kin, rhythm_days=c.rhythm_days,
                             stage=c.stage, archived=c.archived,
                             state=engine.RelationshipState.from_json(c.state_json))
    rhythm, source = engine.learned_rhythm(ci, cfg or engine.EngineConfig())
    return ContactDetail(
        id=c.id, name=c.name, given_name=c.given_name, family_name=c.family_name, nickname=c.nickname,
        company=c.company, role=c.role, location=c.location, met_how=c.met_how, met_on=c.met_on,
        tier=c.tier, stage=c.stage, target_priority=c.target_priority, target_why=c.target_why,
        target_offer=c.target_offer, rhythm_days=c.rhythm_days, about=c.about, interests=c.interests,
        ask_next=c.ask_next, kin=c.kin, archived=c.archived, last_touch_on=c.last_touch_on,
        touch_count=c.touch_count, created_at=c.created_at, updated_at=c.updated_at,
        handles=handles, tags=tags, dates=dates, rhythm=rhythm, rhythm_source=source,
    )


def list_contacts(db: Database, *, include_archived: bool = False) -> list[ContactSummary]:
    """Every contact as a summary row (one query for contacts, one for tags, one for due dates)."""
    with db.read() as s:
        q = sa.select(Contact.id, Contact.name, Contact.nickname, Contact.company, Contact.role, Contact.tier,
                      Contact.stage, Contact.last_touch_on, Contact.touch_count, Contact.archived, Contact.kin,
                      Contact.target_priority)
        if not include_archived:
            q = q.where(Contact.archived == sa.false())
        rows = s.exec(q.order_by(sa.func.lower(Contact.name), Contact.id)).all()
        tags: dict[int, list[str]] = defaultdict(list)
        for cid, t in s.exec(sa.select(ContactTag.contact_id, ContactTag.tag).order_by(ContactTag.tag)).all():
            tags[cid].append(t)
        due: dict[int, date] = {}
        for cid, d in s.exec(
            sa.select(FollowUpContact.contact_id, sa.func.min(FollowUp.due_on))
            .join(FollowUp, FollowUp.id == FollowUpContact.followup_id)
            .where(FollowUp.status == "open", FollowUp.due_on.is_not(None))
            .group_by(FollowUpContact.contact_id)
        ).all():
            due[cid] = d
    return [ContactSummary(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], tuple(tags.get(r[0], ())),
                           r[9], r[10], r[11], due.get(r[0])) for r in rows]


def contact_names(db: Database, *, include_archived: bool = False) -> list[tuple[int, str, str]]:
    with db.read() as s:
        return _names(s, include_archived)


def _names(s: Session, include_archived: bool = False) -> list[tuple[int, str, str]]:
    q = sa.select(Contact.id, Contact.name, Contact.nickname)
    if not include_archived:
        q = q.where(Contact.archived == sa.false())
    return [tuple(r) for r in s.exec(q).all()]


# --------------------------------------------------------------------------- resolving names

@dataclass(frozen=True)
class Match:
    id: int
    name: str
    score: float


def fuzzy_contacts(db: Database, query: str, *, limit: int = 10, include_archived: bool = False) -> list[Match]:
    with db.read() as s:
        return _fuzzy(_names(s, include_archived), query, limit)


def _fuzzy(names: list[tuple[int, str, str]], query: str, limit: int = 10) -> list[Match]:
    """Names ranked for ``query`` by the one fuzzy matcher (netjournal.fuzzy)."""
    if not query.strip():
        return [Match(i, n, 0.0) for i, n, _ in sorted(names, key=lambda r: r[1].lower())[:limit]]
    from netjournal.fuzzy import names_index

    scored = [Match(r[0], r[1], score) for r, score in names_index(names).scored(query, limit)]
    scored.sort(key=lambda m: (-m.score, m.name.lower(), m.id))
    return scored[:limit]


def resolve_contact(db: Database, text: str, *, include_archived: bool = False) -> Ref:
    with db.read() as s:
        return _resolve(s, text, include_archived)


def exact_contact(db: Database, text: str) -> Ref | None:
    """The one active contact whose name or nickname is exactly ``text`` (any case), else None."""
    low = (text or "").strip().lower()
    if not low:
        return None
    with db.read() as s:
        rows = s.exec(sa.select(Contact.id, Contact.name).where(
            Contact.archived == sa.false(),
            sa.or_(sa.func.lower(Contact.name) == low, sa.func.lower(Contact.nickname) == low)).limit(2)).all()
    return Ref(rows[0][0], rows[0][1]) if len(rows) == 1 else None


def resolve_contacts(db: Database, texts: Sequence[str]) -> list[Ref]:
    with db.read() as s:
        out: list[Ref] = []
        for t in texts:
            r = _resolve(s, t)
            if r.id not in {o.id for o in out}:
                out.append(r)
        return out


def _resolve(s: Session, text: str, include_archived: bool = False) -> Ref:
    raw = (text or "").strip()
    if not raw:
        raise UserError("which contact? the name is empty")
    m = re.fullmatch(r"#(\d+)", raw) or re.fullmatch(r".*\(#(\d+)\)", raw)
    if m:
        cid = int(m.group(1))
        c = s.get(Contact, cid) if cid < 2**63 else None  # larger ids cannot exist (and overflow SQLite)
        if c is None:
            raise NotFound(f"no contact #{m.group(1)}")
        return Ref(c.id, c.name)
    low = raw.lower()
    # Exact name or nickname first: one plain statement (no ORM compile: `log` stays quick).
    exact = s.exec(sa.text(
        "SELECT id, name FROM contact WHERE (lower(name) = :q OR lower(nickname) = :q)"
        + ("" if include_archived else " AND archived = :no") + " ORDER BY id"
    ).bindparams(q=low, **({} if include_archived else {"no": False}))).all()
    if len(exact) == 1:
        return Ref(exact[0][0], exact[0][1])
    if len(exact) > 1:
        raise UserError(f"{raw!r} matches several contacts: " + "; ".join(f"{n} (#{i})" for i, n in exact[:8])
                        + " — use #ID", candidates=[f"{n} (#{i})" for i, n in exact])
    matches = _fuzzy(_names(s, include_archived), raw, limit=8)
    strong = [m for m in matches if m.score >= 95]
    if len(strong) == 1:
        return Ref(strong[0].id, strong[0].name)
    if len(strong) > 1:
        raise UserError(f"{raw!r} matches several contacts: " + "; ".join(f"{m.name} (#{m.id})" for m in strong[:8])
                        + " — be more specific or use #ID", candidates=[f"{m.name} (#{m.id})" for m in strong])
    good = [m for m in matches if m.score >= 75]
    if len(good) == 1 or (len(good) > 1 and good[0].score - good[1].score >= 10):
        return Ref(good[0].id, good[0].name)
    if good:
        raise UserError(f"{raw!r} is ambiguous; did you mean: " + "; ".join(f"{m.name} (#{m.id})" for m in good[:8]),
                        candidates=[f"{m.name} (#{m.id})" for m in good])
    hint = "; did you mean: " + "; ".join(f"{m.name} (#{m.id})" for m in matches[:5]) if matches else ""
    raise NotFound(f"no contact matches {raw!r}{hint} (add one with `netjournal add NAME`)",
                   candidates=[f"{m.name} (#{m.id})" for m in matches[:5]])


# --------------------------------------------------------------------------- touches

def log_touch(db: Database, *, contact_ids: Sequence[int], channel: str, day: date,
              at: time | None = None, direction: str = "out", summary: str = "", notes: str = "",
              value_given: str = "", platform: str = "", source: str | None = None,
              today: date | None = None, allow_future: bool = False) -> TouchRow:
    fields = _clean_touch(contact_ids, channel, day, direction, summary, notes, value_given, platform)
    v.touch_day(day, today, allow_future=allow_future)  # issue 12: after tomorrow needs allow_future
    with db.write() as s:
        tid = _insert_touch(s, at=at, source=source, **fields)
        return _touch_row(s, s.get(Touch, tid))


def _clean_touch(contact_ids, channel, day, direction, summary, notes, value_given, platform) -> dict:
    if not contact_ids:
        raise UserError("a touch needs at least one contact")
    if not isinstance(day, date) or not 1 <= day.year <= 9999:
        raise UserError("a touch needs a valid day")
    return dict(
        contact_ids=list(dict.fromkeys(int(c) for c in contact_ids)),
        channel=v.channel(channel),
        day=day,
        direction=v.choice(direction, "direction", vocab.DIRECTIONS, "out"),
        summary=v.text(summary, "summary", max_len=vocab.MAX_SHORT),
        notes=v.text(notes, "notes", max_len=vocab.MAX_TEXT, multiline=True),
        value_given=v.text(value_given, "value given", max_len=vocab.MAX_TEXT, multiline=True),
        platform=v.text(platform, "platform", max_len=50),
    )


def _insert_touch(s: Session, *, contact_ids: list[int], channel: str, day: date, direction: str,
                  summary: str, notes: str, value_given: str, platform: str, at: time | None = None,
                  source: str | None = None) -> int:
    for cid in contact_ids:
        _get(s, cid)
    t = Touch(occurred_on=day, occurred_time=at, channel=channel, platform=platform, direction=direction,
              summary=summary, notes=notes, value_given=value_given, source=source)
    s.add(t)
    s.flush()
    for cid in contact_ids:
        s.add(TouchContact(touch_id=t.id, contact_id=cid))
    s.flush()
    _observe(s, contact_ids, day, channel, direction)
    _index_touch(s, t, contact_ids)
    return t.id


def _observe(s: Session, contact_ids: Iterable[int], day: date, channel: str, direction: str) -> None:
    """Keep each contact's summary (engine state, last touch, count) current after a new touch."""
    from netjournal.engine import RelationshipState

    for cid in contact_ids:
        c = s.get(Contact, cid)
        if c.last_touch_on is None or day >= c.last_touch_on:
            st = RelationshipState.from_json(c.state_json)
            st.observe(day, channel, direction)
            c.state_json = st.to_json()
            c.last_touch_on = day
            c.touch_count = (c.touch_count or 0) + 1
            s.add(c)
        else:  # a backdated touch: rebuild this contact's summary from its history
            _rebuild_state(s, cid)


def _rebuild_state(s: Session, contact_id: int) -> None:
    from netjournal.engine import RelationshipState

    rows = s.exec(
        sa.select(Touch.occurred_on, Touch.channel, Touch.direction)
        .join(TouchContact, TouchContact.touch_id == Touch.id)
        .where(TouchContact.contact_id == contact_id)
        .order_by(Touch.occurred_on, Touch.id)
    ).all()
    c = s.get(Contact, contact_id)
    if c is None:
        return
    st = RelationshipState.from_history([(r[0], r[1], r[2]) for r in rows])
    c.state_json = st.to_json() if rows else None
    c.last_touch_on = rows[-1][0] if rows else None
    c.touch_count = len(rows)
    s.add(c)


def update_touch(db: Database, touch_id: int, **fields) -> TouchRow:
    with db.write() as s:
        t = s.get(Touch, touch_id)
        if t is None:
            raise NotFound(f"no touch #{touch_id}")
        old_ids = [r for r in s.exec(sa.select(TouchContact.contact_id).where(TouchContact.touch_id == touch_id)).scalars()]
        new_ids = fields.pop("contact_ids", None) or old_ids
        at = fields.pop("at", t.occurred_time)
        clean = _clean_touch(new_ids, fields.get("channel", t.channel), fields.get("day", t.occurred_on),
                             fields.get("direction", t.direction), fields.get("summary", t.summary),
                             fields.get("notes", t.notes), fields.get("value_given", t.value_given),
                             fields.get("platform", t.platform))
        for cid in clean["contact_ids"]:
            _get(s, cid)
        t.occurred_on, t.occurred_time, t.channel, t.direction = clean["day"], at, clean["channel"], clean["direction"]
        t.summary, t.notes, t.value_given, t.platform = clean["summary"], clean["notes"], clean["value_given"], clean["platform"]
        t.updated_at = utcnow()
        s.add(t)
        if set(clean["contact_ids"]) != set(old_ids):
            s.exec(sa.delete(TouchContact).where(TouchContact.touch_id == touch_id))
            for cid in clean["contact_ids"]:
                s.add(TouchContact(touch_id=touch_id, contact_id=cid))
        s.flush()
        for cid in set(old_ids) | set(clean["contact_ids"]):
            _rebuild_state(s, cid)
        _index_touch(s, t, clean["contact_ids"])
        return _touch_row(s, t)


def delete_touch(db: Database, touch_id: int) -> None:
    with db.write() as s:
        t = s.get(Touch, touch_id)
        if t is None:
            raise NotFound(f"no touch #{touch_id}")
        ids = list(s.exec(sa.select(TouchContact.contact_id).where(TouchContact.touch_id == touch_id)).scalars())
        _delete_docs(s, "touch", [touch_id])
        s.exec(sa.delete(Touch).where(Touch.id == touch_id))
        s.flush()
        for cid in ids:
            _rebuild_state(s, cid)


def get_touch(db: Database, touch_id: int) -> TouchRow:
    with db.read() as s:
        t = s.get(Touch, touch_id)
        if t is None:
            raise NotFound(f"no touch #{touch_id}")
        return _touch_row(s, t)


def _refs(s: Session, link, key, ids: Sequence[int]) -> dict[int, tuple[Ref, ...]]:
    out: dict[int, list[Ref]] = defaultdict(list)
    if not ids:
        return {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        for k, cid, name in s.exec(
            sa.select(getattr(link, key), link.contact_id, Contact.name)
            .join(Contact, Contact.id == link.contact_id)
            .where(getattr(link, key).in_(chunk)).order_by(Contact.name)
        ).all():
            out[k].append(Ref(cid, name))
    return {k: tuple(vv) for k, vv in out.items()}


def _touch_row(s: Session, t: Touch, refs: dict | None = None) -> TouchRow:
    if refs is None:
        refs = _refs(s, TouchContact, "touch_id", [t.id])
    return TouchRow(t.id, t.occurred_on, t.occurred_time, t.channel, t.platform, t.direction, t.summary,
                    t.notes, t.value_given, refs.get(t.id, ()), t.source)


def list_touches(db: Database, *, contact_id: int | None = None, day: date | None = None,
                 since: date | None = None, until: date | None = None, limit: int | None = 200) -> list[TouchRow]:
    with db.read() as s:
        q = select(Touch)
        if contact_id is not None:
            q = q.join(TouchContact, TouchContact.touch_id == Touch.id).where(TouchContact.contact_id == contact_id)
        if day is not None:
            q = q.where(Touch.occurred_on == day)
        if since is not None:
            q = q.where(Touch.occurred_on >= since)
        if until is not None:
            q = q.where(Touch.occurred_on <= until)
        q = q.order_by(Touch.occurred_on.desc(), Touch.occurred_time.desc(), Touch.id.desc())
        if limit:
            q = q.limit(limit)
        touches = s.exec(q).all()
        refs = _refs(s, TouchContact, "touch_id", [t.id for t in touches])
        return [_touch_row(s, t, refs) for t in touches]


# --------------------------------------------------------------------------- follow-ups

FOLLOWUP_TOUCH_CHANNEL = {"meet": "in_person", "call": "call"}


def add_followup(db: Database, *, contact_ids: Sequence[int], title: str, kind: str = "other",
                 due_on: date | None = None, due_time: time | None = None, place: str = "",
                 agenda: str = "", from_touch_id: int | None = None, parent_id: int | None = None) -> FollowUpRow:
    clean = _clean_followup(contact_ids, title, kind, place, agenda)
    with db.write() as s:
        fid = _insert_followup(s, due_on=due_on, due_time=due_time, from_touch_id=from_touch_id,
                               parent_id=parent_id, **clean)
        return _followup_row(s, s.get(FollowUp, fid))


def _clean_followup(contact_ids, title, kind, place, agenda) -> dict:
    if not contact_ids:
        raise UserError("a follow-up needs at least one contact")
    return dict(
        contact_ids=list(dict.fromkeys(int(c) for c in contact_ids)),
        title=v.text(title, "title", max_len=vocab.MAX_SHORT, required=True),
        kind=v.choice(kind, "follow-up kind", vocab.FOLLOWUP_KINDS, "other"),
        place=v.text(place, "place", max_len=vocab.MAX_SHORT),
        agenda=v.text(agenda, "agenda", max_len=vocab.MAX_TEXT, multiline=True),
    )


def _insert_followup(s: Session, *, contact_ids, title, kind, place, agenda, due_on=None, due_time=None,
                     from_touch_id=None, parent_id=None, status="open", meeting_notes="", outcome="") -> int:
    for cid in contact_ids:
        _get(s, cid)
    if due_on is not None and not 1 <= due_on.year <= 9999:
        raise UserError("due date out of range")
    if from_touch_id is not None and s.get(Touch, from_touch_id) is None:
        raise NotFound(f"no touch #{from_touch_id}")
    f = FollowUp(kind=kind, title=title, due_on=due_on, due_time=due_time, place=place, agenda=agenda,
                 from_touch_id=from_touch_id, parent_id=parent_id, status=status,
                 meeting_notes=meeting_notes, outcome=outcome)
    s.add(f)
    s.flush()
    for cid in contact_ids:
        s.add(FollowUpContact(followup_id=f.id, contact_id=cid))
    s.flush()
    _index_followup(s, f, contact_ids)
    return f.id


def update_followup(db: Database, followup_id: int, **fields) -> FollowUpRow:
    allowed = {"title", "kind", "due_on", "due_time", "place", "agenda", "meeting_notes", "outcome", "contact_ids"}
    bad = set(fields) - allowed
    if bad:
        raise UserError(f"unknown follow-up field {sorted(bad)[0]!r}")
    with db.write() as s:
        f = _get_followup(s, followup_id)
        ids = fields.pop("contact_ids", None)
        if "title" in fields:
            f.title = v.text(fields["title"], "title", max_len=vocab.MAX_SHORT, required=True)
        if "kind" in fields:
            f.kind = v.choice(fields["kind"], "follow-up kind", vocab.FOLLOWUP_KINDS, "other")
        if "place" in fields:
            f.place = v.text(fields["place"], "place", max_len=vocab.MAX_SHORT)
        for key in ("agenda", "meeting_notes", "outcome"):
            if key in fields:
                setattr(f, key, v.text(fields[key], key.replace("_", " "), max_len=vocab.MAX_TEXT, multiline=True))
        if "due_on" in fields:
            f.due_on = fields["due_on"]
        if "due_time" in fields:
            f.due_time = fields["due_time"]
        f.updated_at = utcnow()
        s.add(f)
        if ids is not None:
            if not ids:
                raise UserError("a follow-up needs at least one contact")
            for cid in ids:
                _get(s, cid)
            s.exec(sa.delete(FollowUpContact).where(FollowUpContact.followup_id == followup_id))
            for cid in dict.fromkeys(ids):
                s.add(FollowUpContact(followup_id=followup_id, contact_id=cid))
        s.flush()
        _index_followup(s, f, _followup_contact_ids(s, followup_id))
        return _followup_row(s, f)


def complete_followup(db: Database, followup_id: int, *, day: date, meeting_notes: str | None = None,
                      outcome: str | None = None, next_steps: Sequence[tuple[str, date | None]] = (),
                      log: bool | None = None, channel: str | None = None, summary: str = "") -> FollowUpRow:
    """Mark a follow-up done; a meeting or call logs its touch; next steps become follow-ups."""
    with db.write() as s:
        f = _get_followup(s, followup_id)
        if f.status != "open":
            raise UserError(f"follow-up #{followup_id} is already {f.status}")
        if meeting_notes is not None:
            f.meeting_notes = v.text(meeting_notes, "meeting notes", max_len=vocab.MAX_TEXT, multiline=True)
        if outcome is not None:
            f.outcome = v.text(outcome, "outcome", max_len=vocab.MAX_TEXT, multiline=True)
        ids = _followup_contact_ids(s, followup_id)
        ch = channel or FOLLOWUP_TOUCH_CHANNEL.get(f.kind)
        if log is None:
            log = ch is not None
        if log:
            touch = _clean_touch(ids, ch or "other", day, "out" if f.kind != "meet" else "mutual",
                                 summary or f.title, f.meeting_notes, "", "")
            f.done_touch_id = _insert_touch(s, **touch)
        f.status = "done"
        f.completed_at = f.updated_at = utcnow()
        s.add(f)
        for title, due in next_steps:
            if not (title or "").strip():
                continue
            _insert_followup(s, contact_ids=ids, title=v.text(title, "next step", max_len=vocab.MAX_SHORT, required=True),
                             kind="other", place="", agenda="", due_on=due, parent_id=f.id,
                             from_touch_id=f.done_touch_id)
        s.flush()
        _index_followup(s, f, ids)
        return _followup_row(s, f)


def cancel_followup(db: Database, followup_id: int) -> FollowUpRow:
    with db.write() as s:
        f = _get_followup(s, followup_id)
        f.status = "cancelled"
        f.completed_at = f.updated_at = utcnow()
        s.add(f)
        s.flush()
        return _followup_row(s, f)


def _get_followup(s: Session, followup_id: int) -> FollowUp:
    f = s.get(FollowUp, followup_id)
    if f is None:
        raise NotFound(f"no follow-up #{followup_id}")
    return f


def _followup_contact_ids(s: Session, followup_id: int) -> list[int]:
    return list(s.exec(sa.select(FollowUpContact.contact_id).where(FollowUpContact.followup_id == followup_id)).scalars())


def _followup_row(s: Session, f: FollowUp, refs: dict | None = None) -> FollowUpRow:
    if refs is None:
        refs = _refs(s, FollowUpContact, "followup_id", [f.id])
    return FollowUpRow(f.id, f.kind, f.title, f.due_on, f.due_time, f.place, f.agenda, f.status,
                       f.meeting_notes, f.outcome, f.from_touch_id, f.done_touch_id, f.parent_id,
                       refs.get(f.id, ()), f.created_at, f.completed_at)


def get_followup(db: Database, followup_id: int) -> FollowUpRow:
    with db.read() as s:
        return _followup_row(s, _get_followup(s, followup_id))


def list_followups(db: Database, *, status: str | None = "open", contact_id: int | None = None,
                   limit: int | None = None) -> list[FollowUpRow]:
    with db.read() as s:
        q = select(FollowUp)
        if status:
            q = q.where(FollowUp.status == status)
        if contact_id is not None:
            q = q.join(FollowUpContact, FollowUpContact.followup_id == FollowUp.id).where(
                FollowUpContact.contact_id == contact_id)
        q = q.order_by(FollowUp.due_on.is_(None), FollowUp.due_on, FollowUp.due_time, FollowUp.id)
        if limit:
            q = q.limit(limit)
        fs = s.exec(q).all()
        refs = _refs(s, FollowUpContact, "followup_id", [f.id for f in fs])
        return [_followup_row(s, f, refs) for f in fs]


# --------------------------------------------------------------------------- journal

MENTION_RE = re.compile(r"@\[([^\]\n]{1,200})\]|@([\w][\w.'\-]*(?:_[\w.'\-]+)*)", re.UNICODE)


def find_mentions(body: str, names: list[tuple[int, str, str]]) -> tuple[list[Ref], list[str]]:
    """Resolve ``@Name``, ``@First_Last`` and ``@[Full Name]`` to contacts: (linked, unresolved)."""
    by_full: dict[str, list[tuple[int, str]]] = defaultdict(list)
    by_first: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for i, n, nick in names:
        low = n.lower()
        by_full[low].append((i, n))
        by_full[low.replace(" ", "_")].append((i, n))
        if nick:
            by_full[nick.lower()].append((i, n))
        first = low.split()[0] if low.split() else low
        by_first[first].append((i, n))
    linked: dict[int, Ref] = {}
    unresolved: list[str] = []
    for m in MENTION_RE.finditer(body):
        token = (m.group(1) or m.group(2) or "").strip().rstrip(".'-")
        key = token.lower()
        hits = by_full.get(key) or by_full.get(key.replace("_", " ")) or by_first.get(key) or []
        uniq = {i: n for i, n in hits}
        if len(uniq) == 1:
            i, n = next(iter(uniq.items()))
            linked[i] = Ref(i, n)
        elif token:
            unresolved.append(token)
    return list(linked.values()), unresolved


def get_journal(db: Database, day: date) -> JournalDay:
    with db.read() as s:
        e = s.exec(select(JournalEntry).where(JournalEntry.day == day)).first()
        if e is None:
            return JournalDay(day, "", (), exists=False)
        refs = _refs(s, JournalMention, "entry_id", [e.id])
        return JournalDay(day, e.body, refs.get(e.id, ()), exists=True)


def save_journal(db: Database, day: date, body: str) -> tuple[JournalDay, list[str]]:
    """Replace a day's entry (an empty body deletes it). Returns the entry and unresolved @mentions."""
    body = v.text(body, "journal entry", max_len=vocab.MAX_TEXT, multiline=True)
    with db.write() as s:
        return _save_journal(s, day, body)


def append_journal(db: Database, day: date, text: str) -> tuple[JournalDay, list[str]]:
    text = v.text(text, "journal text", max_len=vocab.MAX_TEXT, multiline=True).strip("\n")
    if not text.strip():
        raise UserError("nothing to add to the journal: the text is empty")
    with db.write() as s:
        e = s.exec(select(JournalEntry).where(JournalEntry.day == day)).first()
        body = (e.body.rstrip("\n") + "\n\n" + text) if e and e.body.strip() else text
        if len(body) > vocab.MAX_TEXT:
            raise UserError(f"the journal entry would be too long (at most {vocab.MAX_TEXT:,} characters)")
        return _save_journal(s, day, body)


def _save_journal(s: Session, day: date, body: str) -> tuple[JournalDay, list[str]]:
    e = s.exec(select(JournalEntry).where(JournalEntry.day == day)).first()
    if not body.strip():
        if e is not None:
            _delete_docs(s, "journal", [e.id])
            s.delete(e)
        return JournalDay(day, "", (), exists=False), []
    if e is None:
        e = JournalEntry(day=day, body=body)
    else:
        e.body = body
        e.updated_at = utcnow()
    s.add(e)
    s.flush()
    refs, unresolved = find_mentions(body, _names(s, include_archived=True))
    s.exec(sa.delete(JournalMention).where(JournalMention.entry_id == e.id))
    for r in refs:
        s.add(JournalMention(entry_id=e.id, contact_id=r.id))
    s.flush()
    _doc(s, "journal", e.id, refs[0].id if refs else None, day, f"Journal {day.isoformat()}", body)
    return JournalDay(day, body, tuple(sorted(refs, key=lambda r: r.name.lower())), exists=True), unresolved


def journal_days(db: Database, *, limit: int = 400) -> list[date]:
    with db.read() as s:
        return list(s.exec(sa.select(JournalEntry.day).order_by(JournalEntry.day.desc()).limit(limit)).scalars())


# --------------------------------------------------------------------------- timeline

def timeline(db: Database, contact_id: int, *, limit: int = 500) -> list[TimelineEntry]:
    """Touches, follow-ups and journal mentions of one contact, newest first. Read as plain
    columns: a contact with thousands of touches builds no ORM object per touch (~7 ms instead
    of ~45 ms for 2,000); the CLI's `show`, the TUI's contact screen and the exporters use it."""
    labels = vocab.CHANNEL_LABELS
    out: list[TimelineEntry] = []
    with db.read() as s:
        _get(s, contact_id)
        for tid, day, at, summary, notes, channel, direction in s.exec(
                sa.select(Touch.id, Touch.occurred_on, Touch.occurred_time, Touch.summary, Touch.notes,
                          Touch.channel, Touch.direction)
                .join(TouchContact, TouchContact.touch_id == Touch.id)
                .where(TouchContact.contact_id == contact_id)
                .order_by(Touch.occurred_on.desc(), Touch.id.desc()).limit(limit)):
            out.append(TimelineEntry("touch", day, at, summary or labels.get(channel, channel), notes, tid,
                                     channel=channel, direction=direction))
        for fid, due_on, due_time, completed_at, created_at, title, notes, agenda, status in s.exec(
                sa.select(FollowUp.id, FollowUp.due_on, FollowUp.due_time, FollowUp.completed_at,
                          FollowUp.created_at, FollowUp.title, FollowUp.meeting_notes, FollowUp.agenda,
                          FollowUp.status)
                .join(FollowUpContact, FollowUpContact.followup_id == FollowUp.id)
                .where(FollowUpContact.contact_id == contact_id)
                .order_by(FollowUp.id.desc()).limit(limit)):
            day = due_on or (completed_at.date() if completed_at else created_at.date())
            out.append(TimelineEntry("followup", day, due_time, title, notes or agenda, fid, status=status))
        for eid, day, body in s.exec(
                sa.select(JournalEntry.id, JournalEntry.day, JournalEntry.body)
                .join(JournalMention, JournalMention.entry_id == JournalEntry.id)
                .where(JournalMention.contact_id == contact_id)
                .order_by(JournalEntry.day.desc()).limit(limit)):
            first = next((ln for ln in body.splitlines() if ln.strip()), "")
            out.append(TimelineEntry("journal", day, None, first[:120], body, eid))
    out.sort(key=lambda x: (x.day or date.min, x.time or time.min, x.kind == "touch", x.ref_id), reverse=True)
    return out[:limit]


# --------------------------------------------------------------------------- snoozes

def snooze(db: Database, contact_id: int, *, until: date, today: date, kind: str | None = None) -> None:
    if until <= today:
        raise UserError("snooze until a day after today")
    if kind is not None:
        kind = v.choice(kind, "reminder kind", vocab.REMINDER_KINDS)
    with db.write() as s:
        _get(s, contact_id)
        s.add(Snooze(contact_id=contact_id, kind=kind, until=until, created_on=today))


def dismiss(db: Database, contact_id: int, *, kind: str, today: date) -> None:
    kind = v.choice(kind, "reminder kind", vocab.REMINDER_KINDS)
    with db.write() as s:
        _get(s, contact_id)
        s.add(Dismissal(contact_id=contact_id, kind=kind, on_day=today))


# --------------------------------------------------------------------------- search documents

def _doc(s: Session, kind: str, ref_id: int, contact_id: int | None, day: date | None, title: str, body: str) -> None:
    d = s.exec(select(SearchDoc).where(SearchDoc.kind == kind, SearchDoc.ref_id == ref_id)).first()
    if d is None:
        s.add(SearchDoc(kind=kind, ref_id=ref_id, contact_id=contact_id, day=day, title=title, body=body))
    elif (d.title, d.body, d.contact_id, d.day) != (title, body, contact_id, day):
        d.title, d.body, d.contact_id, d.day = title, body, contact_id, day
        s.add(d)


def _delete_docs(s: Session, kind: str, ref_ids: Sequence[int]) -> None:
    if ref_ids:
        s.exec(sa.delete(SearchDoc).where(SearchDoc.kind == kind, SearchDoc.ref_id.in_(list(ref_ids))))


def contact_doc_text(c: Contact, handles: Iterable[str], tags: Iterable[str]) -> tuple[str, str]:
    title = c.name + (f" ({c.nickname})" if c.nickname else "")
    parts = [c.company, c.role, c.location, c.met_how, c.about, c.interests, c.ask_next, c.target_why,
             c.target_offer, " ".join(f"#{t}" for t in tags), " ".join(handles)]
    return title, "\n".join(p for p in parts if p)


def _index_contact(s: Session, contact_id: int) -> None:
    c = s.get(Contact, contact_id)
    handles = s.exec(sa.select(Handle.value).where(Handle.contact_id == contact_id)).scalars()
    tags = s.exec(sa.select(ContactTag.tag).where(ContactTag.contact_id == contact_id)).scalars()
    title, body = contact_doc_text(c, handles, tags)
    _doc(s, "contact", c.id, c.id, None, title, body)


def _index_touch(s: Session, t: Touch, contact_ids: Sequence[int]) -> None:
    names = [n for n in s.exec(sa.select(Contact.name).where(Contact.id.in_(list(contact_ids)))).scalars()]
    title = t.summary or f"{vocab.CHANNEL_LABELS.get(t.channel, t.channel)} with {', '.join(names)}"
    body = "\n".join(p for p in (t.notes, t.value_given, " ".join(names)) if p)
    _doc(s, "touch", t.id, contact_ids[0] if contact_ids else None, t.occurred_on, title, body)


def _index_followup(s: Session, f: FollowUp, contact_ids: Sequence[int]) -> None:
    names = [n for n in s.exec(sa.select(Contact.name).where(Contact.id.in_(list(contact_ids)))).scalars()] if contact_ids else []
    body = "\n".join(p for p in (f.place, f.agenda, f.meeting_notes, f.outcome, " ".join(names)) if p)
    _doc(s, "followup", f.id, contact_ids[0] if contact_ids else None, f.due_on, f.title, body)
