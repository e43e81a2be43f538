"""Shared set-up for ``make run`` and ``make demo``: a reachable Postgres and the news database."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))
sys.path.insert(0, str(ROOT / "scripts"))

import localpg  # noqa: E402

from samachar.config import with_database  # noqa: E402


def ensure_database(server_url: str, name: str) -> str:
    """Create database ``name`` on the server if missing; return its URL."""
    from samachar.db import ensure_database as create_if_missing

    url = with_database(server_url, name)
    create_if_missing(url)
    return url


def news_database(default_name: str = "samachar") -> tuple[str, str]:
    """(server URL, migrated news database URL), honouring ``SAMACHAR_DATABASE_URL``."""
    from samachar.db import migrate

    server = os.environ.get("SAMACHAR_PG_SERVER") or localpg.ensure()
    configured = os.environ.get("SAMACHAR_DATABASE_URL")
    if configured:
        from samachar.db import ensure_database as create_if_missing

        create_if_missing(configured)
        url = configured
    else:
        url = ensure_database(server, default_name)
    migrate(url)
    return server, url
