"""The daily summary (asset-scheduled DAG's logic) and reprocessing from stored pages."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from samachar import pipeline, reprocess
from samachar.parse import PARSER_VERSION
from samachar.sources import load_profile
from samachar.summary import ist_days, summarise_days

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
IST = ZoneInfo("Asia/Kolkata")
DAY = date(2025, 1, 14)


@pytest.fixture()
def loaded_day(news_db, devsite):
    """Two IST days of the replay site ingested through the real pipeline."""
    profile = replace(load_profile("indianews", base_url=devsite.base_url), rate_limit_per_sec=100.0)
    start = datetime(2025, 1, 13, tzinfo=IST)
    pipeline.run_once(news_db, profile, start, start + timedelta(days=2), trigger="test")
    return profile, [a for a in devsite.articles if start <= a.published_at < start + timedelta(days=2)]


def test_ist_days_treats_the_end_as_exclusive() -> None:
    start = datetime(2025, 1, 13, 18, 30, tzinfo=ZoneInfo("UTC"))  # 00:00 IST on the 14th
    assert ist_days([(start, start + timedelta(days=1))]) == [date(2025, 1, 14)]
    assert ist_days([(start - timedelta(hours=1), start + timedelta(hours=1))]) == [date(2025, 1, 13),
                                                                                   date(2025, 1, 14)]


def test_daily_summary_counts_articles_authors_and_failures(news_db, loaded_day) -> None:
    profile, articles = loaded_day
    news_db.execute("INSERT INTO quarantine (source, url, stage, reason, last_seen)"
                    " VALUES (%s, 'http://x/broken/', 'parse', 'empty-body', %s)",
                    (profile.name, datetime(2025, 1, 14, 12, tzinfo=IST)))
    news_db.commit()
    assert summarise_days(news_db, [DAY]) > 0
    assert summarise_days(news_db, [DAY]) > 0  # recomputing replaces, never adds
    rows = {r[0]: r[1:] for r in news_db.execute(
        "SELECT category, articles, new_authors, failures FROM daily_summaries WHERE day = %s", (DAY,))}

    that_day = [a for a in articles if a.published_at.astimezone(IST).date() == DAY]
    per_category = Counter(a.category or "" for a in that_day)
    assert {c: rows[c][0] for c in per_category} == dict(per_category)
    assert rows["*"][0] == len(that_day)
    assert rows["*"][2] == 1
    earlier = {name for a in articles if a.published_at.astimezone(IST).date() < DAY for name in a.authors}
    new = {name for a in that_day for name in a.authors} - earlier
    assert rows["*"][1] == len(new)


def test_reprocess_only_touches_older_versions_and_is_idempotent(news_db, loaded_day) -> None:
    profile, articles = loaded_day
    start, end = datetime(2025, 1, 13, tzinfo=IST), datetime(2025, 1, 15, tzinfo=IST)
    assert reprocess.select_pages(news_db, profile.name, start, end, parser_older_than=PARSER_VERSION) == []
    news_db.execute("UPDATE articles SET parser_version = '1.0' WHERE id IN "
                    "(SELECT id FROM articles ORDER BY id LIMIT 3)")
    news_db.commit()
    stale = reprocess.select_pages(news_db, profile.name, start, end, parser_older_than=PARSER_VERSION)
    assert len(stale) == 3

    before = news_db.execute("SELECT canonical_url, content_hash FROM articles ORDER BY 1").fetchall()
    run_id = pipeline.start_run(news_db, profile, start, end, trigger="reprocess")
    result = reprocess.reprocess_batch(news_db, run_id, profile, stale)
    assert result.unchanged == 3 and result.inserted == 0
    assert reprocess.select_pages(news_db, profile.name, start, end, parser_older_than=PARSER_VERSION) == []
    after = news_db.execute("SELECT canonical_url, content_hash FROM articles ORDER BY 1").fetchall()
    assert after == before and len(after) == len(articles)


def test_reprocess_dag_runs_from_stored_pages(news_db, loaded_day, airflow_db, devsite) -> None:
    from airflow.dag_processing.dagbag import DagBag

    profile, articles = loaded_day
    devsite.close()  # nothing may be fetched: the site is gone
    dag = DagBag(dag_folder=str(ROOT / "dags")).get_dag("samachar_reprocess")
    run = dag.test(run_conf={"source": profile.name, "start": "2025-01-13T00:00:00+05:30",
                             "end": "2025-01-15T00:00:00+05:30", "batch_size": 10})
    assert run.state == "success"
    loads = news_db.execute("SELECT sum((details->>'unchanged')::int) FROM stage_runs s JOIN pipeline_runs p"
                            " ON p.id = s.run_id WHERE p.trigger = 'reprocess' AND s.stage = 'load'").fetchone()
    assert loads[0] == len(articles)
    assert news_db.execute("SELECT count(*) FROM articles").fetchone()[0] == len(articles)
