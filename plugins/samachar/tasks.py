"""Bodies of the ingest DAG's tasks: read the Airflow context, call one pipeline stage.

Each task opens its own connection to the news database, finds its run by the Airflow
run id (so a retried task continues the same run), and returns only ids.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from samachar import db, pipeline
from samachar.errors import BadParams
from samachar.orchestration import airflow_run_key, connect, run_interval
from samachar.sources import load_profile

log = logging.getLogger("samachar.tasks")


def _run_id(conn: Any, context: dict[str, Any]) -> int:
    run_id = db.run_id_for(conn, airflow_run_key(context))
    if run_id is None:
        raise RuntimeError(f"no pipeline run recorded for {airflow_run_key(context)}; did discover_urls run?")
    return run_id


def discover_task(source: str, context: dict[str, Any]) -> list[int]:
    """Open the run and find the interval's URLs; returns batch numbers for the mapped fetch."""
    profile = load_profile(source)
    params = context.get("params") or {}
    try:
        start, end = run_interval(context, profile.period)
    except ValueError as exc:
        raise BadParams(str(exc)) from exc
    with connect() as conn:
        run_id = pipeline.start_run(conn, profile, start, end, trigger=str(context["dag_run"].run_type),
                                    airflow_run_id=airflow_run_key(context))
        batches = pipeline.discover_stage(conn, run_id, profile, start, end, pipeline.http_client(profile),
                                          max_articles=params.get("max_articles"), urls=params.get("urls"),
                                          batch_size=profile.batch_size)
        found = db.discovered_count(conn, run_id)
    log.info("discovered %d URLs for %s in %d batches (run %d)", found,
             pipeline.format_interval(start, end), len(batches), run_id)
    if params.get("dry_run"):
        log.info("dry run: stopping after discovery")
        return []
    return batches


def fetch_task(source: str, batch: int, context: dict[str, Any]) -> list[int]:
    """Download one batch of URLs; returns raw page ids to parse."""
    context["batch_label"] = f"batch {batch}"
    profile = load_profile(source)
    with connect() as conn:
        return pipeline.fetch_stage(conn, _run_id(conn, context), profile, batch, pipeline.http_client(profile))


def parse_task(source: str, raw_page_ids: list[int], context: dict[str, Any]) -> list[int]:
    """Parse one batch of stored pages; returns staged article ids."""
    context["batch_label"] = f"{len(raw_page_ids)} pages"
    profile = load_profile(source)
    with connect() as conn:
        return pipeline.parse_stage(conn, _run_id(conn, context), profile, raw_page_ids)


def transliterate_task(staged_batches: list[list[int]], context: dict[str, Any]) -> list[int]:
    """Transliterate every staged article of the run."""
    staged_ids = [i for batch in staged_batches for i in batch]
    with connect() as conn:
        return pipeline.transliterate_stage(conn, _run_id(conn, context), staged_ids)


def load_task(staged_ids: list[int], context: dict[str, Any]) -> dict[str, int]:
    """Upsert into the articles table; returns the counts (small, fine for XCom)."""
    from samachar.assets import ARTICLES

    with connect() as conn:
        run_id = _run_id(conn, context)
        result = pipeline.load_stage(conn, run_id, staged_ids)
        start, end = db.run_interval(conn, run_id)
    context["outlet_events"][ARTICLES].extra = {
        "run_id": run_id, "interval_start": start.isoformat(), "interval_end": end.isoformat(),
        "inserted": result.inserted, "updated": result.updated}
    return {"inserted": result.inserted, "updated": result.updated, "unchanged": result.unchanged,
            "revisions": result.revisions}


def summary_task(context: dict[str, Any]) -> int:
    """Recompute the daily summaries of the days the triggering loads covered."""
    from datetime import datetime

    from samachar.summary import ist_days, loaded_since_last_summary, summarise_days

    intervals = []
    for events in (context.get("triggering_asset_events") or {}).values():
        for event in events:
            extra = event.extra or {}
            if extra.get("interval_start") and extra.get("interval_end"):
                intervals.append((datetime.fromisoformat(extra["interval_start"]),
                                  datetime.fromisoformat(extra["interval_end"])))
    with connect() as conn:
        intervals += loaded_since_last_summary(conn)
        if not intervals:  # a manual run with nothing new: today and yesterday
            now = datetime.now().astimezone()
            intervals.append((now.replace(hour=0, minute=0) - timedelta(days=1), now))
        days = ist_days(intervals)
        rows = summarise_days(conn, days)
    log.info("daily summaries: %d rows for %s", rows, ", ".join(map(str, days)))
    return rows


def reprocess_select_task(context: dict[str, Any]) -> list[list[int]]:
    """Choose the stored pages to reprocess and split them into batches (ids only)."""
    from samachar import reprocess
    from samachar.orchestration import parse_when

    params = context["params"]
    profile = load_profile(params["source"])
    start, end = parse_when(params["start"]), parse_when(params["end"])
    if start is None or end is None or start >= end:
        raise BadParams(f"start {params['start']!r} must be before end {params['end']!r}")
    with connect() as conn:
        ids = reprocess.select_pages(conn, profile.name, start, end,
                                     parser_older_than=params.get("parser_older_than"),
                                     transliterator_older_than=params.get("transliterator_older_than"))
        pipeline.start_run(conn, profile, start, end, trigger="reprocess", airflow_run_id=airflow_run_key(context))
    size = int(params.get("batch_size") or 200)
    log.info("reprocessing %d stored pages of %s in batches of %d", len(ids), profile.name, size)
    return [ids[i:i + size] for i in range(0, len(ids), size)]


def reprocess_batch_task(raw_page_ids: list[int], context: dict[str, Any]) -> dict[str, int]:
    """Parse, transliterate and load one batch of stored pages."""
    from samachar import reprocess

    context["batch_label"] = f"{len(raw_page_ids)} pages from id {raw_page_ids[0]}" if raw_page_ids else "empty"
    profile = load_profile(context["params"]["source"])
    with connect() as conn:
        result = reprocess.reprocess_batch(conn, _run_id(conn, context), profile, raw_page_ids)
    return {"inserted": result.inserted, "updated": result.updated, "unchanged": result.unchanged,
            "revisions": result.revisions}
