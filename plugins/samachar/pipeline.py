"""The pipeline's stages as plain functions.

The Airflow tasks and ``samachar run`` call exactly these. Each stage reads its input
from Postgres by id, writes its output to Postgres, records its metrics, and returns
ids for the next stage, so nothing large ever passes through XCom.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import psycopg

from samachar import db
from samachar.errors import ParserBroken, TooManyFailures
from samachar.sources import SourceProfile

if TYPE_CHECKING:
    from samachar.fetch import HttpClient

log = logging.getLogger("samachar.pipeline")
IST = ZoneInfo("Asia/Kolkata")
DEFAULT_BATCH_SIZE = 100
DEFAULT_FAILURE_THRESHOLD = 0.5


_STAGE_WORDS = {"discover": ("discovered", "URLs"), "fetch": ("fetched", "URLs"), "parse": ("parsed", "pages"),
                "transliterate": ("transliterated", "articles"), "load": ("loaded", "articles")}
_FAILURE_WORDS = {"robots": "disallowed by robots.txt", "timeout": "timed out", "connection": "lost connections",
                  "http-status": "answered with an HTTP error", "too-large": "over the size cap",
                  "content-type": "not HTML", "offsite-redirect": "redirected off-site",
                  "host-not-allowed": "on hosts the source does not allow", "bad-scheme": "not http(s)",
                  "decode": "undecodable", "parser-error": "crashed the parser"}


@dataclass
class StageReport:
    """Counts and timing of one stage (or one batch of it), as logged and stored."""

    stage: str
    run_id: int
    count_in: int = 0
    count_out: int = 0
    failures: Counter[str] = field(default_factory=Counter)
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    finished_at: datetime | None = None
    details: dict = field(default_factory=dict)
    interval: str = ""

    @property
    def count_failed(self) -> int:
        return sum(self.failures.values())

    def summary(self) -> str:
        """A line a person can act on, e.g. 'fetched 42/45 pages for 2025-01-13 10:00–11:00 IST:
        2 disallowed by robots.txt, 1 timed out (3.1 s)'."""
        took = ((self.finished_at or datetime.now(UTC)) - self.started_at).total_seconds()
        verb, noun = _STAGE_WORDS.get(self.stage, (self.stage, "items"))
        line = f"{verb} {self.count_out}/{self.count_in} {noun}"
        if self.interval:
            line += f" for {self.interval}"
        if self.failures:
            line += ": " + ", ".join(f"{n} {_FAILURE_WORDS.get(kind, kind)}"
                                     for kind, n in self.failures.most_common())
        return f"{line} ({took:.1f} s)"

    def save(self, conn: psycopg.Connection) -> None:
        """Close the report and store it in the stage metrics."""
        self.finished_at = datetime.now(UTC)
        errors = ", ".join(f"{n} {kind}" for kind, n in self.failures.most_common()) or None
        db.record_stage(conn, run_id=self.run_id, stage=self.stage, count_in=self.count_in,
                        count_out=self.count_out, count_failed=self.count_failed,
                        started_at=self.started_at, finished_at=self.finished_at,
                        error_summary=errors, details=self.details or None)
        conn.commit()
        log.info("run %s %s", self.run_id, self.summary())


def format_interval(start: datetime, end: datetime) -> str:
    """'2025-01-13 10:00–11:00 IST' — how operators think of an interval."""
    a, b = start.astimezone(IST), end.astimezone(IST)
    tail = b.strftime("%H:%M") if a.date() == b.date() else b.strftime("%Y-%m-%d %H:%M")
    return f"{a:%Y-%m-%d %H:%M}–{tail} IST"


# -- discover ---------------------------------------------------------------------------------


def start_run(conn: psycopg.Connection, profile: SourceProfile, start: datetime, end: datetime,
              *, trigger: str, airflow_run_id: str | None = None) -> int:
    """Open (or, for a retried Airflow run, reopen) the run record."""
    run_id = db.start_run(conn, source=profile.name, interval_start=start, interval_end=end,
                          trigger=trigger, airflow_run_id=airflow_run_id)
    conn.commit()
    return run_id


def discover_stage(conn: psycopg.Connection, run_id: int, profile: SourceProfile, start: datetime,
                   end: datetime, client: HttpClient, *, max_articles: int | None = None,
                   batch_size: int = DEFAULT_BATCH_SIZE, urls: Sequence[str] | None = None) -> list[int]:
    """Find the interval's article URLs, store them in batches, return the batch numbers.

    ``urls`` (a manual run's explicit list) replaces discovery.
    """
    from samachar.fetch import DiscoveredUrl, discover, normalize_url

    report = StageReport("discover", run_id, details={"interval": format_interval(start, end)},
                         interval=format_interval(start, end))
    if urls:
        found = [DiscoveredUrl(normalize_url(u), None, "manual") for u in urls]
    else:
        found = discover(profile, client, start, end)
    seen: set[str] = set()
    unique = [d for d in found if not (d.url in seen or seen.add(d.url))]
    if max_articles is not None:
        unique = unique[:max_articles]
    report.count_in = len(found)
    report.count_out = len(unique)
    report.details["methods"] = dict(Counter(d.method for d in unique))
    # Stored URLs are still checked, but with a conditional GET: an unchanged page costs a 304.
    report.details["already_stored"] = len(db.stored_urls(conn, profile.name, [d.url for d in unique]))
    batches = db.store_discovered(conn, run_id, [(d.url, d.published_at, d.method) for d in unique],
                                  batch_size=batch_size)
    report.details["batches"] = len(batches)
    report.save(conn)
    return batches


# -- fetch ------------------------------------------------------------------------------------


def fetch_stage(conn: psycopg.Connection, run_id: int, profile: SourceProfile, batch: int,
                client: HttpClient, *, failure_threshold: float = DEFAULT_FAILURE_THRESHOLD) -> list[int]:
    """Download one batch; return the raw page ids that need parsing.

    Pages that already succeeded in an earlier try of this run are not downloaded again;
    a 304 costs no parse; each failure goes to quarantine with its kind.
    """
    from samachar.fetch import fetch_many

    report = StageReport("fetch", run_id, details={"batch": batch}, interval=_interval_label(conn, run_id))
    pending = db.discovered_batch(conn, run_id, batch)
    report.count_in = len(pending)
    done = {row.url: row for row in pending if row.outcome in ("fetched", "not-modified")}
    todo = [row.url for row in pending if row.url not in done]
    states = db.fetch_state(conn, todo)
    for result in fetch_many(client, todo, states, max_workers=profile.max_concurrency):
        if result.not_modified and result.url in states:
            db.touch_raw_page(conn, states[result.url].raw_page_id, result.fetched_at)
            db.mark_discovered(conn, run_id, result.url, "not-modified", states[result.url].raw_page_id)
            report.details["not_modified"] = report.details.get("not_modified", 0) + 1
        elif result.ok:
            raw_id = db.store_raw_page(conn, source=profile.name, url=result.url, final_url=result.final_url,
                                       status=result.status or 200, fetched_at=result.fetched_at,
                                       etag=result.etag, last_modified=result.last_modified,
                                       content_hash=result.content_hash or "", html=result.text or "",
                                       run_id=run_id)
            db.mark_discovered(conn, run_id, result.url, "fetched", raw_id)
            db.release_quarantine(conn, url=result.url, stage="fetch")
        else:
            kind = result.error_kind or "error"
            report.failures[kind] += 1
            db.quarantine(conn, source=profile.name, url=result.url, stage="fetch", reason=kind,
                          detail=f"{result.error or kind} after {result.attempts} tries", run_id=run_id)
            db.mark_discovered(conn, run_id, result.url, "failed", None)
        conn.commit()
    rows = db.discovered_batch(conn, run_id, batch)
    report.count_out = sum(1 for r in rows if r.outcome in ("fetched", "not-modified"))
    report.save(conn)
    _check_threshold(report, failure_threshold)
    return [r.raw_page_id for r in rows if r.outcome == "fetched" and r.raw_page_id is not None]


def _interval_label(conn: psycopg.Connection, run_id: int) -> str:
    return format_interval(*db.run_interval(conn, run_id))


def _check_threshold(report: StageReport, threshold: float) -> None:
    if report.count_in and report.count_failed / report.count_in > threshold:
        raise TooManyFailures(f"{report.summary()} — more than {threshold:.0%} failed")


# -- parse ------------------------------------------------------------------------------------


def parse_stage(conn: psycopg.Connection, run_id: int, profile: SourceProfile, raw_page_ids: Sequence[int],
                *, failure_threshold: float = DEFAULT_FAILURE_THRESHOLD) -> list[int]:
    """Parse stored pages into staged articles; non-articles go to quarantine with a reason."""
    from samachar.models import NotAnArticle
    from samachar.parse import parse_article

    report = StageReport("parse", run_id, interval=_interval_label(conn, run_id))
    parsed: list[tuple[int, dict]] = []
    pages = db.raw_pages(conn, raw_page_ids)
    report.count_in = len(pages)
    for page in pages:
        try:
            article = parse_article(page.html, page.final_url or page.url, profile=profile.parser,
                                    fetched_at=page.fetched_at)
        except NotAnArticle as exc:
            report.failures[exc.reason] += 1
            db.quarantine(conn, source=page.source, url=page.url, stage="parse", reason=exc.reason,
                          detail=exc.detail, raw_page_id=page.id, run_id=run_id)
            continue
        except Exception as exc:  # a parser bug must not lose the page: quarantine it with the error
            log.exception("parser crashed on %s", page.url)
            report.failures["parser-error"] += 1
            db.quarantine(conn, source=page.source, url=page.url, stage="parse", reason="parser-error",
                          detail=f"{type(exc).__name__}: {exc}", raw_page_id=page.id, run_id=run_id)
            continue
        article.source = profile.name
        parsed.append((page.id, article.to_json_dict()))
        db.release_quarantine(conn, url=page.url, stage="parse")
    staged_ids = db.stage_parsed_many(conn, run_id=run_id, items=parsed) if parsed else []
    report.count_out = len(staged_ids)
    conn.commit()
    report.save(conn)
    # Non-articles are the site's business, not a reason to retry; a crashing parser is ours.
    if report.count_in and report.failures["parser-error"] / report.count_in > failure_threshold:
        raise ParserBroken(f"{report.summary()}: the parser itself is failing")
    return staged_ids


# -- transliterate ----------------------------------------------------------------------------


def transliterate_stage(conn: psycopg.Connection, run_id: int, staged_ids: Sequence[int]) -> list[int]:
    """Add ISO 15919 and readable Latin forms of title, summary and body to staged rows."""
    from samachar.transliterate import to_iso15919, to_readable

    report = StageReport("transliterate", run_id)
    rows = db.staged(conn, staged_ids)
    report.count_in = len(rows)
    updates = []
    for row in rows:
        art = row.article
        summary = art.get("summary") or ""
        updates.append((row.id, {
            "title_iso": to_iso15919(art["title"]),
            "title_readable": to_readable(art["title"], title=True),
            "summary_iso": to_iso15919(summary) if summary else None,
            "summary_readable": to_readable(summary) if summary else None,
            "body_iso": to_iso15919(art["body"]),
            "body_readable": to_readable(art["body"]),
        }))
    db.set_transliteration(conn, updates)
    conn.commit()
    report.count_out = len(updates)
    report.save(conn)
    return [row_id for row_id, _ in updates]


# -- load -------------------------------------------------------------------------------------


def load_stage(conn: psycopg.Connection, run_id: int, staged_ids: Sequence[int]) -> db.LoadResult:
    """Upsert staged articles in one transaction; a changed article gets a new revision."""
    from samachar.parse import PARSER_VERSION
    from samachar.transliterate import TRANSLITERATOR_VERSION

    report = StageReport("load", run_id, interval=_interval_label(conn, run_id))
    report.count_in = len(staged_ids)
    result = db.upsert_articles(conn, staged_ids, parser_version=PARSER_VERSION,
                                transliterator_version=TRANSLITERATOR_VERSION)
    conn.commit()
    report.count_out = result.inserted + result.updated + result.unchanged
    report.details = {"inserted": result.inserted, "updated": result.updated,
                      "unchanged": result.unchanged, "revisions": result.revisions}
    report.save(conn)
    db.finish_run(conn, run_id)
    conn.commit()
    return result


# -- one whole pass ---------------------------------------------------------------------------


@dataclass
class RunSummary:
    """What one pass did, for ``samachar run`` and ``make demo``."""

    run_id: int
    discovered: int
    fetched: int
    staged: int
    load: db.LoadResult


def run_once(conn: psycopg.Connection, profile: SourceProfile, start: datetime, end: datetime, *,
             client: HttpClient | None = None, trigger: str = "cli", max_articles: int | None = None,
             batch_size: int | None = None, urls: Sequence[str] | None = None) -> RunSummary:
    """Discover, fetch, parse, transliterate and load one interval (or exactly ``urls``), in this process."""
    client = client or http_client(profile)
    run_id = start_run(conn, profile, start, end, trigger=trigger)
    batches = discover_stage(conn, run_id, profile, start, end, client, max_articles=max_articles,
                             batch_size=batch_size or profile.batch_size, urls=urls)
    raw_ids: list[int] = []
    for batch in batches:
        raw_ids += fetch_stage(conn, run_id, profile, batch, client, failure_threshold=1.0)
    discovered = db.discovered_count(conn, run_id)
    staged = parse_stage(conn, run_id, profile, raw_ids, failure_threshold=1.0)
    staged = transliterate_stage(conn, run_id, staged)
    result = load_stage(conn, run_id, staged)
    return RunSummary(run_id, discovered, len(raw_ids), len(staged), result)


_CLIENTS: dict[tuple[str, str], HttpClient] = {}


def http_client(profile: SourceProfile) -> HttpClient:
    """One HTTP client (one session, one rate limiter) per source and process."""
    from samachar.fetch import HttpClient

    key = (profile.name, profile.base_url)
    if key not in _CLIENTS:
        _CLIENTS[key] = HttpClient(allowed_hosts=profile.allowed_hosts,
                                   rate_limit_per_sec=profile.rate_limit_per_sec)
    return _CLIENTS[key]


def default_interval(now: datetime | None = None) -> tuple[datetime, datetime]:
    """The last complete hour, the interval a scheduled hourly run would take."""
    now = (now or datetime.now(UTC)).replace(minute=0, second=0, microsecond=0)
    return now - timedelta(hours=1), now


@contextmanager
def _timed(label: str) -> Iterator[None]:
    began = time.perf_counter()
    yield
    log.info("%s took %.2f s", label, time.perf_counter() - began)


def run_once_command(source: str, *, start: datetime | None, end: datetime | None,
                     base_url: str | None, max_articles: int | None, urls: Sequence[str] = ()) -> int:
    """``samachar run``: one pass, then a one-line summary."""
    from samachar.sources import load_profile

    profile = load_profile(source, base_url=base_url)
    if start is None or end is None:
        start, end = default_interval()
    with db.connect() as conn, _timed("samachar run"):
        summary = run_once(conn, profile, start, end, max_articles=max_articles, urls=list(urls) or None)
    r = summary.load
    print(f"{profile.name} {format_interval(start, end)}: discovered {summary.discovered}, "
          f"fetched {summary.fetched}, parsed {summary.staged}; loaded {r.inserted} new, "
          f"{r.updated} updated, {r.unchanged} unchanged (run {summary.run_id})")
    return 0

