"""The replay India News site over real HTTP: lists match the catalogue, caching works, faults fault."""

from __future__ import annotations

import json
import socket
import time
import unicodedata
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Iterator
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
import requests
from bs4 import BeautifulSoup

from samachar.devsite import DevSite, build_catalogue, render_article
from samachar.devsite.catalogue import RELATED_PREFIXES, CatalogueEntry

pytestmark = pytest.mark.integration

IST = ZoneInfo("Asia/Kolkata")
SEED_ARTICLE = Path(__file__).resolve().parents[2] / ".." / "shared" / "seed" / "indianews-article.txt"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@pytest.fixture(scope="module")
def site() -> Iterator[DevSite]:
    with DevSite(sitemap_size=15, robots_disallow=["/private/"], crawl_delay=2) as devsite:
        yield devsite


@pytest.fixture()
def http(site: DevSite) -> Iterator[requests.Session]:
    with requests.Session() as session:
        session.headers["User-Agent"] = "SamacharTest/1.0 (+https://example.org/contact)"
        yield session
    site.clear_faults()


def statuses(site: DevSite, path: str) -> list[int]:
    return [status for method, p, status in list(site.requests) if method == "GET" and p == path]


def article_links(html: str) -> list[str]:
    """The posts a listing page lists (its <article> headings, not the sidebar or menus)."""
    soup = BeautifulSoup(html, "lxml")
    return [a["href"] for a in soup.select("main article h2.entry-title a")]


def walk_listing(http: requests.Session, url: str) -> list[str]:
    """Every post of a paginated listing, following its "Next" links."""
    links: list[str] = []
    while url:
        response = http.get(url)
        assert response.status_code == 200, url
        links += article_links(response.text)
        nxt = BeautifulSoup(response.text, "lxml").select_one("a.next.page-numbers")
        url = requests.compat.urljoin(url, nxt["href"]) if nxt else ""
    return links


def extract_gold(html: str) -> tuple[list[str], str | None, list[tuple[str, str]]]:
    """What a correct parser takes from an article page: body paragraphs, dateline, related links."""
    content = BeautifulSoup(html, "lxml").select_one("article div.entry-content")
    paragraphs: list[str] = []
    related: list[tuple[str, str]] = []
    dateline = None
    for el in content.find_all(["p", "h2", "h3"], recursive=False):
        strong = el.find("strong")
        if el.name == "p" and strong is not None and strong.get_text() in RELATED_PREFIXES:
            link = el.find("a")
            related.append((link.get_text(), link["href"]))
            continue
        text = el.get_text().strip()
        if not paragraphs and strong is not None and el.contents[0] is strong and "India News" in strong.get_text():
            dateline = strong.get_text()
            text = text[len(dateline):].strip()
        if text:
            paragraphs.append(text)
    return paragraphs, dateline, related


# ------------------------------------------------------------------------------------------- catalogue


def test_catalogue_is_varied_deterministic_and_spans_four_days(site: DevSite) -> None:
    entries = site.articles
    assert len(entries) == 40
    days = {e.published_at.astimezone(IST).date() for e in entries}
    assert days == {datetime(2025, 1, d).date() for d in (13, 14, 15, 16)}
    assert len({e.url for e in entries}) == 40 and len({e.id for e in entries}) == 40
    assert len({e.category_slug for e in entries}) >= 5 and len({e.authors[0] for e in entries}) >= 5
    assert {e.has_jsonld for e in entries} == {True, False}
    datelines = {e.dateline for e in entries}
    assert None in datelines and "India News ( इंडिया न्यूज़ )" in datelines
    assert any(d and d.startswith("India News (इंडिया न्यूज़),") for d in datelines)
    assert any(e.related for e in entries) and any(e.title_prefix for e in entries)
    assert all(e.published_at <= e.modified_at for e in entries)
    assert all(e.published_at.utcoffset() == timedelta(hours=5, minutes=30) for e in entries)
    again = build_catalogue(site.base_url, n_articles=40)
    assert [(e.url, e.title, e.body_paragraphs, e.published_at) for e in again] == [
        (e.url, e.title, e.body_paragraphs, e.published_at) for e in entries]
    other = build_catalogue(site.base_url, n_articles=40, seed=1)
    assert [e.title for e in other] != [e.title for e in entries]


def test_large_catalogue_for_benchmarks(site: DevSite) -> None:
    big = build_catalogue("http://127.0.0.1:9", n_articles=2500, seed=3)
    assert len(big) == 2500 and len({e.url for e in big}) == 2500
    assert len({e.title for e in big}) > 2450
    assert render_article(big[1234]) == render_article(big[1234])


def test_recent_catalogue_ends_a_few_minutes_ago() -> None:
    now = datetime(2026, 3, 1, 9, 0, tzinfo=IST)
    entries = build_catalogue("http://127.0.0.1:9", recent=True, now=now)
    newest = max(e.published_at for e in entries)
    assert timedelta(minutes=1) <= now - newest <= timedelta(minutes=10)
    assert all(e.modified_at <= now for e in entries)
    assert now - min(e.published_at for e in entries) > timedelta(days=3)


def test_seed_article_is_the_real_one(site: DevSite) -> None:
    seed = next(e for e in site.articles if e.title.startswith("Russian President China Visit:"))
    assert seed.category == "विदेश" and seed.authors == ["Deepika Gupta"]
    assert seed.dateline == "India News ( इंडिया न्यूज़ )" and seed.title_prefix == "Russian President China Visit"
    assert seed.related and seed.related[0][0].startswith("Nato में यूक्रेन की सदस्यता")
    assert seed.related[0].url in {e.url for e in site.articles}
    if not SEED_ARTICLE.is_file():
        pytest.skip(f"seed article not found at {SEED_ARTICLE}")
    text = unicodedata.normalize("NFC", SEED_ARTICLE.read_text(encoding="utf-8"))
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert lines[1] == seed.title
    assert lines[2] == f"{seed.dateline} {seed.body_paragraphs[0]}"
    assert lines[3:7] == seed.body_paragraphs[1:5]
    assert lines[7] == f"ये भी पढ़े- {seed.related[0].title}"


# ------------------------------------------------------------------------------------------- pages


def test_every_article_page_carries_its_gold_values(site: DevSite, http: requests.Session) -> None:
    for entry in site.articles:
        response = http.get(entry.url)
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "text/html; charset=UTF-8"
        html = response.text
        soup = BeautifulSoup(html, "lxml")
        assert soup.select_one("h1.entry-title").get_text() == entry.title
        assert soup.find("link", rel="canonical")["href"] == entry.url
        published = soup.find("meta", property="article:published_time")["content"]
        assert datetime.fromisoformat(published) == entry.published_at
        assert soup.find("meta", property="og:description")["content"] == entry.summary
        assert [m["content"] for m in soup.find_all("meta", property="article:tag")] == entry.tags
        paragraphs, dateline, related = extract_gold(html)
        assert paragraphs == entry.body_paragraphs, entry.url
        assert dateline == entry.dateline and related == [tuple(r) for r in entry.related]
        graphs = [json.loads(s.string)["@graph"] for s in soup.find_all("script", type="application/ld+json")]
        news = [n for g in graphs for n in g if n["@type"] == "NewsArticle"]
        assert bool(news) == entry.has_jsonld
        if news:
            assert news[0]["headline"] == entry.title and news[0]["articleSection"] == entry.category
        widget = soup.select("section.widget_recent_entries li")
        assert len(widget) == min(5, site.articles.index(entry))
        for li in widget:
            assert li.select_one("span.post-date").get_text().endswith("ago")


def test_seed_page_widget_matches_the_scraped_one(site: DevSite, http: requests.Session) -> None:
    seed = next(e for e in site.articles if e.title.startswith("Russian President China Visit:"))
    soup = BeautifulSoup(http.get(seed.url).text, "lxml")
    times = [s.get_text() for s in soup.select("section.widget_recent_entries span.post-date")]
    assert times == ["1 minute ago", "22 minutes ago", "22 minutes ago", "29 minutes ago", "30 minutes ago"]
    first = soup.select_one("section.widget_recent_entries li p").get_text()
    assert first.startswith("India News (इंडिया न्यूज़),Prayagraj Mahakumbh 2025: मुख्यमंत्री") and first.endswith("…")


def test_feed_lists_the_latest_twenty(site: DevSite, http: requests.Session) -> None:
    response = http.get(site.base_url + "/feed/")
    assert response.headers["Content-Type"].startswith("application/rss+xml")
    items = ET.fromstring(response.content).findall("./channel/item")
    newest = sorted(site.articles, key=lambda e: e.published_at, reverse=True)[:20]
    assert [i.findtext("link") for i in items] == [e.url for e in newest]
    for item, entry in zip(items, newest, strict=True):
        pub = item.findtext("pubDate")
        assert pub.endswith("+0530") and parsedate_to_datetime(pub) == entry.published_at
        assert item.findtext("title") == entry.title


def test_sitemaps_list_exactly_the_catalogue(site: DevSite, http: requests.Session) -> None:
    index = ET.fromstring(http.get(site.base_url + "/sitemap_index.xml").content)
    locs = [s.findtext(f"{SM}loc") for s in index.findall(f"{SM}sitemap")]
    posts = [u for u in locs if "/post-sitemap" in u]
    assert len(posts) == 3 and len(locs) == 3      # 40 articles, 15 per sitemap
    lastmods: dict[str, datetime] = {}
    for loc in posts:
        urls = ET.fromstring(http.get(loc).content).findall(f"{SM}url")
        assert 0 < len(urls) <= 15
        for url in urls:
            text = url.findtext(f"{SM}lastmod")
            assert text.endswith("+05:30")
            lastmods[url.findtext(f"{SM}loc")] = datetime.fromisoformat(text)
    assert lastmods == {e.url: e.modified_at for e in site.articles}
    assert http.get(site.base_url + "/post-sitemap4.xml").status_code == 404
    assert http.get(site.base_url + "/category-sitemap.xml").status_code == 404


def test_category_sitemap_on_request() -> None:
    with DevSite(n_articles=12, category_sitemap=True) as site, requests.Session() as http:
        index = ET.fromstring(http.get(site.base_url + "/sitemap_index.xml").content)
        locs = [s.findtext(f"{SM}loc") for s in index.findall(f"{SM}sitemap")]
        assert locs[-1] == site.base_url + "/category-sitemap.xml"
        urls = {u.findtext(f"{SM}loc") for u in ET.fromstring(http.get(locs[-1]).content).findall(f"{SM}url")}
        assert urls == {f"{site.base_url}/category/{e.category_slug}/" for e in site.articles}


def test_news_sitemap_holds_the_last_two_days(site: DevSite, http: requests.Session) -> None:
    root = ET.fromstring(http.get(site.base_url + "/news-sitemap.xml").content)
    got = {u.findtext(f"{SM}loc"): datetime.fromisoformat(u.findtext(f"{NEWS}news/{NEWS}publication_date"))
           for u in root.findall(f"{SM}url")}
    newest = max(e.published_at for e in site.articles)
    want = {e.url: e.published_at for e in site.articles if e.published_at > newest - timedelta(days=2)}
    assert got == want and 0 < len(want) < len(site.articles)


def test_date_archives_paginate_over_each_day(site: DevSite, http: requests.Session) -> None:
    for day in (13, 14, 15, 16):
        listed = walk_listing(http, f"{site.base_url}/2025/01/{day}/")
        want = [e for e in site.articles if e.published_at.astimezone(IST).day == day]
        assert sorted(listed) == sorted(e.url for e in want) and len(listed) == len(set(listed))
    busiest = max((13, 14, 15, 16), key=lambda d: sum(e.published_at.day == d for e in site.articles))
    assert http.get(f"{site.base_url}/2025/01/{busiest}/page/2/").status_code == 200
    assert http.get(f"{site.base_url}/2025/01/{busiest}/page/9/").status_code == 404
    assert http.get(f"{site.base_url}/2025/01/20/").status_code == 404


def test_category_home_and_month_listings(site: DevSite, http: requests.Session) -> None:
    for slug in {e.category_slug for e in site.articles}:
        listed = walk_listing(http, f"{site.base_url}/category/{slug}/")
        assert sorted(listed) == sorted(e.url for e in site.articles if e.category_slug == slug)
    assert len(walk_listing(http, site.base_url + "/")) == 40
    seed = next(e for e in site.articles if e.authors == ["Deepika Gupta"])
    assert sorted(walk_listing(http, f"{site.base_url}/author/deepika-gupta/")) == sorted(
        e.url for e in site.articles if e.authors == ["Deepika Gupta"])
    tag_slug, tag = seed.tag_slugs[0], seed.tags[0]
    assert sorted(walk_listing(http, f"{site.base_url}/tag/{tag_slug}/")) == sorted(
        e.url for e in site.articles if tag in e.tags)
    assert sorted(walk_listing(http, site.base_url + "/2025/01/")) == sorted(e.url for e in site.articles)


def test_robots_404_redirects_and_images(site: DevSite, http: requests.Session) -> None:
    robots = http.get(site.base_url + "/robots.txt").text
    assert "Disallow: /private/" in robots and "Crawl-delay: 2" in robots
    assert f"Sitemap: {site.base_url}/sitemap_index.xml" in robots
    site.robots_disallow.append("/later/")
    assert "Disallow: /later/" in http.get(site.base_url + "/robots.txt").text
    site.robots_disallow.remove("/later/")
    missing = http.get(site.base_url + "/world/no-such-story-99/")
    assert missing.status_code == 404 and "error404" in missing.text and "Recent Posts" in missing.text
    entry = site.articles[3]
    moved = http.get(site.base_url + entry.path.rstrip("/"), allow_redirects=False)
    assert moved.status_code == 301 and moved.headers["Location"] == entry.url
    short = http.get(f"{site.base_url}/?p={entry.id}", allow_redirects=False)
    assert short.status_code == 301 and short.headers["Location"] == entry.url
    with_image = next(e for e in site.articles if e.lead_image)
    image = http.get(with_image.lead_image)
    assert image.status_code == 200 and image.headers["Content-Type"] == "image/png"
    assert image.content.startswith(b"\x89PNG") and urlsplit(with_image.lead_image).path.startswith("/wp-content/uploads/2025/01/")


def test_conditional_get_and_gzip(site: DevSite, http: requests.Session) -> None:
    entry = site.articles[7]
    first = http.get(entry.url)
    assert first.headers["Content-Encoding"] == "gzip" and first.headers["Vary"] == "Accept-Encoding"
    etag, last_modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert parsedate_to_datetime(last_modified) == entry.modified_at.replace(microsecond=0)
    assert http.get(entry.url, headers={"If-None-Match": etag}).status_code == 304
    assert http.get(entry.url, headers={"If-Modified-Since": last_modified}).status_code == 304
    earlier = (entry.modified_at - timedelta(minutes=1)).astimezone(IST)
    older = http.get(entry.url, headers={"If-Modified-Since": earlier.strftime("%a, %d %b %Y %H:%M:%S %z")})
    assert older.status_code == 200
    assert http.get(entry.url, headers={"If-None-Match": '"other"'}).status_code == 200
    plain = http.get(entry.url, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers and plain.content == first.content
    assert plain.headers["ETag"] == etag.removeprefix("W/")
    assert http.get(entry.url, headers={"If-None-Match": plain.headers["ETag"]}).status_code == 304
    assert statuses(site, entry.path)[-7:] == [200, 304, 304, 200, 200, 200, 304]


def test_logs_keep_method_path_status_and_user_agent(site: DevSite, http: requests.Session) -> None:
    http.head(site.articles[0].url)
    assert site.requests[-1] == ("HEAD", site.articles[0].path, 200)
    assert site.user_agents[-1] == "SamacharTest/1.0 (+https://example.org/contact)"
    assert site.request_log[-1].user_agent == site.user_agents[-1]


# ------------------------------------------------------------------------------------------- faults


def test_status_sequence_then_normal(site: DevSite, http: requests.Session) -> None:
    entry = site.articles[1]
    site.set_fault(entry.path, "status:503,503,200")
    got = [http.get(entry.url).status_code for _ in range(4)]
    assert got == [503, 503, 200, 200] and statuses(site, entry.path)[-4:] == got


def test_retry_after_seconds_and_http_date(site: DevSite, http: requests.Session) -> None:
    entry = site.articles[1]
    site.set_fault(entry.path, "retry-after:429:2")
    limited = http.get(entry.url)
    assert limited.status_code == 429 and limited.headers["Retry-After"] == "2"
    assert http.get(entry.url).status_code == 200
    site.set_fault(entry.path, "retry-after-date:503:2")
    limited = http.get(entry.url)
    wait = parsedate_to_datetime(limited.headers["Retry-After"]) - parsedate_to_datetime(limited.headers["Date"])
    assert limited.status_code == 503 and timedelta(seconds=2) <= wait <= timedelta(seconds=4)


def test_reset_sends_part_of_the_body_then_rst(site: DevSite) -> None:
    entry = site.articles[2]
    site.set_fault(entry.path, "reset:1")
    received = b""
    with socket.create_connection((site.host, site.port), timeout=5) as sock:
        sock.sendall(f"GET {entry.path} HTTP/1.1\r\nHost: x\r\nAccept-Encoding: identity\r\n\r\n".encode())
        with pytest.raises(ConnectionResetError):
            while chunk := sock.recv(65536):
                received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    length = int(next(line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")))
    assert head.startswith(b"HTTP/1.1 200") and 0 < len(body) < length
    assert requests.get(entry.url).status_code == 200      # one-shot: the next GET is normal
    site.set_fault(entry.path, "reset")
    for _ in range(2):   # ConnectionError or ChunkedEncodingError, depending on when the RST lands
        with pytest.raises((requests.exceptions.ConnectionError, requests.exceptions.ChunkedEncodingError)):
            requests.get(entry.url)
    site.clear_faults()


def test_stall_sends_headers_then_waits(site: DevSite, http: requests.Session) -> None:
    entry = site.articles[2]
    site.set_fault(entry.path, "stall:3")
    started = time.monotonic()
    response = requests.get(entry.url, stream=True, timeout=(2, 0.5))
    assert response.status_code == 200                      # the headers came at once
    with pytest.raises(requests.exceptions.ConnectionError):  # urllib3's read timeout
        b"".join(response.iter_content(1024))
    assert time.monotonic() - started < 1.5
    assert http.get(site.articles[3].url, timeout=1).status_code == 200   # other clients are not blocked
    site.set_fault(entry.path, "stall:0.3")
    slow = http.get(entry.url, timeout=3)
    assert slow.status_code == 200 and entry.title in slow.text


def test_huge_page_is_streamed_without_length(site: DevSite, http: requests.Session) -> None:
    entry = site.articles[4]
    site.set_fault(entry.path, "huge:300000")
    page = http.get(entry.url)
    assert len(page.content) == 300000 and page.content.endswith(b"</body></html>\n")
    assert "Content-Length" not in page.headers and page.headers["Transfer-Encoding"] == "chunked"
    site.set_fault(entry.path, f"huge:{20 * 1024 * 1024}")
    with http.get(entry.url, stream=True) as big:
        read = 0
        for chunk in big.iter_content(1 << 20):
            read += len(chunk)
            if read > 6_000_000:
                break
    assert read > 6_000_000


def test_gzip_bomb_is_small_on_the_wire_and_huge_inflated(site: DevSite) -> None:
    entry = site.articles[4]
    site.set_fault(entry.path, "gzip-bomb")
    with requests.get(entry.url, stream=True) as bomb:
        assert bomb.headers["Content-Encoding"] == "gzip"
        assert int(bomb.headers["Content-Length"]) < 2_000_000
        raw = bomb.raw.read(20_000, decode_content=False)
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    head = inflater.decompress(raw, 100)
    inflated, pending = len(head), inflater.unconsumed_tail
    while pending:
        inflated += len(inflater.decompress(pending, 1 << 20))
        pending = inflater.unconsumed_tail
    assert head.startswith(b"<!DOCTYPE html>") and inflated > 500 * len(raw)
    site.clear_faults()


def test_redirect_cp1252_and_malformed(site: DevSite, http: requests.Session) -> None:
    entry, other = site.articles[5], site.articles[6]
    site.set_fault(entry.path, f"redirect:{other.url}")
    moved = http.get(entry.url, allow_redirects=False)
    assert moved.status_code == 302 and moved.headers["Location"] == other.url
    site.set_fault(entry.path, "cp1252-as-utf8")
    mislabelled = http.get(entry.url)
    assert mislabelled.headers["Content-Type"] == "text/html; charset=UTF-8"
    with pytest.raises(UnicodeDecodeError):
        mislabelled.content.decode("utf-8")
    text = mislabelled.content.decode("cp1252")
    assert "“relief rally”" in text and "€2 bn" in text
    site.set_fault(entry.path, "malformed")
    broken = http.get(entry.url)
    normal = render_article(entry)
    assert broken.status_code == 200 and normal.startswith(broken.text) and broken.text.endswith("<p")
    assert entry.title in broken.text and entry.body_paragraphs[-1] not in broken.text


def test_control_endpoint(site: DevSite, http: requests.Session) -> None:
    entry = site.articles[8]
    control = site.base_url + "/__control__/faults"
    assert http.post(control, json={"path": entry.url, "spec": "status:500"}).status_code == 200
    assert http.get(control).json() == {"faults": {entry.path: "status:500"}}
    assert [http.get(entry.url).status_code for _ in range(2)] == [500, 200]
    assert http.post(control, json={"path": entry.path, "spec": "teapot:418"}).status_code == 400
    http.post(control, json={"path": entry.path, "spec": "status:502*"})
    assert [http.get(entry.url).status_code for _ in range(3)] == [502, 502, 502]
    assert http.delete(control).status_code == 200
    assert http.get(entry.url).status_code == 200
    catalogue = http.get(site.base_url + "/__control__/catalogue").json()
    assert [c["url"] for c in catalogue] == [e.url for e in site.articles]


# ------------------------------------------------------------------------------------------- random faults


def fetch_with_retries(session: requests.Session, url: str, attempts: int = 4) -> str | None:
    """A small retrying client: the text of a complete 200 page, or None."""
    for _ in range(attempts):
        try:
            response = session.get(url, timeout=3)
        except requests.exceptions.RequestException:
            continue
        if response.status_code == 200:
            return response.text
    return None


def test_random_faults_are_seeded_and_their_ground_truth_holds() -> None:
    kwargs = {"n_articles": 60, "fault_rate": 0.4, "seed": 11, "fault_stall_seconds": 0.2}
    with DevSite(**kwargs) as site, requests.Session() as session:
        plan = site.fault_plan
        assert 10 <= len(plan) <= 40
        assert {p.kind for p in plan.values()} >= {"5xx", "malformed"}
        for entry in site.articles:
            text = fetch_with_retries(session, entry.url)
            complete = text is not None and text == render_article(entry)
            assert complete == site.served_correctly(entry.path), (entry.path, plan.get(entry.path))
            assert (entry.path in site.served_ok) == complete
        assert plans_are_seeded(kwargs, plan)
        assert all(not site.served_correctly(p) for p, f in plan.items() if f.kind == "malformed")


def plans_are_seeded(kwargs: dict, plan: dict) -> bool:
    with DevSite(**kwargs) as same, DevSite(**{**kwargs, "seed": 12}) as other:
        return same.fault_plan == plan and other.fault_plan != plan


def test_sitemap_size_and_catalogue_of_a_benchmark_site() -> None:
    with DevSite(n_articles=2100) as big, requests.Session() as session:
        index = ET.fromstring(session.get(big.base_url + "/sitemap_index.xml").content)
        posts = [s.findtext(f"{SM}loc") for s in index.findall(f"{SM}sitemap") if "post-sitemap" in s.findtext(f"{SM}loc")]
        assert [urlsplit(p).path for p in posts] == ["/post-sitemap.xml", "/post-sitemap2.xml", "/post-sitemap3.xml"]
        counts = [len(ET.fromstring(session.get(p).content).findall(f"{SM}url")) for p in posts]
        assert counts == [1000, 1000, 100]
        entry: CatalogueEntry = big.articles[2000]
        assert session.get(entry.url).status_code == 200
