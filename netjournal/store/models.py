"""The journal's tables (SQLModel).

How time is stored
------------------
* A touch, a follow-up's due date, a journal entry, a snooze: the **local calendar day** the
  user lived it (`DATE`), plus, where it matters, an optional **local wall-clock time**
  (`TIME`, no zone). "Yesterday at 23:30" is stored as yesterday's date and 23:30, so it stays
  on that day whatever the machine's or a later reader's time zone. These are never converted.
* Record-keeping instants (`created_at`, `updated_at`, `completed_at`) are absolute instants,
  stored as UTC by :class:`UTCDateTime`: it refuses naive datetimes on the way in and hands
  back aware UTC datetimes on the way out, on SQLite and PostgreSQL alike. Code converts to
  local time only for display.

Every text column has a length the CLI/TUI/importers check before writing (see
``netjournal.vocab``); the database does not truncate silently.
"""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """An absolute instant: aware in Python, naive UTC in the database."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if isinstance(value, str):  # defensive: raw SQLite text
            value = datetime.fromisoformat(value)
        return value.replace(tzinfo=timezone.utc)


def _stamp() -> datetime:
    return utcnow()


def _fk(target: str, *, ondelete: str = "CASCADE", index: bool = True, nullable: bool = False):
    return Field(
        default=None if nullable else ...,
        sa_column=sa.Column(sa.Integer, sa.ForeignKey(target, ondelete=ondelete), index=index, nullable=nullable),
    )


class _Table(SQLModel):
    """Base of every table: pydantic schemas are built on first use, not at import."""

    model_config = {"defer_build": True}


class Contact(_Table, table=True):
    __tablename__ = "contact"

    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, index=True)
    given_name: str = Field(default="", max_length=200)
    family_name: str = Field(default="", max_length=200)
    nickname: str = Field(default="", max_length=200)
    company: str = Field(default="", max_length=500)
    role: str = Field(default="", max_length=500)
    location: str = Field(default="", max_length=500)
    met_how: str = Field(default="", max_length=500)
    met_on: Optional[date] = None
    tier: str = Field(default="network", max_length=20)
    stage: str = Field(default="attention", max_length=20)
    target_priority: Optional[int] = None  # 1 = top; None = not a target
    target_why: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False, server_default=""))
    target_offer: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False, server_default=""))
    rhythm_days: Optional[int] = None  # explicit override of the learned rhythm
    about: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False, server_default=""))
    interests: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False, server_default=""))
    ask_next: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False, server_default=""))
    kin: bool = False
    archived: bool = Field(default=False, index=True)
    # Summary kept current on every write of a touch (the engine's RelationshipState as JSON),
    # so the reminder queue never has to read the whole touch history.
    state_json: Optional[str] = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
    last_touch_on: Optional[date] = Field(default=None, index=True)
    touch_count: int = 0
    created_at: datetime = Field(default_factory=_stamp, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=_stamp, sa_type=UTCDateTime)


class Handle(_Table, table=True):
    """An email, phone, profile or address of a contact."""

    __tablename__ = "handle"
    __table_args__ = (sa.Index("ix_handle_kind_norm", "kind", "norm"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    contact_id: int = _fk("contact.id")
    kind: str = Field(max_length=20)
    value: str = Field(max_length=500)
    norm: str = Field(default="", max_length=500)  # normalised for matching (lowercase email, digits of a phone…)
    label: str = Field(default="", max_length=100)


class ContactTag(_Table, table=True):
    __tablename__ = "contact_tag"

    contact_id: int = Field(sa_column=sa.Column(sa.Integer, sa.ForeignKey("contact.id", ondelete="CASCADE"), primary_key=True))
    tag: str = Field(sa_column=sa.Column(sa.String(100), primary_key=True, index=True))


class ImportantDate(_Table, table=True):
    __tablename__ = "important_date"

    id: Optional[int] = Field(default=None, primary_key=True)
    contact_id: int = _fk("contact.id")
    kind: str = Field(default="birthday", max_length=20)
    month: int
    day: int
    year: Optional[int] = None  # unknown year allowed
    label: str = Field(default="", max_length=200)


class Touch(_Table, table=True):
    __tablename__ = "touch"

    id: Optional[int] = Field(default=None, primary_key=True)
    occurred_on: date = Field(index=True)          # local calendar day
    occurred_time: Optional[time] = None           # local wall-clock time, optional
    channel: str = Field(max_length=20)
    platform: str = Field(default="", max_length=50)  # for social media: linkedin, x, ...
    direction: str = Field(default="out", max_length=10)
    summary: str = Field(default="", max_length=500)
    notes: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False, server_default=""))
    value_given: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False, server_default=""))
    source: Optional[str] = Field(default=None, max_length=300, index=True)  # import key, for idempotent imports
    created_at: datetime = Field(default_factory=_stamp, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=_stamp, sa_type=UTCDateTime)  # schema 0002


class TouchContact(_Table, table=True):
    __tablename__ = "touch_contact"

    touch_id: int = Field(sa_column=sa.Column(sa.Integer, sa.ForeignKey("touch.id", ondelete="CASCADE"), primary_key=True))
    contact_id: int = Field(sa_column=sa.Column(sa.Integer, sa.ForeignKey("contact.id", ondelete="CASCADE"), primary_key=True, index=True))


class FollowUp(_Table, table=True):
    __tablename__ = "followup"

    id: Optional[int] = Field(default=None, primary_key=True)
    kind: str = Field(default="other", max_length=20)
    title: str = Field(max_length=500)
    due_on: Optional[date] = Field(default=None, index=True)
    due_time: Optional[time] = None
    place: str = Field(default="", max_length=500)
    agenda: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False, server_default=""))
    status: str = Field(default="open", max_length=20, index=True)
    meeting_notes: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False, server_default=""))
    outcome: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False, server_default=""))
    from_touch_id: Optional[int] = Field(
        default=None, sa_column=sa.Column(sa.Integer, sa.ForeignKey("touch.id", ondelete="SET NULL"), nullable=True))
    done_touch_id: Optional[int] = Field(
        default=None, sa_column=sa.Column(sa.Integer, sa.ForeignKey("touch.id", ondelete="SET NULL"), nullable=True))
    parent_id: Optional[int] = Field(  # the follow-up whose next steps created this one
        default=None, sa_column=sa.Column(sa.Integer, sa.ForeignKey("followup.id", ondelete="SET NULL"), nullable=True))
    created_at: datetime = Field(default_factory=_stamp, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=_stamp, sa_type=UTCDateTime)  # schema 0002
    completed_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime)
    # the calendar event it came from ("ics:UID" or "ics:UID:occurrence"), schema 0005: the next
    # import finds it when the meeting is cancelled or moved
    source: Optional[str] = Field(default=None, max_length=300, index=True)


class FollowUpContact(_Table, table=True):
    __tablename__ = "followup_contact"

    followup_id: int = Field(sa_column=sa.Column(sa.Integer, sa.ForeignKey("followup.id", ondelete="CASCADE"), primary_key=True))
    contact_id: int = Field(sa_column=sa.Column(sa.Integer, sa.ForeignKey("contact.id", ondelete="CASCADE"), primary_key=True, index=True))


class JournalEntry(_Table, table=True):
    __tablename__ = "journal_entry"

    id: Optional[int] = Field(default=None, primary_key=True)
    day: date = Field(sa_column=sa.Column(sa.Date, nullable=False, unique=True))
    body: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False, server_default=""))
    created_at: datetime = Field(default_factory=_stamp, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=_stamp, sa_type=UTCDateTime)


class JournalMention(_Table, table=True):
    __tablename__ = "journal_mention"

    entry_id: int = Field(sa_column=sa.Column(sa.Integer, sa.ForeignKey("journal_entry.id", ondelete="CASCADE"), primary_key=True))
    contact_id: int = Field(sa_column=sa.Column(sa.Integer, sa.ForeignKey("contact.id", ondelete="CASCADE"), primary_key=True, index=True))


class Snooze(_Table, table=True):
    __tablename__ = "snooze"

    id: Optional[int] = Field(default=None, primary_key=True)
    contact_id: int = _fk("contact.id")
    kind: Optional[str] = Field(default=None, max_length=20)  # None: every keep-in-touch reminder
    until: date
    created_on: date
    created_at: datetime = Field(default_factory=_stamp, sa_type=UTCDateTime)


class Dismissal(_Table, table=True):
    __tablename__ = "dismissal"

    id: Optional[int] = Field(default=None, primary_key=True)
    contact_id: int = _fk("contact.id")
    kind: str = Field(max_length=20)
    on_day: date
    created_at: datetime = Field(default_factory=_stamp, sa_type=UTCDateTime)


class SearchDoc(_Table, table=True):
    """One searchable document (a contact, touch, follow-up or journal day).

    Kept current by the store on every write. The full-text index over it is dialect
    specific and created by the migrations: an FTS5 external-content table with triggers on
    SQLite, a GIN index over a tsvector expression on PostgreSQL.
    """

    __tablename__ = "search_doc"
    __table_args__ = (sa.UniqueConstraint("kind", "ref_id", name="uq_search_doc_ref"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)         # contact | touch | followup | journal
    ref_id: int
    contact_id: Optional[int] = Field(default=None, index=True)  # main contact, for grouping
    day: Optional[date] = None
    title: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False, server_default=""))
    body: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False, server_default=""))


class QueueSeen(_Table, table=True):
    """A day the reminder queue was actually shown (``netjournal due`` run, the app's Today painted).

    The engine counts a keep-in-touch item's show window in these days only, so nothing
    retires unseen, and a return after days away gets a budgeted catch-up.
    """

    __tablename__ = "queue_seen"

    day: date = Field(primary_key=True)
    source: str = Field(default="cli", max_length=20)   # cli | app
    shown: int = Field(default=0)                       # items on the queue that day (last look)
    seen_at: datetime = Field(default_factory=_stamp, sa_type=UTCDateTime)
class VdirLink(_Table, table=True):
    """One contact synced with one card of a vdir (a folder of .vcf files), as of the last sync.

    ``card_hash`` is the SHA-256 of the card file's bytes as last written or read (changes are
    found by content, never by file times); ``base_json`` holds the synced fields' values both
    sides agreed on (the merge base of the next sync). ``contact_id`` becomes NULL when the
    contact is deleted in netjournal, so the sync can tell "deleted here" from "never synced".
    """

    __tablename__ = "vdir_link"
    __table_args__ = (sa.UniqueConstraint("vdir", "uid", name="uq_vdir_link_uid"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    vdir: str = Field(max_length=1000, index=True)       # the folder's absolute path
    contact_id: Optional[int] = Field(
        default=None, sa_column=sa.Column(sa.Integer, sa.ForeignKey("contact.id", ondelete="SET NULL"),
                                          nullable=True, index=True))
    uid: str = Field(max_length=500)
    filename: str = Field(max_length=500)
    card_hash: str = Field(max_length=64)
    journal_hash: str = Field(default="", max_length=64)  # digest of the journal's synced values as left
    base_json: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False, server_default=""))
    synced_at: datetime = Field(default_factory=_stamp, sa_type=UTCDateTime)
class ContactLink(_Table, table=True):
    """A relationship between two contacts (schema 0006): "A <kind> B".

    Directional kinds read from ``a`` to ``b`` (A parent of B, A reports to B, A introduced by
    B); their inverse is shown from B's side by :mod:`netjournal.store.links`. Symmetric kinds
    are stored with ``a_id < b_id`` so a pair has one row. Deleting either contact deletes the
    link; deleting the touch where an introduction happened keeps the link.
    """

    __tablename__ = "contact_link"
    __table_args__ = (sa.UniqueConstraint("a_id", "b_id", "kind", "label", name="uq_contact_link"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    a_id: int = _fk("contact.id")
    b_id: int = _fk("contact.id")
    kind: str = Field(max_length=20)
    label: str = Field(default="", max_length=100)    # custom links: the user's words
    company: str = Field(default="", max_length=500)  # colleagues: where
    since: Optional[date] = None
    touch_id: Optional[int] = Field(
        default=None, sa_column=sa.Column(sa.Integer, sa.ForeignKey("touch.id", ondelete="SET NULL"), nullable=True))
    created_at: datetime = Field(default_factory=_stamp, sa_type=UTCDateTime)


class ImportName(_Table, table=True):
    """A name (or address) a chat/calendar/mail import met that matched no contact, and what the
    user said it is (schema 0004): a contact, "skip", or "me". Asked once in the TUI's import
    dialog (or given with ``--map``); the next import of the same source does not ask again.
    ``scope`` is the platform (whatsapp, telegram, slack, …) or "email"; ``key`` the name's
    exact-match key (records.name_key) or the lower-case address. Deleting the contact deletes
    the mapping (the name is asked again)."""

    __tablename__ = "import_name"
    __table_args__ = (sa.UniqueConstraint("scope", "key", name="uq_import_name"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    scope: str = Field(max_length=20)
    key: str = Field(max_length=300)
    name: str = Field(default="", max_length=300)      # as the source spells it
    action: str = Field(default="contact", max_length=10)   # contact | skip | me
    contact_id: Optional[int] = _fk("contact.id", nullable=True)
    created_at: datetime = Field(default_factory=_stamp, sa_type=UTCDateTime)
