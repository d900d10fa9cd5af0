"""Store reads for the exporters (vCard, iCalendar, Markdown): plain values out, so that
``netjournal.formats`` never queries a table itself. The JSON backup's rows come from
``store.backups.iter_rows``."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from netjournal.errors import NotFound


def contacts_for_export(db, contact_id: int | None = None) -> list[dict]:
    """Contacts as dicts with their handles, tags and dates, in a few set-wise queries."""
    import sqlalchemy as sa

    from netjournal.store.models import Contact, ContactTag, Handle, ImportantDate

    with db.read() as s:
        q = sa.select(Contact)
        if contact_id is not None:
            q = q.where(Contact.id == contact_id)
        contacts = [c for c in s.execute(q.order_by(sa.func.lower(Contact.name), Contact.id)).scalars()]
        if contact_id is not None and not contacts:
            raise NotFound(f"no contact #{contact_id}")
        handles, tags, dates = defaultdict(list), defaultdict(list), defaultdict(list)

        def where(col):
            return col == contact_id if contact_id is not None else sa.true()

        for cid, kind, value, label in s.execute(sa.select(Handle.contact_id, Handle.kind, Handle.value, Handle.label)
                                                 .where(where(Handle.contact_id)).order_by(Handle.id)).all():
            handles[cid].append((kind, value, label))
        for cid, tag in s.execute(sa.select(ContactTag.contact_id, ContactTag.tag)
                                  .where(where(ContactTag.contact_id)).order_by(ContactTag.tag)).all():
            tags[cid].append(tag)
        for cid, kind, m, d, y, lab in s.execute(sa.select(
                ImportantDate.contact_id, ImportantDate.kind, ImportantDate.month, ImportantDate.day,
                ImportantDate.year, ImportantDate.label).where(where(ImportantDate.contact_id))
                .order_by(ImportantDate.id)).all():
            dates[cid].append((kind, m, d, y, lab))
        out = []
        for c in contacts:
            row = {k: getattr(c, k) for k in c.__table__.columns.keys()}
            row.update(handles=handles.get(c.id, []), tags=tags.get(c.id, []), dates=dates.get(c.id, []))
            out.append(row)
    from netjournal.store.links import links_by_contact  # RELATED / X-ABRELATEDNAMES in vCards

    related = links_by_contact(db, [c["id"] for c in out] if contact_id is not None else None)
    for c in out:
        c["related"] = [(r.kind, r.words, r.other.name, r.label) for r in related.get(c["id"], [])]
    return out


def journal_bodies(db, since: date, until: date) -> dict[date, str]:
    """Each journal day's text in [since, until]."""
    import sqlalchemy as sa

    from netjournal.store.models import JournalEntry

    with db.read() as s:
        return {d: b for d, b in s.execute(sa.select(JournalEntry.day, JournalEntry.body).where(
            JournalEntry.day >= since, JournalEntry.day <= until)).all()}


def followup_ids_for_range(db, since: date, until: date) -> list[int]:
    """Follow-ups due in [since, until], and those without a due day (the caller places them)."""
    import sqlalchemy as sa

    from netjournal.store.models import FollowUp

    with db.read() as s:
        return [i for i in s.execute(sa.select(FollowUp.id).where(sa.or_(
            sa.and_(FollowUp.due_on >= since, FollowUp.due_on <= until),
            FollowUp.due_on.is_(None))).order_by(FollowUp.id)).scalars()]


def open_followups_for_export(db, contact_id: int | None = None) -> list[tuple[object, list[str]]]:
    """Open follow-ups (of one contact, or all) by due day, each as a plain namespace of its
    columns with the names of its contacts (sorted): what the iCalendar writer needs."""
    from types import SimpleNamespace

    import sqlalchemy as sa

    from netjournal.store.models import Contact, FollowUp, FollowUpContact

    with db.read() as s:
        q = (sa.select(FollowUp).where(FollowUp.status == "open").order_by(FollowUp.due_on, FollowUp.id))
        if contact_id is not None:
            q = q.join(FollowUpContact, FollowUpContact.followup_id == FollowUp.id).where(
                FollowUpContact.contact_id == contact_id)
        cols = FollowUp.__table__.columns.keys()
        followups = [SimpleNamespace(**{k: getattr(f, k) for k in cols}) for f in s.execute(q).scalars()]
        names: dict[int, list[str]] = {}
        if followups:
            for fid, name in s.execute(sa.select(FollowUpContact.followup_id, Contact.name)
                                       .join(Contact, Contact.id == FollowUpContact.contact_id)
                                       .where(FollowUpContact.followup_id.in_([f.id for f in followups]))
                                       .order_by(Contact.name)).all():
                names.setdefault(fid, []).append(name)
    return [(f, names.get(f.id, [])) for f in followups]


@dataclass(frozen=True)
class ContactExport:
    """One contact with its whole history: what the Markdown writer renders."""
    contact: object          # read.ContactDetail
    timeline: list           # read.TimelineEntry, newest first
    touches: dict            # touch id → read.TouchRow (the timeline's touches, in full)


@dataclass(frozen=True)
class RangeExport:
    """The touches, journal days and follow-ups of a range of days (Markdown journal)."""
    touches: list            # read.TouchRow
    journal: dict            # day → body
    followups: list          # read.FollowUpRow due in the range, or without a due day


def contact_for_markdown(db, contact_id: int) -> ContactExport:
    from netjournal.store import contacts, timeline, touches

    c = contacts.get_contact(db, contact_id)
    entries = timeline.timeline(db, contact_id, limit=100_000)
    rows = {t.id: t for t in touches.list_touches(db, contact_id=contact_id, limit=None)}
    return ContactExport(c, entries, rows)


def range_for_markdown(db, since: date, until: date) -> RangeExport:
    from netjournal.store import followups, touches

    rows = touches.list_touches(db, since=since, until=until, limit=None)
    journal = journal_bodies(db, since, until)
    fus = [followups.get_followup(db, fid) for fid in followup_ids_for_range(db, since, until)]
    return RangeExport(rows, journal, fus)
