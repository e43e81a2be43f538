"""The repository functions on a real Postgres: raw pages, quarantine, staging, loading, revisions,
awkward text, search, and a connection killed in the middle of a load."""

from __future__ import annotations

import hashlib
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import pytest

from samachar import db

pytestmark = pytest.mark.integration

T0 = datetime(2025, 1, 13, 4, 0, tzinfo=UTC)
SOURCE = "indianews"

STORIES = [
    ("दिल्ली में प्रदूषण से हाल बेहाल", "Dilli mein pradushan se haal behaal",
     "राजधानी की हवा लगातार जहरीली बनी हुई है।", "Rajdhani ki hawa lagatar zahreeli bani hui hai."),
    ("पुतिन जल्द करेंगे चीन का दौरा", "Putin jald karenge Cheen ka daura",
     "रूस के राष्ट्रपति व्लादिमीर पुतिन चीन जाएंगे।", "Roos ke rashtrapati Vladimir Putin Cheen jaenge."),
    ("भारतीय क्रिकेट टीम ने जीता मैच", "Bharatiya cricket team ne jeeta match",
     "कप्तान ने शानदार शतक लगाया।", "Kaptan ne shaandaar shatak lagaya."),
    ("किसानों का आंदोलन फिर शुरू", "Kisanon ka andolan phir shuru",
     "किसान संगठनों ने बैठक के बाद घोषणा की।", "Kisan sangathanon ne baithak ke baad ghoshana ki."),
    ("मौसम विभाग की बारिश की चेतावनी", "Mausam vibhag ki barish ki chetavani",
     "अगले तीन दिन भारी बारिश की संभावना है।", "Agle teen din bhari barish ki sambhavna hai."),
]


def article(i: int, *, body_suffix: str = "", **overrides: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """A parsed article dict (as ``ParsedArticle.to_json_dict()``) and its transliteration."""
    title, title_readable, body, body_readable = STORIES[i % len(STORIES)]
    url = f"https://www.indianews.in/india/story-{i}/"
    data = {
        "url": url, "canonical_url": url, "title": title, "body": body + body_suffix, "source": SOURCE,
        "summary": body, "authors": ["Deepika Gupta"], "category": "देश", "tags": ["दिल्ली", "खबर"],
        "published_at": (T0 + timedelta(minutes=i)).astimezone().isoformat(), "modified_at": None,
        "language": "hi", "lead_image": f"https://www.indianews.in/wp-content/uploads/{i}.jpg",
        "related": [{"title": "ये भी पढ़ें", "url": f"https://www.indianews.in/india/story-{i + 100}/"}],
        "dateline": "नई दिल्ली", "title_prefix": None,
    }
    data.update(overrides)
    translit = {
        "title_iso": title_readable.lower(), "title_readable": title_readable,
        "summary_iso": body_readable.lower(), "summary_readable": body_readable,
        "body_iso": (body_readable + body_suffix).lower(), "body_readable": body_readable + body_suffix,
    }
    return data, translit


def load_interval(
    conn: psycopg.Connection,
    items: list[tuple[dict[str, Any], dict[str, Any]]],
    *,
    fetched_at: datetime,
    airflow_run_id: str | None = None,
    parser_version: str = "p1",
    transliterator_version: str = "t1",
) -> tuple[int, list[int], db.LoadResult]:
    """Fetch-store, stage, transliterate and load ``items`` the way the pipeline does; commits."""
    run_id = db.start_run(conn, source=SOURCE, interval_start=T0, interval_end=T0 + timedelta(hours=1),
                          trigger="test", airflow_run_id=airflow_run_id)
    pairs = []
    for data, _ in items:
        html = f"<html><body><h1>{data['title']}</h1><p>{data['body']}</p></body></html>"
        raw_id = db.store_raw_page(
            conn, source=SOURCE, url=data["url"], final_url=data["url"], status=200, fetched_at=fetched_at,
            etag=None, last_modified=None, content_hash=hashlib.sha256(html.encode("utf-8", "replace")).hexdigest(), html=html,
            run_id=run_id)
        pairs.append((raw_id, data))
    staged_ids = db.stage_parsed_many(conn, run_id=run_id, items=pairs)
    db.set_transliteration(conn, [(sid, t) for sid, (_, t) in zip(staged_ids, items, strict=True)])
    conn.commit()
    result = db.upsert_articles(conn, staged_ids, parser_version=parser_version,
                                transliterator_version=transliterator_version)
    conn.commit()
    return run_id, staged_ids, result


# Tables and columns that a re-run may change: run logs, staging (scoped to a run) and sighting times.
RUN_LOG_TABLES = {"pipeline_runs", "stage_runs", "staged_articles", "discovered_urls", "schema_migrations"}
SIGHTING_COLUMNS = {("raw_pages", "last_fetched_at"), ("articles", "last_seen")}


def snapshot(conn: psycopg.Connection, *, keep_sightings: bool = False) -> dict[str, list[tuple]]:
    """Every row of every data table, minus run logs and (unless asked) the sighting timestamps."""
    tables = [r[0] for r in conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")]
    out = {}
    for table in tables:
        if table in RUN_LOG_TABLES:
            continue
        cols = [r[0] for r in conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public'"
            " AND table_name = %s ORDER BY ordinal_position", (table,))
            if keep_sightings or (table, r[0]) not in SIGHTING_COLUMNS]
        select = ", ".join(f'"{c}"::text' for c in cols)
        order = ", ".join(str(n) for n in range(1, len(cols) + 1))
        out[table] = conn.execute(f'SELECT {select} FROM "{table}" ORDER BY {order}').fetchall()
    return out


# -- runs -----------------------------------------------------------------------------------------


def test_runs_and_stage_metrics(news_db) -> None:
    conn = news_db
    kwargs = {"source": SOURCE, "interval_start": T0, "interval_end": T0 + timedelta(hours=1), "trigger": "test"}
    first = db.start_run(conn, airflow_run_id="scheduled__2025-01-13T04:00", **kwargs)
    assert db.start_run(conn, airflow_run_id="scheduled__2025-01-13T04:00", **kwargs) == first
    assert db.run_id_for(conn, "scheduled__2025-01-13T04:00") == first
    assert db.run_id_for(conn, "nope") is None
    assert db.start_run(conn, **kwargs) != db.start_run(conn, **kwargs)  # CLI runs: one row each
    db.record_stage(conn, run_id=first, stage="fetch", count_in=5, count_out=4, count_failed=1,
                    started_at=T0, finished_at=T0 + timedelta(seconds=2.5), error_summary="1 timeout",
                    details={"statuses": {"200": 4}, "at": T0})
    db.finish_run(conn, first, "failed")
    row = conn.execute("SELECT stage, count_in, count_out, count_failed, duration_seconds, error_summary,"
                       " details FROM stage_runs").fetchone()
    assert row == ("fetch", 5, 4, 1, 2.5, "1 timeout", {"statuses": {"200": 4}, "at": str(T0)})
    status = conn.execute("SELECT status, finished_at IS NOT NULL FROM pipeline_runs WHERE id = %s", (first,))
    assert status.fetchone() == ("failed", True)


# -- raw pages ------------------------------------------------------------------------------------


def test_raw_page_round_trip_is_compressed(news_db) -> None:
    conn = news_db
    data, _ = article(0)
    html = "<html><body>" + "".join(f"<p>{data['body']} {n}</p>" for n in range(300)) + "</body></html>"
    url = data["url"]
    page_id = db.store_raw_page(conn, source=SOURCE, url=url, final_url=url + "?amp", status=200,
                                fetched_at=T0, etag='"v1"', last_modified="Mon, 13 Jan 2025 04:00:00 GMT",
                                content_hash="h1", html=html, run_id=None)
    [page] = db.raw_pages(conn, [page_id, 999_999])
    assert (page.id, page.source, page.url, page.final_url, page.html, page.content_hash, page.fetched_at) == (
        page_id, SOURCE, url, url + "?amp", html, "h1", T0)
    stored, size = conn.execute("SELECT octet_length(html_zlib), html_size FROM raw_pages").fetchone()
    assert size == len(html.encode()) and stored < size / 5
    assert db.fetch_state(conn, [url, "https://elsewhere/"]) == {
        url: db.FetchState(page_id, '"v1"', "Mon, 13 Jan 2025 04:00:00 GMT", "h1")}

    # Same body again: same row, only the sighting moves.
    later = T0 + timedelta(hours=1)
    assert db.store_raw_page(conn, source=SOURCE, url=url, final_url=url, status=200, fetched_at=later,
                             etag='"v1"', last_modified=None, content_hash="h1", html=html, run_id=None) == page_id
    assert conn.execute("SELECT fetched_at, last_fetched_at FROM raw_pages").fetchone() == (T0, later)
    db.touch_raw_page(conn, page_id, T0)  # an older 304 never moves it back
    db.touch_raw_page(conn, page_id, later + timedelta(hours=1))
    assert conn.execute("SELECT last_fetched_at FROM raw_pages").fetchone()[0] == later + timedelta(hours=1)

    # A new body replaces the old one and records when it was fetched.
    db.store_raw_page(conn, source=SOURCE, url=url, final_url=url, status=200, fetched_at=later,
                      etag='"v2"', last_modified=None, content_hash="h2", html="<p>नया</p>", run_id=None)
    [page] = db.raw_pages(conn, [page_id])
    assert (page.html, page.content_hash, page.fetched_at) == ("<p>नया</p>", "h2", later)


# -- quarantine -----------------------------------------------------------------------------------


def test_quarantine_counts_attempts_and_reopens(news_db) -> None:
    conn = news_db
    for _ in range(2):
        db.quarantine(conn, source=SOURCE, url="https://x/a/", stage="parse", reason="empty-body",
                      detail="no paragraphs")
    db.quarantine(conn, source=SOURCE, url="https://x/a/", stage="fetch", reason="timeout")
    rows = conn.execute("SELECT stage, attempts, resolved_at IS NULL, first_seen <= last_seen FROM quarantine"
                        " ORDER BY stage").fetchall()
    assert rows == [("fetch", 1, True, True), ("parse", 2, True, True)]
    db.release_quarantine(conn, url="https://x/a/", stage="parse")
    assert conn.execute("SELECT resolved_at IS NOT NULL FROM quarantine WHERE stage = 'parse'").fetchone()[0]
    db.quarantine(conn, source=SOURCE, url="https://x/a/", stage="parse", reason="soft-404", detail="x" * 10_000)
    reason, attempts, open_, detail = conn.execute(
        "SELECT reason, attempts, resolved_at IS NULL, detail FROM quarantine WHERE stage = 'parse'").fetchone()
    assert (reason, attempts, open_, len(detail)) == ("soft-404", 3, True, 4000)


# -- staging --------------------------------------------------------------------------------------


def _raw(conn: psycopg.Connection, url: str) -> int:
    return db.store_raw_page(conn, source=SOURCE, url=url, final_url=url, status=200, fetched_at=T0, etag=None,
                             last_modified=None, content_hash=url, html="<html/>", run_id=None)


def test_staging_is_keyed_by_run_and_page(news_db) -> None:
    conn = news_db
    run_id = db.start_run(conn, source=SOURCE, interval_start=T0, interval_end=T0, trigger="test")
    data, translit = article(0)
    page = _raw(conn, data["url"])
    sid = db.stage_parsed(conn, run_id=run_id, raw_page_id=page, article=data)
    db.set_transliteration(conn, [(sid, translit)])
    assert db.stage_parsed(conn, run_id=run_id, raw_page_id=page, article=data) == sid
    [row] = db.staged(conn, [sid])
    assert row.transliteration == translit  # same article re-staged: transliteration kept
    assert row.article["published_at"] == "2025-01-13T04:00:00+00:00"  # normalised to UTC
    changed = dict(data, title="नया शीर्षक")
    assert db.stage_parsed(conn, run_id=run_id, raw_page_id=page, article=changed) == sid
    [row] = db.staged(conn, [sid])
    assert (row.article["title"], row.transliteration) == ("नया शीर्षक", None)  # stale transliteration dropped

    pages = [_raw(conn, f"https://x/{n}/") for n in range(3)]
    items = [(p, article(n)[0]) for n, p in enumerate(pages)]
    ids = db.stage_parsed_many(conn, run_id=run_id, items=items)  # fast path: COPY
    assert len(set(ids)) == 3
    items[1] = (pages[1], dict(items[1][1], title="बदला"))
    assert db.stage_parsed_many(conn, run_id=run_id, items=[*items, (page, data)]) == [*ids, sid]  # upsert path
    assert [r.article["title"] for r in db.staged(conn, ids)][1] == "बदला"
    assert conn.execute("SELECT count(*) FROM staged_articles").fetchone()[0] == 4
    assert db.stage_parsed_many(conn, run_id=run_id, items=[]) == []
    db.set_transliteration(conn, [])
    assert db.upsert_articles(conn, [], parser_version="p1", transliterator_version="t1") == db.LoadResult(0, 0, 0, 0)


# -- loading --------------------------------------------------------------------------------------


def test_reloading_an_interval_changes_nothing_but_sightings(news_db) -> None:
    conn = news_db
    items = [article(i) for i in range(5)]
    _, staged_ids, first = load_interval(conn, items, fetched_at=T0, airflow_run_id="run-1")
    assert (first.inserted, first.updated, first.unchanged, first.revisions) == (5, 0, 0, 0)
    before = snapshot(conn)
    before_full = snapshot(conn, keep_sightings=True)

    # The same interval fetched and loaded again by a new run, an hour later.
    _, _, again = load_interval(conn, items, fetched_at=T0 + timedelta(hours=1), airflow_run_id="run-2")
    assert (again.inserted, again.updated, again.unchanged, again.revisions) == (0, 0, 5, 0)
    assert snapshot(conn) == before
    assert conn.execute("SELECT min(last_seen) FROM articles").fetchone()[0] == T0 + timedelta(hours=1)
    assert snapshot(conn, keep_sightings=True) != before_full  # only because last_seen moved

    # Reloading staged rows without fetching (a retried load task): not a single row is rewritten.
    versions = conn.execute("SELECT id, xmin::text FROM articles ORDER BY id").fetchall()
    retry = db.upsert_articles(conn, staged_ids, parser_version="p1", transliterator_version="t1")
    conn.commit()
    assert (retry.inserted, retry.updated, retry.unchanged) == (0, 0, 5)
    assert conn.execute("SELECT id, xmin::text FROM articles ORDER BY id").fetchall() == versions


def test_changed_content_adds_a_revision_and_keeps_history(news_db) -> None:
    conn = news_db
    load_interval(conn, [article(0), article(1)], fetched_at=T0)
    _, _, second = load_interval(conn, [article(0, body_suffix=" अपडेट 1"), article(1)],
                                 fetched_at=T0 + timedelta(hours=1))
    assert (second.inserted, second.updated, second.unchanged, second.revisions) == (0, 1, 1, 1)
    _, _, third = load_interval(conn, [article(0, body_suffix=" अपडेट 2"), article(1)],
                                fetched_at=T0 + timedelta(hours=2))
    assert (third.updated, third.revisions) == (1, 1)
    url = article(0)[0]["canonical_url"]
    body, revision, readable = conn.execute(
        "SELECT body, revision, body_readable FROM articles WHERE canonical_url = %s", (url,)).fetchone()
    assert (body.endswith("अपडेट 2"), revision, readable.endswith("अपडेट 2")) == (True, 3, True)
    history = conn.execute(
        "SELECT r.revision, r.body, r.valid_from <= r.superseded_at FROM article_revisions r"
        " JOIN articles a ON a.id = r.article_id ORDER BY r.revision").fetchall()
    assert [(rev, b.removeprefix(STORIES[0][2])) for rev, b, _ in history] == [(1, ""), (2, " अपडेट 1")]
    assert all(ok for *_, ok in history)

    # New parser/transliterator versions with identical output: versions move, no revision.
    _, _, bumped = load_interval(conn, [article(0, body_suffix=" अपडेट 2")], fetched_at=T0 + timedelta(hours=2),
                                 parser_version="p2", transliterator_version="t2")
    assert (bumped.updated, bumped.unchanged, bumped.revisions) == (0, 1, 0)
    assert conn.execute("SELECT parser_version, transliterator_version, revision FROM articles"
                        " WHERE canonical_url = %s", (url,)).fetchone() == ("p2", "t2", 3)
    assert conn.execute("SELECT count(*) FROM article_revisions").fetchone()[0] == 2


def test_concurrent_loads_of_one_batch_count_each_row_once(news_db, news_db_url) -> None:
    conn = news_db
    items = [article(i) for i in range(5)]
    run_id = db.start_run(conn, source=SOURCE, interval_start=T0, interval_end=T0, trigger="test")
    staged_ids = db.stage_parsed_many(conn, run_id=run_id, items=[(_raw(conn, d["url"]), d) for d, _ in items])
    db.set_transliteration(conn, [(s, t) for s, (_, t) in zip(staged_ids, items, strict=True)])
    conn.commit()
    start = threading.Barrier(2)
    results: list[db.LoadResult | BaseException] = []

    def load() -> None:
        with psycopg.connect(news_db_url) as own:
            start.wait()
            try:
                results.append(db.upsert_articles(own, staged_ids, parser_version="p1", transliterator_version="t1"))
                own.commit()
            except BaseException as exc:  # checked below
                results.append(exc)

    threads = [threading.Thread(target=load) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted((r.inserted, r.unchanged) for r in results) == [(0, 5), (5, 0)], results
    assert conn.execute("SELECT count(*), count(DISTINCT canonical_url) FROM articles").fetchone() == (5, 5)


def test_duplicate_canonical_urls_in_one_batch_keep_the_newest(news_db) -> None:
    conn = news_db
    data, translit = article(0)
    amp = dict(data, url=data["url"] + "amp/", body="AMP वाला पाठ")
    _, _, result = load_interval(conn, [(data, translit), (amp, translit)], fetched_at=T0)
    assert (result.inserted, result.updated, result.unchanged) == (1, 0, 0)
    assert conn.execute("SELECT count(*), min(body) FROM articles").fetchone() == (1, "AMP वाला पाठ")
    assert db.stored_urls(conn, SOURCE, [data["url"], amp["url"], "https://x/none/"]) == {data["url"], amp["url"]}
    assert db.stored_urls(conn, "other-source", [data["url"]]) == set()


AWKWARD = [
    "Quote's \"double\" and 'single'; DROP TABLE articles; --",
    "Backslash \\ and \\x00 text, $$dollar$$ and %s %(name)s",
    "NUL\x00inside\x00title",
    "Tab\tnew\nline and emoji 🙂 and lone \ud800 surrogate",
]


def test_awkward_text_loads_and_bad_rows_go_to_quarantine(news_db) -> None:
    conn = news_db
    items = []
    for n, title in enumerate(AWKWARD):
        data, translit = article(n, title=title, url=f"https://x/q'\";--/{n}\x00/",
                                 canonical_url=f"https://x/q'\";--/{n}\x00/")
        items.append((data, dict(translit, title_readable=title)))
    broken, broken_t = article(9, title="   ")  # no title: cannot be an article
    bad_date, bad_date_t = article(8, published_at="13 जनवरी 2025")
    _, staged_ids, result = load_interval(conn, [*items, (broken, broken_t), (bad_date, bad_date_t)], fetched_at=T0)
    assert (result.inserted, result.quarantined, result.sanitized) == (4, 2, 4)  # every URL had a NUL

    titles = {r[0] for r in conn.execute("SELECT title FROM articles")}
    expected = {t.replace("\x00", "").replace("\ud800", "?") for t in AWKWARD}
    assert titles == expected
    urls = {r[0] for r in conn.execute("SELECT canonical_url FROM articles")}
    assert "https://x/q'\";--/2/" in urls and not any("\x00" in u for u in urls)
    notes = [r[0] for r in conn.execute("SELECT notes FROM staged_articles WHERE notes <> '[]' ORDER BY id")]
    assert any("title: removed 2 NUL" in n for note in notes for n in note)
    assert any("surrogate" in n for note in notes for n in note)
    reasons = conn.execute("SELECT reason, detail, stage, attempts FROM quarantine ORDER BY detail").fetchall()
    assert reasons == [("invalid-article", "missing title", "load", 1),
                       ("invalid-article", "published_at: not an ISO timestamp: '13 जनवरी 2025'", "load", 1)]
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 4
    hits = db.search(conn, "DROP TABLE articles")
    assert [h["title"] for h in hits][:1] == [AWKWARD[0]]


# -- search ---------------------------------------------------------------------------------------


def test_search_in_devanagari_and_latin(news_db, news_db_url, monkeypatch, capsys) -> None:
    conn = news_db
    load_interval(conn, [article(i) for i in range(5)], fetched_at=T0)
    assert [h["title"] for h in db.search(conn, "प्रदूषण")] == [STORIES[0][0]]
    top = db.search(conn, "पुतिन चीन")
    assert top[0]["title"] == STORIES[1][0] and top[0]["matched"] == "fulltext"
    assert db.search(conn, "cricket")[0]["title_readable"] == STORIES[2][1]
    assert db.search(conn, '"barish ki chetavani"')[0]["title"] == STORIES[4][0]  # phrase, either case
    fuzzy = db.search(conn, "kisano andolan")  # misspelt romanisation: no exact token matches
    trigram = conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'").fetchone() is not None
    assert fuzzy and fuzzy[0]["title"] == STORIES[3][0]
    assert fuzzy[0]["matched"] == ("trigram" if trigram else "substring")
    assert db.search(conn, "ज़ेब्रा") == [] and db.search(conn, "   ") == []
    assert len(db.search(conn, "की", limit=2)) == 2

    monkeypatch.setenv("SAMACHAR_DATABASE_URL", news_db_url)
    assert db.search_command("दौरा", 5) == 0
    out = capsys.readouterr().out
    assert STORIES[1][0] in out and STORIES[1][1] in out and "story-1" in out


# -- faults ---------------------------------------------------------------------------------------


def _block_last_new_row(url: str, canonical_url: str) -> psycopg.Connection:
    """Hold an uncommitted article row so a loader inserting the same URL waits on it."""
    blocker = psycopg.connect(url)
    blocker.execute(
        "INSERT INTO articles (canonical_url, url, source, title, body, content_hash, parser_version,"
        " transliterator_version, first_seen, last_seen) VALUES (%s, %s, %s, 'x', '', 'x', 'x', 'x', now(), now())",
        (canonical_url, canonical_url, SOURCE))
    return blocker


def test_connection_killed_mid_batch_then_retry_loads_everything(news_db, news_db_url) -> None:
    conn = news_db
    load_interval(conn, [article(i) for i in range(5)], fetched_at=T0)
    # The next batch: five changed articles and five new ones, staged but not yet loaded.
    changed = [article(i, body_suffix=" नया") for i in range(5)]
    new = [article(i, url=f"https://www.indianews.in/india/new-{i}/",
                   canonical_url=f"https://www.indianews.in/india/new-{i}/") for i in range(5)]
    run_id = db.start_run(conn, source=SOURCE, interval_start=T0, interval_end=T0, trigger="test")
    pairs = [(_raw(conn, d["url"]), d) for d, _ in changed + new]
    staged_ids = db.stage_parsed_many(conn, run_id=run_id, items=pairs)
    db.set_transliteration(conn, [(s, t) for s, (_, t) in zip(staged_ids, changed + new, strict=True)])
    conn.commit()
    before = snapshot(conn, keep_sightings=True)

    # The loader inserts in canonical-URL order, so it has written revisions and most rows of the
    # batch by the time it waits on the blocked last URL; that is when its backend is terminated.
    blocker = _block_last_new_row(news_db_url, new[-1][0]["canonical_url"])
    loader = psycopg.connect(news_db_url)
    outcome: list[BaseException | db.LoadResult] = []

    def load() -> None:
        try:
            outcome.append(db.upsert_articles(loader, staged_ids, parser_version="p1", transliterator_version="t1"))
        except BaseException as exc:  # checked below
            outcome.append(exc)

    thread = threading.Thread(target=load)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        pid = loader.info.backend_pid
        while (state := conn.execute("SELECT wait_event_type, left(query, 20) FROM pg_stat_activity"
                                     " WHERE pid = %s", (pid,)).fetchone())[0] != "Lock":
            assert time.monotonic() < deadline, "the loader never reached the blocked row"
            conn.rollback()
            time.sleep(0.05)
        assert state == ("Lock", "INSERT INTO articles")  # inside the merge, revisions already written
        assert conn.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone() == (True,)
        conn.commit()
        thread.join(20)
    finally:
        blocker.rollback()
        blocker.close()
    assert len(outcome) == 1 and isinstance(outcome[0], psycopg.OperationalError), outcome
    assert loader.closed or loader.broken
    assert snapshot(conn, keep_sightings=True) == before  # nothing of the batch survived

    with psycopg.connect(news_db_url) as retry_conn:  # the task's retry: a new connection
        result = db.upsert_articles(retry_conn, staged_ids, parser_version="p1", transliterator_version="t1")
        retry_conn.commit()
    assert (result.inserted, result.updated, result.unchanged, result.revisions) == (5, 5, 0, 5)
    rows = conn.execute("SELECT canonical_url, body FROM articles ORDER BY canonical_url").fetchall()
    assert len(rows) == 10 and len({u for u, _ in rows}) == 10
    assert all(body.endswith(" नया") for url, body in rows if "/story-" in url)
    assert conn.execute("SELECT count(*), count(DISTINCT article_id) FROM article_revisions").fetchone() == (5, 5)
