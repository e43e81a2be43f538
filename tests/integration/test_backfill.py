"""Backfills as an operator runs them: real Airflow servers, `airflow backfill create`.

Starts api-server, scheduler and dag-processor on free ports with their own Postgres
metadata database, adds a daily source profile pointed at the replay site (a profile is
data: one TOML file), backfills three past days and checks that exactly their articles
landed; a second backfill with ``--reprocess-behavior completed`` changes nothing.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
import pytest

from samachar.config import with_database

pytestmark = [pytest.mark.integration, pytest.mark.airflow_servers]
ROOT = Path(__file__).resolve().parents[2]
AIRFLOW = str(Path(sys.executable).parent / "airflow")
IST = ZoneInfo("Asia/Kolkata")
DAG_ID = "samachar_ingest_replay"
ARTICLE_COLUMNS = ("canonical_url, title, body, authors, category, tags, published_at, title_iso, "
                   "title_readable, body_readable, content_hash, revision")

PROFILE = """
name = "replay"
base_url = "{base_url}"
parser = "indianews"
rate_limit_per_sec = 50.0
max_concurrency = 4
schedule = "0 0 * * *"
start_date = "2025-01-13"
timezone = "Asia/Kolkata"
dag_id = "{dag_id}"
enabled = true

[[discovery]]
kind = "date-archive"
paths = ["/{{yyyy}}/{{mm}}/{{dd}}/"]
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def airflow_servers(tmp_path, news_db_url, devsite):
    """api-server + scheduler + dag-processor, stopped (and their database dropped) afterwards."""
    server = os.environ.get("SAMACHAR_PG_SERVER", "postgresql://postgres@127.0.0.1:5432/postgres")
    meta_db = f"samachar_test_servers_{os.getpid()}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{meta_db}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{meta_db}"')
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "replay.toml").write_text(PROFILE.format(base_url=devsite.base_url, dag_id=DAG_ID))
    # the real India News DAG has no business here (no network): switch it off the same way
    shipped = (ROOT / "plugins" / "samachar" / "sources" / "indianews.toml").read_text()
    (sources / "indianews.toml").write_text(shipped.replace("enabled = true", "enabled = false"))
    port = _free_port()
    env = dict(os.environ)
    env.update({
        "AIRFLOW_HOME": str(tmp_path / "airflow"),
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": with_database(server, meta_db).replace(
            "postgresql://", "postgresql+psycopg2://", 1),
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
        "AIRFLOW__CORE__PARALLELISM": "4",
        "AIRFLOW__API__PORT": str(port),
        "AIRFLOW__API__BASE_URL": f"http://127.0.0.1:{port}",
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "True",
        "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
        "AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC": "1",
        "SAMACHAR_SOURCES_DIR": str(sources),
        "SAMACHAR_BASE_URL": "",
        "PYTHONPATH": str(ROOT / "plugins"),
    })
    env.pop("SAMACHAR_BASE_URL")
    subprocess.run([AIRFLOW, "db", "migrate"], env=env, check=True, capture_output=True, timeout=300)
    subprocess.run([AIRFLOW, "pools", "set", "samachar_replay", "4", "replay"], env=env, check=True,
                   capture_output=True, timeout=120)
    logs = tmp_path / "logs"
    logs.mkdir()
    procs = [subprocess.Popen([AIRFLOW, *cmd], env=env, stdout=(logs / f"{cmd[0]}.log").open("w"),
                              stderr=subprocess.STDOUT, start_new_session=True)
             for cmd in (["api-server", "--port", str(port)], ["scheduler"], ["dag-processor"])]
    try:
        yield env, with_database(server, meta_db), logs
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{meta_db}" WITH (FORCE)')


def _wait(predicate, seconds: float, what: str, logs: Path) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(2)
    tails = "\n".join(f"--- {p.name}\n" + p.read_text()[-3000:] for p in sorted(logs.glob("*.log")))
    pytest.fail(f"timed out waiting for {what}\n{tails}")


def _query(meta_url: str, sql: str, *params: object) -> list[tuple]:
    with psycopg.connect(meta_url) as conn:
        return conn.execute(sql, params).fetchall()


def _backfill(env, meta_url, logs, *extra: str) -> None:
    """Create a backfill of 2025-01-13..15 and wait until the scheduler completes it."""
    done_before = _query(meta_url, "SELECT count(*) FROM backfill WHERE dag_id = %s AND completed_at IS NOT NULL",
                         DAG_ID)[0][0]
    subprocess.run([AIRFLOW, "backfill", "create", "--dag-id", DAG_ID, "--from-date", "2025-01-13T00:00:00+05:30",
                    "--to-date", "2025-01-15T00:00:00+05:30", *extra], env=env, check=True, capture_output=True, timeout=120)
    _wait(lambda: _query(meta_url, "SELECT count(*) FROM backfill WHERE dag_id = %s AND completed_at IS NOT NULL",
                         DAG_ID)[0][0] > done_before, 420, "the backfill to complete", logs)
    states = _query(meta_url, "SELECT state FROM dag_run WHERE dag_id = %s AND run_type = 'backfill'", DAG_ID)
    assert len(states) == 3 and {s for (s,) in states} == {"success"}, states


@pytest.mark.timeout(600)
def test_backfill_loads_exactly_the_intervals_and_repeats_idempotently(airflow_servers, news_db, devsite):
    env, meta_url, logs = airflow_servers

    def dag_parsed() -> bool:
        return bool(_query(meta_url, "SELECT 1 FROM dag WHERE dag_id = %s", DAG_ID))

    _wait(dag_parsed, 180, "the dag-processor to parse the DAG", logs)
    _backfill(env, meta_url, logs)

    start = datetime(2025, 1, 13, tzinfo=IST)
    end = start + timedelta(days=3)
    expected = {a.url for a in devsite.articles if start <= a.published_at < end}
    outside = {a.url for a in devsite.articles} - expected
    assert expected and outside, "the replay site should have articles inside and outside the range"
    stored = {r[0] for r in news_db.execute("SELECT canonical_url FROM articles")}
    assert stored == expected
    snapshot = news_db.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles ORDER BY canonical_url").fetchall()

    _backfill(env, meta_url, logs, "--reprocess-behavior", "completed")
    news_db.commit()
    again = news_db.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles ORDER BY canonical_url").fetchall()
    assert again == snapshot
    assert news_db.execute("SELECT count(*) FROM article_revisions").fetchone()[0] == 0

    # each load produced the articles Asset: the summary DAG scheduled on it covered the three days
    # (Airflow may fold events into one run, or hold the last until the next one arrives)
    def summarised() -> bool:
        news_db.commit()
        days = {d for (d,) in news_db.execute("SELECT day FROM daily_summaries WHERE category = '*'")}
        return days >= {(start + timedelta(days=i)).date() for i in range(3)}

    _wait(summarised, 240, "the asset-triggered daily summary", logs)
    totals = dict(news_db.execute("SELECT day, articles FROM daily_summaries WHERE category = '*'").fetchall())
    assert sum(totals.get((start + timedelta(days=i)).date(), 0) for i in range(3)) == len(expected)
