"""Feeding the reminder engine from the store.

The engine is pure; this module reads what it needs in five set-wise queries (no per-contact
round trips, see :mod:`netjournal.store.fastread`): each contact's summary row (its
``RelationshipState`` kept current on write), open follow-ups, important dates, snoozes and
dismissals.

:class:`QueueCache` keeps the engine's per-contact items in memory, so that after logging a
touch only the contacts it touched are re-read and re-scored before the queue is re-ranked.
"""
from __future__ import annotations

from datetime import datetime
from typing import Iterable, Sequence


from netjournal.store.db import Database


def load_inputs(db: Database, contact_ids: Sequence[int] | None = None) -> list:
    """ContactInput for every active contact (or just ``contact_ids``): five plain queries."""
    from netjournal.store import fastread

    sqls = fastread.statements(contact_ids, sqlite=db.is_sqlite)
    with db.read() as s:
        raw = s.connection().connection  # the DB-API connection, inside the session's transaction

        def fetch(sql: str) -> list:
            cur = raw.cursor()
            try:
                cur.execute(sql)
                return cur.fetchall()  # plain tuples: no Row objects for 10,000 contacts
            finally:
                cur.close()

        return fastread.build_inputs(fetch, sqls)


def queue(db: Database, now: datetime, cfg=None, *, budget: int | None = None) -> list:
    """Today's ranked, explained, budgeted queue."""
    from netjournal import engine
    from netjournal.store.fastread import no_gc

    inputs = load_inputs(db)
    with no_gc():
        return engine.build_queue(inputs, now, cfg or engine.EngineConfig(), budget=budget)


class QueueCache:
    """Today's queue kept in memory; after a write only the contacts it touched are re-read.

    Wraps the engine's own cache (which renders reasons lazily, for the items shown).
    """

    def __init__(self, db: Database, cfg=None):
        from netjournal import engine

        self.db = db
        self.cfg = cfg or engine.EngineConfig()
        self._cache = None
        self.now: datetime | None = None

    def full(self, now: datetime, inputs: list | None = None) -> list:
        """Recompute everything (``inputs`` if already read, e.g. by the fast start)."""
        from netjournal import engine

        from netjournal.store.fastread import no_gc

        self.now = now
        if inputs is None:
            inputs = load_inputs(self.db)
        with no_gc():
            self._cache = engine.QueueCache(inputs, now, self.cfg)
            return self._cache.queue()

    def refresh(self, contact_ids: Iterable[int], now: datetime | None = None) -> list:
        if self._cache is None or (now is not None and self.now is not None and now.date() != self.now.date()):
            return self.full(now or self.now)
        ids = list(contact_ids)
        fresh = {c.id: c for c in load_inputs(self.db, ids)}
        for cid in ids:
            if cid in fresh:
                self._cache.update(fresh[cid])
            else:
                self._cache.remove(cid)  # archived or deleted
        return self._cache.queue()

    def ranked(self) -> list:
        return self._cache.queue() if self._cache is not None else []
