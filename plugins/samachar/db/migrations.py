"""Versioned SQL migrations: ``migrations/NNNN_name.sql`` applied in number order, once each.

Numbers may have gaps (other areas reserve ranges); a file not yet applied is applied even if a
higher number already was.

Every applied file is recorded in ``schema_migrations`` with its checksum. A session-level
advisory lock serialises concurrent ``migrate`` calls (two Airflow workers, ``make`` and a test at
the same time): the second caller waits, then finds nothing left to apply.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import resources

import psycopg

from samachar import config
from samachar.db.connection import connect, ensure_database

# Arbitrary constant shared by every samachar process: "samachar migrate" as a bigint key.
MIGRATION_LOCK_KEY = 0x53414D4D4947
_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class MigrationError(RuntimeError):
    """An applied migration file was edited afterwards, or two files share a number."""


@dataclass(frozen=True)
class Migration:
    """One SQL file shipped in ``samachar/db/migrations``."""

    name: str  # file stem, e.g. "0001_core"
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode("utf-8")).hexdigest()


def available_migrations() -> list[Migration]:
    """The shipped migration files in version order."""
    folder = resources.files("samachar.db").joinpath("migrations")
    found = sorted(p.name for p in folder.iterdir() if p.name.endswith(".sql"))
    migrations, numbers = [], set()
    for filename in found:
        match = _NAME.match(filename)
        if not match or match.group(1) in numbers:
            raise MigrationError(f"migration files are named NNNN_name.sql with unique numbers; got {filename}")
        numbers.add(match.group(1))
        migrations.append(Migration(filename.removesuffix(".sql"), folder.joinpath(filename).read_text("utf-8")))
    return migrations


def migrate(url_or_conn: str | psycopg.Connection | None = None) -> list[str]:
    """Apply pending migrations; return the names applied by this call (empty when up to date)."""
    if isinstance(url_or_conn, psycopg.Connection):
        return _migrate(url_or_conn)
    with connect(url_or_conn) as conn:
        return _migrate(conn)


def _migrate(conn: psycopg.Connection) -> list[str]:
    if conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
        raise MigrationError("migrate() needs an idle connection (commit or roll back first)")
    autocommit = conn.autocommit
    conn.autocommit = True  # each migration commits on its own while the session lock is held
    try:
        return _apply_pending(conn)
    finally:
        if not conn.closed:
            conn.autocommit = autocommit


def _apply_pending(conn: psycopg.Connection) -> list[str]:
    applied_now: list[str] = []
    conn.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK_KEY,))
    try:
        with conn.transaction():
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " name text PRIMARY KEY, checksum text NOT NULL,"
                " applied_at timestamptz NOT NULL DEFAULT now())"
            )
        done = dict(conn.execute("SELECT name, checksum FROM schema_migrations").fetchall())
        for migration in available_migrations():
            if migration.name in done:
                if done[migration.name] != migration.checksum:
                    raise MigrationError(f"{migration.name} changed after it was applied; add a new migration")
                continue
            with conn.transaction():
                conn.execute(migration.sql.encode("utf-8"))
                conn.execute(
                    "INSERT INTO schema_migrations (name, checksum) VALUES (%s, %s)",
                    (migration.name, migration.checksum),
                )
            applied_now.append(migration.name)
    finally:
        if not conn.closed:
            conn.execute("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK_KEY,))
    return applied_now


def migrate_command() -> int:
    """``samachar db migrate``: create the database if needed, apply migrations, say what happened."""
    url = config.database_url()
    created = ensure_database(url)  # errors reach the CLI, which prints them on one line
    applied = migrate(url)
    if created:
        print("created the database")
    print("applied: " + ", ".join(applied) if applied else "schema is up to date")
    return 0
