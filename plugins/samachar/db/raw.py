"""Raw pages: the latest body fetched for each URL, kept so later stages can re-parse offline.

HTML is compressed in Python with zlib (level 6) into ``bytea`` rather than left to TOAST: on the
test fixture pages zlib gives 3.8x where TOAST's pglz gives 2.9x (measured), it behaves the same on
every server (lz4 TOAST depends on how PostgreSQL was built), and the page crosses the wire
compressed in both directions. The column is ``STORAGE EXTERNAL`` so TOAST does not try again.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import psycopg

from samachar.db.runs import ENSURE_SOURCE
from samachar.db.sanitize import clean_text

ZLIB_LEVEL = 6


@dataclass(frozen=True)
class FetchState:
    """What a conditional GET needs to know about a URL fetched before."""

    raw_page_id: int
    etag: str | None
    last_modified: str | None
    content_hash: str


@dataclass(frozen=True)
class RawPage:
    """A stored page, decompressed. ``fetched_at`` is when this body was fetched."""

    id: int
    source: str
    url: str
    final_url: str
    fetched_at: datetime
    html: str
    content_hash: str


def compress_html(html: str) -> tuple[bytes, int]:
    """zlib-compressed UTF-8 of a page and its uncompressed size (lone surrogates become '?')."""
    raw = html.encode("utf-8", "replace")
    return zlib.compress(raw, ZLIB_LEVEL), len(raw)


def decompress_html(data: bytes) -> str:
    """Inverse of :func:`compress_html`."""
    return zlib.decompress(data).decode("utf-8")


def fetch_state(conn: psycopg.Connection, urls: Sequence[str]) -> dict[str, FetchState]:
    """Validators and hashes for the URLs already stored (missing URLs are simply absent)."""
    rows = conn.execute(
        "SELECT url, id, etag, last_modified, content_hash FROM raw_pages WHERE url = ANY(%s)", (list(urls),)
    ).fetchall()
    return {url: FetchState(rid, etag, lm, chash) for url, rid, etag, lm, chash in rows}


def store_raw_page(
    conn: psycopg.Connection,
    *,
    source: str,
    url: str,
    final_url: str,
    status: int,
    fetched_at: datetime,
    etag: str | None,
    last_modified: str | None,
    content_hash: str,
    html: str,
    run_id: int | None,
) -> int:
    """Insert or refresh the page for ``url`` and return its id.

    An identical body (same ``content_hash``) only moves ``last_fetched_at`` forward and refreshes
    the validators, so re-fetching an interval changes nothing else; a new body replaces the old one
    and records its fetch time and run.
    """
    data, size = compress_html(html)
    url, final_url = clean_text(url)[0], clean_text(final_url)[0]
    etag = clean_text(etag)[0] if etag is not None else None
    last_modified = clean_text(last_modified)[0] if last_modified is not None else None
    row = conn.execute(
        ENSURE_SOURCE + "INSERT INTO raw_pages (source, url, final_url, status, etag, last_modified, content_hash,"
        " html_zlib, html_size, fetched_at, first_fetched_at, last_fetched_at, run_id)"
        " VALUES (%(source)s, %(url)s, %(final_url)s, %(status)s, %(etag)s, %(last_modified)s, %(hash)s,"
        " %(data)s, %(size)s, %(at)s, %(at)s, %(at)s, %(run_id)s)"
        " ON CONFLICT (url) DO UPDATE SET"
        "  last_fetched_at = greatest(raw_pages.last_fetched_at, EXCLUDED.last_fetched_at),"
        "  final_url = EXCLUDED.final_url, status = EXCLUDED.status,"
        "  etag = EXCLUDED.etag, last_modified = EXCLUDED.last_modified,"
        "  content_hash = EXCLUDED.content_hash,"
        "  html_zlib = CASE WHEN raw_pages.content_hash = EXCLUDED.content_hash"
        "                   THEN raw_pages.html_zlib ELSE EXCLUDED.html_zlib END,"
        "  html_size = EXCLUDED.html_size,"
        "  fetched_at = CASE WHEN raw_pages.content_hash = EXCLUDED.content_hash"
        "                    THEN raw_pages.fetched_at ELSE EXCLUDED.fetched_at END,"
        "  run_id = CASE WHEN raw_pages.content_hash = EXCLUDED.content_hash"
        "                THEN raw_pages.run_id ELSE EXCLUDED.run_id END"
        " RETURNING id",
        {
            "source": source,
            "url": url,
            "final_url": final_url,
            "status": status,
            "etag": etag,
            "last_modified": last_modified,
            "hash": content_hash,
            "data": data,
            "size": size,
            "at": fetched_at,
            "run_id": run_id,
        },
    ).fetchone()
    assert row is not None
    return int(row[0])


def touch_raw_page(conn: psycopg.Connection, raw_page_id: int, fetched_at: datetime) -> None:
    """Record a 304 revalidation: the stored body is still current as of ``fetched_at``."""
    conn.execute(
        "UPDATE raw_pages SET last_fetched_at = greatest(last_fetched_at, %s) WHERE id = %s",
        (fetched_at, raw_page_id),
    )


def raw_pages(conn: psycopg.Connection, ids: Sequence[int]) -> list[RawPage]:
    """The pages with these ids, decompressed, in id order (unknown ids are skipped)."""
    rows = conn.execute(
        "SELECT id, source, url, final_url, fetched_at, html_zlib, content_hash FROM raw_pages"
        " WHERE id = ANY(%s) ORDER BY id",
        (list(ids),),
    ).fetchall()
    return [RawPage(rid, src, url, final, at, decompress_html(data), chash) for rid, src, url, final, at, data, chash in rows]
