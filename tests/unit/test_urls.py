"""URL normalisation and the allow-list: pure functions, no network."""

from __future__ import annotations

import pytest

from samachar.fetch.urls import UrlError, check_url, host_key, is_allowed_url, normalize_url


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # scheme and host case, default port, fragment
        ("HTTPS://WWW.IndiaNews.IN:443/world/story-123/#comments", "https://www.indianews.in/world/story-123/"),
        ("http://www.indianews.in:80/world/story-123/", "http://www.indianews.in/world/story-123/"),
        # a non-default port is kept
        ("http://127.0.0.1:8765/world/story-123/", "http://127.0.0.1:8765/world/story-123/"),
        # tracking parameters of every family go, real ones stay (sorted)
        ("https://www.indianews.in/world/story-123/?utm_source=fb&utm_medium=social&fbclid=AbC&gclid=x",
         "https://www.indianews.in/world/story-123/"),
        ("https://www.indianews.in/?s=modi&UTM_Campaign=x&amp_js_v=0.1&p=5&msclkid=1&_ga=2",
         "https://www.indianews.in/?p=5&s=modi"),
        # WordPress permalinks: the missing trailing slash is added, files are left alone
        ("https://www.indianews.in/world/story-123", "https://www.indianews.in/world/story-123/"),
        ("https://www.indianews.in/post-sitemap.xml", "https://www.indianews.in/post-sitemap.xml"),
        ("https://www.indianews.in", "https://www.indianews.in/"),
        # dot segments and duplicate slashes at the start
        ("https://www.indianews.in/a/./b/../story-1/", "https://www.indianews.in/a/story-1/"),
        # percent-escapes: upper case, unreserved decoded, raw Devanagari escaped as UTF-8
        ("https://www.indianews.in/%7euser/%e0%a4%95/", "https://www.indianews.in/~user/%E0%A4%95/"),
        ("https://www.indianews.in/क/", "https://www.indianews.in/%E0%A4%95/"),
        # user info is never kept
        ("https://user:pw@www.indianews.in/x/", "https://www.indianews.in/x/"),
        # host with a trailing dot
        ("https://www.indianews.in./x/", "https://www.indianews.in/x/"),
    ],
)
def test_normalize_url(raw: str, expected: str) -> None:
    assert normalize_url(raw) == expected


def test_normalize_is_idempotent_and_merges_spellings() -> None:
    spellings = [
        "https://www.indianews.in/world/story-123/",
        "HTTPS://www.indianews.in/world/story-123",
        "https://www.indianews.in:443/world/story-123/?utm_source=twitter#top",
        "https://www.indianews.in/world/./story-123/?fbclid=1",
    ]
    normalised = {normalize_url(u) for u in spellings}
    assert normalised == {"https://www.indianews.in/world/story-123/"}
    only = normalised.pop()
    assert normalize_url(only) == only


def test_trailing_slash_policy_can_be_turned_off() -> None:
    assert normalize_url("https://example.org/news/story", trailing_slash=False) == "https://example.org/news/story"
    assert normalize_url("https://example.org/news/story/", trailing_slash=False) == "https://example.org/news/story/"


def test_query_order_and_blank_values_are_stable() -> None:
    assert normalize_url("https://e.org/a/?b=2&a=1&c=") == normalize_url("https://e.org/a/?c=&a=1&b=2")
    assert normalize_url("https://e.org/a/?b=2&a=1&c=") == "https://e.org/a/?a=1&b=2&c="


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("file:///etc/passwd", "bad-scheme"),
        ("ftp://www.indianews.in/x", "bad-scheme"),
        ("data:text/html,<p>x</p>", "bad-scheme"),
        ("javascript:alert(1)", "bad-scheme"),
        ("http:///no-host", "bad-scheme"),
        ("http://[::1/broken-ipv6", "bad-scheme"),
        ("http://www.indianews.in:99999/x/", "bad-scheme"),
        ("https://evil.example/world/x/", "host-not-allowed"),
        ("https://www.indianews.in.evil.example/x/", "host-not-allowed"),
        ("https://www.indianews.in:8443/x/", "host-not-allowed"),   # another port is another origin
    ],
)
def test_refused_urls(url: str, kind: str) -> None:
    allowed = ("www.indianews.in", "indianews.in")
    assert not is_allowed_url(url, allowed)
    with pytest.raises(UrlError) as info:
        check_url(url, allowed)
    assert info.value.kind == kind


def test_allowed_urls() -> None:
    allowed = ("www.indianews.in", "127.0.0.1:8765", ".example.org")
    assert is_allowed_url("https://WWW.INDIANEWS.IN/world/x/", allowed)
    assert is_allowed_url("https://www.indianews.in:443/world/x/", allowed)   # default port = no port
    assert is_allowed_url("http://127.0.0.1:8765/feed/", allowed)
    assert not is_allowed_url("http://127.0.0.1:8766/feed/", allowed)
    assert is_allowed_url("https://news.example.org/a", allowed)               # ".domain" = subdomains too
    assert is_allowed_url("https://example.org/a", allowed)
    assert not is_allowed_url("https://badexample.org/a", allowed)
    assert is_allowed_url("https://anything.test/a", None)                     # None = any http(s) host
    assert not is_allowed_url("file:///etc/passwd", None)


def test_host_key() -> None:
    assert host_key("http://127.0.0.1:8765/x") == "127.0.0.1:8765"
    assert host_key("https://WWW.IndiaNews.in:443/x") == "www.indianews.in"
    assert host_key("http://www.indianews.in:443/x") == "www.indianews.in:443"
