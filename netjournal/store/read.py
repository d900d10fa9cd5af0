"""Plain read objects handed out by the store: frozen dataclasses, never ORM objects.

They can be passed to other threads (the TUI's workers) and read after their session has
closed without lazy loads.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time


@dataclass(frozen=True)
class Ref:
    """A contact named in a touch, follow-up or journal entry."""

    id: int
    name: str


@dataclass(frozen=True)
class HandleRow:
    id: int
    kind: str
    value: str
    label: str = ""


@dataclass(frozen=True)
class DateRow:
    id: int
    kind: str
    month: int
    day: int
    year: int | None = None
    label: str = ""

    def display(self) -> str:
        import calendar

        base = f"{self.day} {calendar.month_abbr[self.month]}"
        return f"{base} {self.year}" if self.year else base


@dataclass(frozen=True)
class ContactSummary:
    id: int
    name: str
    nickname: str
    company: str
    role: str
    tier: str
    stage: str
    last_touch_on: date | None
    touch_count: int
    tags: tuple[str, ...]
    archived: bool
    kin: bool
    target_priority: int | None
    next_due: date | None = None


@dataclass(frozen=True)
class ContactDetail:
    id: int
    name: str
    given_name: str
    family_name: str
    nickname: str
    company: str
    role: str
    location: str
    met_how: str
    met_on: date | None
    tier: str
    stage: str
    target_priority: int | None
    target_why: str
    target_offer: str
    rhythm_days: int | None
    about: str
    interests: str
    ask_next: str
    kin: bool
    archived: bool
    last_touch_on: date | None
    touch_count: int
    created_at: datetime
    updated_at: datetime
    handles: tuple[HandleRow, ...] = ()
    tags: tuple[str, ...] = ()
    dates: tuple[DateRow, ...] = ()
    rhythm: float | None = None          # the rhythm in force (days)
    rhythm_source: str = ""              # "set" | "learned" | "tier prior"

    @property
    def birthday(self) -> DateRow | None:
        return next((d for d in self.dates if d.kind == "birthday"), None)


@dataclass(frozen=True)
class TouchRow:
    id: int
    occurred_on: date
    occurred_time: time | None
    channel: str
    platform: str
    direction: str
    summary: str
    notes: str
    value_given: str
    contacts: tuple[Ref, ...]
    source: str | None = None


@dataclass(frozen=True)
class FollowUpRow:
    id: int
    kind: str
    title: str
    due_on: date | None
    due_time: time | None
    place: str
    agenda: str
    status: str
    meeting_notes: str
    outcome: str
    from_touch_id: int | None
    done_touch_id: int | None
    parent_id: int | None
    contacts: tuple[Ref, ...]
    created_at: datetime
    completed_at: datetime | None


@dataclass(frozen=True)
class JournalDay:
    day: date
    body: str
    mentions: tuple[Ref, ...] = ()
    exists: bool = True


@dataclass(frozen=True)
class SearchHit:
    kind: str                 # contact | touch | followup | journal
    ref_id: int
    contact_id: int | None
    day: date | None
    title: str
    snippet: str              # matches wrapped in HL_START / HL_END
    rank: float


# Markers around highlighted matches in SearchHit.snippet (control characters, so they can
# never collide with user text or be read as markup).
HL_START = "\x02"
HL_END = "\x03"


@dataclass(frozen=True)
class TimelineEntry:
    kind: str                 # touch | followup | journal
    day: date | None
    time: time | None
    title: str
    detail: str
    ref_id: int
    channel: str = ""
    direction: str = ""
    status: str = ""


@dataclass(frozen=True)
class Counts:
    contacts: int
    archived: int
    touches: int
    followups_open: int
    followups: int
    journal_entries: int
    handles: int
    search_docs: int = 0
