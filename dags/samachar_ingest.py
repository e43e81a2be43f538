"""Ingest DAGs: one per enabled source profile (India News is ``samachar_ingest``).

discover_urls → fetch_pages[batch] → parse_articles[batch] → transliterate_articles → load_articles

All logic lives in ``samachar.pipeline``; this file only wires tasks, so it parses fast.
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import (
    CronDataIntervalTimetable,
    ExceptionRetryPolicy,
    Param,
    RetryAction,
    RetryRule,
    dag,
    get_current_context,
    task,
)

from samachar.assets import ARTICLES
from samachar.sources import SourceProfile, enabled_profiles

# What a retry cannot fix fails at once; everything else is retried with backoff.
RETRY_POLICY = ExceptionRetryPolicy(rules=[
    RetryRule(exception="samachar.sources.ProfileError", action=RetryAction.FAIL,
              reason="bad source configuration: fix the profile, then re-run"),
    RetryRule(exception="samachar.errors.ParserBroken", action=RetryAction.FAIL,
              reason="the parser fails on most pages: a code bug, not a network problem"),
    RetryRule(exception="samachar.errors.BadParams", action=RetryAction.FAIL,
              reason="invalid run parameters"),
])

DOC = """
### Ingest `{name}`

Finds the articles **published in this run's data interval** on {base_url}, downloads them
politely (robots.txt, {rate}/s per host, pool `{pool}`), extracts them, adds ISO 15919 and
readable Latin transliterations, and upserts them into the news database (connection
`samachar_db`). Re-running an interval never duplicates anything.

**Params** (Trigger → *Trigger DAG w/ config*): `start`/`end` (ISO 8601, naive = IST) for a
chosen range, or `urls` (a list) to ingest exactly those pages; `max_articles`; `dry_run`
(discover and log only).

**Backfill**: Trigger → Backfill in the UI, or
`airflow backfill create --dag-id {dag_id} --from-date 2025-01-13 --to-date 2025-01-15`.
Failures land in the `quarantine` table with a reason; stage counts in `stage_runs`.
"""


def build_ingest_dag(profile: SourceProfile) -> None:
    """Declare the ingest DAG of one source profile."""

    @dag(
        dag_id=profile.dag_id,
        schedule=CronDataIntervalTimetable(profile.schedule, timezone=profile.timezone),
        start_date=profile.start_datetime,
        catchup=False,
        max_active_runs=profile.max_active_runs,
        dagrun_timeout=timedelta(hours=2),
        is_paused_upon_creation=False,
        tags=["samachar", "ingest", profile.name],
        owner_links={"samachar": "https://github.com/samachar-archive/samachar"},
        doc_md=DOC.format(name=profile.name, base_url=profile.base_url, rate=profile.rate_limit_per_sec,
                          pool=profile.pool, dag_id=profile.dag_id),
        default_args={
            "owner": "samachar",
            "retries": 3,
            "retry_delay": timedelta(seconds=30),
            "retry_exponential_backoff": 2.0,
            "max_retry_delay": timedelta(minutes=10),
            "execution_timeout": timedelta(minutes=30),
            "retry_policy": RETRY_POLICY,
            "pool": profile.pool,
            "on_failure_callback": _record_failure,
            "on_retry_callback": _record_failure,
        },
        params={
            "source": Param(profile.name, type="string", enum=[profile.name],
                            description="The source this DAG ingests (fixed per DAG)."),
            "start": Param(None, type=["null", "string"], description="Range start, ISO 8601 (naive = IST)."),
            "end": Param(None, type=["null", "string"], description="Range end (exclusive)."),
            "urls": Param([], type="array", description="Ingest exactly these article URLs."),
            "max_articles": Param(None, type=["null", "integer"], minimum=1),
            "dry_run": Param(False, type="boolean", description="Discover and log, store nothing else."),
        },
    )
    def ingest() -> None:
        @task
        def discover_urls() -> list[int]:
            from samachar.tasks import discover_task

            return discover_task(profile.name, get_current_context())

        @task(map_index_template="{{ batch_label }}")
        def fetch_pages(batch: int) -> list[int]:
            from samachar.tasks import fetch_task

            return fetch_task(profile.name, batch, get_current_context())

        @task(map_index_template="{{ batch_label }}")
        def parse_articles(raw_page_ids: list[int]) -> list[int]:
            from samachar.tasks import parse_task

            return parse_task(profile.name, raw_page_ids, get_current_context())

        @task
        def transliterate_articles(staged_ids: list[list[int]]) -> list[int]:
            from samachar.tasks import transliterate_task

            return transliterate_task(staged_ids, get_current_context())

        @task(outlets=[ARTICLES])
        def load_articles(staged_ids: list[int]) -> dict[str, int]:
            from samachar.tasks import load_task

            return load_task(staged_ids, get_current_context())

        pages = fetch_pages.expand(batch=discover_urls())
        articles = parse_articles.expand(raw_page_ids=pages)
        load_articles(transliterate_articles(articles))

    ingest()


def _record_failure(context: dict) -> None:
    from samachar.orchestration import record_task_failure

    record_task_failure(context)


for _profile in enabled_profiles():
    build_ingest_dag(_profile)
