"""Name resolution: from what a user typed (``ada``, ``#12``, ``Ada Lovelace (#12)``) to one
contact, or a clear error listing the candidates; and the ranked fuzzy list behind pickers."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

import sqlalchemy as sa
from sqlmodel import Session

from netjournal.errors import NotFound, UserError
from netjournal.store.contacts import name_rows
from netjournal.store.db import Database
from netjournal.store.models import Contact
from netjournal.store.read import Ref

@dataclass(frozen=True)
class Match:
    id: int
    name: str
    score: float


def fuzzy_contacts(db: Database, query: str, *, limit: int = 10, include_archived: bool = False) -> list[Match]:
    with db.read() as s:
        return _fuzzy(name_rows(s, include_archived), query, limit)


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
    matches = _fuzzy(name_rows(s, include_archived), raw, limit=8)
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
