"""Read-only queries behind the Samachar view: recent articles, search hits, run metrics, quarantine.

Rows come back as plain dicts so the HTML page and the JSON endpoints share them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import psycopg
from psycopg.rows import dict_row

from samachar import db

# How much of a body the page shows: the first paragraphs (bodies join paragraphs with a blank line).
PARAGRAPHS = 2
# Pipeline order, for listing a run's stages; a failed try, stored as "<task_id>:attempt-failed"
# (e.g. "fetch_pages:attempt-failed"), sits with the stage its name starts with.
STAGES = ("discover", "fetch", "parse", "transliterate", "load")

_ARTICLE_COLUMNS = """
    id, source, canonical_url AS url, category, authors, published_at, first_seen, revision,
    title, title_iso, title_readable,
    summary, summary_iso, summary_readable,
    (string_to_array(body, E'\\n\\n'))[1:%(paragraphs)s] AS paragraphs,
    (string_to_array(body_iso, E'\\n\\n'))[1:%(paragraphs)s] AS paragraphs_iso,
    (string_to_array(body_readable, E'\\n\\n'))[1:%(paragraphs)s] AS paragraphs_readable
"""


def recent_articles(conn: psycopg.Connection, limit: int = 20) -> list[dict[str, Any]]:
    """The newest articles (by publication time, else first seen), with their first paragraphs.

    Picks the ids first, so only the rows shown have their bodies read and split."""
    ids = [row[0] for row in conn.execute(
        "SELECT id FROM articles ORDER BY coalesce(published_at, first_seen) DESC, id DESC LIMIT %s", (limit,))]
    return articles_by_id(conn, ids)


def articles_by_id(conn: psycopg.Connection, ids: Sequence[int]) -> list[dict[str, Any]]:
    """Full cards for the given article ids, in the order given (search ranks them)."""
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ANY(%(ids)s)",
            {"paragraphs": PARAGRAPHS, "ids": list(ids)},
        ).fetchall()
    by_id = {row["id"]: row for row in rows}
    return [by_id[i] for i in ids if i in by_id]


def search_articles(conn: psycopg.Connection, query: str, limit: int = 20) -> list[dict[str, Any]]:
    """Search in Devanagari or Latin (``samachar.db.search``), each hit with its rank and full card."""
    hits = db.search(conn, query, limit)
    cards = {row["id"]: row for row in articles_by_id(conn, [hit["id"] for hit in hits])}
    return [{**cards[hit["id"]], "score": hit["score"], "matched": hit["matched"]}
            for hit in hits if hit["id"] in cards]


def recent_runs(conn: psycopg.Connection, limit: int = 10) -> list[dict[str, Any]]:
    """The latest pipeline runs, each with its stages in pipeline order.

    A stage's row adds up all its stored attempts: the batches of a mapped task each store one,
    and a try that failed is stored under ``<task_id>:attempt-failed``.  ``seconds`` is the sum of the
    attempts' durations, ``wall_seconds`` the time from the first start to the last finish.
    """
    with conn.cursor(row_factory=dict_row) as cur:
        runs = cur.execute(
            "SELECT id, source, interval_start, interval_end, trigger, status, airflow_run_id,"
            " started_at, finished_at FROM pipeline_runs ORDER BY started_at DESC, id DESC LIMIT %s",
            (limit,),
        ).fetchall()
        stages = cur.execute(
            "SELECT run_id, stage, count(*) AS attempts, sum(count_in)::int AS count_in,"
            " sum(count_out)::int AS count_out, sum(count_failed)::int AS count_failed,"
            " sum(duration_seconds) AS seconds,"
            " extract(epoch FROM max(finished_at) - min(started_at))::float8 AS wall_seconds,"
            " string_agg(DISTINCT error_summary, '; ') AS errors"
            " FROM stage_runs WHERE run_id = ANY(%s)"
            " GROUP BY run_id, stage"
            " ORDER BY run_id, array_position(%s::text[], substring(stage FROM '^[a-z]+')), min(started_at), stage",
            ([run["id"] for run in runs], list(STAGES)),
        ).fetchall()
    for run in runs:
        run["stages"] = []
    by_id = {run["id"]: run for run in runs}
    for stage in stages:
        by_id[stage.pop("run_id")]["stages"].append(stage)
    return runs


def open_quarantine(conn: psycopg.Connection, limit: int = 20) -> list[dict[str, Any]]:
    """The most recently seen unresolved failures (one per URL and stage)."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            "SELECT id, source, url, stage, reason, left(detail, 300) AS detail, attempts,"
            " first_seen, last_seen, run_id FROM quarantine WHERE resolved_at IS NULL"
            " ORDER BY last_seen DESC, id DESC LIMIT %s",
            (limit,),
        ).fetchall()
