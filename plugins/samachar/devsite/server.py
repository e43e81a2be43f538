"""The replay India News site over real HTTP, with switchable faults for the fetcher's tests.

``DevSite`` binds 127.0.0.1 (port 0 picks a free port) and serves from a background thread as soon
as it is constructed; use it as a context manager or call :meth:`DevSite.close`.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import random
import re
import socket
import struct
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import NamedTuple
from urllib.parse import parse_qs, urlsplit

from samachar.devsite import render
from samachar.devsite.catalogue import (
    IST,
    RECENT_AGE,
    CatalogueEntry,
    RecentPost,
    build_catalogue,
    categories,
    hindi_day,
)

PER_PAGE = 10
FEED_SIZE = 20
HTML = "text/html; charset=UTF-8"
XML = "application/xml; charset=UTF-8"
RSS = "application/rss+xml; charset=UTF-8"
# Random faults (fault_rate): kind -> weight. "permanent" kinds fail on every attempt.
RANDOM_FAULT_WEIGHTS = {"5xx": 35, "reset": 20, "stall": 15, "malformed": 20, "5xx-permanent": 10}


class RequestRecord(NamedTuple):
    """One request as the site saw it (the ``requests`` log keeps the first three fields)."""

    method: str
    path: str
    status: int
    user_agent: str
    fault: str | None


@dataclass(frozen=True)
class PlannedFault:
    """What ``fault_rate`` decided for one article: ``spec`` is the equivalent ``set_fault`` spec.

    ``attempts`` is how many GETs fail (``None``: all of them). A transient fault ends in a
    normal page, so a client that retries gets the article; a permanent one never does.
    """

    kind: str
    spec: str
    attempts: int | None

    @property
    def permanent(self) -> bool:
        """True when the article is never served correctly."""
        return self.attempts is None


@dataclass
class _Fault:
    kind: str
    spec: str
    statuses: tuple[int, ...] = ()
    seconds: float = 0.0
    size: int = 0
    url: str = ""
    http_date: bool = False
    times: int | None = None  # None: every request
    used: int = 0

    def active(self) -> bool:
        return self.times is None or self.used < self.times


def parse_fault(spec: str) -> _Fault:
    """Parse a fault spec (see docs/ARCHITECTURE.md); raises ``ValueError`` with the reason."""
    kind, _, arg = spec.strip().partition(":")
    try:
        if kind == "status":
            forever = arg.endswith("*")  # "status:503*": that status on every request
            statuses = tuple(int(s) for s in arg.rstrip("*").split(","))
            if not statuses or any(not 100 <= s <= 599 for s in statuses):
                raise ValueError
            return _Fault("status", spec, statuses=statuses, times=None if forever else len(statuses))
        if kind in ("retry-after", "retry-after-date"):
            parts = arg.split(":")
            status, seconds = int(parts[0]), float(parts[1])
            times = int(parts[2]) if len(parts) > 2 else 1
            return _Fault("retry-after", spec, statuses=(status,), seconds=seconds,
                          http_date=kind == "retry-after-date", times=times)
        if kind in ("reset", "malformed", "cp1252-as-utf8", "gzip-bomb"):
            return _Fault(kind, spec, times=int(arg) if arg else None)
        if kind == "stall":
            seconds, _, times = arg.partition(":")
            return _Fault("stall", spec, seconds=float(seconds), times=int(times) if times else None)
        if kind == "huge":
            return _Fault("huge", spec, size=int(arg))
        if kind == "redirect" and arg:
            return _Fault("redirect", spec, url=arg)
    except (ValueError, IndexError):
        pass
    raise ValueError(f"bad fault spec {spec!r}")


class _Page(NamedTuple):
    status: int
    body: bytes
    content_type: str
    last_modified: datetime | None = None
    location: str | None = None
    entry: CatalogueEntry | None = None


class DevSite:
    """A WordPress-style India News site serving the catalogue on 127.0.0.1 in a background thread.

    ``articles`` holds the gold values; ``requests`` logs ``(method, path, status)``;
    ``user_agents`` every User-Agent seen. ``robots_disallow`` and ``crawl_delay`` may be changed
    while the site runs. ``category_sitemap=True`` adds Yoast's category sitemap (listing pages,
    not articles) to the sitemap index, as real WordPress sites do. With ``fault_rate`` > 0 a
    seeded share of article pages misbehave: ``fault_plan`` says how, and
    :meth:`served_correctly` / ``served_ok`` give the ground truth.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, n_articles: int = 40, recent: bool = False,
                 fault_rate: float = 0.0, seed: int = 0, robots_disallow: Iterable[str] = (),
                 crawl_delay: float | None = None, sitemap_size: int = 1000, category_sitemap: bool = False,
                 fault_stall_seconds: float = 0.5, now: datetime | None = None, verbose: bool = False) -> None:
        self._server = _Server((host, port), _Handler)
        self._server.site = self
        bound_host, bound_port = self._server.server_address[:2]
        shown = "127.0.0.1" if bound_host in ("0.0.0.0", "") else bound_host
        self.host, self.port = bound_host, bound_port
        self.base_url = f"http://{shown}:{bound_port}"
        try:
            self.articles: list[CatalogueEntry] = build_catalogue(
                self.base_url, n_articles=n_articles, seed=seed, recent=recent, now=now
            )
        except ValueError:
            self._server.server_close()
            raise
        self.seed = seed
        self.fault_rate = fault_rate
        self.fault_stall_seconds = fault_stall_seconds
        self.robots_disallow: list[str] = list(robots_disallow)
        self.crawl_delay = crawl_delay
        self.sitemap_size = sitemap_size
        self.category_sitemap = category_sitemap
        self.verbose = verbose
        self.requests: list[tuple[str, str, int]] = []
        self.request_log: list[RequestRecord] = []
        self.user_agents: list[str] = []
        self.served_ok: set[str] = set()  # article paths that got at least one complete, correct page
        self._faults: dict[str, _Fault] = {}
        self._attempts: dict[str, int] = defaultdict(int)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._pages: dict[tuple[str, str], tuple[_Page, str | None]] = {}
        self._gzipped: dict[str, bytes] = {}
        self._index()
        self.fault_plan: dict[str, PlannedFault] = self._plan_faults() if fault_rate > 0 else {}
        # a short poll interval makes close() quick: tests start many sites
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), name="devsite", daemon=True)
        self._thread.start()

    # ----------------------------------------------------------------------------- lifecycle

    def __enter__(self) -> DevSite:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop serving (stalled responses are woken up) and free the port."""
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def wait(self) -> None:
        """Block until interrupted (for ``samachar devsite``)."""
        try:
            while self._thread.is_alive():
                self._thread.join(timeout=0.5)
        except KeyboardInterrupt:
            pass

    # ----------------------------------------------------------------------------- faults

    def set_fault(self, path: str, spec: str) -> None:
        """Make ``path`` (a path or full URL) misbehave as ``spec`` says; replaces any earlier fault."""
        fault = parse_fault(spec)
        if fault.kind == "gzip-bomb":
            render.gzip_bomb()  # built (once, ~0.3 s) now rather than while a client's read timeout runs
        with self._lock:
            self._faults[urlsplit(path).path or "/"] = fault

    def clear_faults(self) -> None:
        """Remove every ``set_fault`` fault (``fault_rate`` faults stay: they are the site's nature)."""
        with self._lock:
            self._faults.clear()

    def served_correctly(self, path_or_url: str) -> bool:
        """Ground truth for soak tests: would a client that retries a few times get this article?"""
        plan = self.fault_plan.get(urlsplit(path_or_url).path)
        return plan is None or not plan.permanent

    def _plan_faults(self) -> dict[str, PlannedFault]:
        plans = {}
        kinds = list(RANDOM_FAULT_WEIGHTS)
        weights = list(RANDOM_FAULT_WEIGHTS.values())
        for entry in self.articles:
            rng = random.Random(f"fault:{self.seed}:{entry.path}")
            if rng.random() >= self.fault_rate:
                continue
            kind = rng.choices(kinds, weights)[0]
            if kind == "5xx":
                statuses = [rng.choice([500, 502, 503, 504]) for _ in range(rng.randint(1, 2))]
                plans[entry.path] = PlannedFault(kind, "status:" + ",".join(map(str, statuses)), len(statuses))
            elif kind == "5xx-permanent":
                plans[entry.path] = PlannedFault(kind, "status:503*", None)
            elif kind == "reset":
                plans[entry.path] = PlannedFault(kind, "reset:1", 1)
            elif kind == "stall":
                plans[entry.path] = PlannedFault(kind, f"stall:{self.fault_stall_seconds:g}:1", 1)
            else:
                plans[entry.path] = PlannedFault(kind, "malformed", None)
        return plans

    def _take_fault(self, path: str) -> _Fault | None:
        """The fault for this GET of ``path`` (explicit first, then the random plan), counting it."""
        with self._lock:
            self._attempts[path] += 1
            attempt = self._attempts[path]
            fault = self._faults.get(path)
            if fault is None and path in self.fault_plan:
                plan = self.fault_plan[path]
                if plan.attempts is None or attempt <= plan.attempts:
                    fault = parse_fault(plan.spec)
                    fault.used = attempt - 1 if fault.kind == "status" else 0
            if fault is None or not fault.active():
                return None
            fault.used += 1
            return fault

    # ----------------------------------------------------------------------------- site index

    def _index(self) -> None:
        newest_first = sorted(self.articles, key=lambda e: (e.published_at, e.id), reverse=True)
        self._newest_first = newest_first
        self._by_path = {e.path: e for e in self.articles}
        self._by_id = {e.id: e for e in self.articles}
        self._images = {e.lead_image[len(self.base_url):]: e for e in self.articles if e.lead_image}
        self._lists: dict[str, tuple[str, list[CatalogueEntry]]] = {}
        for e in newest_first:
            local = e.published_at.astimezone(IST)
            for prefix, heading in (
                (f"/{local:%Y}/", f"Year: {local.year}"),
                (f"/{local:%Y/%m}/", f"Month: {hindi_day(local.date()).split(' ', 1)[1]}"),
                (f"/{local:%Y/%m/%d}/", f"Day: {hindi_day(local.date())}"),
                (f"/category/{e.category_slug}/", e.category),
                (f"/author/{e.author_slug}/", f"Author: {e.authors[0]}"),
                *((f"/tag/{slug}/", f"Tag: {name}") for name, slug in zip(e.tags, e.tag_slugs, strict=False)),
            ):
                self._lists.setdefault(prefix, (heading, []))[1].append(e)
        self._lists["/"] = ("ताज़ा ख़बरें", newest_first)
        self.now = newest_first[0].published_at + RECENT_AGE
        self._last_change = max(e.modified_at for e in self.articles)
        self._sidebar = [RecentPost(e.title, e.url, e.excerpt, e.published_at) for e in newest_first[:5]]

    def _post_sitemaps(self) -> list[list[CatalogueEntry]]:
        oldest_first = self._newest_first[::-1]
        size = max(1, self.sitemap_size)
        return [oldest_first[i:i + size] for i in range(0, len(oldest_first), size)]

    def _category_rows(self) -> list[tuple[str, datetime | None, str | None]]:
        rows = []
        for slug in categories():
            posts = self._lists.get(f"/category/{slug}/", ("", []))[1]
            if posts:
                rows.append((f"{self.base_url}/category/{slug}/", max(e.modified_at for e in posts), None))
        return rows

    def page(self, path: str, query: str = "") -> _Page:
        """Route one GET: the page's status, bytes and headers (faults aside)."""
        if path == "/" and query:
            post = parse_qs(query).get("p", [""])[0]
            if post.isdigit() and int(post) in self._by_id:
                return _Page(301, b"", HTML, location=self._by_id[int(post)].url)
        entry = self._by_path.get(path)
        if entry is not None:
            return _Page(200, render.render_article(entry).encode(), HTML, entry.modified_at, entry=entry)
        if path in self._images:
            return _Page(200, render.tiny_png(), "image/png", self._images[path].published_at)
        if path == "/robots.txt":
            text = render.render_robots(self.base_url, self.robots_disallow, self.crawl_delay)
            return _Page(200, text.encode(), "text/plain; charset=UTF-8")
        if path == "/feed/" or (path.startswith("/category/") and path.endswith("/feed/")):
            posts = self._lists.get(path[: -len("feed/")], ("", []))[1] if path != "/feed/" else self._newest_first
            if posts:
                latest = posts[:FEED_SIZE]
                rss = render.render_rss(latest, self.base_url, max(e.modified_at for e in latest))
                return _Page(200, rss.encode(), RSS, max(e.modified_at for e in latest))
        if path == "/sitemap_index.xml":
            maps = [(f"{self.base_url}/post-sitemap{'' if i == 0 else i + 1}.xml", max(e.modified_at for e in chunk))
                    for i, chunk in enumerate(self._post_sitemaps())]
            cat_rows = self._category_rows() if self.category_sitemap else []
            if cat_rows:
                maps.append((f"{self.base_url}/category-sitemap.xml", max(m for _, m, _ in cat_rows if m)))
            return _Page(200, render.render_sitemap_index(maps).encode(), XML, self._last_change)
        match = re.fullmatch(r"/post-sitemap(\d*)\.xml", path)
        if match and match.group(1) != "1":
            number = int(match.group(1) or 1)
            chunks = self._post_sitemaps()
            if number <= len(chunks):
                rows = [(e.url, e.modified_at, e.lead_image) for e in chunks[number - 1]]
                return _Page(200, render.render_urlset(rows).encode(), XML, max(e.modified_at for e in chunks[number - 1]))
        if path == "/category-sitemap.xml" and self.category_sitemap:
            return _Page(200, render.render_urlset(self._category_rows()).encode(), XML, self._last_change)
        if path == "/news-sitemap.xml":
            cutoff = self._newest_first[0].published_at - timedelta(hours=render.NEWS_WINDOW_HOURS)
            recent = [e for e in self._newest_first if e.published_at > cutoff]
            return _Page(200, render.render_news_sitemap(recent).encode(), XML, self._last_change)
        listing = self._listing(path)
        if listing is not None:
            return listing
        if not path.endswith("/") and "." not in path.rsplit("/", 1)[-1] and self.page(path + "/").status == 200:
            return _Page(301, b"", HTML, location=f"{self.base_url}{path}/")
        body = render.render_not_found(self.base_url, self._sidebar, self.now)
        return _Page(404, body.encode(), HTML)

    def _listing(self, path: str) -> _Page | None:
        match = re.fullmatch(r"(/.*?/?)(?:page/(\d+)/)?", path)
        if not match:
            return None
        base, number = match.group(1), int(match.group(2) or 1)
        if base not in self._lists or number < 1:
            return None
        heading, posts = self._lists[base]
        pages = max(1, -(-len(posts) // PER_PAGE))
        if number > pages:
            return None
        chunk = posts[(number - 1) * PER_PAGE: number * PER_PAGE]
        canonical = self.base_url + (base if number == 1 else f"{base}page/{number}/")
        html = render.render_listing(heading=heading, canonical=canonical, entries=chunk, page=number, pages=pages,
                                     page_url=base, sidebar=self._sidebar, now=self.now,
                                     body_class="home blog" if base == "/" else "archive")
        return _Page(200, html.encode(), HTML, max(e.modified_at for e in chunk))

    def cached_page(self, path: str, query: str) -> tuple[_Page, str | None]:
        """``page()`` plus its ETag; cached, as pages never change (robots.txt excepted)."""
        key = (path, query)
        hit = self._pages.get(key)
        if hit is None:
            page = self.page(path, query)
            etag = '"' + hashlib.sha1(page.body).hexdigest()[:24] + '"' if page.status == 200 else None
            hit = (page, etag)
            if page.status == 200 and not query and path != "/robots.txt":
                self._pages[key] = hit
        return hit

    def gzipped(self, etag: str, body: bytes) -> bytes:
        """The gzip form of a 200 body, computed once per ETag."""
        hit = self._gzipped.get(etag)
        if hit is None:
            hit = self._gzipped[etag] = gzip.compress(body, compresslevel=6, mtime=0)
        return hit

    def catalogue_json(self) -> list[dict[str, object]]:
        """The gold values of every article, JSON-ready (for tools running the site in another process)."""
        out = []
        for e in self.articles:
            out.append({
                "id": e.id, "path": e.path, "url": e.url, "title": e.title, "title_prefix": e.title_prefix,
                "category": e.category, "category_slug": e.category_slug, "authors": e.authors, "tags": e.tags,
                "published_at": e.published_at.isoformat(), "modified_at": e.modified_at.isoformat(),
                "summary": e.summary, "dateline": e.dateline, "body_paragraphs": e.body_paragraphs,
                "related": [{"title": r.title, "url": r.url} for r in e.related], "lead_image": e.lead_image,
                "has_jsonld": e.has_jsonld, "served_correctly": self.served_correctly(e.path),
            })
        return out


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 128
    site: DevSite

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients that hang up (timeouts, size caps, resets) are normal here: no traceback."""
        if not isinstance(sys.exc_info()[1], OSError) or self.site.verbose:
            super().handle_error(request, client_address)  # type: ignore[arg-type]


def _http_date(when: datetime) -> str:
    return format_datetime(when.astimezone(UTC), usegmt=True)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "nginx"
    sys_version = ""
    timeout = 30
    disable_nagle_algorithm = True  # headers and body go out as separate writes: no 40 ms delayed-ACK stalls
    server: _Server

    # ----------------------------------------------------------------------------- plumbing

    @property
    def site(self) -> DevSite:
        return self.server.site

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - BaseHTTPRequestHandler's name
        if self.site.verbose:
            sys.stderr.write(f"{self.address_string()} - {format % args}\n")

    def _record(self, status: int, fault: _Fault | None = None) -> None:
        target = self.path
        self.site.requests.append((self.command, target, status))
        self.site.request_log.append(RequestRecord(self.command, target, status, self.headers.get("User-Agent", ""),
                                                   fault.spec if fault else None))

    def _start(self, status: int, content_type: str, length: int | None, headers: Iterable[tuple[str, str]] = ()) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if length is not None:
            self.send_header("Content-Length", str(length))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()

    def _simple(self, status: int, body: bytes, content_type: str = HTML, headers: Iterable[tuple[str, str]] = (),
                fault: _Fault | None = None) -> None:
        self._record(status, fault)  # logged before the client can see the response, never after
        self._start(status, content_type, len(body), headers)
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, fault: _Fault | None = None, headers: Iterable[tuple[str, str]] = ()) -> None:
        try:
            reason = HTTPStatus(status).phrase
        except ValueError:
            reason = "Error"
        self._simple(status, render.render_error_page(status, reason).encode(), HTML, headers, fault)

    # ----------------------------------------------------------------------------- methods

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self.site.user_agents.append(self.headers.get("User-Agent", ""))
        url = urlsplit(self.path)
        path = url.path or "/"
        if path.startswith("/__control__/"):
            self._control(path)
            return
        fault = self.site._take_fault(path) if self.command == "GET" else None
        try:
            self._serve(path, url.query, fault)
        except OSError:
            self.close_connection = True  # the client gave up (a stall past its timeout, a size cap)

    do_HEAD = do_GET  # noqa: N815

    def do_POST(self) -> None:  # noqa: N802
        path = urlsplit(self.path).path
        if path.startswith("/__control__/"):
            self._control(path)
        else:
            self._error(405)

    do_DELETE = do_POST  # noqa: N815

    # ----------------------------------------------------------------------------- control

    def _control(self, path: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            data = json.loads(raw or b"{}")
            if path == "/__control__/faults" and self.command == "POST":
                self.site.set_fault(str(data["path"]), str(data["spec"]))
            elif path == "/__control__/faults" and self.command == "DELETE":
                self.site.clear_faults()
            elif path == "/__control__/robots" and self.command == "POST":
                self.site.robots_disallow[:] = [str(p) for p in data.get("disallow", [])]
                self.site.crawl_delay = data.get("crawl_delay")
            elif path == "/__control__/catalogue" and self.command == "GET":
                body = json.dumps(self.site.catalogue_json(), ensure_ascii=False).encode()
                self._simple(200, body, "application/json; charset=UTF-8")
                return
            elif path != "/__control__/faults" or self.command != "GET":
                self._error(404)
                return
        except (ValueError, KeyError, TypeError) as exc:
            self._simple(400, json.dumps({"error": str(exc)}).encode(), "application/json")
            return
        with self.site._lock:
            faults = {p: f.spec for p, f in self.site._faults.items()}
        self._simple(200, json.dumps({"faults": faults}).encode(), "application/json")

    # ----------------------------------------------------------------------------- pages and faults

    def _serve(self, path: str, query: str, fault: _Fault | None) -> None:
        if fault is not None and fault.kind in ("status", "retry-after"):
            status = fault.statuses[min(fault.used, len(fault.statuses)) - 1] if fault.kind == "status" else fault.statuses[0]
            if status != 200:
                headers = []
                if fault.kind == "retry-after":
                    value = (_http_date(datetime.now(UTC) + timedelta(seconds=fault.seconds + 1)) if fault.http_date
                             else f"{fault.seconds:g}")
                    headers.append(("Retry-After", value))
                self._error(status, fault, headers)
                return
            fault = None
        if fault is not None and fault.kind == "redirect":
            self._simple(302, b"", HTML, [("Location", fault.url)], fault)
            return
        if fault is not None and fault.kind == "gzip-bomb":
            self._simple(200, render.gzip_bomb(), HTML, [("Content-Encoding", "gzip")], fault)
            return
        if fault is not None and fault.kind == "huge":
            self._stream_huge(fault)
            return
        page, etag = self.site.cached_page(path, query)
        if page.status in (301, 302):
            self._simple(page.status, b"", HTML, [("Location", page.location or "/")])
            return
        if fault is not None and page.status == 200:
            self._serve_faulty(page, fault)
            return
        self._serve_normal(page, etag)

    def _serve_normal(self, page: _Page, etag: str | None) -> None:
        headers = []
        if page.status == 200 and etag:
            headers += [("ETag", etag), ("Cache-Control", "max-age=0, must-revalidate"), ("Vary", "Accept-Encoding")]
            if page.last_modified is not None:
                headers.append(("Last-Modified", _http_date(page.last_modified)))
            if self._not_modified(etag, page.last_modified):
                self._record(304)
                self._mark_served(page)
                self._start(304, page.content_type, None, headers)
                return
        body = page.body
        if page.status == 200 and etag and page.content_type != "image/png" and self._accepts_gzip():
            body = self.site.gzipped(etag, page.body)
            headers = [(n, "W/" + v if n == "ETag" else v) for n, v in headers] + [("Content-Encoding", "gzip")]
        fresh = self._mark_served(page)
        try:
            self._simple(page.status, body, page.content_type, headers)
        except OSError:
            self._unmark(page, fresh)
            raise

    def _mark_served(self, page: _Page) -> bool:
        """Note a correct article page before sending it (so a client never sees it unnoted)."""
        if page.entry is None or self.command != "GET" or page.status != 200:
            return False
        fresh = page.entry.path not in self.site.served_ok
        self.site.served_ok.add(page.entry.path)
        return fresh

    def _unmark(self, page: _Page, fresh: bool) -> None:
        if fresh and page.entry is not None:
            self.site.served_ok.discard(page.entry.path)

    def _not_modified(self, etag: str, last_modified: datetime | None) -> bool:
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
            return "*" in tags or etag in tags
        ims = self.headers.get("If-Modified-Since")
        if ims and last_modified is not None:
            try:
                since = parsedate_to_datetime(ims)
            except (TypeError, ValueError):
                return False
            if since.tzinfo is None:
                since = since.replace(tzinfo=UTC)
            return last_modified.replace(microsecond=0) <= since
        return False

    def _accepts_gzip(self) -> bool:
        for item in (self.headers.get("Accept-Encoding") or "").split(","):
            name, _, params = item.strip().partition(";")
            if name.strip().lower() == "gzip":
                return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
        return False

    def _serve_faulty(self, page: _Page, fault: _Fault) -> None:
        body = page.body
        if fault.kind == "cp1252-as-utf8":
            if page.entry is not None:
                body = render.render_cp1252_page(page.entry)
            self._simple(200, body, HTML, fault=fault)
        elif fault.kind == "malformed":
            if page.content_type == HTML:
                body = render.truncate_mid_tag(body.decode()).encode()
            else:
                body = body[: len(body) // 2]
            self._simple(200, body, page.content_type, fault=fault)
        elif fault.kind == "reset":
            self._record(200, fault)
            self._start(200, page.content_type, len(body))
            self.wfile.write(body[: len(body) // 3])
            time.sleep(0.05)  # let the headers and the first bytes reach the client before the RST
            self._reset()
        elif fault.kind == "stall":
            self._record(200, fault)
            self._start(200, page.content_type, len(body))
            if self.site._stop.wait(fault.seconds):
                self._reset()
                return
            fresh = self._mark_served(page)
            try:
                self.wfile.write(body)
            except OSError:
                self._unmark(page, fresh)
                raise

    def _reset(self) -> None:
        """Abort the connection with a TCP RST (SO_LINGER 0), not a clean FIN."""
        self.close_connection = True
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.rfile.close()  # drop makefile()'s reference so close() really closes the socket now
        self.connection.close()

    def _stream_huge(self, fault: _Fault) -> None:
        """A valid page of ``fault.size`` bytes sent with chunked encoding (no Content-Length to trust)."""
        self._record(200, fault)
        self._start(200, HTML, None, [("Transfer-Encoding", "chunked")])
        for piece in render.iter_huge_page(fault.size):
            if piece:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
        self.wfile.write(b"0\r\n\r\n")


def serve_forever(host: str = "127.0.0.1", port: int = 8000, **kwargs: object) -> None:
    """Run the replay site until Ctrl-C (``samachar devsite``); kwargs go to :class:`DevSite`.

    Access lines go to stderr unless ``verbose=False`` is passed.
    """
    kwargs.setdefault("verbose", True)
    site = DevSite(host, port, **kwargs)  # type: ignore[arg-type]
    try:
        first, last = site.articles[0].published_at, site.articles[-1].published_at
        print(f"India News replay site on {site.base_url}/ ({len(site.articles)} articles, "
              f"{first:%Y-%m-%d %H:%M} to {last:%Y-%m-%d %H:%M} IST; feed {site.base_url}/feed/, "
              f"sitemap {site.base_url}/sitemap_index.xml). Ctrl-C stops.", flush=True)
        site.wait()
    finally:
        site.close()


