"""Aggregate queries for the Insights screen: how the network is doing.

Set-wise queries (no per-contact round trips) returning one plain frozen read object. Pure of
any UI; ``today`` is passed in.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

from netjournal import vocab
from netjournal.store.db import Database
from netjournal.store.models import Contact, Touch, TouchContact


@dataclass(frozen=True)
class OneSided:
    contact_id: int
    name: str
    who: str            # "you" (you always reach out) | "they" (they always do)
    outs: int
    ins: int


@dataclass(frozen=True)
class Fading:
    contact_id: int
    name: str
    tier: str
    days_since: int
    rhythm: float
    ratio: float        # days since / rhythm


@dataclass(frozen=True)
class Insights:
    today: date
    contacts: int
    funnel: tuple[tuple[str, int], ...]             # stage, count (vocab.STAGES order)
    tiers: tuple[tuple[str, int, int], ...]         # tier, count, usual layer size
    weeks: tuple[tuple[date, int], ...]             # Monday, touches that week (oldest first)
    touches_year: int
    offline_year: int
    one_sided: tuple[OneSided, ...]
    fading: tuple[Fading, ...]

    @property
    def offline_share(self) -> float:
        return self.offline_year / self.touches_year if self.touches_year else 0.0


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def insights(db: Database, today: date, *, weeks: int = 52, cfg=None, min_touches: int = 4,
             one_sided_share: float = 0.8, limit: int = 10) -> Insights:
    """Everything the Insights screen shows, in a handful of queries."""
    start = _monday(today) - timedelta(weeks=weeks - 1)
    year_ago = today - timedelta(days=365)
    active = Contact.archived == sa.false()
    with db.read() as s:
        conn = s.connection()
        stage_counts = dict(conn.execute(
            sa.select(Contact.stage, sa.func.count()).where(active).group_by(Contact.stage)).all())
        tier_counts = dict(conn.execute(
            sa.select(Contact.tier, sa.func.count()).where(active).group_by(Contact.tier)).all())
        per_day = conn.execute(
            sa.select(Touch.occurred_on, sa.func.count())
            .where(Touch.occurred_on >= start, Touch.occurred_on <= today)
            .group_by(Touch.occurred_on)).all()
        by_channel = dict(conn.execute(
            sa.select(Touch.channel, sa.func.count())
            .where(Touch.occurred_on > year_ago, Touch.occurred_on <= today)
            .group_by(Touch.channel)).all())
        directions = conn.execute(
            sa.select(TouchContact.contact_id, Touch.direction, sa.func.count())
            .join(Touch, Touch.id == TouchContact.touch_id)
            .where(Touch.occurred_on > year_ago, Touch.occurred_on <= today)
            .group_by(TouchContact.contact_id, Touch.direction)).all()
        names = dict(conn.execute(sa.select(Contact.id, Contact.name).where(active)).all())
    week_counts: Counter = Counter()
    for d, n in per_day:
        d = d if isinstance(d, date) else date.fromisoformat(str(d)[:10])
        week_counts[_monday(d)] += n
    week_list = tuple((start + timedelta(weeks=i), week_counts.get(start + timedelta(weeks=i), 0))
                      for i in range(weeks))
    total = sum(by_channel.values())
    offline = sum(n for ch, n in by_channel.items() if ch in vocab.OFFLINE_CHANNELS)
    dir_counts: dict[int, Counter] = {}
    for cid, direction, n in directions:
        dir_counts.setdefault(cid, Counter())[direction] += n
    sided: list[OneSided] = []
    for cid, cnt in dir_counts.items():
        if cid not in names:
            continue
        outs, ins = cnt.get("out", 0), cnt.get("in", 0)
        if outs + ins + cnt.get("mutual", 0) < min_touches or cnt.get("mutual", 0) * 2 > outs + ins:
            continue
        if outs + ins and outs / (outs + ins) >= one_sided_share and ins <= 1:
            sided.append(OneSided(cid, names[cid], "you", outs, ins))
        elif outs + ins and ins / (outs + ins) >= one_sided_share and outs <= 1:
            sided.append(OneSided(cid, names[cid], "they", outs, ins))
    sided.sort(key=lambda o: (-(max(o.outs, o.ins)), o.name.lower()))
    return Insights(
        today=today,
        contacts=len(names),
        funnel=tuple((st, int(stage_counts.get(st, 0))) for st in vocab.STAGES),
        tiers=tuple((t, int(tier_counts.get(t, 0)), vocab.TIER_LAYER_SIZE[t]) for t in vocab.TIERS),
        weeks=week_list,
        touches_year=total,
        offline_year=offline,
        one_sided=tuple(sided[:limit]),
        fading=tuple(fading(db, today, cfg=cfg, limit=limit)),
    )


def fading(db: Database, today: date, *, cfg=None, limit: int = 10, min_ratio: float = 1.5) -> list[Fading]:
    """Contacts past their rhythm (learned or set) by at least ``min_ratio``: closest tiers
    first, then the furthest past it."""
    from netjournal import engine
    from netjournal.store.reminders import load_inputs

    cfg = cfg or engine.EngineConfig()
    out: list[Fading] = []
    for c in load_inputs(db):
        last = c.state.last_day
        if last is None:
            continue
        rhythm, _source = engine.learned_rhythm(c, cfg)
        if not rhythm:
            continue
        since = (today - last).days
        ratio = since / rhythm
        if ratio >= min_ratio:
            out.append(Fading(c.id, c.name, c.tier, since, float(rhythm), ratio))
    rank = {t: i for i, t in enumerate(vocab.TIERS)}
    out.sort(key=lambda f: (rank.get(f.tier, 9), -f.ratio, f.name.lower()))
    return out[:limit]
