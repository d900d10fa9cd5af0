"""What the readers hand to the importer: plain records, one per contact or conversation day.

Readers never touch the database; they turn a file into :class:`ContactRecord` and
:class:`TouchRecord` objects plus :class:`Problem` lines, and the importer matches, merges
and writes them in one transaction.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, time


def import_key(prefix: str, raw: str) -> str:
    """The import key of a touch or follow-up (``touch.source``, ``followup.source``: 300
    characters): ``prefix:raw``, or the prefix and a SHA-1 of it when longer than 290, so two long
    keys never collide as a cut would. Re-importing finds the same key."""
    key = f"{prefix}:{raw}"
    return key if len(key) <= 290 else f"{prefix}:" + hashlib.sha1(key.encode()).hexdigest()


@dataclass
class Problem:
    """A record (or a field of one) that could not be read. ``line`` is 1-based, in the file."""

    source: str
    line: int | None
    reason: str
    # False: the record was imported, only this field was kept another way (a note).
    # --strict refuses an import only for fatal problems (records that were not imported).
    fatal: bool = True

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{where}: {self.reason}"


@dataclass
class ContactRecord:
    source: str
    line: int | None = None
    name: str = ""
    given_name: str = ""
    family_name: str = ""
    nickname: str = ""
    company: str = ""
    role: str = ""
    location: str = ""
    met_how: str = ""
    met_on: date | None = None
    about: str = ""
    # netjournal's own fields (only our vCard export carries them)
    extra: dict = field(default_factory=dict)
    handles: list[tuple[str, str, str]] = field(default_factory=list)   # (kind, value, label)
    tags: list[str] = field(default_factory=list)
    dates: list[tuple[str, int, int, int | None, str]] = field(default_factory=list)  # kind, month, day, year, label

    def add_handle(self, kind: str, value: str, label: str = "") -> None:
        value = " ".join((value or "").split())
        if not value:
            return
        self.handles.append((kind, value, label))

    def add_note(self, text: str) -> None:
        text = (text or "").strip("\n")
        if not text.strip():
            return
        self.about = (self.about.rstrip("\n") + "\n\n" + text) if self.about.strip() else text

    def add_date(self, kind: str, month: int, day: int, year: int | None, label: str = "") -> None:
        item = (kind, month, day, year, label)
        for k, m, d, y, lab in self.dates:
            if (k, m, d, lab) == (kind, month, day, label) and (y == year or year is None):
                return
        self.dates.append(item)


@dataclass
class TouchRecord:
    source: str                     # idempotency key stored in Touch.source
    line: int | None
    day: date
    at: time | None
    channel: str
    platform: str
    direction: str
    summary: str
    notes: str
    participants: list[tuple[str, str]]  # (name, profile url) of the other people
    # Mail, calendar and chat readers name the other people this way instead (see Person);
    # ``first`` is who wrote first that day: the direction is "in" when it is a contact.
    people: list["Person"] = field(default_factory=list)
    first: "Person | None" = None


_SPACE = re.compile(r"\s+")


def name_key(name: str) -> str:
    """Exact-name matching key: case, width and spacing do not matter."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", name or "")).strip().casefold()


@dataclass
class Person:
    """Someone in a touch or follow-up, as a source names them; the importer finds the contact.

    ``handles`` are (kind, value) pairs matched against the journal's handles; ``match_name``
    also allows an exact-name match (chats); ``create`` adds a contact when nobody matches.
    """

    name: str = ""
    handles: list[tuple[str, str]] = field(default_factory=list)
    match_name: bool = False
    create: bool = False
    messages: int = 0           # how many of the touch's messages they wrote (shown when asking who they are)


@dataclass
class FollowUpRecord:
    """A future meeting or call with someone (calendars)."""

    source: str
    line: int | None
    day: date
    at: time | None
    kind: str
    title: str
    place: str
    people: list[Person] = field(default_factory=list)


@dataclass
class CancelRecord:
    """A future meeting the organizer cancelled (calendars): the open follow-up made from it, if
    any, is cancelled. ``source`` is the series (``ics:UID``) or one occurrence (``ics:UID:key``)."""

    source: str
    day: date | None          # None: the whole series
    title: str
    series: bool = False      # the whole event (every occurrence), not one occurrence

    def covers(self, source: str) -> bool:
        """Whether a follow-up made from ``source`` is the meeting called off."""
        return source == self.source or (self.series and source.startswith(self.source + ":"))
