"""Re-parse and re-transliterate stored pages without fetching them again.

Used after a parser or transliterator improvement: pick the raw pages of a source and
date range (optionally only those whose article was made by an older version), then run
them through the same parse → transliterate → load stages as an ingest run.
"""

from __future__ import annotations

from datetime import datetime

import psycopg

from samachar import pipeline
from samachar.db import LoadResult
from samachar.sources import SourceProfile

_SELECT = """
SELECT r.id
FROM raw_pages r
LEFT JOIN articles a ON a.raw_page_id = r.id
WHERE r.source = %(source)s
  AND coalesce(a.published_at, r.fetched_at) >= %(start)s
  AND coalesce(a.published_at, r.fetched_at) < %(end)s
  AND (%(parser)s::text IS NULL OR a.id IS NULL OR _version_key(a.parser_version) < _version_key(%(parser)s))
  AND (%(translit)s::text IS NULL OR a.id IS NULL
       OR _version_key(a.transliterator_version) < _version_key(%(translit)s))
ORDER BY r.id
"""


def select_pages(conn: psycopg.Connection, source: str, start: datetime, end: datetime, *,
                 parser_older_than: str | None = None,
                 transliterator_older_than: str | None = None) -> list[int]:
    """Raw page ids to reprocess: published (or, unparsed, fetched) in [start, end).

    With a version given, only pages whose article was made by an older version (or that
    never became an article) are chosen. Versions compare numerically part by part.
    """
    with conn.cursor() as cur:
        cur.execute(_SELECT, {"source": source, "start": start, "end": end,
                              "parser": parser_older_than, "translit": transliterator_older_than})
        return [row[0] for row in cur.fetchall()]


def reprocess_batch(conn: psycopg.Connection, run_id: int, profile: SourceProfile,
                    raw_page_ids: list[int]) -> LoadResult:
    """Parse, transliterate and load one batch of stored pages (idempotent)."""
    staged = pipeline.parse_stage(conn, run_id, profile, raw_page_ids)
    staged = pipeline.transliterate_stage(conn, run_id, staged)
    return pipeline.load_stage(conn, run_id, staged)
