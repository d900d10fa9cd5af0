"""People know each other: links between contacts, introductions, the network.

A link is stored once as "A <kind> B". Directional kinds read from A to B (A *parent* of B,
A *reports to* B, A was *introduced by* B); from B's side the inverse is shown (B *child* of
A, B *manages* A, B *introduced you to* A). Symmetric kinds (partner, colleague…) are stored with the
smaller id first, so a pair has one row whatever order the user typed.

The words a user may type for a kind, and what each reads as from either side, are in
:data:`KINDS`; inverse words (``child``, ``manages``, ``introduced``) are accepted and stored
the other way round.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Sequence

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from netjournal import vocab
from netjournal.errors import NotFound, UserError
from netjournal.store import validate as v
from netjournal.store.db import Database
from netjournal.store.models import Contact, ContactLink, FollowUpContact, Touch, TouchContact
from netjournal.store.read import Ref

# stored kind: (forward words, inverse words, symmetric)
KINDS: dict[str, tuple[str, str, bool]] = {
    "partner": ("partner of", "partner of", True),
    "spouse": ("spouse of", "spouse of", True),
    "parent": ("parent of", "child of", False),
    "sibling": ("sibling of", "sibling of", True),
    "colleague": ("colleague of", "colleague of", True),
    "friend": ("friend of", "friend of", True),
    "knows": ("knows", "knows", True),
    "introduced_by": ("introduced by", "introduced you to", False),
    "reports_to": ("reports to", "manages", False),
    "custom": ("", "", True),
}
# what a user may type → (stored kind, swap A and B)
_ALIASES: dict[str, tuple[str, bool]] = {
    "partner": ("partner", False), "spouse": ("spouse", False), "wife": ("spouse", False),
    "husband": ("spouse", False), "parent": ("parent", False), "child": ("parent", True),
    "sibling": ("sibling", False), "colleague": ("colleague", False), "friend": ("friend", False),
    "knows": ("knows", False), "introduced-by": ("introduced_by", False),
    "introduced": ("introduced_by", True), "reports-to": ("reports_to", False),
    "manages": ("reports_to", True), "manager": ("reports_to", True), "custom": ("custom", False),
}
KIND_WORDS: tuple[str, ...] = tuple(_ALIASES)
# How much a link to the target is worth for an introduction (a company alone: less).
_LINK_WEIGHT = {"partner": 1.0, "spouse": 1.0, "parent": 1.0, "sibling": 1.0, "friend": 1.0,
                "reports_to": 0.95, "colleague": 0.9, "introduced_by": 0.85, "knows": 0.8, "custom": 0.8}
_COMPANY_WEIGHT = 0.6
_TIER_WEIGHT = {"inner": 1.0, "close": 0.8, "friend": 0.6, "network": 0.4, "acquaintance": 0.2}


@dataclass(frozen=True)
class LinkRow:
    """A link as seen from one contact: "<contact> <words> <other>"."""

    id: int
    contact_id: int
    other: Ref
    kind: str          # the stored kind
    words: str         # as read from contact_id's side: "child of", "colleague of", "knows"…
    company: str = ""
    label: str = ""
    since: date | None = None
    touch_id: int | None = None

    def describe(self) -> str:
        words = self.label if self.kind == "custom" else self.words
        extra = f" at {self.company}" if self.company else ""
        when = f" since {self.since.isoformat()}" if self.since else ""
        return f"{words} {self.other.name}{extra}{when}"


@dataclass(frozen=True)
class Introducer:
    """Someone who could introduce the user to a target, and why."""

    contact: Ref
    score: float        # 0–100
    via: str            # how they know the target, in words
    reasons: tuple[str, ...]
    tier: str
    last_touch_on: date | None


@dataclass(frozen=True)
class Suggestion:
    n: int              # 1-based number, for `links suggest --accept N`
    a: Ref
    b: Ref
    together: int       # group touches / follow-ups they shared


@dataclass(frozen=True)
class Ranked:
    contact: Ref
    count: int


def parse_kind(word: str) -> tuple[str, bool]:
    """A kind as typed → (stored kind, swap). Unknown: one clear line."""
    key = re.sub(r"[\s_]+", "-", (word or "").strip().lower())
    if key not in _ALIASES:
        raise UserError(f"unknown link type {word!r} (use one of: {', '.join(KIND_WORDS)})")
    return _ALIASES[key]


def _ref(s: Session, contact_id: int) -> Ref:
    c = s.get(Contact, contact_id)
    if c is None:
        raise NotFound(f"no contact #{contact_id}")
    return Ref(c.id, c.name)


def _row(link: ContactLink, me: int, names: dict[int, str]) -> LinkRow:
    fwd, inv, _sym = KINDS.get(link.kind, (link.kind, link.kind, True))
    if link.a_id == me:
        other, words = link.b_id, fwd
    else:
        other, words = link.a_id, inv
    return LinkRow(link.id, me, Ref(other, names.get(other, f"#{other}")), link.kind, words,
                   link.company, link.label, link.since, link.touch_id)


def _reports_chain_reaches(s: Session, start: int, goal: int, besides: int | None = None) -> bool:
    """Does following "reports to" from ``start`` reach ``goal``?"""
    seen, todo = {start}, [start]
    while todo:
        cur = todo.pop()
        if cur == goal:
            return True
        for (nxt,) in s.exec(sa.select(ContactLink.b_id).where(
                ContactLink.a_id == cur, ContactLink.kind == "reports_to",
                ContactLink.id != (besides if besides is not None else -1))).all():
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return False


def _clean(kind_word: str, a_id: int, b_id: int, company: str, label: str) -> tuple[str, int, int, str, str]:
    kind, swap = parse_kind(kind_word)
    if swap:
        a_id, b_id = b_id, a_id
    if a_id == b_id:
        raise UserError("a contact cannot be linked to themselves")
    company = v.text(company or "", "company", max_len=vocab.MAX_SHORT).strip()
    label = v.text(label or "", "label", max_len=100).strip()
    if kind == "custom" and not label:
        raise UserError("a custom link needs a label (--label 'godparent of')")
    if kind != "custom" and label:
        raise UserError("--label goes with a custom link (--as custom)")
    if company and kind != "colleague":
        raise UserError("--company goes with a colleague link")
    if KINDS[kind][2] and a_id > b_id:
        a_id, b_id = b_id, a_id
    return kind, a_id, b_id, company, label


def _insert(s: Session, kind: str, a_id: int, b_id: int, company: str, label: str,
            since: date | None, touch_id: int | None) -> ContactLink:
    if touch_id is not None and s.get(Touch, touch_id) is None:
        raise NotFound(f"no touch #{touch_id}")
    _check_new(s, kind, a_id, b_id, label)
    link = ContactLink(a_id=a_id, b_id=b_id, kind=kind, label=label, company=company, since=since, touch_id=touch_id)
    s.add(link)
    s.flush()
    return link


def _check_new(s: Session, kind: str, a_id: int, b_id: int, label: str, besides: int | None = None) -> None:
    """A duplicate, a reports-to cycle, a parent both ways: one clear line (UserError). ``besides``:
    a link being edited, left out of the checks."""
    ra, rb = _ref(s, a_id), _ref(s, b_id)
    other = ContactLink.id != (besides if besides is not None else -1)
    dup = s.exec(select(ContactLink).where(ContactLink.a_id == a_id, ContactLink.b_id == b_id, other,
                                           ContactLink.kind == kind, ContactLink.label == label)).first()
    if dup is not None:
        raise UserError(f"{ra.name} is already linked to {rb.name} that way (link #{dup.id})")
    if kind == "reports_to" and _reports_chain_reaches(s, b_id, a_id, besides):
        raise UserError(f"{ra.name} cannot report to {rb.name}: {rb.name} already reports, "
                        f"directly or not, to {ra.name}")
    if kind in ("parent",):
        back = s.exec(select(ContactLink.id).where(ContactLink.a_id == b_id, ContactLink.b_id == a_id,
                                                   ContactLink.kind == kind, other)).first()
        if back is not None:
            raise UserError(f"{rb.name} is already {ra.name}'s parent")


def add_link(db: Database, a_id: int, b_id: int, kind: str, *, company: str = "", label: str = "",
             since: date | None = None, touch_id: int | None = None) -> LinkRow:
    """Link A and B ("A <kind> B"); returns the link as seen from A. Bad input: UserError, nothing written."""
    skind, sa_id, sb_id, company, label = _clean(kind, a_id, b_id, company, label)
    with db.write() as s:
        link = _insert(s, skind, sa_id, sb_id, company, label, since, touch_id)
        names = {a_id: _ref(s, a_id).name, b_id: _ref(s, b_id).name}
        return _row(link, a_id, names)


def remove_link(db: Database, link_id: int) -> LinkRow:
    """Delete one link; returns it (as seen from its A side) so the caller can offer an undo."""
    with db.write() as s:
        link = s.get(ContactLink, link_id)
        if link is None:
            raise NotFound(f"no link #{link_id}")
        names = {link.a_id: _ref(s, link.a_id).name, link.b_id: _ref(s, link.b_id).name}
        row = _row(link, link.a_id, names)
        s.delete(link)
        return row


def restore_link(db: Database, row: LinkRow) -> LinkRow:
    """Undo of :func:`remove_link`: the same link again (a new id)."""
    kind = row.kind
    a, b = row.contact_id, row.other.id
    word = {"parent": "parent", "reports_to": "reports-to", "introduced_by": "introduced-by"}.get(kind, kind)
    if row.words in ("child of", "manages", "introduced you to"):
        a, b = b, a
    return add_link(db, a, b, word, company=row.company, label=row.label, since=row.since, touch_id=row.touch_id)


def kind_word(row: LinkRow) -> str:
    """What a user would type for ``row`` from its contact's side (``child`` for "child of"):
    the link dialog is prefilled with it when a link is edited."""
    fwd, inv, sym = KINDS.get(row.kind, (row.kind, row.kind, True))
    if not sym and row.words == inv:
        return {"parent": "child", "reports_to": "manages", "introduced_by": "introduced"}[row.kind]
    return {"reports_to": "reports-to", "introduced_by": "introduced-by"}.get(row.kind, row.kind)


def edit_link(db: Database, link_id: int, contact_id: int, kind: str, *, company: str = "",
              label: str = "") -> LinkRow:
    """Change a link's type, company or words in place ("<contact_id> <kind> <the other>"), keeping
    its id, date and touch; returns it as seen from ``contact_id``. Bad input (a duplicate, a
    reports-to cycle…): UserError, nothing written."""
    with db.read() as s:
        link = s.get(ContactLink, link_id)
        if link is None:
            raise NotFound(f"no link #{link_id}")
        if contact_id not in (link.a_id, link.b_id):
            raise UserError(f"link #{link_id} is not one of contact #{contact_id}'s")
        other = link.b_id if link.a_id == contact_id else link.a_id
    skind, a_id, b_id, company, label = _clean(kind, contact_id, other, company, label)
    with db.write() as s:
        link = s.get(ContactLink, link_id)
        if link is None:
            raise NotFound(f"no link #{link_id}")
        if (link.kind, link.a_id, link.b_id, link.company, link.label) == (skind, a_id, b_id, company, label):
            raise UserError("nothing changed")
        _check_new(s, skind, a_id, b_id, label, besides=link_id)  # checked as new, without itself
        link.kind, link.a_id, link.b_id, link.label, link.company = skind, a_id, b_id, label, company
        s.add(link)
        s.flush()
        names = {a_id: _ref(s, a_id).name, b_id: _ref(s, b_id).name}
        return _row(link, contact_id, names)


def links_between(db: Database, a_id: int, b_id: int) -> list[LinkRow]:
    return [r for r in list_links(db, a_id) if r.other.id == b_id]


def list_links(db: Database, contact_id: int) -> list[LinkRow]:
    """A contact's links, each read from their side (inverses shown), by kind then name."""
    with db.read() as s:
        _ref(s, contact_id)
        return _list(s, contact_id)


def _list(s: Session, contact_id: int) -> list[LinkRow]:
    links = s.exec(select(ContactLink).where(
        sa.or_(ContactLink.a_id == contact_id, ContactLink.b_id == contact_id))).all()
    ids = {x for l in links for x in (l.a_id, l.b_id)}
    names = dict(s.exec(sa.select(Contact.id, Contact.name).where(Contact.id.in_(ids))).all()) if ids else {}
    rows = [_row(l, contact_id, names) for l in links]
    rows.sort(key=lambda r: (r.words or r.label, r.other.name.lower(), r.id))
    return rows


# --------------------------------------------------------------------------- introductions

def _strength(c, today: date) -> tuple[float, list[str]]:
    """How strong the user's own relationship with ``c`` is (0–1), and why in words."""
    from netjournal.engine.state import RelationshipState

    st = RelationshipState.from_json(c.state_json)
    reasons: list[str] = []
    tier_w = _TIER_WEIGHT.get(c.tier, 0.3)
    reasons.append(f"{c.tier} tier")
    rhythm = float(c.rhythm_days) if c.rhythm_days else (st.learned_gap or None)
    last = c.last_touch_on or st.last_day
    if last is None:
        recency = 0.0
        reasons.append("you have never been in touch")
    else:
        days = max(0, (today - last).days)
        r = rhythm or 90.0
        recency = 1.0 if days <= r else max(0.0, 1.0 - (days - r) / (3 * r))
        ago = "today" if days == 0 else "yesterday" if days == 1 else f"{days} days ago"
        if rhythm:
            reasons.append(f"last touch {ago} ({'within' if days <= r else 'past'} your ~{r:.0f}-day rhythm)")
        else:
            reasons.append(f"last touch {ago}")
    dirs = st.recent_directions
    mutual = sum(1 for d in dirs if d in ("in", "mutual")) / len(dirs) if dirs else 0.0
    if dirs:
        reasons.append(f"they started or shared {mutual:.0%} of your recent touches")
    n = c.touch_count or st.touches
    depth = min(1.0, (st.touch_days or n) / 20.0)
    if n:
        reasons.append(f"{n} touch{'es' if n != 1 else ''}")
    return 0.35 * tier_w + 0.25 * recency + 0.2 * mutual + 0.2 * depth, reasons


def introducers(db: Database, target_id: int, *, today: date, limit: int = 10) -> list[Introducer]:
    """Who could introduce the user to the target: contacts linked to them, or working at their
    company, ranked by the strength of the user's own relationship with each."""
    with db.read() as s:
        target = s.get(Contact, target_id)
        if target is None:
            raise NotFound(f"no contact #{target_id}")
        via: dict[int, tuple[float, str]] = {}
        for l in s.exec(select(ContactLink).where(
                sa.or_(ContactLink.a_id == target_id, ContactLink.b_id == target_id))).all():
            other = l.b_id if l.a_id == target_id else l.a_id
            fwd, inv, _ = KINDS.get(l.kind, (l.kind, l.kind, True))
            # words as read from the introducer's side: "<B> is <words> <target>"
            words = l.label if l.kind == "custom" else (fwd if l.a_id == other else inv)
            w = _LINK_WEIGHT.get(l.kind, 0.8)
            text = f"{words} {target.name}" + (f" at {l.company}" if l.company else "")
            if other not in via or via[other][0] < w:
                via[other] = (w, text)
        company = (target.company or "").strip()
        if company:
            key = company.lower()
            same = s.exec(sa.select(Contact.id).where(sa.func.lower(sa.func.trim(Contact.company)) == key,
                                                      Contact.id != target_id)).all()
            for (cid,) in same:
                via.setdefault(cid, (_COMPANY_WEIGHT, f"works at {company}"))
            for (a, b) in s.exec(sa.select(ContactLink.a_id, ContactLink.b_id).where(
                    ContactLink.kind == "colleague", sa.func.lower(ContactLink.company) == key)).all():
                for cid in (a, b):
                    if cid != target_id:
                        via.setdefault(cid, (_COMPANY_WEIGHT, f"worked with people at {company}"))
        via.pop(target_id, None)
        if not via:
            return []
        cands = []
        ids = list(via)
        cols = (Contact.id, Contact.name, Contact.tier, Contact.rhythm_days, Contact.last_touch_on,
                Contact.touch_count, Contact.state_json)
        for i in range(0, len(ids), 500):
            for c in s.exec(sa.select(*cols).where(Contact.id.in_(ids[i:i + 500]), Contact.archived == False)).all():  # noqa: E712
                cands.append((via[c.id][0] * _upper_strength(c), c))
    # Branch and bound: the exact strength reads the engine state (JSON); a bound from plain
    # columns lets us stop once no remaining candidate can enter the top ``limit``.
    cands.sort(key=lambda t: -t[0])
    best: list[tuple[float, Introducer]] = []
    for bound, c in cands:
        if len(best) >= limit and bound < best[limit - 1][0]:
            break
        strength, reasons = _strength(c, today)
        w, text = via[c.id]
        raw = w * strength
        best.append((raw, Introducer(Ref(c.id, c.name), round(100 * raw, 1), text, tuple(reasons),
                                     c.tier, c.last_touch_on)))
        best.sort(key=lambda t: (-t[0], t[1].contact.name.lower(), t[1].contact.id))
    return [r for _, r in best[:limit]]


def _upper_strength(c) -> float:
    """An upper bound of :func:`_strength` from columns alone (no JSON parsed)."""
    has_state = c.state_json is not None
    depth = min(1.0, c.touch_count / 20.0) if c.touch_count else (1.0 if has_state else 0.0)
    live = 1.0 if (has_state or c.last_touch_on is not None) else 0.0
    return 0.35 * _TIER_WEIGHT.get(c.tier, 0.3) + 0.25 * live + 0.2 * (1.0 if has_state else 0.0) + 0.2 * depth


def plan_introduction(db: Database, introducer_id: int, target_id: int, *, due_on: date | None = None):
    """An ``introduce`` follow-up: ask the introducer to introduce the user to the target."""
    from netjournal.store import api

    with db.read() as s:
        b, x = _ref(s, introducer_id), _ref(s, target_id)
    return api.add_followup(db, contact_ids=[b.id, x.id], kind="introduce", due_on=due_on,
                            title=f"Ask {b.name} to introduce you to {x.name}")


# --------------------------------------------------------------------------- the network

def graph(db: Database, contact_id: int | None = None) -> dict:
    """The network (or one person's neighbourhood: them, their links, and the links among
    those) as ``{"nodes": [...], "edges": [...]}``."""
    with db.read() as s:
        q = select(ContactLink)
        if contact_id is not None:
            _ref(s, contact_id)
            near = {contact_id}
            for l in s.exec(q.where(sa.or_(ContactLink.a_id == contact_id, ContactLink.b_id == contact_id))).all():
                near.update((l.a_id, l.b_id))
            links = s.exec(q.where(ContactLink.a_id.in_(near), ContactLink.b_id.in_(near))).all()
            ids = near
        else:
            links = s.exec(q).all()
            ids = {x for l in links for x in (l.a_id, l.b_id)}
        nodes = []
        id_list = sorted(ids)
        for i in range(0, len(id_list), 500):
            for cid, name, company in s.exec(sa.select(Contact.id, Contact.name, Contact.company).where(
                    Contact.id.in_(id_list[i:i + 500]))).all():
                nodes.append({"id": cid, "name": name, "company": company})
        nodes.sort(key=lambda n: n["id"])
        edges = [{"id": l.id, "source": l.a_id, "target": l.b_id, "kind": l.kind,
                  "words": l.label if l.kind == "custom" else KINDS[l.kind][0] if l.kind in KINDS else l.kind,
                  "directed": not KINDS.get(l.kind, ("", "", True))[2], "company": l.company,
                  "since": l.since.isoformat() if l.since else None} for l in sorted(links, key=lambda l: l.id)]
    return {"nodes": nodes, "edges": edges}


def _dot_str(text: str) -> str:
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(g: dict) -> str:
    """Graphviz DOT of :func:`graph`'s result (symmetric links drawn without arrows)."""
    lines = ["digraph netjournal {", "  node [shape=box];"]
    for n in g["nodes"]:
        label = n["name"] + (f"\n{n['company']}" if n["company"] else "")
        lines.append(f"  c{n['id']} [label={_dot_str(label)}];")
    for e in g["edges"]:
        label = e["words"] + (f" ({e['company']})" if e["company"] else "")
        attrs = f"label={_dot_str(label)}" + ("" if e["directed"] else ", dir=none")
        lines.append(f"  c{e['source']} -> c{e['target']} [{attrs}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _pairs_seen_together(s: Session) -> Counter:
    together: Counter = Counter()
    for table, key in ((TouchContact, "touch_id"), (FollowUpContact, "followup_id")):
        x, y = aliased(table), aliased(table)
        rows = s.exec(sa.select(x.contact_id, y.contact_id, sa.func.count()).join(
            y, sa.and_(getattr(x, key) == getattr(y, key), x.contact_id < y.contact_id)).group_by(
            x.contact_id, y.contact_id)).all()
        for a, b, n in rows:
            together[(a, b)] += n
    return together


def suggestions(db: Database, *, min_together: int = 3, limit: int = 50) -> list[Suggestion]:
    """Pairs who appear together in ≥ ``min_together`` group touches or follow-ups and are not
    linked yet: they "seem to know each other". Numbered for ``--accept N``."""
    with db.read() as s:
        together = _pairs_seen_together(s)
        linked = {(min(a, b), max(a, b)) for a, b in s.exec(sa.select(ContactLink.a_id, ContactLink.b_id)).all()}
        pairs = sorted(((n, a, b) for (a, b), n in together.items()
                        if n >= min_together and (a, b) not in linked), key=lambda t: (-t[0], t[1], t[2]))[:limit]
        ids = {x for _, a, b in pairs for x in (a, b)}
        names = dict(s.exec(sa.select(Contact.id, Contact.name).where(Contact.id.in_(ids))).all()) if ids else {}
    return [Suggestion(i + 1, Ref(a, names[a]), Ref(b, names[b]), n) for i, (n, a, b) in enumerate(pairs)]


def suggestions_for(db: Database, contact_id: int, *, min_together: int = 3, limit: int = 5) -> list[Suggestion]:
    """The People section's offers: people seen with ``contact_id`` in ≥ ``min_together`` group
    touches or follow-ups and not linked to them yet (``a`` is always ``contact_id``)."""
    with db.read() as s:
        _ref(s, contact_id)
        together: Counter = Counter()
        for table, key in ((TouchContact, "touch_id"), (FollowUpContact, "followup_id")):
            x, y = aliased(table), aliased(table)
            for other, n in s.exec(sa.select(y.contact_id, sa.func.count()).select_from(x).join(
                    y, sa.and_(getattr(x, key) == getattr(y, key), y.contact_id != contact_id)).where(
                    x.contact_id == contact_id).group_by(y.contact_id)).all():
                together[other] += n
        linked = {b if a == contact_id else a for a, b in s.exec(sa.select(ContactLink.a_id, ContactLink.b_id).where(
            sa.or_(ContactLink.a_id == contact_id, ContactLink.b_id == contact_id))).all()}
        best = sorted(((n, o) for o, n in together.items() if n >= min_together and o not in linked),
                      key=lambda t: (-t[0], t[1]))[:limit]
        if not best:
            return []
        names = dict(s.exec(sa.select(Contact.id, Contact.name).where(
            Contact.id.in_([o for _, o in best] + [contact_id]))).all())
    me = Ref(contact_id, names[contact_id])
    return [Suggestion(i + 1, me, Ref(o, names[o]), n) for i, (n, o) in enumerate(best)]


def accept_suggestion(db: Database, n: int, *, kind: str = "knows", min_together: int = 3) -> LinkRow:
    rows = suggestions(db, min_together=min_together)
    if not 1 <= n <= len(rows):
        raise UserError(f"no suggestion #{n} (there {'is' if len(rows) == 1 else 'are'} {len(rows)})")
    sug = rows[n - 1]
    return add_link(db, sug.a.id, sug.b.id, kind)


def most_connected(db: Database, *, limit: int = 10) -> list[Ranked]:
    """Contacts with the most links."""
    with db.read() as s:
        counts: Counter = Counter()
        for col in (ContactLink.a_id, ContactLink.b_id):
            for cid, n in s.exec(sa.select(col, sa.func.count()).group_by(col)).all():
                counts[cid] += n
        return _ranked(s, counts, limit)


def top_introducers(db: Database, *, limit: int = 10) -> list[Ranked]:
    """Contacts who introduced the user to the most people."""
    with db.read() as s:
        counts = Counter(dict(s.exec(sa.select(ContactLink.b_id, sa.func.count()).where(
            ContactLink.kind == "introduced_by").group_by(ContactLink.b_id)).all()))
        return _ranked(s, counts, limit)


def _ranked(s: Session, counts: Counter, limit: int) -> list[Ranked]:
    if not counts:
        return []
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    names = dict(s.exec(sa.select(Contact.id, Contact.name).where(Contact.id.in_([c for c, _ in top]))).all())
    return [Ranked(Ref(c, names.get(c, f"#{c}")), n) for c, n in top]


def all_links(db: Database) -> list[dict]:
    """Every link as a plain record (for export and backup)."""
    with db.read() as s:
        return [{"id": l.id, "a_id": l.a_id, "b_id": l.b_id, "kind": l.kind, "label": l.label,
                 "company": l.company, "since": l.since, "touch_id": l.touch_id}
                for l in s.exec(select(ContactLink).order_by(ContactLink.id)).all()]


def links_by_contact(db: Database, contact_ids: Sequence[int] | None = None) -> dict[int, list[LinkRow]]:
    """Each contact's links as read from their side (for exports); all contacts when None."""
    want = set(contact_ids) if contact_ids is not None else None
    out: dict[int, list[LinkRow]] = defaultdict(list)
    with db.read() as s:
        q = select(ContactLink).order_by(ContactLink.id)
        if want is not None:
            q = q.where(sa.or_(ContactLink.a_id.in_(want), ContactLink.b_id.in_(want)))
        links = s.exec(q).all()
        if not links:
            return {}
        ids = {x for l in links for x in (l.a_id, l.b_id)}
        names = dict(s.exec(sa.select(Contact.id, Contact.name).where(Contact.id.in_(ids))).all()) \
            if len(ids) < 5000 else dict(s.exec(sa.select(Contact.id, Contact.name)).all())
        for l in links:
            for me in (l.a_id, l.b_id):
                if want is None or me in want:
                    out[me].append(_row(l, me, names))
    return dict(out)


def network_insights(db: Database, *, limit: int = 8) -> tuple[list[Ranked], list[Ranked]]:
    """(most connected people, top introducers) for the Insights screen."""
    return most_connected(db, limit=limit), top_introducers(db, limit=limit)


def introduction_nudges(db: Database, contact_ids: Sequence[int]) -> dict[int, str]:
    """For contacts due anyway (Today's queue): "ask B to introduce you to X" when B is linked
    to a target X (priority list) the user has never been in touch with; the top-priority target
    when there are several. One query over the links of the given contacts."""
    ids = list(dict.fromkeys(contact_ids))
    if not ids:
        return {}
    out: dict[int, tuple[int, str]] = {}
    with db.read() as s:
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            for col_b, col_x in ((ContactLink.a_id, ContactLink.b_id), (ContactLink.b_id, ContactLink.a_id)):
                rows = s.exec(sa.select(col_b, Contact.name, Contact.target_priority)
                              .join(Contact, Contact.id == col_x)
                              .where(col_b.in_(chunk), Contact.target_priority.is_not(None),
                                     Contact.archived == False, Contact.touch_count == 0)).all()  # noqa: E712
                for b, name, prio in rows:
                    if b not in out or prio < out[b][0]:
                        out[b] = (prio, name)
    return {b: f"ask them to introduce you to {name} (target #{prio})" for b, (prio, name) in out.items()}
