"""Loading staged rows into ``articles``, keeping superseded versions in ``article_revisions``.

One transaction per batch, set-based: the staged rows (already COPYed into Postgres by the parse
stage) are hashed into a narrow temporary table and matched with existing articles; superseded
content is copied to ``article_revisions``; new rows go through
``INSERT … ON CONFLICT (canonical_url) DO UPDATE … WHERE content hash differs`` and changed rows
through one ``UPDATE`` (so their generated search vector is computed once, not twice); unchanged
rows are never rewritten, except for ``last_seen`` and version bumps, which leave the vector alone.

What counts as a change:

* ``content_hash`` is sha256 over the parsed article (every field but the fetch ``url``) and its
  transliterations. A different hash replaces the content, bumps ``revision`` and first copies the
  old content into ``article_revisions``.
* Same hash but newer ``parser_version``/``transliterator_version``: the versions are updated (so
  reprocessing by version terminates) and the row counts as *unchanged*; no revision is written.
* ``last_seen`` follows the raw page's ``last_fetched_at``: re-fetching an interval moves it forward,
  and that alone is not a change (it is a sighting, not an edit). Reprocessing without fetching
  leaves it, and so the whole row, untouched.
* ``url`` is where the article was first found and is never rewritten.

Loads are serialised by a transaction-level advisory lock, so the inserted/updated/unchanged
counts are exact even if two loaders overlap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import psycopg

LOAD_LOCK_KEY = 0x53414D4C4F4144  # "SAMLOAD"

# Columns that make up an article's content, in articles and article_revisions alike.
CONTENT_COLUMNS: dict[str, tuple[str, str]] = {
    # column: (type, expression over the staged row: a = article record, t = transliteration record)
    "url": ("text", "coalesce(a.url, a.canonical_url)"),
    "source": ("text", "a.source"),
    "title": ("text", "a.title"),
    "summary": ("text", "a.summary"),
    "body": ("text", "coalesce(a.body, '')"),
    "authors": ("text[]", "coalesce(a.authors, '{}')"),
    "category": ("text", "a.category"),
    "tags": ("text[]", "coalesce(a.tags, '{}')"),
    "published_at": ("timestamptz", "a.published_at"),
    "modified_at": ("timestamptz", "a.modified_at"),
    "language": ("text", "coalesce(a.language, 'hi')"),
    "lead_image": ("text", "a.lead_image"),
    "related": ("jsonb", "coalesce(a.related, '[]')"),
    "dateline": ("text", "a.dateline"),
    "title_prefix": ("text", "a.title_prefix"),
    "title_iso": ("text", "t.title_iso"),
    "title_readable": ("text", "t.title_readable"),
    "summary_iso": ("text", "t.summary_iso"),
    "summary_readable": ("text", "t.summary_readable"),
    "body_iso": ("text", "t.body_iso"),
    "body_readable": ("text", "t.body_readable"),
    # Staging normalised the jsonb (UTC timestamps, known keys only), and jsonb prints its keys in a
    # fixed order, so its text is a stable serialisation to hash.
    "content_hash": (
        "text",
        "encode(sha256(convert_to(jsonb_build_array(s.article - 'url', s.transliteration)::text, 'UTF8')), 'hex')",
    ),
    "parser_version": ("text", "%(parser_version)s"),
    "transliterator_version": ("text", "%(transliterator_version)s"),
    "raw_page_id": ("bigint", "s.raw_page_id"),
}
_COLS = ", ".join(CONTENT_COLUMNS)
_VALUES = ", ".join("b.content_hash" if c == "content_hash" else e for c, (_, e) in CONTENT_COLUMNS.items())
_RECORDS = (
    # jsonb_to_record detoasts each staged document once instead of once per field
    " CROSS JOIN LATERAL jsonb_to_record(s.article) AS a (url text, canonical_url text, source text, title text,"
    "  summary text, body text, authors text[], category text, tags text[], published_at timestamptz,"
    "  modified_at timestamptz, language text, lead_image text, related jsonb, dateline text, title_prefix text)"
    " LEFT JOIN LATERAL jsonb_to_record(s.transliteration) AS t (title_iso text, title_readable text,"
    "  summary_iso text, summary_readable text, body_iso text, body_readable text) ON true"
)
# The batch, narrow: which staged row wins each canonical URL, its hash, and the matching article.
_CREATE_TEMP = (
    "CREATE TEMP TABLE IF NOT EXISTS _samachar_load (staged_id bigint, raw_page_id bigint, canonical_url text,"
    " content_hash text, first_seen timestamptz, last_seen timestamptz, article_id bigint, old_hash text)"
    " ON COMMIT DELETE ROWS"
)
# The newest staged row wins when several in a batch share a canonical URL.
_EXTRACT = (
    "INSERT INTO _samachar_load (staged_id, raw_page_id, canonical_url, content_hash, first_seen, last_seen)"
    " SELECT DISTINCT ON (c.url) s.id, s.raw_page_id, c.url, "
    + CONTENT_COLUMNS["content_hash"][1]
    + ", r.first_fetched_at, r.last_fetched_at"
    " FROM staged_articles s JOIN raw_pages r ON r.id = s.raw_page_id,"
    " LATERAL (SELECT s.article->>'canonical_url' AS url) c"
    " WHERE s.id = ANY(%(ids)s) AND s.problem IS NULL"
    " ORDER BY c.url, r.fetched_at DESC, s.id DESC"
)
_MATCH = (
    "UPDATE _samachar_load b SET article_id = a.id, old_hash = a.content_hash"
    " FROM articles a WHERE a.canonical_url = b.canonical_url"
)
_CLASSIFY = (
    "SELECT count(*) FILTER (WHERE article_id IS NULL), count(*) FILTER (WHERE old_hash <> content_hash),"
    " count(*) FILTER (WHERE old_hash = content_hash) FROM _samachar_load"
)
_QUARANTINE_INVALID = (
    "INSERT INTO quarantine (source, url, stage, reason, detail, raw_page_id, run_id)"
    " SELECT DISTINCT ON (r.url) r.source, r.url, 'load', 'invalid-article', s.problem, r.id, s.run_id"
    " FROM staged_articles s JOIN raw_pages r ON r.id = s.raw_page_id"
    " WHERE s.id = ANY(%(ids)s) AND s.problem IS NOT NULL ORDER BY r.url, s.id DESC"
    " ON CONFLICT (url, stage) DO UPDATE SET reason = EXCLUDED.reason, detail = EXCLUDED.detail,"
    "  raw_page_id = EXCLUDED.raw_page_id, run_id = EXCLUDED.run_id, last_seen = now(),"
    "  attempts = quarantine.attempts + 1, resolved_at = NULL"
)
_RELEASE_LOADED = (
    "UPDATE quarantine q SET resolved_at = now() FROM _samachar_load b JOIN raw_pages r ON r.id = b.raw_page_id"
    " WHERE q.stage = 'load' AND q.resolved_at IS NULL AND q.url = r.url"
)
_SAVE_REVISIONS = (
    "INSERT INTO article_revisions (article_id, revision, " + _COLS + ", valid_from)"
    " SELECT a.id, a.revision, " + ", ".join(f"a.{c}" for c in CONTENT_COLUMNS) + ", a.content_updated_at"
    " FROM articles a JOIN _samachar_load b ON a.id = b.article_id WHERE b.old_hash <> b.content_hash"
)
# New articles. Changed ones go through _UPDATE_CHANGED instead: an upsert that hits its conflict
# computes the generated search_vector twice (once for the attempted insert, once for the update),
# and the vector is most of a load's cost. Loaders hold LOAD_LOCK_KEY, so the DO UPDATE arm only
# fires for a row some other writer inserted meanwhile. url (where first found) is never rewritten.
_SET_CONTENT = ", ".join(f"{c} = EXCLUDED.{c}" for c in CONTENT_COLUMNS if c != "url")
_INSERT_NEW = (
    "INSERT INTO articles (canonical_url, " + _COLS + ", first_seen, last_seen)"
    " SELECT b.canonical_url, " + _VALUES + ", b.first_seen, b.last_seen"
    " FROM _samachar_load b JOIN staged_articles s ON s.id = b.staged_id" + _RECORDS
    + " WHERE b.article_id IS NULL ORDER BY b.canonical_url"
    " ON CONFLICT (canonical_url) DO UPDATE SET " + _SET_CONTENT
    + ", revision = articles.revision + 1, content_updated_at = now()"
    ", last_seen = greatest(articles.last_seen, EXCLUDED.last_seen)"
    " WHERE articles.content_hash <> EXCLUDED.content_hash"
)
# Changed articles: new content, revision + 1 (the old content was saved by _SAVE_REVISIONS).
_UPDATE_CHANGED = (
    "UPDATE articles SET " + _SET_CONTENT.replace("EXCLUDED.", "v.")
    + ", revision = articles.revision + 1, content_updated_at = now()"
    ", last_seen = greatest(articles.last_seen, v.last_seen)"
    " FROM (SELECT b.article_id, " + _VALUES + ", b.last_seen"
    " FROM _samachar_load b JOIN staged_articles s ON s.id = b.staged_id" + _RECORDS
    + " WHERE b.old_hash <> b.content_hash) AS v (article_id, " + _COLS + ", last_seen)"
    " WHERE articles.id = v.article_id"
)
# Unchanged content: move last_seen forward and adopt newer versions, nothing else.
_TOUCH_UNCHANGED = (
    "UPDATE articles a SET last_seen = greatest(a.last_seen, b.last_seen),"
    " parser_version = %(parser_version)s, transliterator_version = %(transliterator_version)s"
    " FROM _samachar_load b WHERE a.id = b.article_id AND b.old_hash = b.content_hash"
    " AND (a.last_seen < b.last_seen OR a.parser_version <> %(parser_version)s"
    "      OR a.transliterator_version <> %(transliterator_version)s)"
)


@dataclass(frozen=True)
class LoadResult:
    """Outcome of one :func:`upsert_articles` batch.

    ``inserted + updated + unchanged`` is the number of distinct canonical URLs loaded;
    ``quarantined`` rows failed staging checks; ``sanitized`` rows had NULs or bad characters removed.
    """

    inserted: int
    updated: int
    unchanged: int
    revisions: int
    quarantined: int = 0
    sanitized: int = 0


def upsert_articles(
    conn: psycopg.Connection,
    staged_ids: Sequence[int],
    *,
    parser_version: str,
    transliterator_version: str,
) -> LoadResult:
    """Load staged rows into ``articles`` in one transaction (all or nothing; safe to retry).

    Rows whose staging found a problem go to quarantine (stage ``load``) instead of failing the batch;
    a URL that loads cleanly resolves its open ``load`` quarantine entry.
    """
    params = {
        "ids": list(staged_ids),
        "parser_version": parser_version,
        "transliterator_version": transliterator_version,
    }
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOAD_LOCK_KEY,))
        conn.execute(_CREATE_TEMP)
        conn.execute("TRUNCATE _samachar_load")  # in case an outer transaction used it already
        quarantined = conn.execute(_QUARANTINE_INVALID, params).rowcount
        conn.execute(_EXTRACT, params)
        conn.execute(_MATCH)
        inserted, updated, unchanged = conn.execute(_CLASSIFY).fetchone() or (0, 0, 0)
        revisions = conn.execute(_SAVE_REVISIONS).rowcount
        conn.execute(_INSERT_NEW, params)
        conn.execute(_UPDATE_CHANGED, params)
        conn.execute(_TOUCH_UNCHANGED, params)
        conn.execute(_RELEASE_LOADED)
        sanitized_row = conn.execute(
            "SELECT count(*) FROM staged_articles WHERE id = ANY(%(ids)s) AND notes <> '[]'", params
        ).fetchone()
    return LoadResult(inserted, updated, unchanged, revisions, quarantined, sanitized_row[0] if sanitized_row else 0)


def stored_urls(conn: psycopg.Connection, source: str, urls: Sequence[str]) -> set[str]:
    """Which of ``urls`` already have an article for ``source`` (as fetch URL or canonical URL)."""
    rows = conn.execute(
        "SELECT u FROM unnest(%(urls)s::text[]) AS u WHERE EXISTS"
        " (SELECT 1 FROM articles a WHERE a.canonical_url = u AND a.source = %(source)s)"
        " OR EXISTS (SELECT 1 FROM articles a WHERE a.url = u AND a.source = %(source)s)",
        {"urls": list(urls), "source": source},
    ).fetchall()
    return {u for (u,) in rows}
