"""schema.org JSON-LD: lenient decoding, flattening, and choosing the page's article node.

Real pages carry several blocks (Yoast's ``@graph``, a theme's own NewsArticle, a
BreadcrumbList, sometimes a stale copy from another revision or a recommended story).
Which one describes *this* page is decided by :func:`choose_article`, documented there.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urlsplit

from .text import clean

ARTICLE_TYPES = frozenset(
    {
        "NewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle", "OpinionNewsArticle",
        "BackgroundNewsArticle", "ReviewNewsArticle", "Article", "BlogPosting", "LiveBlogPosting",
        "Report",
    }
)
NEWS_TYPES = ARTICLE_TYPES - {"Article", "BlogPosting", "Report"}
LISTING_TYPES = frozenset({"CollectionPage", "ItemList", "SearchResultsPage", "ProfilePage"})

_TRAILING_COMMA = re.compile(r",\s*([\]}])")
_MAX_NODES = 2000


def decode_block(raw: str) -> Any:
    """Parse one ld+json script body, tolerating CDATA, comments and trailing commas."""
    text = raw.strip()
    text = re.sub(r"^\s*(?://)?\s*<!\[CDATA\[|(?://)?\s*\]\]>\s*$", "", text).strip()
    text = re.sub(r"^<!--|-->$", "", text).strip()
    for candidate in (text, _TRAILING_COMMA.sub(r"\1", text)):
        try:
            return json.loads(candidate, strict=False)
        except (ValueError, RecursionError):
            continue
    return None


def iter_nodes(data: Any) -> Iterator[dict[str, Any]]:
    """Every dict reachable through lists, ``@graph`` and ``mainEntity`` (WebPage wrappers)."""
    stack: list[Any] = [data]
    seen = 0
    while stack and seen < _MAX_NODES:
        item = stack.pop(0)
        seen += 1
        if isinstance(item, list):
            stack[0:0] = item
        elif isinstance(item, dict):
            yield item
            for key in ("@graph", "mainEntity"):
                inner = item.get(key)
                if isinstance(inner, (list, dict)):
                    stack.insert(0, inner)


def types_of(node: dict[str, Any]) -> set[str]:
    """``@type`` as a set of bare names ("schema:NewsArticle" -> "NewsArticle")."""
    raw = node.get("@type")
    values = raw if isinstance(raw, list) else [raw]
    return {str(v).rsplit("/", 1)[-1].rsplit(":", 1)[-1] for v in values if isinstance(v, str)}


def _same_page(a: str, b: str) -> bool:
    """Canonical comparison that ignores scheme, ``www.``, query, fragment and trailing slash."""
    def key(u: str) -> tuple[str, str]:
        parts = urlsplit(u.strip())
        host = parts.netloc.lower().removeprefix("www.")
        path = parts.path.rstrip("/").removesuffix("/amp")
        return host, path
    return bool(a and b) and key(a) == key(b)


def node_url(node: dict[str, Any]) -> str:
    """The page a node says it describes (``mainEntityOfPage`` wins over ``url``)."""
    main = node.get("mainEntityOfPage")
    if isinstance(main, dict):
        main = main.get("@id") or main.get("url")
    for value in (main, node.get("url"), node.get("@id")):
        if isinstance(value, str) and value.startswith("http"):
            return value.split("#", 1)[0]
    return ""


def choose_article(nodes: Iterable[dict[str, Any]], *, page_urls: Iterable[str], visible_title: str) -> dict | None:
    """Pick the article node that describes this page.

    When blocks disagree, the winner is decided by evidence that the block is about
    the page in hand, strongest first:

    1. its ``mainEntityOfPage``/``url`` is the page's canonical URL or fetched URL (+4) -
       a block pointing elsewhere is a recommended story or a copy from another page;
    2. its ``headline`` equals the visible ``<h1>``/og:title (+2) - a stale block from an
       earlier revision keeps the old headline;
    3. a news type (NewsArticle, ReportageNewsArticle, ...) over plain Article (+1);
    4. it carries ``articleBody`` (+0.5); remaining ties go to document order.
    """
    urls = [u for u in page_urls if u]
    best: tuple[float, int] | None = None
    chosen = None
    for index, node in enumerate(nodes):
        kinds = types_of(node)
        if not kinds & ARTICLE_TYPES:
            continue
        score = 0.0
        url = node_url(node)
        if url and any(_same_page(url, u) for u in urls):
            score += 4
        headline = clean(text_value(node.get("headline") or node.get("name")))
        if headline and visible_title and headline == visible_title:
            score += 2
        if kinds & NEWS_TYPES:
            score += 1
        if text_value(node.get("articleBody")):
            score += 0.5
        key = (score, -index)
        if best is None or key > best:
            best, chosen = key, node
    return chosen


def resolve(value: Any, nodes: Iterable[dict[str, Any]]) -> Any:
    """Replace bare ``{"@id": ...}`` references (Yoast's ``@graph`` style) by the node they name."""
    items = value if isinstance(value, list) else [value]
    index = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str)}
    out = []
    for item in items:
        if isinstance(item, dict) and set(item) <= {"@id", "@type"} and item.get("@id") in index:
            item = index[item["@id"]]
        out.append(item)
    return out if isinstance(value, list) else out[0]


def text_value(value: Any) -> str:
    """A plain string from a JSON-LD value (first of a list, ``name``/``@value`` of a dict)."""
    if isinstance(value, list):
        value = next((v for v in value if v), None)
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value") or value.get("text")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return ""
    return html.unescape(value)


def names(value: Any) -> list[str]:
    """Person/Organization names from ``author``-like values (str, dict, list)."""
    items = value if isinstance(value, list) else [value]
    out: list[str] = []
    for item in items:
        name = text_value(item.get("name") if isinstance(item, dict) else item)
        if name:
            out.append(name)
    return out


def image_url(value: Any) -> str:
    """First image URL from an ``image`` value (str, ImageObject, or a list of either)."""
    items = value if isinstance(value, list) else [value]
    for item in items:
        if isinstance(item, dict):
            item = item.get("url") or item.get("contentUrl")
        if isinstance(item, str) and item.strip():
            return item.strip()
    return ""


def keywords(value: Any) -> list[str]:
    """``keywords`` as a list; schema.org allows a comma-separated string."""
    if isinstance(value, str):
        return [k for k in (html.unescape(p).strip() for p in value.split(",")) if k]
    if isinstance(value, list):
        return [k for k in (text_value(v).strip() for v in value) if k]
    return []
