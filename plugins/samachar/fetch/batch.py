"""Fetch many URLs with a small thread pool, and describe failures for the quarantine table.

DB-free on purpose: the pipeline passes the stored ETag/Last-Modified per URL in and writes
results out; retrying a task only re-fetches what did not succeed because the pipeline leaves
the successes out of ``urls``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from samachar.fetch.http import FetchResult, HttpClient


@dataclass(frozen=True)
class FetchFailure:
    """One failed fetch as the pipeline records it: URL, stage, kind, attempts, time, message."""

    url: str
    kind: str
    attempts: int
    at: datetime
    message: str
    stage: str = "fetch"
    status: int | None = None

    @classmethod
    def from_result(cls, result: FetchResult) -> FetchFailure:
        """The failure a non-ok, non-304 result stands for."""
        if result.ok or result.not_modified:
            raise ValueError(f"{result.url} did not fail")
        return cls(url=result.url, kind=result.error_kind or "error", attempts=result.attempts,
                   at=result.fetched_at, message=result.error or "", status=result.status)

    @property
    def detail(self) -> str:
        """A line for quarantine.detail, e.g. 'HTTP 503 after 5 attempts'."""
        return f"{self.message} after {self.attempts} attempt{'s' if self.attempts != 1 else ''}"


def fetch_many(client: HttpClient, urls: Iterable[str], states: Mapping[str, Any] | None = None, *,
               max_workers: int = 2, kind: str = "html") -> Iterator[FetchResult]:
    """Fetch ``urls`` concurrently, yielding each result as it completes (order not kept).

    ``states`` maps a URL to anything with ``etag`` and ``last_modified`` attributes (the
    db's FetchState) for a conditional GET. The client's per-host limiter keeps the pace,
    however many workers there are. One URL's trouble never stops the others.
    """
    states = states or {}
    unique = list(dict.fromkeys(urls))
    if not unique:
        return
    with ThreadPoolExecutor(max_workers=max(1, min(max_workers, len(unique))),
                            thread_name_prefix="samachar-fetch") as pool:
        futures = []
        for url in unique:
            state = states.get(url)
            futures.append(pool.submit(client.fetch, url, kind=kind,
                                       etag=getattr(state, "etag", None),
                                       last_modified=getattr(state, "last_modified", None)))
        for future in as_completed(futures):
            yield future.result()
