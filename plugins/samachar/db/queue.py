"""The per-run queue of discovered URLs (table ``discovered_urls``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import psycopg


@dataclass(frozen=True)
class DiscoveredRow:
    """One URL of a run, with what fetching it has come to so far."""

    url: str
    published_at: datetime | None
    outcome: str
    raw_page_id: int | None


def store_discovered(conn: psycopg.Connection, run_id: int,
                     rows: Sequence[tuple[str, datetime | None, str]], *, batch_size: int) -> list[int]:
    """Queue a run's URLs in batches; a repeated discovery keeps earlier outcomes. Returns batch numbers."""
    with conn.cursor() as cur:
        cur.execute("SELECT coalesce(max(batch) + 1, 0) FROM discovered_urls WHERE run_id = %s", (run_id,))
        first_new_batch = cur.fetchone()[0]
        cur.execute("SELECT url FROM discovered_urls WHERE run_id = %s", (run_id,))
        known = {r[0] for r in cur.fetchall()}
        fresh = [r for r in rows if r[0] not in known]
        cur.executemany(
            "INSERT INTO discovered_urls (run_id, url, batch, published_at, method) VALUES (%s, %s, %s, %s, %s)"
            " ON CONFLICT (run_id, url) DO NOTHING",
            [(run_id, url, first_new_batch + i // batch_size, published, method)
             for i, (url, published, method) in enumerate(fresh)],
        )
        cur.execute("SELECT DISTINCT batch FROM discovered_urls WHERE run_id = %s ORDER BY batch", (run_id,))
        return [r[0] for r in cur.fetchall()]


def discovered_batch(conn: psycopg.Connection, run_id: int, batch: int) -> list[DiscoveredRow]:
    """The URLs of one batch, in discovery order of publication."""
    with conn.cursor() as cur:
        cur.execute(
            "SELECT url, published_at, outcome, raw_page_id FROM discovered_urls"
            " WHERE run_id = %s AND batch = %s ORDER BY published_at NULLS LAST, url",
            (run_id, batch),
        )
        return [DiscoveredRow(*r) for r in cur.fetchall()]


def mark_discovered(conn: psycopg.Connection, run_id: int, url: str, outcome: str,
                    raw_page_id: int | None) -> None:
    """Record what fetching one URL came to."""
    with conn.cursor() as cur:
        cur.execute(
            "UPDATE discovered_urls SET outcome = %s, raw_page_id = %s, updated_at = now()"
            " WHERE run_id = %s AND url = %s",
            (outcome, raw_page_id, run_id, url),
        )


def discovered_count(conn: psycopg.Connection, run_id: int) -> int:
    """How many URLs a run queued."""
    with conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM discovered_urls WHERE run_id = %s", (run_id,))
        return cur.fetchone()[0]
