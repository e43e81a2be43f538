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
