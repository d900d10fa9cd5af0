"""Export: vCard 3.0/4.0, iCalendar, JSON (the lossless backup) and Markdown.

``export(db, fmt, out, ...)`` writes ``out`` atomically and readable by the user alone
(0600), or returns the text when ``out`` is None (for stdout).
"""
from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from netjournal.errors import UserError

EXPORT_FORMATS = ("vcard", "vcard3", "vcard4", "ical", "json", "markdown")
_ALIASES = {"vcf": "vcard", "vcard": "vcard", "vcard3": "vcard3", "vcard4": "vcard4", "ics": "ical",
            "ical": "ical", "icalendar": "ical", "json": "json", "backup": "json", "md": "markdown",
            "markdown": "markdown"}


def export(db, fmt: str, out: Path | None, *, contact_id: int | None = None, since: date | None = None,
           until: date | None = None, today: date, stdout=None) -> str | None:
    """... With ``stdout`` (a text stream) and no ``out``, the JSON backup is streamed to it
    row by row (constant memory) and None is returned."""
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
        from netjournal.store.export import open_followups_for_export

        contacts = load_contacts(db, contact_id)
        text = write_ical(contacts, open_followups_for_export(db, contact_id), today=today)
    elif fmt == "json":
        from netjournal.formats.backup import dump_json

        if contact_id is not None:
            raise UserError("the JSON backup holds the whole journal; leave out the contact")
        from netjournal.formats.backup import write_json, write_private_stream

        if out is not None:
            write_private_stream(Path(out), lambda fh: write_json(db, fh))
            return None
        if stdout is not None:
            write_json(db, stdout)
            return None
        text = dump_json(db)
    else:
        from netjournal.formats.markdown import check_range, contact_markdown, range_markdown
        from netjournal.store.export import contact_for_markdown, range_for_markdown

        if contact_id is not None:
            text = contact_markdown(contact_for_markdown(db, contact_id), today=today)
        else:
            since, until = since or (today - timedelta(days=30)), until or today
            check_range(since, until)
            text = range_markdown(range_for_markdown(db, since, until), since, until)
    if out is None:
        return text
    from netjournal.formats.backup import write_private

    write_private(Path(out), text)
    return None


def load_contacts(db, contact_id: int | None = None) -> list[dict]:
    """Contacts as dicts with their handles, tags and dates (read by the store)."""
    from netjournal.store.export import contacts_for_export

    return contacts_for_export(db, contact_id)


def month_day_label(month: int, day: int, year: int | None) -> str:
    base = f"{day} {calendar.month_abbr[month]}"
    return f"{base} {year}" if year else base


def utc_stamp() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)
