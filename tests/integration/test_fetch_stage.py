"""The fetch stage's contract with Airflow: fail past the threshold, and never fetch twice on retry."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from samachar import db, pipeline
from samachar.errors import TooManyFailures
from samachar.fetch import HttpClient
from samachar.sources import load_profile

pytestmark = pytest.mark.integration


def test_too_many_failures_fail_the_task_and_the_retry_skips_what_succeeded(news_db, devsite) -> None:
    profile = replace(load_profile("indianews", base_url=devsite.base_url), rate_limit_per_sec=100.0)
    client = HttpClient(allowed_hosts=profile.allowed_hosts, rate_limit_per_sec=100.0, max_retries=1,
                        backoff_base=0.01)
    articles = devsite.articles[:4]
    for broken in articles[1:]:  # 3 of 4 fail with a 503 on every try
        devsite.set_fault(broken.path, "status:503*")
    start = articles[0].published_at
    run_id = pipeline.start_run(news_db, profile, start, start + timedelta(hours=1), trigger="test")
    [batch] = pipeline.discover_stage(news_db, run_id, profile, start, start + timedelta(hours=1), client,
                                      urls=[a.url for a in articles])

    with pytest.raises(TooManyFailures, match="3 answered with an HTTP error"):
        pipeline.fetch_stage(news_db, run_id, profile, batch, client)
    reasons = news_db.execute("SELECT reason FROM quarantine WHERE resolved_at IS NULL").fetchall()
    assert reasons == [("http-status",)] * 3

    devsite.clear_faults()
    fetched_before = [r for r in devsite.requests if r[1] == articles[0].path]
    raw_ids = pipeline.fetch_stage(news_db, run_id, profile, batch, client)  # Airflow's retry
    assert len(raw_ids) == 4
    assert [r for r in devsite.requests if r[1] == articles[0].path] == fetched_before
    assert news_db.execute("SELECT count(*) FROM quarantine WHERE resolved_at IS NULL").fetchone()[0] == 0
    assert len(db.raw_pages(news_db, raw_ids)) == 4
