"""Migrations on a real Postgres: in order, once, under concurrency, and guarded against edits."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator

import psycopg
import pytest

from samachar import db
from samachar.db.connection import maintenance_url
from samachar.db.migrations import available_migrations

pytestmark = pytest.mark.integration


@pytest.fixture()
def fresh_url(news_db_url: str) -> Iterator[str]:
    """An empty database of its own (the session database is already migrated)."""
    url = maintenance_url(news_db_url, f"samachar_test_db_{os.getpid()}_migrate")
    db.drop_database(url)
    assert db.ensure_database(url) is True
    assert db.ensure_database(url) is False
    yield url
    db.drop_database(url)


def _applied(url: str) -> list[tuple[str, str]]:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT name, checksum FROM schema_migrations ORDER BY name").fetchall()


def test_migrate_applies_every_file_once(fresh_url: str) -> None:
    names = [m.name for m in available_migrations()]
    assert names == sorted(names) and names[0] == "0001_core"
    assert db.migrate(fresh_url) == names
    assert db.migrate(fresh_url) == []
    assert [n for n, _ in _applied(fresh_url)] == names


def test_concurrent_migrate_applies_once(fresh_url: str) -> None:
    start = threading.Barrier(3)
    results: dict[int, list[str]] = {}
    errors: list[BaseException] = []

    def run(i: int) -> None:
        start.wait()
        try:
            results[i] = db.migrate(fresh_url)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    applied = [name for names in results.values() for name in names]
    assert sorted(applied) == [m.name for m in available_migrations()]  # each exactly once, all told
    assert len(_applied(fresh_url)) == len(applied)


def test_migrate_works_on_a_caller_connection_and_restores_its_mode(fresh_url: str) -> None:
    with psycopg.connect(fresh_url) as conn:  # not autocommit, like the pipeline's connections
        assert db.migrate(conn)
        assert conn.autocommit is False
    with psycopg.connect(fresh_url) as conn:
        conn.execute("SELECT 1")  # leaves a transaction open
        with pytest.raises(db.MigrationError, match="idle"):
            db.migrate(conn)


def test_edited_migration_is_refused(fresh_url: str) -> None:
    db.migrate(fresh_url)
    with psycopg.connect(fresh_url, autocommit=True) as conn:
        conn.execute("UPDATE schema_migrations SET checksum = 'edited' WHERE name = '0001_core'")
    with pytest.raises(db.MigrationError, match="0001_core"):
        db.migrate(fresh_url)


def test_search_extensions_are_in_place(fresh_url: str) -> None:
    db.migrate(fresh_url)
    with psycopg.connect(fresh_url) as conn:
        available = conn.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'").fetchone()
        indexes = {r[0] for r in conn.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'articles'")}
    assert "articles_search_idx" in indexes
    assert ("articles_title_readable_trgm_idx" in indexes) == bool(available)
