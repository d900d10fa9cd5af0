"""Export: vCard 3.0/4.0, iCalendar, JSON (the lossless backup) and Markdown.

``export(db, fmt, out, ...)`` writes ``out`` atomically and readable by the user alone
(0600), or returns the text when ``out`` is None (for stdout).
"""
from __future__ import annotations

import calendar
from collections import defaultdict
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from netjournal.errors import NotFound, UserError

EXPORT_FORMATS = ("vcard", "vcard3", "vcard4", "ical", "json", "markdown")
_ALIASES = {"vcf": "vcard", "vcard": "vcard", "vcard3": "vcard3", "vcard4": "vcard4", "ics": "ical",
            "ical": "ical", "icalendar": "ical", "json": "json", "backup": "json", "md": "markdown",
            "markdown": "markdown"}


def export(db, fmt: str, out: Path | None, *, contact_id: int | None = None, since: date | None = None,
           until: date | None = None, today: date) -> str | None:
    key = (fmt or "").strip().lower()
    if key not in _ALIASES:
        raise UserError(f"unknown export format {fmt!r} (one of: {', '.join(EXPORT_FORMATS)})")
    fmt = _ALIASES[key]
    if since and until and since > until:
        raise UserError("--since is after --until")
    if fmt in ("vcard", "vcard3", "vcard4"):
        from netjournal.formats.vcard import write_vcards

        text = write_vcards(load_contacts(db, contact_id), "4.0" if fmt == "vcard4" else "3.0")
    elif fmt == "ical":
        from netjournal.formats.ical import write_ical

        text = write_ical(db, contact_id=contact_id, today=today)
    elif fmt == "json":
        from netjournal.formats.backup import dump_json

        if contact_id is not None:
            raise UserError("the JSON backup holds the whole journal; leave out the contact")
        text = dump_json(db)
    else:
        from netjournal.formats.markdown import contact_markdown, range_markdown

        if contact_id is not None:
            text = contact_markdown(db, contact_id, today=today)
        else:
            text = range_markdown(db, since or (today - timedelta(days=30)), until or today)
    if out is None:
        return text
    from netjournal.formats.backup import write_private

    write_private(Path(out), text)
    return None


def load_contacts(db, contact_id: int | None = None) -> list[dict]:
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
    from netjournal.store.links import links_by_contact  # issue 16: RELATED / X-ABRELATEDNAMES

    related = links_by_contact(db, [c["id"] for c in out] if contact_id is not None else None)
    for c in out:
        c["related"] = [(r.kind, r.words, r.other.name, r.label) for r in related.get(c["id"], [])]
    return out


def month_day_label(month: int, day: int, year: int | None) -> str:
    base = f"{day} {calendar.month_abbr[month]}"
    return f"{base} {year}" if year else base


def utc_stamp() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)
