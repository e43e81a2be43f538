"""Postgres storage for Samachar (psycopg 3): schema migrations and the repository functions the
pipeline stages call. See docs/ARCHITECTURE.md for the contract."""

from samachar.db.articles import LoadResult, stored_urls, upsert_articles
from samachar.db.connection import connect, drop_database, ensure_database
from samachar.db.migrations import MigrationError, migrate, migrate_command
from samachar.db.quarantine import quarantine, release_quarantine
from samachar.db.queue import (
    DiscoveredRow,
    discovered_batch,
    discovered_count,
    mark_discovered,
    store_discovered,
)
from samachar.db.raw import FetchState, RawPage, fetch_state, raw_pages, store_raw_page, touch_raw_page
from samachar.db.runs import finish_run, record_stage, run_id_for, run_interval, start_run
from samachar.db.search import search, search_command
from samachar.db.staging import StagedRow, set_transliteration, stage_parsed, stage_parsed_many, staged

__all__ = [
    "DiscoveredRow",
    "discovered_batch",
    "discovered_count",
    "mark_discovered",
    "run_id_for",
    "run_interval",
    "store_discovered",
    "FetchState",
    "LoadResult",
    "MigrationError",
    "RawPage",
    "StagedRow",
    "connect",
    "drop_database",
    "ensure_database",
    "fetch_state",
    "finish_run",
    "migrate",
    "migrate_command",
    "quarantine",
    "raw_pages",
    "record_stage",
    "release_quarantine",
    "search",
    "search_command",
    "set_transliteration",
    "stage_parsed",
    "stage_parsed_many",
    "staged",
    "start_run",
    "store_raw_page",
    "stored_urls",
    "touch_raw_page",
    "upsert_articles",
]
