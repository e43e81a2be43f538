"""discover() against the replay site: exactly the catalogue articles of each interval, per method."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from samachar.devsite import DevSite
from samachar.fetch import HostRateLimiter, HttpClient, discover, normalize_url
from samachar.fetch.urls import host_key
from samachar.sources import DiscoveryMethod, SourceProfile, load_profile

pytestmark = pytest.mark.integration

IST = ZoneInfo("Asia/Kolkata")


@pytest.fixture(scope="module")
def site() -> Iterator[DevSite]:
    with DevSite() as devsite:
        yield devsite


@pytest.fixture()
def client(site: DevSite) -> Iterator[HttpClient]:
    with HttpClient(allowed_hosts=[host_key(site.base_url)], rate_limit_per_sec=1000.0, max_retries=1,
                    backoff_base=0.05, limiter=HostRateLimiter()) as c:
        yield c


@pytest.fixture()
def profile(site: DevSite) -> SourceProfile:
    return load_profile("indianews", base_url=site.base_url)


def only(profile: SourceProfile, kind: str, path: str) -> SourceProfile:
    """The profile with a single discovery method (the one under test)."""
    method = next(m for m in profile.discovery if m.kind == kind and m.paths[0] == path)
    return replace(profile, discovery=(method,))


def expected(site: DevSite, start: datetime, end: datetime) -> dict[str, datetime]:
    return {normalize_url(a.url): a.published_at for a in site.articles if start <= a.published_at < end}


def found(profile: SourceProfile, client: HttpClient, start: datetime, end: datetime) -> dict[str, datetime | None]:
    urls = discover(profile, client, start, end)
    assert len({d.url for d in urls}) == len(urls), "duplicates in discovery output"
    return {d.url: d.published_at for d in urls}


def by_time(site: DevSite) -> list:
    return sorted(site.articles, key=lambda a: a.published_at)


def test_backfill_three_past_intervals(site: DevSite, client: HttpClient, profile: SourceProfile) -> None:
    ordered = by_time(site)
    day1 = datetime(2025, 1, 13, tzinfo=IST)
    intervals = [
        # a whole IST day, given in UTC: 2025-01-12 18:30Z .. 2025-01-13 18:30Z
        (day1.astimezone(UTC), (day1 + timedelta(days=1)).astimezone(UTC)),
        # six hours on the second day
        (datetime(2025, 1, 14, 6, tzinfo=IST), datetime(2025, 1, 14, 12, tzinfo=IST)),
        # edges exactly on articles: the first is in (start inclusive), the last out (end exclusive)
        (ordered[5].published_at, ordered[9].published_at),
    ]
    seen: set[str] = set()
    for start, end in intervals:
        want = expected(site, start, end)
        assert want, f"test interval {start}..{end} has no articles; pick another"
        got = found(profile, client, start, end)
        assert set(got) == set(want), (start, end)
        for url, when in got.items():
            assert when is None or when == want[url]
        seen |= set(got)
    assert normalize_url(ordered[5].url) in seen and normalize_url(ordered[9].url) not in seen


def test_hourly_intervals_tile_a_day_without_gaps_or_duplicates(site: DevSite, client: HttpClient,
                                                                profile: SourceProfile) -> None:
    day = datetime(2025, 1, 15, tzinfo=IST)
    archive = only(profile, "date-archive", "/{yyyy}/{mm}/{dd}/")
    union: list[str] = []
    for hour in range(24):
        start = day + timedelta(hours=hour)
        union += list(found(archive, client, start, start + timedelta(hours=1)))
    assert len(union) == len(set(union))
    assert set(union) == set(expected(site, day, day + timedelta(days=1)))


def test_feed_alone_for_a_recent_interval(site: DevSite, client: HttpClient, profile: SourceProfile) -> None:
    newest = by_time(site)[-15:]                  # well inside the feed's latest 20
    start, end = newest[2].published_at, newest[-1].published_at + timedelta(seconds=1)
    got = discover(only(profile, "feed", "/feed/"), client, start, end)
    assert {d.url for d in got} == set(expected(site, start, end))
    assert all(d.method == "feed:/feed/" and d.published_at is not None for d in got)


def test_full_profile_stops_at_the_feed_when_it_covers(site: DevSite, client: HttpClient,
                                                       profile: SourceProfile) -> None:
    newest = by_time(site)[-10:]
    start, end = newest[0].published_at, newest[-1].published_at + timedelta(minutes=1)
    before = len(site.requests)
    got = discover(profile, client, start, end)
    assert {d.url for d in got} == set(expected(site, start, end))
    paths = [p for _, p, _ in list(site.requests)[before:]]
    assert "/feed/" in paths
    assert not any("sitemap" in p or p.startswith("/2025/") for p in paths), paths


def test_feed_alone_cannot_reach_back_and_says_so(site: DevSite, client: HttpClient, profile: SourceProfile,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    start = datetime(2025, 1, 13, tzinfo=IST)
    with caplog.at_level(logging.WARNING, logger="samachar.fetch"):
        got = discover(only(profile, "feed", "/feed/"), client, start, start + timedelta(days=1))
    assert got == []                              # the first day scrolled off the feed long ago
    assert any("covered" in r.getMessage() for r in caplog.records)


def test_full_profile_falls_back_for_a_backfill(site: DevSite, client: HttpClient, profile: SourceProfile) -> None:
    start = datetime(2025, 1, 13, 12, tzinfo=IST)
    end = start + timedelta(hours=12)
    got = discover(profile, client, start, end)
    assert {d.url for d in got} == set(expected(site, start, end))
    assert not any(d.method.startswith("feed") for d in got)


def test_news_sitemap_alone(site: DevSite, client: HttpClient, profile: SourceProfile) -> None:
    newest = by_time(site)[-1].published_at
    start, end = newest - timedelta(hours=20), newest + timedelta(seconds=1)
    got = discover(only(profile, "sitemap", "/news-sitemap.xml"), client, start, end)
    want = expected(site, start, end)
    assert {d.url for d in got} == set(want)
    assert all(d.published_at == want[d.url] for d in got)


def test_date_archive_alone_across_ist_midnight(site: DevSite, client: HttpClient, profile: SourceProfile) -> None:
    start = datetime(2025, 1, 14, 20, tzinfo=IST)
    end = datetime(2025, 1, 15, 8, tzinfo=IST)
    before = len(site.requests)
    got = discover(only(profile, "date-archive", "/{yyyy}/{mm}/{dd}/"), client, start, end)
    want = expected(site, start, end)
    assert want and {d.url for d in got} == set(want)
    assert all(d.published_at == want[d.url] for d in got)
    paths = [p for _, p, _ in list(site.requests)[before:]]
    assert "/2025/01/14/" in paths and "/2025/01/15/" in paths and "/2025/01/16/" not in paths


def test_date_archive_follows_pagination() -> None:
    with DevSite(n_articles=120) as big:     # 30 a day: three archive pages per day
        day = datetime(2025, 1, 14, tzinfo=IST)
        with HttpClient(allowed_hosts=[host_key(big.base_url)], rate_limit_per_sec=1000.0,
                        limiter=HostRateLimiter()) as c:
            profile = load_profile("indianews", base_url=big.base_url)
            got = discover(only(profile, "date-archive", "/{yyyy}/{mm}/{dd}/"), c, day, day + timedelta(days=1))
        want = expected(big, day, day + timedelta(days=1))
        assert len(want) > 20
        assert {d.url for d in got} == set(want)
        assert "/2025/01/14/page/2/" in [p for _, p, _ in list(big.requests)]


def test_discovery_survives_broken_feed_and_news_sitemap(site: DevSite, client: HttpClient,
                                                         profile: SourceProfile) -> None:
    newest = by_time(site)[-8:]
    start, end = newest[0].published_at, newest[-1].published_at
    site.set_fault("/feed/", "status:503*")
    site.set_fault("/news-sitemap.xml", "reset")
    try:
        got = discover(profile, client, start, end)
    finally:
        site.clear_faults()
    assert {d.url for d in got} == set(expected(site, start, end))
    assert all(d.method.startswith("date-archive") for d in got)


def test_sitemap_index_alone_settles_lastmod_bounds_on_the_page(site: DevSite, client: HttpClient,
                                                                profile: SourceProfile) -> None:
    start = datetime(2025, 1, 14, 9, tzinfo=IST)
    end = start + timedelta(hours=10)
    before = len(site.requests)
    got = discover(only(profile, "sitemap", "/sitemap_index.xml"), client, start, end)
    want = expected(site, start, end)
    assert {d.url for d in got} == set(want)
    assert all(d.published_at == want[d.url] for d in got)
    # lastmod only bounds publication from above, so each candidate's own page settled it
    assert all(d.method == "sitemap:/sitemap_index.xml+page" for d in got)
    paths = [p for _, p, _ in list(site.requests)[before:]]
    assert "/post-sitemap.xml" in paths and "/category-sitemap.xml" not in paths


def test_generic_profile_on_the_replay_site(site: DevSite, client: HttpClient) -> None:
    generic = load_profile("generic", base_url=site.base_url)
    start = datetime(2025, 1, 14, tzinfo=IST)
    end = start + timedelta(days=1)
    got = found(generic, client, start, end)
    # generic does not assume WordPress slashes, but the site's own URLs already end in "/"
    assert set(got) == set(expected(site, start, end))


def test_naive_or_empty_intervals_are_refused(client: HttpClient, profile: SourceProfile) -> None:
    with pytest.raises(ValueError):
        discover(profile, client, datetime(2025, 1, 13), datetime(2025, 1, 14))
    moment = datetime(2025, 1, 13, tzinfo=IST)
    with pytest.raises(ValueError):
        discover(profile, client, moment, moment)


def test_method_names_are_recorded(profile: SourceProfile) -> None:
    assert DiscoveryMethod("sitemap", ("/news-sitemap.xml",)).name == "sitemap:/news-sitemap.xml"
    assert [m.name for m in profile.discovery][0] == "feed:/feed/"
