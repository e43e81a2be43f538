"""Test set-up shared by every test.

Airflow reads its configuration at import time, so its environment is set here, before
anything imports airflow. The news database and Airflow's metadata database are two
throwaway databases on the Postgres server that ``make test`` found or started
(``SAMACHAR_PG_SERVER``; by default the one on 127.0.0.1:5432).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT / "plugins"))

from samachar.config import with_database  # noqa: E402

PG_SERVER = os.environ.get("SAMACHAR_PG_SERVER", "postgresql://postgres@127.0.0.1:5432/postgres")
NEWS_DB = f"samachar_test_{os.getpid()}"
NEWS_DB_URL = with_database(PG_SERVER, NEWS_DB)
AIRFLOW_DB = f"samachar_test_airflow_{os.getpid()}"

os.environ["SAMACHAR_DATABASE_URL"] = NEWS_DB_URL
os.environ["AIRFLOW_CONN_SAMACHAR_DB"] = NEWS_DB_URL
os.environ["AIRFLOW_HOME"] = tempfile.mkdtemp(prefix="samachar-airflow-home-")
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(ROOT / "dags")
os.environ["AIRFLOW__CORE__PLUGINS_FOLDER"] = str(ROOT / "plugins")
os.environ["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] = with_database(PG_SERVER, AIRFLOW_DB).replace(
    "postgresql://", "postgresql+psycopg2://", 1)
os.environ["AIRFLOW__CORE__EXECUTOR"] = "LocalExecutor"
os.environ.setdefault("AIRFLOW__LOGGING__LOGGING_LEVEL", "WARNING")

import psycopg  # noqa: E402
import pytest  # noqa: E402


def _create_database(name: str, *, fresh: bool) -> None:
    with psycopg.connect(PG_SERVER, autocommit=True) as conn:
        if fresh:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


@pytest.fixture(scope="session")
def news_db_url() -> Iterator[str]:
    """A migrated, empty news database for this test session, dropped afterwards."""
    from samachar.db import migrate

    _create_database(NEWS_DB, fresh=True)
    migrate(NEWS_DB_URL)
    yield NEWS_DB_URL
    with psycopg.connect(PG_SERVER, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{NEWS_DB}" WITH (FORCE)')


@pytest.fixture()
def news_db(news_db_url: str) -> Iterator[psycopg.Connection]:
    """A connection to the session's news database, emptied before the test."""
    with psycopg.connect(news_db_url) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'")]
        if tables:
            conn.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")
            conn.commit()
        yield conn


@pytest.fixture(scope="session")
def airflow_db() -> Iterator[str]:
    """Airflow's own metadata database, fresh for this session and dropped afterwards."""
    _create_database(AIRFLOW_DB, fresh=True)
    subprocess.run([str(Path(sys.executable).parent / "airflow"), "db", "migrate"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
    yield os.environ["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    from airflow import settings

    settings.dispose_orm()
    with psycopg.connect(PG_SERVER, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{AIRFLOW_DB}" WITH (FORCE)')


@pytest.fixture()
def devsite() -> Iterator:
    """The replay India News site on a free port of 127.0.0.1."""
    from samachar.devsite import DevSite

    with DevSite() as site:
        yield site


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """../shared/data beside the repo (the lexicons); tests that need it skip without it."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared data not found at {SHARED_DATA}")
    return SHARED_DATA
