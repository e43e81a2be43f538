"""Searching the archive in Devanagari or Latin script.

Full text first: ``websearch_to_tsquery('simple', …)`` against ``articles.search_vector`` (titles,
summaries and bodies in Devanagari and readable Latin). For a Latin query that leaves room, fuzzy
matches on the readable title follow: pg_trgm word similarity when the extension is installed,
else every query word as a substring (pgserver's bundled PostgreSQL 16 has no pg_trgm).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import psycopg
from psycopg.rows import dict_row

_LATIN = re.compile(r"[A-Za-z]")
_RESULT_COLUMNS = "a.id, a.canonical_url AS url, a.source, a.title, a.title_readable, a.published_at"

_FULLTEXT = (
    f"SELECT {_RESULT_COLUMNS}, ts_rank_cd(a.search_vector, q.tsq) AS score, 'fulltext' AS matched"
    " FROM articles a, websearch_to_tsquery('simple', %(q)s) AS q (tsq)"
    " WHERE a.search_vector @@ q.tsq"
    " ORDER BY score DESC, a.published_at DESC NULLS LAST, a.id LIMIT %(limit)s"
)
_TRIGRAM = (
    f"SELECT {_RESULT_COLUMNS}, word_similarity(%(q)s, a.title_readable) AS score, 'trigram' AS matched"
    " FROM articles a WHERE %(q)s <%% a.title_readable AND NOT a.id = ANY(%(seen)s)"
    " ORDER BY score DESC, a.published_at DESC NULLS LAST, a.id LIMIT %(limit)s"
)
_SUBSTRING = (
    f"SELECT {_RESULT_COLUMNS}, 0.0::real AS score, 'substring' AS matched"
    " FROM articles a WHERE a.title_readable ILIKE ALL(%(patterns)s) AND NOT a.id = ANY(%(seen)s)"
    " ORDER BY a.published_at DESC NULLS LAST, a.id LIMIT %(limit)s"
)


def _has_trigram(conn: psycopg.Connection) -> bool:
    return conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'").fetchone() is not None


def search(conn: psycopg.Connection, query: str, limit: int = 10) -> list[dict[str, Any]]:
    """Best matches for ``query``: dicts with id, url, source, title, title_readable, published_at,
    score and matched (``fulltext``, ``trigram`` or ``substring``), best first."""
    query = unicodedata.normalize("NFC", query.replace("\x00", "")).strip()
    if not query or limit <= 0:
        return []
    with conn.cursor(row_factory=dict_row) as cur:
        results = cur.execute(_FULLTEXT, {"q": query, "limit": limit}).fetchall()
        if len(results) < limit and _LATIN.search(query):
            params = {"q": query, "limit": limit - len(results), "seen": [r["id"] for r in results]}
            if _has_trigram(conn):
                results += cur.execute(_TRIGRAM, params).fetchall()
            else:
                params["patterns"] = ["%" + w.replace("_", r"\_") + "%" for w in re.findall(r"\w+", query)]
                if params["patterns"]:
                    results += cur.execute(_SUBSTRING, params).fetchall()
    for row in results:
        row["score"] = float(row["score"])
    return results


def search_command(query: str, limit: int) -> int:
    """``samachar search QUERY``: print the best matches, one block per article."""
    from samachar.db.connection import connect

    with connect() as conn:  # errors reach the CLI, which prints them on one line
        results = search(conn, query, limit)
    if not results:
        print(f"no matches for {query!r}")
        return 0
    for rank, row in enumerate(results, start=1):
        when = row["published_at"].date().isoformat() if row["published_at"] else "undated"
        print(f"{rank:2}. {row['title']}")
        if row["title_readable"]:
            print(f"    {row['title_readable']}")
        print(f"    {when}  {row['source']}  {row['url']}  [{row['matched']} {row['score']:.3f}]")
    return 0
