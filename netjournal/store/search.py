"""Full-text search over contacts, touches, follow-ups and journal days.

SQLite: FTS5 (bm25 ranking, title weighted 5× the body, ``snippet()``); PostgreSQL: a GIN
index on weighted tsvectors (``ts_rank``, ``ts_headline``). Both take the same user query:
words are matched as prefixes and all must appear. Matches in snippets are wrapped in
``HL_START``/``HL_END`` control characters, which the CLI and TUI turn into highlighting.
"""
from __future__ import annotations

import re

import sqlalchemy as sa

from netjournal.store.db import Database
from netjournal.store.fastread import as_day
from netjournal.store.read import HL_END, HL_START, SearchHit

_WORD = re.compile(r"\w+", re.UNICODE)
KINDS = ("contact", "touch", "followup", "journal")


def query_words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text or "")][:12]


def search(db: Database, text: str, *, limit: int = 50, kinds: tuple[str, ...] | None = None) -> list[SearchHit]:
    words = query_words(text)
    if not words:
        return []
    kinds = tuple(k for k in (kinds or KINDS) if k in KINDS)
    with db.read() as s:
        conn = s.connection()
        if db.is_sqlite:
            rows = [r if r[5] is not None else (*r[:5], _long_snippet(r[7], words), r[6])
                    for r in _sqlite(conn, words, limit, kinds)]
        else:
            rows = _postgres(conn, words, limit, kinds)
    return [SearchHit(kind=r[0], ref_id=r[1], contact_id=r[2], day=as_day(r[3]), title=r[4],
                      snippet=r[5] or "", rank=float(r[6])) for r in rows]


LONG_BODY = 20_000


def _long_snippet(body: str, words: list[str], size: int = 16) -> str:
    """A snippet like FTS5's for a long body: ~``size`` words around the first match."""
    toks = list(_WORD.finditer(body))
    hit = next((i for i, m in enumerate(toks) if any(m.group().lower().startswith(w) for w in words)), 0)
    lo = max(0, hit - size // 4)
    hi = min(len(toks), lo + size)
    if not toks:
        return ""
    parts = []
    pos = toks[lo].start()
    for m in toks[lo:hi]:
        parts.append(body[pos:m.start()])
        word = m.group()
        parts.append(HL_START + word + HL_END if any(word.lower().startswith(w) for w in words) else word)
        pos = m.end()
    return ("…" if lo > 0 else "") + "".join(parts) + ("…" if hi < len(toks) else "")


def _sqlite(conn, words, limit, kinds):
    match = " ".join('"' + w.replace('"', '""') + '"*' for w in words)
    kind_sql = ",".join(f"'{k}'" for k in kinds)
    sql = sa.text(
        "SELECT d.kind, d.ref_id, d.contact_id, d.day, d.title, "
        # FTS5's snippet() slows down with the number of matches in a document (minutes for a
        # 1 MB note): long bodies get their snippet from _long_snippet instead.
        f"CASE WHEN length(d.body) <= {LONG_BODY} THEN "
        f"snippet(search_fts, 1, '{HL_START}', '{HL_END}', '…', 16) END AS snip, "
        "bm25(search_fts, 5.0, 1.0) AS rank, "
        f"CASE WHEN length(d.body) > {LONG_BODY} THEN d.body END AS long_body "
        "FROM search_fts JOIN search_doc d ON d.id = search_fts.rowid "
        f"WHERE search_fts MATCH :q AND d.kind IN ({kind_sql}) "
        "ORDER BY rank, d.day DESC LIMIT :lim"
    )
    return conn.execute(sql, {"q": match, "lim": limit}).all()


def _postgres(conn, words, limit, kinds):
    tsq = " & ".join(w.replace("'", "") + ":*" for w in words if w.replace("'", ""))
    vec = "(setweight(to_tsvector('simple', d.title), 'A') || setweight(to_tsvector('simple', d.body), 'B'))"
    opts = f"StartSel={HL_START}, StopSel={HL_END}, MaxWords=16, MinWords=6, MaxFragments=1, FragmentDelimiter=…"
    sql = sa.text(
        "SELECT d.kind, d.ref_id, d.contact_id, d.day, d.title, "
        "CASE WHEN d.body = '' THEN '' ELSE ts_headline('simple', d.body, q, :opts) END AS snip, "
        f"-ts_rank({vec}, q) AS rank "
        f"FROM search_doc d, to_tsquery('simple', :q) q WHERE {vec} @@ q AND d.kind = ANY(:kinds) "
        "ORDER BY rank, d.day DESC NULLS LAST LIMIT :lim"
    )
    return conn.execute(sql, {"q": tsq, "opts": opts, "kinds": list(kinds), "lim": limit}).all()


def plain_snippet(snippet: str, start: str = "", end: str = "") -> str:
    """A snippet with its highlight markers replaced (by nothing, or e.g. ANSI codes)."""
    return snippet.replace(HL_START, start).replace(HL_END, end).replace("\n", " ")


def rebuild_index(db: Database) -> None:
    """Rebuild the FTS index from search_doc (doctor's repair)."""
    with db.write() as s:
        if db.is_sqlite:
            s.connection().exec_driver_sql("INSERT INTO search_fts(search_fts) VALUES('rebuild')")
        else:
            s.connection().exec_driver_sql("REINDEX INDEX ix_search_doc_tsv")
