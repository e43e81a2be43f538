"""Pipeline runs and per-stage metrics (the run log)."""

from __future__ import annotations

import json
from datetime import datetime
from functools import partial
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from samachar.db.sanitize import clean

# Data-modifying CTE used by every insert that names a source: registers it on first use.
ENSURE_SOURCE = "WITH _source AS (INSERT INTO sources (name) VALUES (%(source)s) ON CONFLICT DO NOTHING) "


def start_run(
    conn: psycopg.Connection,
    *,
    source: str,
    interval_start: datetime,
    interval_end: datetime,
    trigger: str,
    airflow_run_id: str | None = None,
) -> int:
    """Open a run and return its id; the same ``airflow_run_id`` always maps to the same row,
    so a retried or cleared Airflow task keeps writing to its run."""
    row = conn.execute(
        ENSURE_SOURCE + "INSERT INTO pipeline_runs (source, interval_start, interval_end, trigger, airflow_run_id)"
        " VALUES (%(source)s, %(start)s, %(end)s, %(trigger)s, %(airflow_run_id)s)"
        " ON CONFLICT (airflow_run_id) DO UPDATE SET airflow_run_id = EXCLUDED.airflow_run_id"
        " RETURNING id",
        {
            "source": source,
            "start": interval_start,
            "end": interval_end,
            "trigger": trigger,
            "airflow_run_id": airflow_run_id,
        },
    ).fetchone()
    assert row is not None
    return int(row[0])


def finish_run(
    conn: psycopg.Connection, run_id: int, status: str = "success", *, finished_at: datetime | None = None
) -> None:
    """Close a run as ``success`` or ``failed`` (a retry that succeeds flips failed to success)."""
    conn.execute(
        "UPDATE pipeline_runs SET status = %s, finished_at = coalesce(%s, now()) WHERE id = %s",
        (status, finished_at, run_id),
    )


def run_id_for(conn: psycopg.Connection, airflow_run_id: str) -> int | None:
    """The run opened for an Airflow run, if any (later tasks of a DAG run find theirs this way)."""
    row = conn.execute("SELECT id FROM pipeline_runs WHERE airflow_run_id = %s", (airflow_run_id,)).fetchone()
    return int(row[0]) if row else None


def run_interval(conn: psycopg.Connection, run_id: int) -> tuple[datetime, datetime]:
    """The data interval a run covers (for asset events and log lines)."""
    row = conn.execute("SELECT interval_start, interval_end FROM pipeline_runs WHERE id = %s", (run_id,)).fetchone()
    if row is None:
        raise LookupError(f"no pipeline run {run_id}")
    return row[0], row[1]


def record_stage(
    conn: psycopg.Connection,
    *,
    run_id: int,
    stage: str,
    count_in: int,
    count_out: int,
    count_failed: int,
    started_at: datetime,
    finished_at: datetime,
    error_summary: str | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Append one stage attempt's counts and timing; retries add rows rather than overwrite.

    ``details`` values that are not JSON (datetimes, paths) are stored as their ``str()``.
    """
    details_clean, _ = clean(details or {})
    summary = clean(error_summary)[0] if error_summary is not None else None
    conn.execute(
        "INSERT INTO stage_runs (run_id, stage, count_in, count_out, count_failed, started_at, finished_at,"
        " error_summary, details) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
        (run_id, stage, count_in, count_out, count_failed, started_at, finished_at, summary, Jsonb(details_clean, dumps=partial(json.dumps, default=str))),
    )
