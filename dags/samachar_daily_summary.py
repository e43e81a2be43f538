"""Daily summary per source and category, recomputed whenever the articles table changes.

Scheduled on the ``articles`` Asset that every ingest load produces; it recomputes the IST
days the triggering runs covered, so it is idempotent and never double counts.
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import dag, get_current_context, task

from samachar.assets import ARTICLES


@dag(
    dag_id="samachar_daily_summary",
    schedule=[ARTICLES],
    catchup=False,
    # no max_active_runs=1: with it Airflow 3 leaves asset events that arrive during a run
    # unconsumed (apache/airflow#56050); recomputing a day is idempotent, so overlap is harmless
    is_paused_upon_creation=False,
    tags=["samachar", "summary"],
    default_args={"owner": "samachar", "retries": 3, "retry_delay": timedelta(seconds=30),
                  "retry_exponential_backoff": 2.0, "max_retry_delay": timedelta(minutes=10),
                  "execution_timeout": timedelta(minutes=10)},
    doc_md="""
### Daily summary

Runs after any load into `articles` (the Asset `samachar_articles`) and
rewrites `daily_summaries` for the IST days those runs covered: articles per source and
category, authors seen for the first time, and failures (category `*` holds the source totals).
""",
)
def samachar_daily_summary() -> None:
    @task
    def summarise_changed_days() -> int:
        from samachar.tasks import summary_task

        return summary_task(get_current_context())

    summarise_changed_days()


samachar_daily_summary()
