"""The polite, defensive HTTP client used by every fetch (pipeline, discovery, ``samachar fetch``).

One ``requests.Session`` per client, configured once. Retries are done here rather than by
urllib3 so that ``Retry-After`` (seconds or HTTP-date) can be honoured and shared with other
threads through the per-host limiter. Bodies are streamed with a size cap on the *decoded*
bytes (a gzip bomb stops at the cap) and a wall-clock deadline enforced by a watchdog that
shuts the socket, so a server trickling one byte a second cannot hold a worker forever.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import random
import socket
import threading
import time
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from samachar import config
from samachar.fetch.decode import decode_body
from samachar.fetch.ratelimit import HostRateLimiter, shared_limiter
from samachar.fetch.robots import RobotsCache
from samachar.fetch.urls import UrlError, check_url, host_key

log = logging.getLogger("samachar.fetch")

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 5
CHUNK_SIZE = 64 * 1024
HTML_TYPES = ("text/html", "application/xhtml+xml")
GZIP_TYPES = ("application/gzip", "application/x-gzip", "application/octet-stream")

ERROR_KINDS = (
    "timeout", "connection", "http-status", "too-large", "content-type", "robots",
    "offsite-redirect", "bad-scheme", "host-not-allowed", "decode",
)


@dataclass
class FetchResult:
    """What one fetch produced. Network and HTTP trouble are data here, never exceptions.

    ``attempts`` counts the requests made for the final URL (1 = no retry). ``content_hash`` is
    the sha256 of the body bytes as received (after transfer/content decoding, before text
    decoding). A 304 has ``not_modified=True`` and no text.
    """

    url: str
    final_url: str
    status: int | None
    text: str | None
    content_hash: str | None
    encoding: str | None
    content_type: str | None
    etag: str | None
    last_modified: str | None
    fetched_at: datetime
    attempts: int
    not_modified: bool = False
    error_kind: str | None = None
    error: str | None = None
    elapsed: float = 0.0
    byte_count: int = field(default=0)

    @property
    def ok(self) -> bool:
        """A body was fetched and decoded (a 304 is not ``ok``: see ``not_modified``)."""
        return self.text is not None and self.error_kind is None


class _Failure(Exception):
    """One attempt's failure; ``retry`` says whether another attempt may help."""

    def __init__(self, kind: str, message: str, *, retry: bool, status: int | None = None,
                 retry_after: float | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.retry = retry
        self.status = status
        self.retry_after = retry_after
        self.attempts = 0


@dataclass
class _Response:
    status: int
    headers: requests.structures.CaseInsensitiveDict
    body: bytes | None = None
    location: str | None = None


class _Watch(threading.local):
    """Per thread: the connection the current attempt is using, so a watchdog can cut it."""

    connection: HTTPConnection | None = None


_WATCH = _Watch()


class _TrackedMixin:
    """Records the connection a request goes out on (new or kept alive) for the deadline watchdog."""

    def request(self, *args: object, **kwargs: object) -> None:
        _WATCH.connection = self  # type: ignore[assignment]
        super().request(*args, **kwargs)  # type: ignore[misc]


class _TrackedHTTPConnection(_TrackedMixin, HTTPConnection):
    pass


class _TrackedHTTPSConnection(_TrackedMixin, HTTPSConnection):
    pass


class _TrackedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _TrackedHTTPConnection


class _TrackedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _TrackedHTTPSConnection


class _DeadlineAdapter(HTTPAdapter):
    """An adapter whose connections can be shut from another thread when a deadline passes."""

    def init_poolmanager(self, *args: object, **kwargs: object) -> None:
        super().init_poolmanager(*args, **kwargs)  # type: ignore[arg-type]
        self.poolmanager.pool_classes_by_scheme = {"http": _TrackedHTTPPool, "https": _TrackedHTTPSPool}


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP-date), None if absent/bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def _charset(content_type: str | None) -> str | None:
    for param in (content_type or "").split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip("\"'") or None
    return None


def _type_allowed(kind: str, media: str) -> bool:
    if kind == "robots" or not media:
        return True
    if kind == "feed":
        return (media.startswith("text/") or "xml" in media or "rss" in media or "atom" in media
                or media in GZIP_TYPES)
    return media in HTML_TYPES


def _gunzip_capped(body: bytes, max_bytes: int) -> bytes:
    """Inflate a ``.xml.gz`` sitemap without ever holding more than ``max_bytes``."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = inflater.decompress(body, max_bytes + 1)
    if len(out) > max_bytes:
        raise _Failure("too-large", f"gzipped body inflates past {max_bytes} bytes", retry=False)
    return out


class HttpClient:
    """Fetches pages politely (robots.txt, per-host spacing) and defensively (caps, deadlines).

    Thread-safe: one client may serve a thread pool. ``allowed_hosts`` None allows any host
    (redirects included); otherwise every hop must stay on those hosts.
    """

    def __init__(self, *, allowed_hosts: Iterable[str] | None = None, user_agent: str | None = None,
                 rate_limit_per_sec: float = 1.0, connect_timeout: float = 5, read_timeout: float = 20,
                 max_bytes: int = 5_000_000, max_retries: int = 4, backoff_base: float = 0.5,
                 retry_after_cap: float = 60, obey_robots: bool = True, total_timeout: float = 60,
                 backoff_max: float = 30, pool_maxsize: int = 10,
                 limiter: HostRateLimiter | None = None) -> None:
        self.allowed_hosts = tuple(h.lower() for h in allowed_hosts) if allowed_hosts is not None else None
        self.user_agent = user_agent or config.user_agent()
        self.min_interval = 1.0 / rate_limit_per_sec if rate_limit_per_sec > 0 else 0.0
        self.timeout = (connect_timeout, read_timeout)
        self.total_timeout = total_timeout
        self.max_bytes = max_bytes
        self.max_retries = max_retries
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.retry_after_cap = retry_after_cap
        self.obey_robots = obey_robots
        self.limiter = limiter or shared_limiter()
        self.robots = RobotsCache(self._fetch_robots)
        self._random = random.Random()
        self._crawl_delays: dict[str, float] = {}
        self._robots_errors: dict[str, str] = {}
        self._lock = threading.Lock()

        self.session = requests.Session()
        adapter = _DeadlineAdapter(pool_connections=10, pool_maxsize=pool_maxsize, max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers.update({
            "User-Agent": self.user_agent,
            "Accept-Encoding": "gzip, deflate",
            "Accept-Language": "hi-IN,hi;q=0.9,en;q=0.5",
        })

    def close(self) -> None:
        """Close the pooled connections."""
        self.session.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- public -----------------------------------------------------------------------------

    def fetch(self, url: str, *, kind: str = "html", etag: str | None = None,
              last_modified: str | None = None) -> FetchResult:
        """Fetch ``url`` as ``kind`` ("html", "feed" for RSS/Atom/sitemaps, "robots").

        Sends ``If-None-Match``/``If-Modified-Since`` when ``etag``/``last_modified`` are given.
        Never raises for HTTP or network trouble: see ``error_kind`` and ``error``.
        """
        started = time.monotonic()
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = url
        attempts = 0
        for hop in range(MAX_REDIRECTS + 1):
            try:
                check_url(current, self.allowed_hosts)
                if self.obey_robots and kind != "robots":
                    self._check_robots(current)
                response, attempts = self._request(current, kind, headers)
            except UrlError as exc:
                if hop and exc.kind == "host-not-allowed":
                    log.warning("refusing redirect from %s to another host: %s", url, current)
                    return self._failed(url, current, None, attempts, "offsite-redirect",
                                        f"redirected off the allowed hosts to {current}", started)
                return self._failed(url, current, None, attempts, exc.kind, str(exc), started)
            except _Failure as exc:
                return self._failed(url, current, exc.status, exc.attempts, exc.kind, str(exc), started)
            if response.location is not None:
                current = urljoin(current, response.location)
                continue
            return self._success(url, current, response, kind, attempts, started)
        return self._failed(url, current, None, attempts, "http-status",
                            f"more than {MAX_REDIRECTS} redirects", started)

    def sitemaps_from_robots(self, base_url: str) -> list[str]:
        """``Sitemap:`` URLs that the host's robots.txt lists."""
        parts = urlsplit(base_url)
        return self.robots.rules(f"{parts.scheme.lower()}://{host_key(base_url)}").sitemaps()

    # -- internals --------------------------------------------------------------------------

    def _failed(self, url: str, final_url: str, status: int | None, attempts: int, kind: str,
                message: str, started: float) -> FetchResult:
        return FetchResult(
            url=url, final_url=final_url, status=status, text=None, content_hash=None, encoding=None,
            content_type=None, etag=None, last_modified=None, fetched_at=datetime.now(UTC),
            attempts=attempts, error_kind=kind, error=message, elapsed=time.monotonic() - started,
        )

    def _success(self, url: str, final_url: str, response: _Response, kind: str, attempts: int,
                 started: float) -> FetchResult:
        headers = response.headers
        common = {
            "url": url, "final_url": final_url, "status": response.status,
            "content_type": headers.get("Content-Type"), "etag": headers.get("ETag"),
            "last_modified": headers.get("Last-Modified"), "fetched_at": datetime.now(UTC),
            "attempts": attempts,
        }
        if response.status == 304:
            return FetchResult(text=None, content_hash=None, encoding=None, not_modified=True,
                               elapsed=time.monotonic() - started, **common)
        body = response.body or b""
        try:
            if kind == "feed" and body[:2] == b"\x1f\x8b":
                body = _gunzip_capped(body, self.max_bytes)
            text, encoding = decode_body(body, _charset(headers.get("Content-Type")))
        except (_Failure, zlib.error, gzip.BadGzipFile, UnicodeError) as exc:
            kind_ = exc.kind if isinstance(exc, _Failure) else "decode"
            return FetchResult(text=None, content_hash=None, encoding=None, error_kind=kind_,
                               error=str(exc), elapsed=time.monotonic() - started, **common)
        return FetchResult(
            text=text, content_hash=hashlib.sha256(body).hexdigest(), encoding=encoding,
            elapsed=time.monotonic() - started, byte_count=len(body), **common,
        )

    def _check_robots(self, url: str) -> None:
        parts = urlsplit(url)
        host = host_key(url)
        rules = self.robots.rules(f"{parts.scheme.lower()}://{host}")
        delay = rules.crawl_delay(self.user_agent)
        if delay is not None:
            with self._lock:
                if self._crawl_delays.get(host) != delay:
                    log.info("robots.txt of %s sets Crawl-delay %.1fs", host, delay)
                self._crawl_delays[host] = delay
        if not rules.can_fetch(self.user_agent, url):
            log.info("robots.txt disallows %s (%s); skipped", url, rules.reason)
            # A host we cannot reach at all is a network failure, not a robots.txt verdict.
            kind = self._robots_errors.get(host, "robots") if rules.parser is None else "robots"
            raise _Failure(kind, f"disallowed by robots.txt ({rules.reason}): {url}", retry=False)

    def _fetch_robots(self, robots_url: str) -> tuple[int | None, str | None]:
        result = self.fetch(robots_url, kind="robots")
        self._robots_errors.pop(host_key(robots_url), None)
        if result.ok:
            return result.status, result.text
        if result.error_kind == "http-status" and result.status is not None:
            return result.status, None
        log.warning("robots.txt %s unreachable: %s", robots_url, result.error)
        self._robots_errors[host_key(robots_url)] = result.error_kind or "connection"
        return None, None

    def _backoff(self, attempt: int) -> float:
        ceiling = min(self.backoff_max, self.backoff_base * 2 ** (attempt - 1))
        return ceiling / 2 + self._random.uniform(0, ceiling / 2)   # "equal jitter"

    def _request(self, url: str, kind: str, headers: dict[str, str]) -> tuple[_Response, int]:
        """One URL with retries; returns the response and the number of attempts made."""
        host = host_key(url)
        attempt = 0
        while True:
            attempt += 1
            interval = max(self.min_interval, self._crawl_delays.get(host, 0.0))
            self.limiter.acquire(host, interval)
            try:
                return self._attempt(url, kind, headers), attempt
            except _Failure as exc:
                exc.attempts = attempt
                if not exc.retry or attempt > self.max_retries:
                    raise
                if exc.retry_after is not None:
                    if exc.retry_after > self.retry_after_cap:
                        capped = _Failure(exc.kind, f"{exc}; Retry-After {exc.retry_after:.0f}s exceeds "
                                          f"the {self.retry_after_cap:.0f}s cap", retry=False,
                                          status=exc.status)
                        capped.attempts = attempt
                        raise capped from exc
                    delay = max(exc.retry_after, self._backoff(attempt))
                    self.limiter.defer(host, delay)   # every thread stays off this host
                else:
                    delay = self._backoff(attempt)
                    time.sleep(delay)
                log.warning("retrying %s in %.2fs after %s: %s (attempt %d of %d)",
                            url, delay, exc.kind, exc, attempt, self.max_retries + 1)

    def _attempt(self, url: str, kind: str, headers: dict[str, str]) -> _Response:
        """One request under a wall-clock deadline that covers headers and body alike."""
        expired = threading.Event()
        _WATCH.connection = None
        watch = _WATCH.__dict__  # this thread's slot, read by the timer thread

        def watchdog() -> None:
            expired.set()
            connection = watch.get("connection")
            sock = getattr(connection, "sock", None)
            if sock is not None:
                try:
                    sock.shutdown(socket.SHUT_RDWR)   # unblocks a recv() waiting on a trickle
                except OSError:
                    pass

        timer = threading.Timer(self.total_timeout, watchdog)
        timer.daemon = True
        timer.start()
        try:
            return self._attempt_within(url, kind, headers, expired)
        finally:
            timer.cancel()
            _WATCH.connection = None

    def _attempt_within(self, url: str, kind: str, headers: dict[str, str],
                        expired: threading.Event) -> _Response:
        late = _Failure("timeout", f"no complete response within {self.total_timeout:g}s", retry=True)
        try:
            resp = self.session.get(url, headers=headers, stream=True, allow_redirects=False,
                                    timeout=self.timeout)
        except requests.exceptions.Timeout as exc:
            raise _Failure("timeout", f"timed out: {exc}", retry=True) from exc
        except (requests.exceptions.InvalidURL, requests.exceptions.InvalidSchema) as exc:
            raise _Failure("bad-scheme", f"unusable URL: {exc}", retry=False) from exc
        except requests.exceptions.RequestException as exc:
            if expired.is_set():
                raise late from exc
            raise _Failure("connection", f"connection failed: {exc}", retry=True) from exc
        with resp:
            status = resp.status_code
            if status in REDIRECT_STATUSES and resp.headers.get("Location"):
                return _Response(status, resp.headers, location=resp.headers["Location"])
            if status == 304:
                return _Response(status, resp.headers)
            if status in RETRY_STATUSES:
                raise _Failure("http-status", f"HTTP {status}", retry=True, status=status,
                               retry_after=parse_retry_after(resp.headers.get("Retry-After")))
            if status >= 300:
                raise _Failure("http-status", f"HTTP {status}", retry=False, status=status)
            media = _media_type(resp.headers.get("Content-Type"))
            if not _type_allowed(kind, media):
                raise _Failure("content-type", f"refused content type {media!r} for a {kind} fetch",
                               retry=False, status=status)
            length = resp.headers.get("Content-Length", "")
            if (length.isdigit() and int(length) > self.max_bytes
                    and not resp.headers.get("Content-Encoding")):
                raise _Failure("too-large", f"Content-Length {length} exceeds {self.max_bytes} bytes",
                               retry=False, status=status)
            return _Response(status, resp.headers, body=self._read_body(resp, expired, late))

    def _read_body(self, resp: requests.Response, expired: threading.Event, late: _Failure) -> bytes:
        """Stream the decoded body, stopping at ``max_bytes`` or when the deadline has passed."""
        chunks: list[bytes] = []
        total = 0
        try:
            for chunk in resp.iter_content(CHUNK_SIZE):
                total += len(chunk)
                if total > self.max_bytes:
                    raise _Failure("too-large", f"body exceeds {self.max_bytes} bytes", retry=False,
                                   status=resp.status_code)
                chunks.append(chunk)
                if expired.is_set():
                    break
        except requests.exceptions.ContentDecodingError as exc:
            raise _Failure("decode", f"bad content encoding: {exc}", retry=False) from exc
        except requests.exceptions.RequestException as exc:
            if expired.is_set():
                raise late from exc
            kind = "timeout" if "timed out" in str(exc).lower() else "connection"
            raise _Failure(kind, f"body interrupted: {exc}", retry=True) from exc
        if expired.is_set():
            raise late
        return b"".join(chunks)
