"""Quarantine: pages that failed a stage, one open entry per (URL, stage), counted per attempt."""

from __future__ import annotations

import psycopg

from samachar.db.runs import ENSURE_SOURCE
from samachar.db.sanitize import clean_text

DETAIL_MAX_CHARS = 4000


def quarantine(
    conn: psycopg.Connection,
    *,
    source: str,
    url: str,
    stage: str,
    reason: str,
    detail: str = "",
    raw_page_id: int | None = None,
    run_id: int | None = None,
) -> None:
    """Record a failure; a repeat for the same URL and stage bumps ``attempts`` and ``last_seen``
    and reopens the entry if it had been resolved."""
    conn.execute(
        ENSURE_SOURCE + "INSERT INTO quarantine (source, url, stage, reason, detail, raw_page_id, run_id)"
        " VALUES (%(source)s, %(url)s, %(stage)s, %(reason)s, %(detail)s, %(raw_page_id)s, %(run_id)s)"
        " ON CONFLICT (url, stage) DO UPDATE SET"
        "  reason = EXCLUDED.reason, detail = EXCLUDED.detail,"
        "  raw_page_id = coalesce(EXCLUDED.raw_page_id, quarantine.raw_page_id),"
        "  run_id = coalesce(EXCLUDED.run_id, quarantine.run_id),"
        "  last_seen = now(), attempts = quarantine.attempts + 1, resolved_at = NULL",
        {
            "source": source,
            "url": clean_text(url)[0],
            "stage": stage,
            "reason": clean_text(reason)[0],
            "detail": clean_text(detail[:DETAIL_MAX_CHARS])[0],
            "raw_page_id": raw_page_id,
            "run_id": run_id,
        },
    )


def release_quarantine(conn: psycopg.Connection, *, url: str, stage: str) -> None:
    """Mark an open entry resolved after the URL passed ``stage``; the row stays as history."""
    conn.execute(
        "UPDATE quarantine SET resolved_at = now() WHERE url = %s AND stage = %s AND resolved_at IS NULL",
        (clean_text(url)[0], stage),
    )
