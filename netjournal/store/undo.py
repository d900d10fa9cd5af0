"""Taking back what was just done: the store side of the app's undo (``u``).

Deleting keeps nothing, so what a delete removes is first read out as plain rows
(:func:`save_touch`, :func:`save_contact`: a :class:`Saved`) and :func:`restore` puts exactly
those rows back, with their ids, in one transaction — the touch with its contacts, the contact
with its handles, dates, tags, touches, follow-ups, mentions, snoozes and dismissals. Links that
the delete set to NULL elsewhere (a follow-up planned from a deleted touch) are set again.

Snoozes and dismissals are rows of their own: :func:`unsnooze` / :func:`undismiss` remove the
one just added, :func:`hidden_reminders` lists those in force and :func:`restore_hidden` lifts
one of them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

from netjournal.errors import NotFound, UserError
from netjournal.store.db import Database
from netjournal.store.models import (
    Contact, ContactLink, ContactTag, Dismissal, FollowUp, FollowUpContact, Handle, ImportantDate, ImportName,
    JournalMention,
    SearchDoc, Snooze, Touch, TouchContact,
)

# the order rows go back in (a row's foreign keys point to rows before it)
_ORDER = (Contact, Handle, ContactTag, ImportantDate, Snooze, Dismissal, Touch, TouchContact, FollowUp,
          FollowUpContact, JournalMention, SearchDoc, ImportName, ContactLink)
DISMISSALS_SHOWN_DAYS = 90


@dataclass(frozen=True)
class Saved:
    """Rows read out before a delete, to be put back by :func:`restore`."""
    what: str                                   # "touch" | "contact" | "link"
    rows: tuple[tuple[str, tuple[dict, ...]], ...]  # (table name, rows), in insert order
    links: tuple[tuple[int, str, int], ...]     # (follow-up id, column, id) set to NULL by the delete
    contact_ids: tuple[int, ...]                # whose derived state (last touch, rhythm) to rebuild
    link_touches: tuple[tuple[int, int], ...] = ()  # (contact link id, touch id) set to NULL by the delete


def _rows(s, model, where) -> tuple[dict, ...]:
    table = model.__table__
    return tuple(dict(r) for r in s.connection().execute(sa.select(table).where(where)).mappings())


def _links(s, touch_ids: list[int], followup_ids: list[int]) -> list[tuple[int, str, int]]:
    out: list[tuple[int, str, int]] = []
    if touch_ids:
        for col in ("from_touch_id", "done_touch_id"):
            c = getattr(FollowUp, col)
            for fid, tid in s.exec(sa.select(FollowUp.id, c).where(c.in_(touch_ids))):
                out.append((fid, col, tid))
    if followup_ids:
        for fid, pid in s.exec(sa.select(FollowUp.id, FollowUp.parent_id).where(FollowUp.parent_id.in_(followup_ids))):
            out.append((fid, "parent_id", pid))
    return out


def save_touch(db: Database, touch_id: int) -> Saved:
    """What deleting touch ``touch_id`` removes (read before :func:`api.delete_touch`)."""
    with db.read() as s:
        if s.get(Touch, touch_id) is None:
            raise NotFound(f"no touch #{touch_id}")
        links = _rows(s, TouchContact, TouchContact.touch_id == touch_id)
        rows = (("touch", _rows(s, Touch, Touch.id == touch_id)), ("touch_contact", links),
                ("search_doc", _rows(s, SearchDoc, (SearchDoc.kind == "touch") & (SearchDoc.ref_id == touch_id))))
        return Saved("touch", rows, tuple(_links(s, [touch_id], [])), tuple(r["contact_id"] for r in links),
                     _link_touches(s, [touch_id]))


def save_contact(db: Database, contact_id: int) -> Saved:
    """What deleting contact ``contact_id`` removes (read before :func:`api.delete_contact`):
    the contact, its own rows, the touches and follow-ups with nobody else, its place in group
    touches and follow-ups, journal mentions and search documents."""
    with db.read() as s:
        if s.get(Contact, contact_id) is None:
            raise NotFound(f"no contact #{contact_id}")
        from netjournal.store.contacts import solo_ids

        solo_t, solo_f = solo_ids(s, contact_id)
        docs = ((SearchDoc.kind == "contact") & (SearchDoc.ref_id == contact_id))
        if solo_t:
            docs = docs | ((SearchDoc.kind == "touch") & SearchDoc.ref_id.in_(solo_t))
        if solo_f:
            docs = docs | ((SearchDoc.kind == "followup") & SearchDoc.ref_id.in_(solo_f))
        rows = []
        for model in _ORDER:
            if model is Contact:
                where = Contact.id == contact_id
            elif model is Touch:
                where = Touch.id.in_(solo_t or [-1])
            elif model is FollowUp:
                where = FollowUp.id.in_(solo_f or [-1])
            elif model is SearchDoc:
                where = docs
            elif model is ContactLink:  # their links (with whoever else) go with them
                where = (ContactLink.a_id == contact_id) | (ContactLink.b_id == contact_id)
            else:
                where = model.contact_id == contact_id
            rows.append((model.__tablename__, _rows(s, model, where)))
        # links from rows that stay to rows that go (the delete sets them to NULL)
        links = [link for link in _links(s, solo_t, solo_f) if link[0] not in solo_f]
        gone = {r["id"] for name, rs in rows if name == "contact_link" for r in rs}
        return Saved("contact", tuple(rows), tuple(links), (contact_id,),
                     tuple(lt for lt in _link_touches(s, solo_t) if lt[0] not in gone))


def _link_touches(s, touch_ids: list[int]) -> tuple[tuple[int, int], ...]:
    if not touch_ids:
        return ()
    return tuple((lid, tid) for lid, tid in s.exec(
        sa.select(ContactLink.id, ContactLink.touch_id).where(ContactLink.touch_id.in_(touch_ids))))


def save_link(db: Database, link_id: int) -> Saved:
    """A link as it is now (kind, words, company, date, touch, id): what removing or editing it
    changes, put back by :func:`restore` (removed) or :func:`revert_link` (edited)."""
    with db.read() as s:
        rows = _rows(s, ContactLink, ContactLink.id == link_id)
        if not rows:
            raise NotFound(f"no link #{link_id}")
        return Saved("link", (("contact_link", rows),), (), (rows[0]["a_id"], rows[0]["b_id"]))


def delete_link(db: Database, link_id: int) -> Saved:
    """Remove one link, keeping it exactly for :func:`restore`."""
    from netjournal.store import links

    saved = save_link(db, link_id)
    links.remove_link(db, link_id)
    return saved


def _check_link_back(s, row: dict) -> None:
    """A removed link can come back only if both people are still there and nothing took its place."""
    same = s.exec(sa.select(ContactLink.id).where(
        ContactLink.a_id == row["a_id"], ContactLink.b_id == row["b_id"], ContactLink.kind == row["kind"],
        ContactLink.label == row["label"])).first()
    if same is not None:
        raise UserError("already restored" if same[0] == row.get("id") else "they are linked that way again already")
    for cid in (row["a_id"], row["b_id"]):
        if s.get(Contact, cid) is None:
            raise NotFound(f"contact #{cid} is no longer in the journal")
    if "id" in row and s.get(ContactLink, row["id"]) is not None:
        del row["id"]  # (SQLite gave its id to a newer link: it comes back under a new one)
    if row["touch_id"] is not None and s.get(Touch, row["touch_id"]) is None:
        row["touch_id"] = None  # the touch went since: the link comes back without it


def revert_link(db: Database, saved: Saved) -> None:
    """Undo of an edit: the link's kind, direction, words and company as they were in ``saved``."""
    row = dict(saved.rows[0][1][0])
    with db.write() as s:
        link = s.get(ContactLink, row["id"])
        if link is None:
            raise NotFound("that link is no longer there")
        same = s.exec(sa.select(ContactLink.id).where(
            ContactLink.a_id == row["a_id"], ContactLink.b_id == row["b_id"], ContactLink.kind == row["kind"],
            ContactLink.label == row["label"], ContactLink.id != row["id"])).first()
        if same is not None:
            raise UserError("they are linked that way again already")
        for col in ("a_id", "b_id", "kind", "label", "company", "since"):
            setattr(link, col, row[col])
        s.add(link)


def delete_touch(db: Database, touch_id: int) -> Saved:
    """:func:`api.delete_touch`, keeping what it removed."""
    from netjournal.store import api

    saved = save_touch(db, touch_id)
    api.delete_touch(db, touch_id)
    return saved


def delete_contact(db: Database, contact_id: int) -> Saved:
    """:func:`api.delete_contact`, keeping what it removed."""
    from netjournal.store import api

    saved = save_contact(db, contact_id)
    api.delete_contact(db, contact_id)
    return saved


def restore(db: Database, saved: Saved) -> None:
    """Put the rows of ``saved`` back, with their ids, in one transaction. (The ids came from
    the tables' sequences when the rows were first written, so no sequence lags behind.)"""
    from netjournal.store.touches import rebuild_state

    tables = {m.__tablename__: m.__table__ for m in _ORDER}
    with db.write() as s:
        conn = s.connection()
        for name, rows in saved.rows:
            if name == "contact" and rows and s.get(Contact, rows[0]["id"]) is not None:
                raise UserError("already restored")
            if name == "touch" and rows and s.get(Touch, rows[0]["id"]) is not None:
                raise UserError("already restored")
            if name == "contact_link" and saved.what == "link":
                _check_link_back(s, rows[0])
            if rows:
                rows = sorted(rows, key=lambda r: r.get("id") or 0)
                if name == "followup":  # parents first; a parent that is not coming back: NULL
                    back = {r["id"] for r in rows}
                    rows = [r if r["parent_id"] is None or r["parent_id"] in back or
                            s.get(FollowUp, r["parent_id"]) is not None else {**r, "parent_id": None}
                            for r in rows]
                conn.execute(sa.insert(tables[name]), list(rows))
        for fid, col, value in saved.links:
            conn.execute(sa.update(FollowUp.__table__).where(FollowUp.__table__.c.id == fid).values({col: value}))
        link_table = ContactLink.__table__
        for lid, tid in saved.link_touches:
            conn.execute(sa.update(link_table).where(link_table.c.id == lid).values(touch_id=tid))
        if saved.what == "touch":
            for cid in saved.contact_ids:
                rebuild_state(s, cid)


# --------------------------------------------------------------------------- snoozes, dismissals

def unsnooze(db: Database, contact_id: int, *, kind: str | None, until: date) -> None:
    """Lift the newest snooze of ``contact_id`` (``kind``) until ``until``: the one just added."""
    with db.write() as s:
        sid = s.exec(sa.select(Snooze.id).where(
            Snooze.contact_id == contact_id, Snooze.until == until,
            Snooze.kind.is_(None) if kind is None else Snooze.kind == kind,
        ).order_by(Snooze.id.desc()).limit(1)).scalar()
        if sid is None:
            raise NotFound("that snooze is no longer there")
        s.exec(sa.delete(Snooze).where(Snooze.id == sid))


def undismiss(db: Database, contact_id: int, *, kind: str, on_day: date) -> None:
    """Take back the newest dismissal of ``contact_id`` (``kind``) made on ``on_day``."""
    with db.write() as s:
        did = s.exec(sa.select(Dismissal.id).where(
            Dismissal.contact_id == contact_id, Dismissal.kind == kind, Dismissal.on_day == on_day,
        ).order_by(Dismissal.id.desc()).limit(1)).scalar()
        if did is None:
            raise NotFound("that dismissal is no longer there")
        s.exec(sa.delete(Dismissal).where(Dismissal.id == did))


@dataclass(frozen=True)
class Hidden:
    """A snooze in force or a recent dismissal: a reminder kept off the queue."""
    what: str              # "snooze" | "dismissal"
    id: int
    contact_id: int
    contact_name: str
    kind: str | None       # the reminder kind (None: every keep-in-touch reminder)
    since: date            # snoozed on / dismissed on
    until: date | None     # snoozed until


def hidden_reminders(db: Database, today: date) -> list[Hidden]:
    """Snoozes still in force, then dismissals of the last 90 days, newest first."""
    out: list[Hidden] = []
    with db.read() as s:
        for sid, cid, name, kind, until, created in s.exec(
                sa.select(Snooze.id, Snooze.contact_id, Contact.name, Snooze.kind, Snooze.until, Snooze.created_on)
                .join(Contact, Contact.id == Snooze.contact_id)
                .where(Snooze.until > today).order_by(Snooze.until, Snooze.id)):
            out.append(Hidden("snooze", sid, cid, name, kind, created, until))
        for did, cid, name, kind, on in s.exec(
                sa.select(Dismissal.id, Dismissal.contact_id, Contact.name, Dismissal.kind, Dismissal.on_day)
                .join(Contact, Contact.id == Dismissal.contact_id)
                .where(Dismissal.on_day >= today - timedelta(days=DISMISSALS_SHOWN_DAYS))
                .order_by(Dismissal.on_day.desc(), Dismissal.id.desc())):
            out.append(Hidden("dismissal", did, cid, name, kind, on, None))
    return out


def restore_hidden(db: Database, what: str, row_id: int) -> int:
    """Lift one snooze or dismissal (by the id :func:`hidden_reminders` gave); returns the
    contact id, whose queue items come back."""
    model = {"snooze": Snooze, "dismissal": Dismissal}.get(what)
    if model is None:
        raise UserError(f"nothing to restore: {what!r}")
    with db.write() as s:
        row = s.get(model, row_id)
        if row is None:
            raise NotFound(f"that {what} is no longer there")
        cid = row.contact_id
        s.exec(sa.delete(model).where(model.id == row_id))
        return cid
