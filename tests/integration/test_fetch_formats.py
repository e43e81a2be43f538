"""Discovery on a non-WordPress site: Atom, naive local times, gzipped sitemaps, tracking links.

The replay site speaks RSS 2.0 with offsets; real sites do not always. A small static site on
127.0.0.1 serves the other shapes, through real HTTP and the real client.
"""

from __future__ import annotations

import gzip
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from samachar.fetch import HostRateLimiter, HttpClient, discover
from samachar.fetch.urls import host_key
from samachar.sources import DiscoveryMethod, load_profile

pytestmark = pytest.mark.integration

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Example News</title>
  <link rel="self" href="{base}/atom.xml"/>
  <entry><title>A</title><link rel="alternate" href="{base}/news/a?utm_source=rss&amp;utm_medium=feed"/>
    <link rel="enclosure" href="{base}/media/a.mp3"/><published>2025-01-13T10:15:00</published></entry>
  <entry><title>B</title><link href="{base}/news/b#comments"/><published>2025-01-13T11:00:00+05:30</published></entry>
  <entry><title>C</title><link href="{base}/news/c"/><published>2025-01-13T05:00:00Z</published></entry>
  <entry><title>Broken</title><link href="http://[::1/bad"/><published>2025-01-13T10:16:00+05:30</published></entry>
  <entry><title>Elsewhere</title><link href="https://tracker.example/click?u=1"/>
    <published>2025-01-13T10:20:00+05:30</published></entry>
</feed>
"""

NEWS_SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>{base}/news/d</loc><news:news><news:publication_date>2025-01-13 16:00:00</news:publication_date></news:news></url>
</urlset>
"""

SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{base}/news/a</loc><lastmod>2025-01-13</lastmod></url>
<url><loc>{base}/news/e</loc><lastmod>2025-01-13T18:00:00+05:30</lastmod></url>
<url><loc>{base}/about</loc><lastmod>2025-01-13T12:00:00+05:30</lastmod></url>
<url><loc>{base}/news/old</loc><lastmod>2025-01-12</lastmod></url>
</urlset>
"""

PAGES = {
    "/news/a": '<meta property="article:published_time" content="2025-01-13T10:15:00+05:30">',
    "/news/e": '<script type="application/ld+json">{"@context": "https://schema.org", "@graph": '
               '[{"@type": "NewsArticle", "datePublished": "2025-01-13T09:30:00+05:30"}]}</script>',
    "/about": "<p>About us: no date here.</p>",
}


class StaticSite:
    """path -> (content type, bytes) over real HTTP; logs the paths asked for."""

    def __init__(self) -> None:
        self.files: dict[str, tuple[str, bytes]] = {}
        self.paths: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                site.paths.append(self.path)
                ctype, body = site.files.get(self.path, ("text/html", b"not found"))
                self.send_response(200 if self.path in site.files else 404)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> StaticSite:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def site() -> Iterator[StaticSite]:
    with StaticSite() as s:
        base = s.base_url
        s.files["/robots.txt"] = ("text/plain", f"User-agent: *\nSitemap: {base}/sitemap.xml.gz\n".encode())
        s.files["/atom.xml"] = ("application/atom+xml", ATOM.format(base=base).encode())
        s.files["/sitemap-news.xml"] = ("text/xml", NEWS_SITEMAP.format(base=base).encode())
        s.files["/sitemap.xml.gz"] = ("application/x-gzip", gzip.compress(SITEMAP.format(base=base).encode()))
        for path, head in PAGES.items():
            s.files[path] = ("text/html; charset=utf-8", f"<html><head>{head}</head><body></body></html>".encode())
        yield s


@pytest.fixture()
def client(site: StaticSite) -> Iterator[HttpClient]:
    with HttpClient(allowed_hosts=[host_key(site.base_url)], rate_limit_per_sec=1000.0,
                    max_retries=0, limiter=HostRateLimiter()) as c:
        yield c


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_atom_with_naive_ist_times(site: StaticSite, client: HttpClient) -> None:
    profile = load_profile("generic", base_url=site.base_url)
    feed_only = replace(profile, discovery=(DiscoveryMethod("feed", ("/feed/", "/atom.xml")),))
    # A: 10:15 IST (naive) = 04:45Z; B: 11:00 IST = 05:30Z; C: 05:00Z exactly
    got = discover(feed_only, client, utc(2025, 1, 13, 4, 30), utc(2025, 1, 13, 5, 0))
    assert [(d.url, d.published_at) for d in got] == [(f"{site.base_url}/news/a", utc(2025, 1, 13, 4, 45))]
    got = discover(feed_only, client, utc(2025, 1, 13, 5, 0), utc(2025, 1, 13, 6, 0))
    assert [d.url for d in got] == [f"{site.base_url}/news/c", f"{site.base_url}/news/b"]   # oldest first
    assert "/feed/" in site.paths and "/atom.xml" in site.paths     # the first path 404s, the next is used


def test_generic_profile_merges_feed_news_and_gzipped_sitemap(site: StaticSite, client: HttpClient) -> None:
    profile = load_profile("generic", base_url=site.base_url)
    # the whole IST day of 2025-01-13: the feed starts too late (04:45Z) to cover it, so the
    # news sitemap and then the sitemap robots.txt names are asked too
    got = {d.url: d for d in discover(profile, client, utc(2025, 1, 12, 18, 30), utc(2025, 1, 13, 18, 30))}
    base = site.base_url
    assert set(got) == {f"{base}/news/{x}" for x in "abcde"}     # no offsite, old, fragment or tracking URL
    assert got[f"{base}/news/d"].published_at == utc(2025, 1, 13, 10, 30)   # naive news date read as IST
    assert got[f"{base}/news/e"].published_at == utc(2025, 1, 13, 4, 0)     # lastmod only: JSON-LD on the page
    assert got[f"{base}/news/e"].method.endswith("+page")
    assert "/sitemap.xml.gz" in site.paths                                    # found through robots.txt
    assert "/about" in site.paths and f"{base}/about" not in got             # checked: no date, not an article
