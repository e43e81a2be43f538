"""Staging: parsed (then transliterated) articles waiting for the load stage.

Rows are keyed by (run, raw page), so re-staging the same page in the same run overwrites its row.
Articles are checked and normalised here, in Python, so the set-based SQL in the load stage can
trust every row: NULs are stripped (with a note), timestamps become UTC ISO strings, and a row that
cannot be loaded gets a ``problem`` that sends it to quarantine at load time.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from samachar.db.sanitize import clean, may_need_cleaning
from samachar.models import ParsedArticle

ARTICLE_KEYS = tuple(ParsedArticle.__dataclass_fields__)
TEXT_KEYS = ("url", "canonical_url", "title", "body", "source", "summary", "category", "language",
             "lead_image", "dateline", "title_prefix")
REQUIRED_KEYS = ("canonical_url", "title", "source")
TIME_KEYS = ("published_at", "modified_at")
LIST_KEYS = ("authors", "tags")
TRANSLITERATION_KEYS = ("title_iso", "title_readable", "summary_iso", "summary_readable", "body_iso", "body_readable")

# Raw UTF-8 instead of json.dumps' default \uXXXX escapes: Devanagari travels and parses at half
# the bytes, and a staging COPY takes about a third less time (bench/load.py, README "Loading speed").
_dumps = partial(json.dumps, ensure_ascii=False)

_UPSERT = (
    " ON CONFLICT (run_id, raw_page_id) DO UPDATE SET"
    "  article = EXCLUDED.article, problem = EXCLUDED.problem, notes = EXCLUDED.notes, staged_at = now(),"
    "  transliteration = CASE WHEN staged_articles.article = EXCLUDED.article"
    "                         THEN staged_articles.transliteration END,"
    "  transliterated_at = CASE WHEN staged_articles.article = EXCLUDED.article"
    "                           THEN staged_articles.transliterated_at END"
)


@dataclass(frozen=True)
class StagedRow:
    """A staged article as the next stage sees it."""

    id: int
    raw_page_id: int
    article: dict[str, Any]
    transliteration: dict[str, Any] | None


def _cleaned(value: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """:func:`clean` for the rare document that needs it; the rest pass after a fast check (tuples
    become lists either way, as :func:`clean` makes them)."""
    if may_need_cleaning(json.dumps(value, ensure_ascii=False, default=str)):
        return clean(value)
    return {k: list(v) if isinstance(v, tuple) else v for k, v in value.items()}, []


def _utc_iso(value: Any) -> tuple[str | None, str | None]:
    """(UTC ISO string, problem) for a timestamp given as ISO text or a datetime."""
    if value is None or value == "":
        return None, None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None, f"not an ISO timestamp: {value[:40]!r}"
    if not isinstance(value, datetime):
        return None, f"not a timestamp: {type(value).__name__}"
    if value.tzinfo is None:
        return None, "timestamp without a time zone"
    return value.astimezone(UTC).isoformat(), None


def prepare_article(article: dict[str, Any]) -> tuple[dict[str, Any], str | None, list[str]]:
    """Normalise a ``ParsedArticle.to_json_dict()`` for staging: (article, problem or None, notes)."""
    data, notes = _cleaned({k: article.get(k) for k in ARTICLE_KEYS})
    problems: list[str] = []
    data["body"] = data["body"] if data["body"] is not None else ""
    data["language"] = data["language"] or "hi"
    for key in TEXT_KEYS:
        if data[key] is not None and not isinstance(data[key], str):
            problems.append(f"{key} is not text")
            data[key] = str(data[key])
    problems += [f"missing {key}" for key in REQUIRED_KEYS if not (data[key] or "").strip()]
    for key in TIME_KEYS:
        data[key], problem = _utc_iso(data[key])
        if problem:
            problems.append(f"{key}: {problem}")
    for key in LIST_KEYS:
        value = data[key] or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            problems.append(f"{key} is not a list of text")
            value = [str(v) for v in value] if isinstance(value, list) else []
        data[key] = value
    related = data["related"] or []
    if not isinstance(related, list) or not all(
        isinstance(r, dict) and isinstance(r.get("title"), str) and isinstance(r.get("url"), str) for r in related
    ):
        problems.append("related is not a list of {title, url}")
        related = []
    data["related"] = [{"title": r["title"], "url": r["url"]} for r in related]
    return data, "; ".join(problems) or None, notes


def stage_parsed(conn: psycopg.Connection, *, run_id: int, raw_page_id: int, article: dict[str, Any]) -> int:
    """Stage one parsed article for ``run_id``; returns the staging id (the same id on re-staging)."""
    data, problem, notes = prepare_article(article)
    row = conn.execute(
        "INSERT INTO staged_articles (run_id, raw_page_id, article, problem, notes) VALUES (%s, %s, %s, %s, %s)"
        + _UPSERT + " RETURNING id",
        (run_id, raw_page_id, Jsonb(data, _dumps), problem, Jsonb(notes, _dumps)),
    ).fetchone()
    assert row is not None
    return int(row[0])


def stage_parsed_many(
    conn: psycopg.Connection, *, run_id: int, items: Sequence[tuple[int, dict[str, Any]]]
) -> list[int]:
    """Bulk :func:`stage_parsed` for ``(raw_page_id, article)`` pairs, by COPY.

    A fresh run COPYs straight into ``staged_articles``; if any row is already staged (a retried
    task) the batch goes through a temporary table and one upsert instead. Returns staging ids in
    input order (a repeated raw page id keeps its last article).
    """
    latest = {raw_page_id: prepare_article(article) for raw_page_id, article in items}
    try:
        with conn.transaction(), conn.cursor() as cur:  # fast path: nothing of this run staged yet
            with cur.copy("COPY staged_articles (run_id, raw_page_id, article, problem, notes) FROM STDIN") as copy:
                for raw_page_id, (data, problem, notes) in latest.items():
                    copy.write_row((run_id, raw_page_id, Jsonb(data, _dumps), problem, Jsonb(notes, _dumps)))
    except psycopg.errors.UniqueViolation:
        _restage(conn, run_id, latest)
    ids = dict(
        conn.execute(
            "SELECT raw_page_id, id FROM staged_articles WHERE run_id = %s AND raw_page_id = ANY(%s)",
            (run_id, list(latest)),
        ).fetchall()
    )
    return [ids[raw_page_id] for raw_page_id, _ in items]


def _restage(
    conn: psycopg.Connection, run_id: int, latest: dict[int, tuple[dict[str, Any], str | None, list[str]]]
) -> None:
    """Slow path of :func:`stage_parsed_many` when some rows exist: COPY to a temp table, then upsert."""
    with conn.transaction(), conn.cursor() as cur:
        cur.execute(
            "CREATE TEMP TABLE IF NOT EXISTS _samachar_stage"
            " (raw_page_id bigint, article jsonb, problem text, notes jsonb) ON COMMIT DELETE ROWS"
        )
        cur.execute("TRUNCATE _samachar_stage")  # in case an outer transaction used it already
        with cur.copy("COPY _samachar_stage (raw_page_id, article, problem, notes) FROM STDIN") as copy:
            for raw_page_id, (data, problem, notes) in latest.items():
                copy.write_row((raw_page_id, Jsonb(data, _dumps), problem, Jsonb(notes, _dumps)))
        cur.execute(
            "INSERT INTO staged_articles (run_id, raw_page_id, article, problem, notes)"
            " SELECT %s, raw_page_id, article, problem, notes FROM _samachar_stage ORDER BY raw_page_id" + _UPSERT,
            (run_id,),
        )


def staged(conn: psycopg.Connection, ids: Sequence[int]) -> list[StagedRow]:
    """The staged rows with these ids, in id order."""
    rows = conn.execute(
        "SELECT id, raw_page_id, article, transliteration FROM staged_articles WHERE id = ANY(%s) ORDER BY id",
        (list(ids),),
    ).fetchall()
    return [StagedRow(sid, raw_page_id, article, translit) for sid, raw_page_id, article, translit in rows]


def set_transliteration(conn: psycopg.Connection, rows: Sequence[tuple[int, dict[str, Any]]]) -> None:
    """Attach transliterations (``title_iso`` … ``body_readable``) to staged rows, in one statement.

    COPY into a temporary table, then one UPDATE. Only the six known keys are kept; stripped NULs
    are noted on the row like the article's.
    """
    if not rows:
        return
    with conn.transaction(), conn.cursor() as cur:
        cur.execute(
            "CREATE TEMP TABLE IF NOT EXISTS _samachar_translit (id bigint, t jsonb, n jsonb) ON COMMIT DELETE ROWS"
        )
        cur.execute("TRUNCATE _samachar_translit")  # in case an outer transaction used it already
        with cur.copy("COPY _samachar_translit (id, t, n) FROM STDIN") as copy:
            for staged_id, translit in rows:
                data, notes = _cleaned({k: translit.get(k) for k in TRANSLITERATION_KEYS})
                copy.write_row((staged_id, Jsonb(data, _dumps), Jsonb(notes, _dumps)))
        cur.execute(
            "UPDATE staged_articles s SET transliteration = v.t, transliterated_at = now(),"
            " notes = CASE WHEN v.n = '[]' THEN s.notes ELSE s.notes || v.n END"
            " FROM _samachar_translit v WHERE s.id = v.id"
        )
