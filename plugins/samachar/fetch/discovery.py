"""Find exactly the articles published in ``[start, end)``: feeds, sitemaps, date archives.

Each method reports, per URL, what it knows about the publication time as a bound
``lo <= published <= hi`` (a feed's pubDate is exact; a sitemap ``lastmod`` is only an upper
bound; a date archive without times says "some time that day, Asia/Kolkata") and whether its
listing is *complete* for the interval (a feed whose oldest item is newer than ``start`` is
not: the older part of the interval has scrolled off). Methods run in the profile's order and
their knowledge is merged, until the listings cover the interval and every URL is decided.
URLs still undecided are settled by reading the page's own ``article:published_time``.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from samachar.fetch.http import HttpClient
from samachar.fetch.urls import is_allowed_url, normalize_url
from samachar.sources import DiscoveryMethod, SourceProfile

log = logging.getLogger("samachar.fetch")

EARLIEST = datetime.min.replace(tzinfo=UTC)
LATEST = datetime.max.replace(tzinfo=UTC)
MAX_SITEMAP_DOCS = 500
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
# Listing and machinery URLs that appear in sitemaps and archives but are never articles.
_SKIP_PATHS = re.compile(r"/(category|tag|author|page|feed|wp-json|wp-content|wp-admin|search)/")
_TAXONOMY_SITEMAP = re.compile(r"/(category|post_tag|tag|author|page|attachment|product|web-story)-sitemap\d*\.xml")


@dataclass(frozen=True)
class DiscoveredUrl:
    """An article URL (normalised) found for an interval, with its publication time if known."""

    url: str
    published_at: datetime | None
    method: str


@dataclass
class _Candidate:
    url: str
    lo: datetime
    hi: datetime
    method: str

    @property
    def exact(self) -> datetime | None:
        return self.lo if self.lo == self.hi else None


@dataclass
class _Listing:
    candidates: list[_Candidate]
    complete: bool


def _safe_parser() -> etree.XMLParser:
    """No entity expansion, no DTD or network access, no huge trees: feeds are untrusted input."""
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                           recover=True, remove_comments=True, remove_pis=True)


def parse_xml(text: str) -> etree._Element | None:
    """Parse a feed or sitemap safely; None when it is not XML at all."""
    try:
        root = etree.fromstring(_XML_DECL.sub("", text, count=1).strip(), _safe_parser())
    except etree.XMLSyntaxError:
        return None
    return root


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname.lower() if isinstance(el.tag, str) else ""


def _child_text(el: etree._Element, *names: str) -> str | None:
    for child in el.iter():
        if child is not el and _local(child) in names and child.text and child.text.strip():
            return child.text.strip()
    return None


def parse_when(value: str | None, tz: tzinfo) -> tuple[datetime, datetime] | None:
    """Bounds (UTC) for a timestamp as sites write it: ISO 8601, RFC 822, or a bare date.

    A time without an offset is in the site's zone ``tz``; a bare date is that whole local day.
    """
    if not value:
        return None
    value = value.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            day = date.fromisoformat(value)
            return _day_bounds(day, tz)
        when = datetime.fromisoformat(value.replace(" ", "T", 1) if "T" not in value else value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=tz)
    when = when.astimezone(UTC)
    return when, when


def _day_bounds(day: date, tz: tzinfo) -> tuple[datetime, datetime]:
    lo = datetime(day.year, day.month, day.day, tzinfo=tz)
    hi = lo + timedelta(days=1) - timedelta(microseconds=1)
    return lo.astimezone(UTC), hi.astimezone(UTC)


class _Run:
    """One discover() call: the profile, the client, the interval and what was learnt so far."""

    def __init__(self, profile: SourceProfile, client: HttpClient, start: datetime, end: datetime) -> None:
        self.profile = profile
        self.client = client
        self.start = start.astimezone(UTC)
        self.end = end.astimezone(UTC)
        self.tz = profile.tz

    def norm(self, url: str, base: str) -> str | None:
        try:
            absolute = normalize_url(urljoin(base, url.strip()), trailing_slash=self.profile.trailing_slash)
        except ValueError:
            return None      # a malformed link in someone's feed is skipped, not fatal
        if not is_allowed_url(absolute, self.profile.allowed_hosts) or _SKIP_PATHS.search(absolute):
            return None
        return None if urlsplit(absolute).path == "/" else absolute

    def url_for(self, path: str) -> str:
        return urljoin(self.profile.base_url.rstrip("/") + "/", path.lstrip("/"))

    # -- feeds ------------------------------------------------------------------------------

    def feed(self, method: DiscoveryMethod) -> _Listing:
        for path in method.paths:
            result = self.client.fetch(self.url_for(path), kind="feed")
            root = parse_xml(result.text) if result.ok and result.text else None
            if root is None:
                log.info("feed %s: %s", path, result.error or "not XML")
                continue
            candidates = list(self._feed_items(root, result.final_url, method.name))
            exact = [c.lo for c in candidates if c.exact is not None]
            complete = bool(exact) and min(exact) <= self.start
            log.info("feed %s: %d items, oldest %s, %s the interval", path, len(candidates),
                     min(exact).isoformat() if exact else "-", "covers" if complete else "does not cover")
            return _Listing(candidates, complete)
        return _Listing([], False)

    def _feed_items(self, root: etree._Element, base: str, method: str) -> Iterator[_Candidate]:
        for item in root.iter():
            name = _local(item)
            if name not in ("item", "entry"):
                continue
            link = None
            for child in item:
                if _local(child) != "link":
                    continue
                href = child.get("href")
                if href and child.get("rel", "alternate") == "alternate":
                    link = href
                    break
                if child.text and child.text.strip():
                    link = child.text.strip()
                    break
            if not link:
                guid = _child_text(item, "guid")
                link = guid if guid and guid.startswith("http") else None
            url = self.norm(link, base) if link else None
            if url is None:
                continue
            published = parse_when(_child_text(item, "pubdate", "published", "date", "issued"), self.tz)
            updated = parse_when(_child_text(item, "updated", "modified"), self.tz)
            if published:
                yield _Candidate(url, published[0], published[1], method)
            elif updated:
                yield _Candidate(url, EARLIEST, updated[1], method)
            else:
                yield _Candidate(url, EARLIEST, LATEST, method)

    # -- sitemaps ---------------------------------------------------------------------------

    def sitemap(self, method: DiscoveryMethod) -> _Listing:
        queue: list[tuple[str, int]] = []
        for path in method.paths:
            if path == "robots":
                queue += [(u, 0) for u in self.client.sitemaps_from_robots(self.profile.base_url)]
            else:
                queue.append((self.url_for(path), 0))
        seen: set[str] = set()
        candidates: list[_Candidate] = []
        fetched_any = False
        failed = False
        while queue and len(seen) < MAX_SITEMAP_DOCS:
            url, depth = queue.pop(0)
            if url in seen:
                continue
            seen.add(url)
            result = self.client.fetch(url, kind="feed")
            root = parse_xml(result.text) if result.ok and result.text else None
            if root is None:
                if result.status != 404 or depth > 0:
                    failed = True
                log.info("sitemap %s: %s", url, result.error or "not XML")
                continue
            fetched_any = True
            if _local(root) == "sitemapindex":
                for child in root:
                    if _local(child) != "sitemap":
                        continue
                    loc = _child_text(child, "loc")
                    lastmod = parse_when(_child_text(child, "lastmod"), self.tz)
                    if _TAXONOMY_SITEMAP.search(loc or ""):
                        continue
                    if loc and depth < 2 and not (lastmod and lastmod[1] < self.start):
                        queue.append((urljoin(result.final_url, loc), depth + 1))
                continue
            candidates += self._sitemap_entries(root, result.final_url, method.name)
        news = [c.lo for c in candidates if c.exact is not None]
        complete = fetched_any and not failed and not queue
        if news and len(news) == len(candidates):   # a rolling (news) sitemap: must reach back to start
            complete = complete and min(news) <= self.start
        log.info("sitemap %s: %d entries from %d documents; %s", method.name, len(candidates), len(seen),
                 "complete" if complete else "incomplete")
        return _Listing(candidates, complete)

    def _sitemap_entries(self, root: etree._Element, base: str, method: str) -> Iterator[_Candidate]:
        for entry in root:
            if _local(entry) != "url":
                continue
            loc = _child_text(entry, "loc")
            url = self.norm(loc, base) if loc else None
            if url is None:
                continue
            published = parse_when(_child_text(entry, "publication_date"), self.tz)
            lastmod = parse_when(_child_text(entry, "lastmod"), self.tz)
            if published:
                yield _Candidate(url, published[0], published[1], method)
            else:
                yield _Candidate(url, EARLIEST, lastmod[1] if lastmod else LATEST, method)

    # -- date archives ----------------------------------------------------------------------

    def date_archive(self, method: DiscoveryMethod) -> _Listing:
        candidates: list[_Candidate] = []
        complete = True
        day = self.start.astimezone(self.tz).date()
        last_day = (self.end - timedelta(microseconds=1)).astimezone(self.tz).date()
        while day <= last_day:
            bounds = _day_bounds(day, self.tz)
            template = method.paths[0]
            first = self.url_for(template.format(yyyy=f"{day.year:04d}", mm=f"{day.month:02d}",
                                                 dd=f"{day.day:02d}"))
            url: str | None = first
            page = 1
            while url and page <= method.max_pages:
                result = self.client.fetch(url, kind="html")
                if result.status == 404:
                    break       # WordPress answers 404 past the last page and for empty days
                if not result.ok or not result.text:
                    log.warning("date archive %s: %s", url, result.error)
                    complete = False
                    break
                items, has_next = self._archive_items(result.text, result.final_url, bounds, method.name)
                candidates += items
                page += 1
                url = urljoin(first, method.page_path.format(n=page)) if has_next and items else None
            else:
                if url:
                    complete = False    # stopped at max_pages with more to read
            day += timedelta(days=1)
        log.info("date archive: %d entries for %s .. %s", len(candidates),
                 self.start.astimezone(self.tz).date(), last_day)
        return _Listing(candidates, complete)

    def _archive_items(self, html: str, base: str, bounds: tuple[datetime, datetime],
                       method: str) -> tuple[list[_Candidate], bool]:
        doc = lxml.html.document_fromstring(html)
        items: list[_Candidate] = []
        seen: set[str] = set()
        articles = doc.xpath("//article")
        entries = [(a, a) for a in articles] or [(a, None) for a in doc.xpath("//a[contains(@rel, 'bookmark')]")]
        for element, container in entries:
            if container is not None:
                links = (container.xpath(".//*[contains(@class, 'entry-title')]//a[@href]")
                         or container.xpath(".//a[contains(@rel, 'bookmark')]")
                         or container.xpath(".//h1//a[@href] | .//h2//a[@href] | .//h3//a[@href]")
                         or container.xpath(".//a[@href]"))
                href = links[0].get("href") if links else None
            else:
                href = element.get("href")
            url = self.norm(href, base) if href else None
            if url is None or url in seen:
                continue
            seen.add(url)
            lo, hi = bounds
            if container is not None:
                times = (container.xpath(".//time[contains(@class, 'published')]/@datetime")
                         or container.xpath(".//time/@datetime"))
                when = parse_when(times[0], self.tz) if times else None
                if when and bounds[0] <= when[0] <= bounds[1]:
                    lo, hi = when
            items.append(_Candidate(url, lo, hi, method))
        has_next = bool(doc.xpath("//link[@rel='next'] | //a[contains(@rel, 'next')] | "
                                  "//a[contains(concat(' ', @class, ' '), ' next ')]"))
        return items, has_next

    # -- resolving ------------------------------------------------------------------------

    def page_published_at(self, url: str) -> datetime | None | bool:
        """The page's own publication time (meta, JSON-LD, <time>).

        None when the page could not be fetched; False when it was, but states no time (not
        an article).
        """
        result = self.client.fetch(url, kind="html")
        if not result.ok or not result.text:
            return None
        doc = lxml.html.document_fromstring(result.text)
        values = doc.xpath("//meta[@property='article:published_time']/@content"
                           " | //meta[@itemprop='datePublished']/@content")
        for script in doc.xpath("//script[@type='application/ld+json']/text()"):
            try:
                values += list(_json_values(json.loads(script), "datePublished"))
            except ValueError:
                continue
        values += doc.xpath("//time[contains(@class, 'published')]/@datetime")
        for value in values:
            when = parse_when(value, self.tz)
            if when and when[0] == when[1]:
                return when[0]
        return False


def _json_values(data: object, key: str) -> Iterator[str]:
    if isinstance(data, dict):
        for k, v in data.items():
            if k == key and isinstance(v, str):
                yield v
            else:
                yield from _json_values(v, key)
    elif isinstance(data, list):
        for item in data:
            yield from _json_values(item, key)


def _decided(c: _Candidate, start: datetime, end: datetime) -> bool | None:
    """True: published in [start, end); False: outside; None: the bounds straddle an edge."""
    if c.hi < start or c.lo >= end:
        return False
    if c.lo >= start and c.hi < end:
        return True
    return None


def discover(profile: SourceProfile, client: HttpClient, start: datetime, end: datetime, *,
             resolve_limit: int = 100) -> list[DiscoveredUrl]:
    """The article URLs published in ``[start, end)`` (aware datetimes), oldest first.

    Methods run in the profile's order; knowledge from all of them is merged (bounds
    intersected, URLs de-duplicated after normalisation) until the listings cover the interval
    and every URL is decided. Up to ``resolve_limit`` undecided URLs are settled by fetching the
    page; beyond that a sitemap ``lastmod`` is taken as the publication time (logged).
    """
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("discover() needs timezone-aware start and end")
    if not start < end:
        raise ValueError(f"empty interval: {start} .. {end}")
    run = _Run(profile, client, start, end)
    merged: dict[str, _Candidate] = {}
    covered = False
    for method in profile.discovery:
        listing = {"feed": run.feed, "sitemap": run.sitemap, "date-archive": run.date_archive}[method.kind](method)
        for cand in listing.candidates:
            known = merged.get(cand.url)
            if known is None:
                merged[cand.url] = cand
                continue
            lo, hi = max(known.lo, cand.lo), min(known.hi, cand.hi)
            if lo <= hi:
                tighter = cand if (cand.hi - cand.lo) < (known.hi - known.lo) else known
                merged[cand.url] = _Candidate(cand.url, lo, hi, tighter.method)
            # contradictory bounds: keep the first method's word
        covered = covered or listing.complete
        if covered and all(_decided(c, run.start, run.end) is not None for c in merged.values()):
            break
    if not covered:
        log.warning("no discovery method covered %s .. %s completely; results may miss articles",
                    start.isoformat(), end.isoformat())

    found: list[DiscoveredUrl] = []
    undecided: list[_Candidate] = []
    for cand in merged.values():
        verdict = _decided(cand, run.start, run.end)
        if verdict:
            found.append(DiscoveredUrl(cand.url, cand.exact, cand.method))
        elif verdict is None:
            undecided.append(cand)
    undecided.sort(key=lambda c: c.hi)
    estimated = 0
    for i, cand in enumerate(undecided):
        when = run.page_published_at(cand.url) if i < resolve_limit else None
        if when is False:
            log.info("%s states no publication time; not an article", cand.url)
            continue
        if when is not None:
            if run.start <= when < run.end:
                found.append(DiscoveredUrl(cand.url, when, cand.method + "+page"))
            continue
        estimated += 1
        guess = cand.hi if cand.hi != LATEST else cand.lo
        if run.start <= guess < run.end:
            found.append(DiscoveredUrl(cand.url, None, cand.method))
    if estimated:
        log.warning("%d URLs had no exact publication time; their sitemap/archive dates were used", estimated)
    found.sort(key=lambda d: (d.published_at or LATEST, d.url))
    log.info("discovered %d URLs published in %s .. %s (%d checked on the page)", len(found),
             start.isoformat(), end.isoformat(), min(len(undecided), resolve_limit))
    return found
