"""HttpClient against the replay site's fault switches: each fault, its outcome, and no collateral loss.

Backoff and timeouts are shrunk so the whole module runs in a few seconds; elapsed-time bounds
are loose on purpose (they catch "waited the whole stall" or "never waited", not jitter).
"""

from __future__ import annotations

import logging
import socket
import threading
import time
import tracemalloc
from collections.abc import Iterator

import pytest

from samachar.devsite import DevSite
from samachar.fetch import FetchFailure, FetchResult, HostRateLimiter, HttpClient, fetch_many
from samachar.fetch.cli import fetch_command
from samachar.fetch.http import ERROR_KINDS
from samachar.fetch.urls import host_key

pytestmark = pytest.mark.integration

MAX_RETRIES = 3


@pytest.fixture()
def site() -> Iterator[DevSite]:
    with DevSite(n_articles=12) as devsite:
        yield devsite


def make_client(site: DevSite, **overrides: object) -> HttpClient:
    settings: dict[str, object] = {
        "allowed_hosts": [host_key(site.base_url)], "rate_limit_per_sec": 500.0, "connect_timeout": 2.0,
        "read_timeout": 1.0, "total_timeout": 4.0, "max_retries": MAX_RETRIES, "backoff_base": 0.05,
        "backoff_max": 0.2, "limiter": HostRateLimiter(),
    }
    settings.update(overrides)
    return HttpClient(**settings)  # type: ignore[arg-type]


@pytest.fixture()
def client(site: DevSite) -> Iterator[HttpClient]:
    with make_client(site) as c:
        yield c


def gets(site: DevSite, path: str) -> list[int]:
    """Statuses the site sent for GETs of ``path`` (its request log)."""
    return [status for method, p, status in list(site.requests) if method == "GET" and p == path]


def fetch_with_neighbours(client: HttpClient, site: DevSite, faulty: str) -> tuple[FetchResult, list[FetchResult]]:
    """Fetch the faulty URL together with two healthy articles; return (faulty, healthy results)."""
    healthy = [a.url for a in site.articles[1:3]]
    results = {r.url: r for r in fetch_many(client, [faulty, *healthy], max_workers=3)}
    assert set(results) == {faulty, *healthy}
    others = [results[u] for u in healthy]
    for r in others:
        assert r.ok and r.attempts == 1 and r.status == 200, (r.url, r.error)
    return results[faulty], others


def test_plain_fetch_records_everything(client: HttpClient, site: DevSite) -> None:
    article = site.articles[0]
    result = client.fetch(article.url)
    assert result.ok and result.status == 200 and result.attempts == 1
    assert article.title in result.text
    assert result.encoding == "utf-8"
    assert len(result.content_hash) == 64
    assert result.etag and result.last_modified
    assert result.fetched_at.tzinfo is not None
    assert result.final_url == article.url


def test_503_503_200_is_retried(client: HttpClient, site: DevSite) -> None:
    article = site.articles[0]
    site.set_fault(article.path, "status:503,503,200")
    result, _ = fetch_with_neighbours(client, site, article.url)
    assert result.ok and result.status == 200
    assert result.attempts == 3
    assert gets(site, article.path) == [503, 503, 200]
    assert article.title in result.text


def test_503_forever_gives_up_after_max_retries(client: HttpClient, site: DevSite) -> None:
    article = site.articles[0]
    site.set_fault(article.path, "status:" + ",".join(["503"] * 10))
    result, _ = fetch_with_neighbours(client, site, article.url)
    assert not result.ok and result.error_kind == "http-status" and result.status == 503
    assert result.attempts == MAX_RETRIES + 1
    assert len(gets(site, article.path)) == MAX_RETRIES + 1
    failure = FetchFailure.from_result(result)
    assert failure.kind == "http-status" and failure.attempts == MAX_RETRIES + 1
    assert "503" in failure.detail and failure.at.tzinfo is not None


def test_404_is_not_retried(client: HttpClient, site: DevSite) -> None:
    result = client.fetch(site.base_url + "/world/no-such-story-1/")
    assert result.status == 404 and result.error_kind == "http-status" and result.attempts == 1


def test_429_with_retry_after_waits_then_succeeds(client: HttpClient, site: DevSite) -> None:
    article = site.articles[0]
    site.set_fault(article.path, "retry-after:429:2")
    started = time.monotonic()
    result = client.fetch(article.url)
    elapsed = time.monotonic() - started
    assert result.ok and result.attempts == 2
    assert gets(site, article.path) == [429, 200]
    assert 1.8 <= elapsed < 10, elapsed          # honoured the 2 s, not the 0.05 s backoff


def test_retry_after_beyond_the_cap_gives_up(site: DevSite) -> None:
    article = site.articles[0]
    site.set_fault(article.path, "retry-after:429:2")
    with make_client(site, retry_after_cap=1.0) as capped:
        started = time.monotonic()
        result = capped.fetch(article.url)
    assert result.error_kind == "http-status" and result.status == 429 and result.attempts == 1
    assert "cap" in result.error
    assert time.monotonic() - started < 1.5


def test_connection_reset_mid_body_every_time(client: HttpClient, site: DevSite) -> None:
    article = site.articles[0]
    site.set_fault(article.path, "reset")
    result, _ = fetch_with_neighbours(client, site, article.url)
    assert result.error_kind == "connection" and result.text is None
    assert result.attempts == MAX_RETRIES + 1
    assert len(gets(site, article.path)) == MAX_RETRIES + 1


def test_connection_reset_once_is_retried(client: HttpClient, site: DevSite) -> None:
    article = site.articles[0]
    site.set_fault(article.path, "reset:1")
    result, _ = fetch_with_neighbours(client, site, article.url)
    assert result.ok and result.attempts == 2
    assert article.title in result.text

def test_stall_past_the_timeout(site: DevSite) -> None:
    article = site.articles[0]
    site.set_fault(article.path, "stall:5")
    with make_client(site, max_retries=1, read_timeout=0.5, total_timeout=1.5) as quick:
        started = time.monotonic()
        result, _ = fetch_with_neighbours(quick, site, article.url)
        elapsed = time.monotonic() - started
    assert result.error_kind == "timeout" and not result.ok
    assert result.attempts == 2
    assert elapsed < 2 * 1.5 + 2.0, elapsed      # bounded by the timeouts, not the 5 s stalls


def test_twenty_megabyte_page_is_refused(client: HttpClient, site: DevSite) -> None:
    article = site.articles[0]
    site.set_fault(article.path, f"huge:{20 * 1024 * 1024}")
    started = time.monotonic()
    result, _ = fetch_with_neighbours(client, site, article.url)
    assert result.error_kind == "too-large" and result.text is None and result.attempts == 1
    assert time.monotonic() - started < 5


def test_gzip_bomb_stops_at_the_cap(site: DevSite) -> None:
    article = site.articles[0]
    site.set_fault(article.path, "gzip-bomb")
    cap = 1_000_000
    # generous timeouts: the site builds its 1 GB bomb on first use, which can take a while
    with make_client(site, max_bytes=cap, read_timeout=20.0, total_timeout=30.0) as small:
        tracemalloc.start()
        try:
            result = small.fetch(article.url)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert result.error_kind == "too-large" and result.attempts == 1
    assert result.text is None and result.byte_count == 0
    assert peak < 8 * cap, peak                  # never inflated beyond a few chunks past the cap


def test_redirect_to_another_host_is_refused(client: HttpClient, site: DevSite) -> None:
    article = site.articles[0]
    port = host_key(site.base_url).rsplit(":", 1)[1]
    target_path = "/elsewhere-redirect-target/"
    site.set_fault(article.path, f"redirect:http://localhost:{port}{target_path}")
    result, _ = fetch_with_neighbours(client, site, article.url)
    assert result.error_kind == "offsite-redirect" and not result.ok
    assert "localhost" in result.final_url
    assert gets(site, target_path) == []          # the other host was never contacted


def test_redirect_within_the_host_is_followed(client: HttpClient, site: DevSite) -> None:
    first, second = site.articles[0], site.articles[1]
    site.set_fault(first.path, f"redirect:{second.url}")
    result = client.fetch(first.url)
    assert result.ok and result.final_url == second.url and second.title in result.text


def test_robots_disallow_skips_with_a_log_line(site: DevSite, caplog: pytest.LogCaptureFixture) -> None:
    blocked, allowed = site.articles[0], site.articles[1]
    site.robots_disallow.append(blocked.path)
    with make_client(site) as fresh, caplog.at_level(logging.INFO, logger="samachar.fetch"):
        results = {r.url: r for r in fetch_many(fresh, [blocked.url, allowed.url])}
    assert results[blocked.url].error_kind == "robots" and results[blocked.url].attempts == 0
    assert results[allowed.url].ok
    assert gets(site, blocked.path) == []
    assert gets(site, "/robots.txt") == [200]     # fetched once, cached
    skipped = [r for r in caplog.records if "robots.txt disallows" in r.getMessage()]
    assert len(skipped) == 1 and blocked.url in skipped[0].getMessage()


def test_windows_1252_page_labelled_utf8(client: HttpClient, site: DevSite) -> None:
    article = site.articles[0]
    site.set_fault(article.path, "cp1252-as-utf8")
    result, _ = fetch_with_neighbours(client, site, article.url)
    assert result.ok, result.error
    assert "\ufffd" not in result.text
    assert "cp1252" in result.encoding
    assert any(ch in result.text for ch in "“”‘’–—…éï"), result.text[:300]


def test_conditional_get_304(client: HttpClient, site: DevSite) -> None:
    article = site.articles[0]
    first = client.fetch(article.url)
    assert first.ok and first.etag
    again = client.fetch(article.url, etag=first.etag, last_modified=first.last_modified)
    assert again.not_modified and again.status == 304 and again.text is None and again.error_kind is None
    by_date = client.fetch(article.url, last_modified=first.last_modified)
    assert by_date.not_modified
    stale = client.fetch(article.url, etag='"not-the-current-etag"')
    assert stale.ok and stale.content_hash == first.content_hash
    assert gets(site, article.path) == [200, 304, 304, 200]


def test_bad_scheme_and_foreign_host_are_refused_without_a_request(client: HttpClient, site: DevSite) -> None:
    before = len(site.requests)
    assert client.fetch("file:///etc/passwd").error_kind == "bad-scheme"
    assert client.fetch("ftp://127.0.0.1/x").error_kind == "bad-scheme"
    assert client.fetch("http://example.invalid/x/").error_kind == "host-not-allowed"
    assert len(site.requests) == before


def test_feed_kind_accepts_xml_and_html_kind_refuses_it(client: HttpClient, site: DevSite) -> None:
    feed = client.fetch(site.base_url + "/feed/", kind="feed")
    assert feed.ok and "<rss" in feed.text
    refused = client.fetch(site.base_url + "/feed/", kind="html")
    assert refused.error_kind == "content-type"
    assert {feed.error_kind, refused.error_kind} <= {None, *ERROR_KINDS}


def test_many_workers_share_the_host_rate_limit(site: DevSite) -> None:
    urls = [a.url for a in site.articles[:6]]
    with make_client(site, rate_limit_per_sec=10.0) as paced:
        paced.fetch(site.base_url + "/robots.txt", kind="robots")
        started = time.monotonic()
        results = list(fetch_many(paced, urls, max_workers=6))
        elapsed = time.monotonic() - started
    assert all(r.ok for r in results)
    assert elapsed >= 0.45, elapsed               # 6 requests 0.1 s apart, whatever the thread count


def test_fetch_command_writes_the_page(site: DevSite, tmp_path, capsys: pytest.CaptureFixture) -> None:
    article = site.articles[0]
    out = tmp_path / "page.html"
    assert fetch_command(article.url, str(out)) == 0
    assert article.title in out.read_text(encoding="utf-8")


def test_fetch_command_fails_with_one_line(site: DevSite, capsys: pytest.CaptureFixture) -> None:
    assert fetch_command(site.base_url + "/world/no-such-story-1/", None) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "http-status" in err and "404" in err
    assert fetch_command("file:///etc/passwd", None) != 0
    assert "bad-scheme" in capsys.readouterr().err



def test_retry_after_as_http_date(client: HttpClient, site: DevSite) -> None:
    article = site.articles[0]
    site.set_fault(article.path, "retry-after-date:503:1")    # the date is about 2 s ahead
    started = time.monotonic()
    result = client.fetch(article.url)
    elapsed = time.monotonic() - started
    assert result.ok and result.attempts == 2
    assert gets(site, article.path) == [503, 200]
    assert 0.9 <= elapsed < 10, elapsed


def test_redirect_loop_stops(client: HttpClient, site: DevSite) -> None:
    article = site.articles[0]
    site.set_fault(article.path, f"redirect:{article.url}")
    result = client.fetch(article.url)
    assert result.error_kind == "http-status" and "redirects" in result.error
    assert len(gets(site, article.path)) == 6              # the first request and five redirects


def test_crawl_delay_slows_the_host_down() -> None:
    with DevSite(n_articles=6, crawl_delay=0.3) as slow, make_client(slow) as fast_client:
        started = time.monotonic()
        results = list(fetch_many(fast_client, [a.url for a in slow.articles[:4]], max_workers=4))
        elapsed = time.monotonic() - started
    assert all(r.ok for r in results)
    assert elapsed >= 0.85, elapsed          # robots.txt + 4 pages, 0.3 s apart despite 500/s configured


def test_trickled_headers_hit_the_wall_clock_deadline() -> None:
    """A server sending one header line every 0.2 s never trips the read timeout; the deadline cuts it."""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                conn.recv(65536)
                try:
                    conn.sendall(b"HTTP/1.1 200 OK\r\n")
                    for i in range(100):
                        if stop.wait(0.2):
                            return
                        conn.sendall(b"X-Slow-%d: y\r\n" % i)
                except OSError:
                    continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        with HttpClient(allowed_hosts=[f"127.0.0.1:{port}"], obey_robots=False, read_timeout=1.0,
                        total_timeout=1.5, max_retries=1, backoff_base=0.05, limiter=HostRateLimiter()) as c:
            started = time.monotonic()
            result = c.fetch(f"http://127.0.0.1:{port}/slow/")
            elapsed = time.monotonic() - started
    finally:
        stop.set()
        listener.close()
    assert result.error_kind == "timeout" and result.attempts == 2
    assert elapsed < 6, elapsed                  # 2 x 1.5 s, not 100 x 0.2 s per attempt
