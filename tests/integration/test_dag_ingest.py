"""The ingest DAG end to end with dag.test(): replay site over HTTP → real Postgres."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
IST = ZoneInfo("Asia/Kolkata")


def _busiest_hour(articles):
    """The IST clock hour (the hourly timetable's intervals are IST hours) with most articles."""
    hours = Counter(a.published_at.astimezone(IST).replace(minute=0, second=0, microsecond=0)
                    for a in articles)
    return hours.most_common(1)[0][0]


def test_dag_loads_the_articles_of_its_interval(news_db, airflow_db, devsite, monkeypatch) -> None:
    monkeypatch.setenv("SAMACHAR_BASE_URL", devsite.base_url)
    from airflow.dag_processing.dagbag import DagBag

    from samachar.transliterate import to_iso15919, to_readable

    dag = DagBag(dag_folder=str(ROOT / "dags")).get_dag("samachar_ingest")
    start = _busiest_hour(devsite.articles)
    end = start + timedelta(hours=1)
    expected = {a.url: a for a in devsite.articles if start <= a.published_at < end}
    assert len(expected) >= 2, "the replay site should have several articles in its busiest hour"

    # a manual run covers the last complete interval before its logical date
    dag_run = dag.test(logical_date=end)
    assert dag_run.state == "success"

    rows = news_db.execute(
        "SELECT canonical_url, title, body, title_iso, title_readable, body_readable, published_at, authors"
        " FROM articles").fetchall()
    assert {r[0] for r in rows} == set(expected)
    for url, title, body, title_iso, title_readable, body_readable, published_at, authors in rows:
        gold = expected[url]
        assert title == gold.title
        assert body == "\n\n".join(gold.body_paragraphs)
        assert title_iso == to_iso15919(gold.title)
        assert title_readable == to_readable(gold.title, title=True)
        assert body_readable == to_readable(body)
        assert published_at == gold.published_at
        assert authors == list(gold.authors)

    stages = dict(news_db.execute(
        "SELECT stage, sum(count_out) FROM stage_runs GROUP BY stage").fetchall())
    assert stages["load"] == len(expected)

    # the same interval again: nothing new, nothing doubled
    dag.test(logical_date=end)
    assert news_db.execute("SELECT count(*) FROM articles").fetchone()[0] == len(expected)
    assert news_db.execute("SELECT count(*) FROM article_revisions").fetchone()[0] == 0


def test_manual_runs_without_logical_date(news_db, airflow_db, devsite, monkeypatch) -> None:
    """Trigger w/ config: a list of URLs loads exactly those; dry_run stores no article."""
    monkeypatch.setenv("SAMACHAR_BASE_URL", devsite.base_url)
    from airflow.dag_processing.dagbag import DagBag

    dag = DagBag(dag_folder=str(ROOT / "dags")).get_dag("samachar_ingest")
    chosen = [devsite.articles[3].url, devsite.articles[7].url]
    run = dag.test(logical_date=None, run_conf={"urls": chosen})
    assert run.state == "success"
    assert {r[0] for r in news_db.execute("SELECT canonical_url FROM articles")} == set(chosen)

    dry = dag.test(logical_date=None, run_conf={"dry_run": True})
    assert dry.state == "success"
    assert news_db.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
    start, end = news_db.execute("SELECT interval_start, interval_end FROM pipeline_runs"
                                 " WHERE airflow_run_id = %s", (f"samachar_ingest/{dry.run_id}",)).fetchone()
    assert end == dry.run_after and end - start == timedelta(hours=1)


def test_failed_tries_are_recorded_in_the_stage_metrics(news_db, devsite) -> None:
    """The on_failure/on_retry callback writes the failed try next to the stage's counts."""
    from types import SimpleNamespace

    from samachar import pipeline
    from samachar.errors import TooManyFailures
    from samachar.orchestration import record_task_failure
    from samachar.sources import load_profile

    profile = load_profile("indianews", base_url=devsite.base_url)
    start = devsite.articles[0].published_at
    run_id = pipeline.start_run(news_db, profile, start, start + timedelta(hours=1), trigger="manual",
                                airflow_run_id="samachar_ingest/manual__x")
    context = {
        "dag_run": SimpleNamespace(dag_id="samachar_ingest", run_id="manual__x"),
        "ti": SimpleNamespace(task_id="fetch_pages", try_number=2, map_index=0, start_date=start),
        "exception": TooManyFailures("fetched 1/25 URLs"),
    }
    record_task_failure(context)
    news_db.commit()
    row = news_db.execute("SELECT stage, count_failed, error_summary, details FROM stage_runs WHERE run_id = %s",
                          (run_id,)).fetchone()
    assert row[0] == "fetch_pages:attempt-failed" and row[1] == 1
    assert "TooManyFailures" in row[2] and row[3]["try_number"] == 2
