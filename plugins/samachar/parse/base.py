"""The shared parser: a strategy chain per field, plus the registry of per-site parsers.

For every field the first strategy that answers wins: JSON-LD (the page's own
NewsArticle/Article node) -> OpenGraph/meta tags -> the site parser's declarative CSS
selectors -> generic heuristics. Site parsers subclass :class:`ArticleParser` and mostly
just fill in selectors and patterns; only behaviour that differs is overridden.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any, ClassVar, TypeVar
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

import soupsieve
from bs4 import BeautifulSoup, Tag

from ..models import NotAnArticle, ParsedArticle, RelatedLink
from . import jsonld
from .body import Paragraph, densest_container, is_photo_story, keep, paragraphs, story_text
from .dates import parse_datetime
from .prepare import prepare
from .text import clean, detect_language, word_count

MIN_BODY_WORDS = 30
PAYWALL_MAX_WORDS = 150

_RELATED_MARKER = re.compile(
    clean(r"^(?:(?:ये|यह|इसे|इन्हें|इन्हे)\s+भी\s+पढ़(?:ें|े|िए|ो)?|(?:also|read)\s+(?:read|also|more))\s*[-:–—|]*\s*"),
    re.IGNORECASE,
)
AGENCY_DATELINE = re.compile(
    r"^([^\s,:।()]{2,25}(?:\s[^\s,:।()]{2,25}){0,2}\s*,?\s*(?:\d{1,2}\s+\S+\s*)?"
    r"\((?:भाषा|वार्ता|यूएनआई|आईएएनएस|एएनआई|पीटीआई|IANS|PTI|ANI|UNI)\))\s*[-:–।|]?\s*",
    re.IGNORECASE,
)
_TITLE_PREFIX = re.compile(r"^([A-Za-z][A-Za-z0-9 .,'’&/()\-]{1,79}?)\s*:\s+(?=.*[\u0900-\u097f])")
_SOFT_404 = re.compile(
    r"\b404\b|page not found|not found|पेज नहीं मिला|पृष्ठ नहीं मिला|पेज उपलब्ध नहीं|खबर उपलब्ध नहीं", re.IGNORECASE
)
_PAYWALL_TEXT = re.compile(
    r"subscribe to (?:read|continue)|subscribers only|सब्सक्राइब कर(?:ें|े)|सदस्यता ल(?:ें|े)|"
    r"पूरी खबर पढ़ने के लिए|पूरा पढ़ने के लिए|प्रीमियम (?:सदस्य|खबर)",
    re.IGNORECASE,
)
_LISTING_PATH = re.compile(r"^/(?:$|(?:category|tag|tags|topic|topics|author|search|page)/|.*/page/\d+/?$)")
_LISTING_BODY_CLASSES = frozenset({"home", "blog", "archive", "category", "tag", "search", "author", "error404"})
_AUTHOR_PREFIX = re.compile(r"^(?:by|written by|edited by|लेखक|रिपोर्ट|रिपोर्टर|द्वारा|संवाददाता)\s*[:\-–]?\s*", re.IGNORECASE)

T = TypeVar("T")


@lru_cache(maxsize=256)
def _compiled(selector: str) -> tuple[soupsieve.SoupSieve, frozenset[str]]:
    """Compile a CSS selector once, with the class/id/itemprop tokens it cannot match without.

    bs4's own ``select`` recompiles on every call, and a selector whose class appears
    nowhere in the page need not walk the tree at all (most profile selectors miss on
    most sites).
    """
    outside_brackets = re.sub(r"\[[^\]]*\]|\([^)]*\)", " ", selector)
    needed = set(re.findall(r"\.([A-Za-z0-9_-]+)", outside_brackets))
    needed.update(f"#{name}" for name in re.findall(r"#([A-Za-z0-9_-]+)", outside_brackets))
    needed.update(f"itemprop={m.group(1)}" for m in re.finditer(r'\[itemprop="([^"]+)"\]', selector))
    return soupsieve.compile(selector), frozenset(needed)


def select(root: Tag, selector: str, tokens: frozenset[str], limit: int = 0) -> list[Tag]:
    compiled, needed = _compiled(selector)
    return compiled.select(root, limit=limit) if needed <= tokens else []


def select_one(root: Tag, selector: str, tokens: frozenset[str]) -> Tag | None:
    compiled, needed = _compiled(selector)
    return compiled.select_one(root) if needed <= tokens else None


def _first(*strategies: Callable[[], T]) -> T | None:
    """Run strategies in order; the first truthy answer wins."""
    for strategy in strategies:
        value = strategy()
        if value:
            return value
    return None


@dataclass
class Page:
    """Everything the strategies look at, computed once per page."""

    soup: BeautifulSoup
    url: str
    fetched_at: datetime | None
    meta: dict[str, list[str]]
    ld_nodes: list[dict[str, Any]]
    article_ld: dict[str, Any] | None
    canonical: str
    h1: str
    tokens: frozenset[str]
    truncated: bool
    container: Tag | None = None  # the story container once body() has chosen it

    def meta_first(self, *keys: str) -> str:
        for key in keys:
            for value in self.meta.get(key, []):
                if clean(value):
                    return clean(value)
        return ""

    def absolute(self, href: str) -> str:
        return urljoin(self.canonical or self.url, href.strip()) if href else ""


class ArticleParser:
    """Base behaviour for every site; subclasses set the class attributes below.

    The ``generic`` parser is this class as is: it relies on schema.org, OpenGraph and
    heuristics only, so it works for any site publishing NewsArticle markup.
    """

    name: ClassVar[str] = "generic"
    site_names: ClassVar[tuple[str, ...]] = ()  # title suffixes to strip (" - India News")
    timezone: ClassVar[str] = "Asia/Kolkata"
    title_selectors: ClassVar[tuple[str, ...]] = ("article h1", "main h1", "h1")
    body_selectors: ClassVar[tuple[str, ...]] = (
        '[itemprop="articleBody"]', ".entry-content", ".post-content", ".article-body", ".article-content",
        ".story-content", ".story-body", ".td-post-content",
    )
    author_selectors: ClassVar[tuple[str, ...]] = (
        '[itemprop="author"] [itemprop="name"]', '[rel="author"]', ".author-name", ".byline a",
    )
    published_selectors: ClassVar[tuple[str, ...]] = (
        '[itemprop="datePublished"]', "time.published", "time[pubdate]", ".publish-date", ".published-date",
        "time[datetime]", ".post-date", ".date",
    )
    modified_selectors: ClassVar[tuple[str, ...]] = ('[itemprop="dateModified"]', "time.updated", ".updated-date")
    category_selectors: ClassVar[tuple[str, ...]] = ('a[rel~="category"]', ".breadcrumb li:nth-last-child(2) a")
    tag_selectors: ClassVar[tuple[str, ...]] = ('a[rel="tag"]',)
    image_selectors: ClassVar[tuple[str, ...]] = ('[itemprop="image"] img', "article img")
    dateline_patterns: ClassVar[tuple[re.Pattern[str], ...]] = (AGENCY_DATELINE,)

    # ---- entry point -------------------------------------------------------------------
    def parse(self, html: str, url: str, *, fetched_at: datetime | None = None) -> ParsedArticle:
        """Extract one article or raise :class:`NotAnArticle` saying why not."""
        page = self.load(html, url, fetched_at)
        self.reject_non_articles(page)
        title = self.title(page)
        if not title:
            raise NotAnArticle("no-title", "no headline in JSON-LD, meta tags or <h1>")
        paras, related = self.body(page)
        dateline, paras = self.split_dateline(paras)
        body = "\n\n".join(paras)
        self.reject_thin(page, body)
        prefix = _TITLE_PREFIX.match(title)
        return ParsedArticle(
            url=url,
            canonical_url=page.canonical or url,
            title=title,
            body=body,
            source=self.name,
            summary=self.summary(page) or None,
            authors=self.authors(page),
            category=self.category(page) or None,
            tags=self.tags(page),
            published_at=self.published_at(page),
            modified_at=self.modified_at(page),
            language=detect_language(title + " " + body),
            lead_image=self.lead_image(page) or None,
            related=related,
            dateline=dateline,
            title_prefix=prefix.group(1).strip() if prefix else None,
        )

    # ---- page loading ------------------------------------------------------------------
    def load(self, html: str | bytes, url: str, fetched_at: datetime | None) -> Page:
        """Build the soup and the page-level facts (meta map, JSON-LD, canonical URL)."""
        if isinstance(html, bytes):
            html = html.decode("utf-8", errors="replace")
        if not html or not html.strip():
            raise NotAnArticle("empty-page", "no HTML")
        prepared = prepare(html)
        # Class/rel stay plain strings: splitting every attribute costs ~15% of tree building.
        soup = BeautifulSoup(prepared.html, "lxml", multi_valued_attributes=None)
        meta = prepared.meta
        nodes = [node for block in prepared.ld_blocks for node in jsonld.iter_nodes(jsonld.decode_block(block))]
        canonical = urljoin(url, prepared.canonical_href) if prepared.canonical_href else ""
        if not canonical and meta.get("og:url"):
            canonical = urljoin(url, meta["og:url"][0].strip())
        h1 = ""
        for selector in self.title_selectors:
            found = select_one(soup, selector, prepared.tokens)
            if found is not None and clean(found.get_text()):
                h1 = clean(found.get_text())
                break
        visible = h1 or clean((meta.get("og:title") or [""])[0])
        article_ld = jsonld.choose_article(nodes, page_urls=(canonical, url), visible_title=visible)
        return Page(soup, url, fetched_at, meta, nodes, article_ld, canonical, h1, prepared.tokens, prepared.truncated)

    # ---- rejection ---------------------------------------------------------------------
    def reject_non_articles(self, page: Page) -> None:
        """Soft 404s and listing pages are refused before any field is extracted."""
        soup = page.soup
        body_tag = soup.body
        body_classes = set(str(body_tag.get("class") or "").split()) if isinstance(body_tag, Tag) else set()
        title_text = clean(soup.title.get_text()) if soup.title else ""
        is_article = page.article_ld is not None or page.meta_first("og:type") == "article"
        if "error404" in body_classes or (
            not is_article and (_SOFT_404.search(title_text) or _SOFT_404.search(page.h1))
        ):
            raise NotAnArticle("soft-404", title_text or page.h1)
        if body_classes & _LISTING_BODY_CLASSES:
            raise NotAnArticle("listing-page", f"body classes {sorted(body_classes & _LISTING_BODY_CLASSES)}")
        if is_article:
            return
        path = urlsplit(page.canonical or page.url).path or "/"
        ld_types = set().union(*(jsonld.types_of(n) for n in page.ld_nodes)) if page.ld_nodes else set()
        if _LISTING_PATH.match(path) or ld_types & jsonld.LISTING_TYPES:
            raise NotAnArticle("listing-page", f"path {path}, body classes {sorted(body_classes)[:6]}")
        if not is_article and len(soup.find_all("article", limit=4)) >= 4:
            raise NotAnArticle("listing-page", "many <article> teasers and no article metadata")

    def reject_thin(self, page: Page, body: str) -> None:
        """Paywall stubs and empty shells never become articles."""
        words = word_count(body)
        ld = page.article_ld or {}
        free = str(ld.get("isAccessibleForFree", "true")).lower()
        if words < PAYWALL_MAX_WORDS and (
            free == "false" or (page.container is not None and _PAYWALL_TEXT.search(story_text(page.container)))
        ):
            raise NotAnArticle("paywall", f"{words} words visible behind a subscription wall")
        if words < MIN_BODY_WORDS:
            if page.truncated:
                raise NotAnArticle("truncated-page", f"{words} words of story text before the page breaks off")
            raise NotAnArticle("empty-body", f"{words} words of story text")

    # ---- fields ------------------------------------------------------------------------
    def _strip_site(self, title: str, page: Page) -> str:
        names = set(self.site_names)
        names.update(clean(n) for n in page.meta.get("og:site_name", []))
        publisher = jsonld.resolve((page.article_ld or {}).get("publisher"), page.ld_nodes)
        names.update(jsonld.names(publisher))
        for name in sorted((n for n in names if n), key=len, reverse=True):
            m = re.search(rf"\s*[-|–—:]\s*{re.escape(name)}\s*$", title)
            if m and m.start() > 0:
                return title[: m.start()]
        return title

    def title(self, page: Page) -> str:
        """headline (un-truncated from <h1> when cut with an ellipsis) -> og:title -> <h1> -> <title>."""
        def from_ld() -> str:
            headline = clean(jsonld.text_value((page.article_ld or {}).get("headline")))
            stem = headline.rstrip(".…").strip()
            if headline != stem and page.h1.startswith(stem) and len(page.h1) > len(stem):
                return page.h1
            return headline

        def from_title_tag() -> str:
            return clean(page.soup.title.get_text()) if page.soup.title else ""

        raw = _first(
            from_ld,
            lambda: page.meta_first("og:title", "twitter:title"),
            lambda: page.h1,
            from_title_tag,
        )
        return self._strip_site(raw, page) if raw else ""

    def body(self, page: Page) -> tuple[list[str], list[RelatedLink]]:
        """Story paragraphs (related-read lines moved out) from the best container.

        JSON-LD ``articleBody`` is flat text and often clipped, so the HTML container is
        read first and ``articleBody`` is used only when the HTML yields far less text
        (pages rendered client-side).
        """
        container = _first(lambda: self._select_container(page), lambda: densest_container(page.soup))
        page.container = container
        paras, related = self.clean_paragraphs(paragraphs(container) if container is not None else [], page)
        if container is not None and is_photo_story(container, word_count(" ".join(paras))):
            paras, related = self.clean_paragraphs(paragraphs(container, keep_captions=True), page)
        ld_body = clean(jsonld.text_value((page.article_ld or {}).get("articleBody")).replace("\n", " \n "))
        if ld_body and word_count(" ".join(paras)) < 0.5 * word_count(ld_body):
            raw = jsonld.text_value((page.article_ld or {}).get("articleBody"))
            lines = [Paragraph(text=clean(line)) for line in re.split(r"\n+", raw) if clean(line)]
            paras, related = self.clean_paragraphs(lines, page)
        return paras, related

    def _select_container(self, page: Page) -> Tag | None:
        for selector in self.body_selectors:
            first = select_one(page.soup, selector, page.tokens)  # stops at the first hit: the common case
            if first is None:
                continue
            if word_count(first.get_text(" ")) >= MIN_BODY_WORDS:
                return first
            for found in select(page.soup, selector, page.tokens, limit=5)[1:]:  # an empty twin came first
                if word_count(found.get_text(" ")) >= MIN_BODY_WORDS:
                    return found
        return None

    def clean_paragraphs(self, found: Iterable[Paragraph], page: Page) -> tuple[list[str], list[RelatedLink]]:
        """Drop boilerplate paragraphs and turn "ये भी पढ़ें" lines into related links."""
        texts: list[str] = []
        related: list[RelatedLink] = []
        awaiting_links = False
        for para in found:
            marker = _RELATED_MARKER.match(para.text)
            if marker:
                rest = para.text[marker.end() :].strip()
                links = [(t, h) for t, h in para.links if t and not _RELATED_MARKER.match(t)]
                related.extend(RelatedLink(title=t, url=page.absolute(h)) for t, h in links)
                if not links and rest:
                    related.append(RelatedLink(title=rest, url=""))
                awaiting_links = not links and not rest
                continue
            if awaiting_links and para.links and para.link_density > 0.8:
                related.extend(RelatedLink(title=t, url=page.absolute(h)) for t, h in para.links if t)
                continue
            awaiting_links = False
            if keep(para):
                texts.append(para.text)
        return texts, related

    def split_dateline(self, paras: list[str]) -> tuple[str | None, list[str]]:
        """Move a leading dateline ("India News ( इंडिया न्यूज़ )", "लखनऊ (भाषा)") out of the body."""
        if not paras:
            return None, paras
        first = paras[0]
        for pattern in self.dateline_patterns:
            m = pattern.match(first)
            if m:
                dateline = m.group(1).strip(" ,-–|")
                rest = first[m.end() :].strip()
                return dateline, ([rest] if rest else []) + paras[1:]
        return None, paras

    def summary(self, page: Page) -> str:
        return clean(jsonld.text_value((page.article_ld or {}).get("description"))) or page.meta_first(
            "og:description", "description", "twitter:description"
        )

    def _select_texts(self, page: Page, selectors: Iterable[str]) -> list[str]:
        for selector in selectors:
            texts = [clean(el.get_text(" ")) for el in select(page.soup, selector, page.tokens)]
            texts = [t for t in texts if t]
            if texts:
                return texts
        return []

    def authors(self, page: Page) -> list[str]:
        """JSON-LD author -> meta author -> byline selectors; "By"/"लेखक:" prefixes removed."""
        found = _first(
            lambda: jsonld.names(jsonld.resolve((page.article_ld or {}).get("author"), page.ld_nodes)),
            lambda: [v for v in page.meta.get("author", []) + page.meta.get("article:author", []) if not v.startswith("http")],
            lambda: self._select_texts(page, self.author_selectors),
        ) or []
        out: list[str] = []
        for name in found:
            name = _AUTHOR_PREFIX.sub("", clean(name))
            if name and name not in out and len(name) <= 80:
                out.append(name)
        return out

    def category(self, page: Page) -> str:
        section = (page.article_ld or {}).get("articleSection")
        return _first(
            lambda: clean(jsonld.text_value(section)),
            lambda: page.meta_first("article:section"),
            lambda: next(iter(self._select_texts(page, self.category_selectors)), ""),
        ) or ""

    def tags(self, page: Page) -> list[str]:
        found = _first(
            lambda: jsonld.keywords((page.article_ld or {}).get("keywords")),
            lambda: [clean(v) for v in page.meta.get("article:tag", []) if clean(v)],
            lambda: self._select_texts(page, self.tag_selectors),
            lambda: jsonld.keywords(page.meta_first("news_keywords")),
        ) or []
        out: list[str] = []
        for tag in (clean(t) for t in found):
            if tag and tag not in out:
                out.append(tag)
        return out

    def _date(self, page: Page, ld_key: str, meta_keys: tuple[str, ...], selectors: Iterable[str]) -> datetime | None:
        tz = ZoneInfo(self.timezone)

        def from_selectors() -> datetime | None:
            for selector in selectors:
                for el in select(page.soup, selector, page.tokens, limit=3):
                    for raw in (el.get("datetime"), el.get("content"), el.get_text(" ")):
                        if isinstance(raw, str):
                            parsed = parse_datetime(raw, fetched_at=page.fetched_at, default_tz=tz)
                            if parsed:
                                return parsed
            return None

        return _first(
            lambda: parse_datetime(jsonld.text_value((page.article_ld or {}).get(ld_key)), default_tz=tz),
            lambda: next(
                (d for k in meta_keys for v in page.meta.get(k, []) if (d := parse_datetime(v, default_tz=tz))), None
            ),
            from_selectors,
        )

    def published_at(self, page: Page) -> datetime | None:
        return self._date(
            page, "datePublished",
            ("article:published_time", "og:published_time", "datepublished", "publish-date", "pubdate", "date"),
            self.published_selectors,
        )

    def modified_at(self, page: Page) -> datetime | None:
        return self._date(
            page, "dateModified", ("article:modified_time", "og:updated_time", "datemodified", "last-modified"),
            self.modified_selectors,
        )

    def lead_image(self, page: Page) -> str:
        def from_selectors() -> str:
            for selector in self.image_selectors:
                el = select_one(page.soup, selector, page.tokens)
                if el is not None and (el.get("src") or el.get("data-src")):
                    return str(el.get("src") or el.get("data-src"))
            return ""

        raw = _first(
            lambda: jsonld.image_url(jsonld.resolve((page.article_ld or {}).get("image"), page.ld_nodes)),
            lambda: page.meta_first("og:image", "twitter:image"),
            from_selectors,
        )
        return page.absolute(raw) if raw else ""


PARSERS: dict[str, type[ArticleParser]] = {}
P = TypeVar("P", bound=type[ArticleParser])


def register(cls: P) -> P:
    """Class decorator: make a site parser available as ``parse_article(profile=cls.name)``."""
    PARSERS[cls.name] = cls
    return cls


def get_parser(name: str) -> ArticleParser:
    """An instance of the named site parser; unknown names are a configuration error."""
    try:
        return PARSERS[name]()
    except KeyError:
        raise ValueError(f"unknown parser profile {name!r}; known: {sorted(PARSERS)}") from None

