"""Daily summaries per source and category: articles, new authors, failures (IST days)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import psycopg

IST = ZoneInfo("Asia/Kolkata")

_SUMMARY_SQL = """
WITH day_articles AS (
    SELECT id, source, coalesce(category, '') AS category, authors
    FROM articles
    WHERE (published_at AT TIME ZONE 'Asia/Kolkata')::date = %(day)s
),
first_bylines AS (  -- the day each (source, author) first appeared
    SELECT a.source, byline.name AS author,
           min((a.published_at AT TIME ZONE 'Asia/Kolkata')::date) AS first_day
    FROM articles a, unnest(a.authors) AS byline(name)
    GROUP BY a.source, byline.name
),
per_category AS (
    SELECT d.source, d.category, count(DISTINCT d.id) AS articles,
           count(DISTINCT byline.name) FILTER (WHERE f.first_day = %(day)s) AS new_authors
    FROM day_articles d
    LEFT JOIN LATERAL unnest(d.authors) AS byline(name) ON true
    LEFT JOIN first_bylines f ON f.source = d.source AND f.author = byline.name
    GROUP BY d.source, d.category
),
per_source AS (
    SELECT d.source, '*' AS category, count(*) AS articles,
           (SELECT count(*) FROM first_bylines f WHERE f.source = d.source AND f.first_day = %(day)s)
               AS new_authors
    FROM day_articles d GROUP BY d.source
),
failures AS (
    SELECT source, count(*) AS failures FROM quarantine
    WHERE (last_seen AT TIME ZONE 'Asia/Kolkata')::date = %(day)s GROUP BY source
)
INSERT INTO daily_summaries (day, source, category, articles, new_authors, failures, computed_at)
SELECT %(day)s, source, category, articles, new_authors, NULL, now() FROM per_category
UNION ALL
SELECT %(day)s, coalesce(s.source, f.source), '*', coalesce(s.articles, 0), coalesce(s.new_authors, 0),
       coalesce(f.failures, 0), now()
FROM per_source s FULL JOIN failures f ON f.source = s.source
ON CONFLICT (day, source, category) DO UPDATE
SET articles = EXCLUDED.articles, new_authors = EXCLUDED.new_authors, failures = EXCLUDED.failures,
    computed_at = EXCLUDED.computed_at
"""


def ist_days(intervals: Iterable[tuple[datetime, datetime]]) -> list[date]:
    """The IST calendar days that a set of [start, end) intervals touch."""
    days: set[date] = set()
    for start, end in intervals:
        first = start.astimezone(IST).date()
        # the end is exclusive: an interval ending at IST midnight does not touch the next day
        last = (end.astimezone(IST) - timedelta(microseconds=1)).date() if end > start else first
        days.update(first + timedelta(days=i) for i in range((last - first).days + 1))
    return sorted(days)


def loaded_since_last_summary(conn: psycopg.Connection) -> list[tuple[datetime, datetime]]:
    """Intervals of runs that finished since the last summary (with a margin for overlap).

    Airflow may fold or delay asset events (apache/airflow#56050), so the summary does not
    rely on the triggering events alone.
    """
    rows = conn.execute(
        "SELECT interval_start, interval_end FROM pipeline_runs WHERE finished_at >="
        " coalesce((SELECT max(computed_at) FROM daily_summaries), '-infinity') - interval '10 minutes'"
    ).fetchall()
    return [(start, end) for start, end in rows]


def summarise_days(conn: psycopg.Connection, days: Iterable[date]) -> int:
    """Recompute the summary rows of ``days`` (idempotent). Returns rows written."""
    written = 0
    with conn.cursor() as cur:
        for day in days:
            cur.execute("DELETE FROM daily_summaries WHERE day = %s", (day,))
            cur.execute(_SUMMARY_SQL, {"day": day})
            written += cur.rowcount
    conn.commit()
    return written
