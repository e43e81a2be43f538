"""Opening connections and creating the database itself.

Connections are autocommit: every repository function wraps its own statements in
``conn.transaction()``, so each call is atomic on its own and nests as a savepoint when the
caller opens an outer transaction.
"""

from __future__ import annotations

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from samachar import config

APPLICATION_NAME = "samachar"


def connect(url: str | None = None) -> psycopg.Connection:
    """Open an autocommit psycopg 3 connection to ``url`` (default: ``config.database_url()``)."""
    return psycopg.connect(url or config.database_url(), autocommit=True, application_name=APPLICATION_NAME)


def database_name(url: str) -> str:
    """The database a connection URL points at (``postgres``-style default: the user name)."""
    params = conninfo_to_dict(url)
    name = params.get("dbname") or params.get("user")
    if not name:
        raise ValueError(f"no database name in {url!r}")
    return str(name)


def maintenance_url(url: str, dbname: str = "postgres") -> str:
    """``url`` re-pointed at the maintenance database, for CREATE/DROP DATABASE."""
    return make_conninfo(url, dbname=dbname)


def ensure_database(url: str | None = None) -> bool:
    """Create the database ``url`` names if it does not exist yet; True when it was created.

    ``make`` and ``samachar db migrate`` call this first so a fresh server needs no manual step.
    Safe against a concurrent caller creating the same database.
    """
    url = url or config.database_url()
    name = database_name(url)
    with psycopg.connect(maintenance_url(url), autocommit=True, application_name=APPLICATION_NAME) as admin:
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            return False
        try:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        except (psycopg.errors.DuplicateDatabase, psycopg.errors.UniqueViolation):
            return False
    return True


def drop_database(url: str) -> None:
    """Drop the database ``url`` names, disconnecting its sessions (tests and benchmarks)."""
    name = database_name(url)
    with psycopg.connect(maintenance_url(url), autocommit=True, application_name=APPLICATION_NAME) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
