"""Shared set-up for ``make run`` and ``make demo``: a reachable Postgres and the news database."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))
sys.path.insert(0, str(ROOT / "scripts"))

import localpg  # noqa: E402
import psycopg  # noqa: E402

from samachar.config import with_database  # noqa: E402


def ensure_database(server_url: str, name: str) -> str:
    """Create database ``name`` on the server if missing; return its URL."""
    with psycopg.connect(server_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    return with_database(server_url, name)


def news_database(default_name: str = "samachar") -> tuple[str, str]:
    """(server URL, migrated news database URL), honouring ``SAMACHAR_DATABASE_URL``."""
    from samachar.db import migrate

    server = os.environ.get("SAMACHAR_PG_SERVER") or localpg.ensure()
    configured = os.environ.get("SAMACHAR_DATABASE_URL")
    if configured:
        name = psycopg.conninfo.conninfo_to_dict(configured).get("dbname") or default_name
        ensure_database(with_database(configured, "postgres"), name)
        url = configured
    else:
        url = ensure_database(server, default_name)
    migrate(url)
    return server, url
