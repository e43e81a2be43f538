"""Pure pieces of the fetch stage: decoding, Retry-After, the host limiter, robots rules, dates."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from samachar.fetch.decode import decode_body, sniff_declared
from samachar.fetch.discovery import parse_when, parse_xml
from samachar.fetch.http import parse_retry_after
from samachar.fetch.ratelimit import HostRateLimiter
from samachar.fetch.robots import RobotsCache

IST = ZoneInfo("Asia/Kolkata")
LATIN = "<p>Café “quoted” — naïve</p>"


def test_decode_prefers_header_then_meta() -> None:
    hindi = "<p>नमस्ते दुनिया</p>"
    assert decode_body(hindi.encode("utf-8"), "utf-8") == (hindi, "utf-8")
    meta = b'<html><head><meta charset="windows-1252"></head>' + LATIN.encode("cp1252")
    text, encoding = decode_body(meta, None)
    assert encoding == "cp1252" and LATIN in text
    equiv = b'<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">' + LATIN.encode("cp1252")
    assert LATIN in decode_body(equiv, None)[0]   # latin-1 label read as windows-1252, like browsers


def test_decode_mislabelled_utf8() -> None:
    text, encoding = decode_body(LATIN.encode("cp1252"), "utf-8")
    assert text == LATIN and encoding == "utf-8+cp1252"
    mixed = "हिंदी ".encode() + "“quote”".encode("cp1252")   # UTF-8 page with pasted cp1252 bytes
    text, _ = decode_body(mixed, "UTF-8")
    assert text == "हिंदी “quote”"
    assert "\ufffd" not in text


def test_decode_without_any_label_uses_utf8_then_detection() -> None:
    assert decode_body("नमस्ते".encode(), None) == ("नमस्ते", "utf-8")
    text, encoding = decode_body(("<p>" + "Grüße aus München, schöne Straße. " * 20 + "</p>").encode("cp1252"), None)
    assert "München" in text and encoding != "utf-8"


def test_sniff_declared() -> None:
    assert sniff_declared(b'<?xml version="1.0" encoding="ISO-8859-1"?><rss/>') == "cp1252"
    assert sniff_declared(b"<meta charset=utf8>") == "utf-8"
    assert sniff_declared(b"<meta charset=bogus-charset>") is None
    assert sniff_declared(b"<p>no declaration</p>") is None


def test_retry_after_seconds_and_http_date() -> None:
    now = datetime(2025, 1, 13, 5, 0, tzinfo=UTC)
    assert parse_retry_after("2") == 2.0
    assert parse_retry_after("Mon, 13 Jan 2025 05:00:30 GMT", now) == 30.0
    assert parse_retry_after("Mon, 13 Jan 2025 04:00:00 GMT", now) == 0.0   # in the past: go now
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)


def test_limiter_spaces_requests_per_host() -> None:
    clock = FakeClock()
    limiter = HostRateLimiter(clock=clock, sleep=clock.sleep)
    waits = [limiter.acquire("a.example", 0.5) for _ in range(3)]
    assert waits == [0.0, 0.5, 1.0]
    assert limiter.acquire("b.example", 0.5) == 0.0          # another host is not held up
    limiter.defer("b.example", 2.0)                           # Retry-After applies to every caller
    assert limiter.acquire("b.example", 0.5) == 2.0


def test_limiter_is_shared_by_threads() -> None:
    clock = FakeClock()
    limiter = HostRateLimiter(clock=clock, sleep=lambda s: None)
    waits: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(25):
            wait = limiter.reserve("h", 0.1)
            with lock:
                waits.append(wait)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(round(w, 6) for w in waits) == [round(0.1 * i, 6) for i in range(100)]   # 100 distinct slots


def test_robots_rules_and_failure_modes() -> None:
    answers = {
        "http://a.test/robots.txt": (200, "User-agent: *\nDisallow: /private/\nCrawl-delay: 3\n"
                                          "Sitemap: http://a.test/sitemap_index.xml\n"),
        "http://b.test/robots.txt": (404, None),
        "http://c.test/robots.txt": (None, None),
        "http://d.test/robots.txt": (503, None),
        "http://e.test/robots.txt": (200, "User-agent: Googlebot\nCrawl-delay: 9\n\nUser-agent: OtherBot\n"
                                          "User-agent: SamacharBot\nCrawl-delay: 0.5  # fractional\n"
                                          "Disallow: /x/\n\nUser-agent: *\nCrawl-delay: 2\n"),
        "http://f.test/robots.txt": (200, "User-agent: *\nCrawl-delay: nan\n"),
    }
    calls: list[str] = []

    def fetcher(url: str) -> tuple[int | None, str | None]:
        calls.append(url)
        return answers[url]

    cache = RobotsCache(fetcher)
    ua = "SamacharBot/0.1 (+https://example.org)"
    a = cache.rules("http://a.test")
    assert not a.can_fetch(ua, "http://a.test/private/x")
    assert a.can_fetch(ua, "http://a.test/world/x/")
    assert a.crawl_delay(ua) == 3.0
    assert a.sitemaps() == ["http://a.test/sitemap_index.xml"]
    assert cache.rules("http://b.test").can_fetch(ua, "http://b.test/anything")      # 4xx: allow all
    assert not cache.rules("http://c.test").can_fetch(ua, "http://c.test/x")        # unreachable: deny
    assert not cache.rules("http://d.test").can_fetch(ua, "http://d.test/x")        # 5xx: deny
    e = cache.rules("http://e.test")
    assert e.crawl_delay(ua) == 0.5                        # our own group, shared with OtherBot
    assert e.crawl_delay("SomeoneElse/1.0") == 2.0         # the * group
    assert not e.can_fetch(ua, "http://e.test/x/1")
    assert cache.rules("http://f.test").crawl_delay(ua) is None
    cache.rules("http://a.test")
    assert calls.count("http://a.test/robots.txt") == 1                             # cached


def test_parse_when_reads_site_local_times() -> None:
    exact = datetime(2025, 1, 13, 4, 45, tzinfo=UTC)
    assert parse_when("2025-01-13T10:15:00+05:30", IST) == (exact, exact)
    assert parse_when("2025-01-13T10:15:00", IST) == (exact, exact)          # no offset: the site's zone
    assert parse_when("2025-01-13 10:15:00", IST) == (exact, exact)
    assert parse_when("Mon, 13 Jan 2025 04:45:00 +0000", IST) == (exact, exact)
    assert parse_when("2025-01-13T04:45:00Z", IST) == (exact, exact)
    lo, hi = parse_when("2025-01-13", IST)                                  # a bare date: the whole IST day
    assert lo == datetime(2025, 1, 12, 18, 30, tzinfo=UTC)
    assert hi - lo == timedelta(days=1) - timedelta(microseconds=1)
    assert parse_when("not a date", IST) is None


def test_parse_xml_does_not_expand_entities() -> None:
    bomb = ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
            '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]><rss><channel><item><title>&c;</title></item></channel></rss>')
    root = parse_xml(bomb)
    assert root is not None
    assert "aaaaaaaaaa" not in "".join(root.itertext())
    external = ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                '<urlset><url><loc>&x;</loc></url></urlset>')
    root = parse_xml(external)
    assert root is None or "root:" not in "".join(root.itertext())
