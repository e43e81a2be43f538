"""Glue between Airflow's task context and the pipeline: intervals, connections, callbacks.

Imported only inside running tasks, so DAG files stay fast to parse.
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
from psycopg.conninfo import make_conninfo

from samachar import config

log = logging.getLogger("samachar.orchestration")
NEWS_DB_CONN_ID = os.environ.get("SAMACHAR_CONN_ID", "samachar_db")


def news_db_url() -> str:
    """URL of the news database: the Airflow connection ``samachar_db``, else the env default."""
    try:
        from airflow.sdk import BaseHook

        conn = BaseHook.get_connection(NEWS_DB_CONN_ID)
    except Exception:  # no such connection: plain environment configuration
        return config.database_url()
    return make_conninfo(host=conn.host or "127.0.0.1", port=conn.port or 5432, user=conn.login or "postgres",
                         password=conn.password or None, dbname=conn.schema or "samachar")


def connect() -> psycopg.Connection:
    """A psycopg 3 connection to the news database (never Airflow's metadata database)."""
    return psycopg.connect(news_db_url())


def parse_when(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        from zoneinfo import ZoneInfo

        moment = moment.replace(tzinfo=ZoneInfo("Asia/Kolkata"))
    return moment


def run_interval(context: dict[str, Any], period: timedelta = timedelta(hours=1)) -> tuple[datetime, datetime]:
    """The interval a run covers.

    Params ``start``/``end`` win (a manual run over a chosen range); then the run's data
    interval; a manual run without a logical date falls back to the period before ``run_after``.
    """
    params = context.get("params") or {}
    start, end = parse_when(params.get("start")), parse_when(params.get("end"))
    if start and end:
        if start >= end:
            raise ValueError(f"params start {start} must be before end {end}")
        return start, end
    start, end = context.get("data_interval_start"), context.get("data_interval_end")
    if start is not None and end is not None and end > start:
        return start, end
    run_after = context["dag_run"].run_after or datetime.now(UTC)
    return run_after - period, run_after


def airflow_run_key(context: dict[str, Any]) -> str:
    """Identifies one DAG run across task retries: ``dag_id/run_id``."""
    dag_run = context["dag_run"]
    return f"{dag_run.dag_id}/{dag_run.run_id}"


def record_task_failure(context: dict[str, Any]) -> None:
    """on_failure/on_retry callback: the stage metrics also show tries that failed."""
    from samachar import db

    ti = context["ti"]
    error = context.get("exception")
    try:
        with connect() as conn:
            run_id = db.run_id_for(conn, airflow_run_key(context))
            if run_id is None:
                return
            now = datetime.now(UTC)
            db.record_stage(conn, run_id=run_id, stage=f"{ti.task_id}:attempt-failed", count_in=0,
                            count_out=0, count_failed=1, started_at=ti.start_date or now, finished_at=now,
                            error_summary=f"{type(error).__name__}: {error}"[:500] if error else None,
                            details={"try_number": ti.try_number, "map_index": ti.map_index})
    except Exception:  # a callback must never hide the task's own error
        log.exception("could not record the failed try of %s", ti.task_id)
