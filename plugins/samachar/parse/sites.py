"""Per-publisher parsers. Each is a small declarative class over :class:`ArticleParser`."""

from __future__ import annotations

import re
from typing import ClassVar

from .base import AGENCY_DATELINE, ArticleParser, register
from .text import clean


@register
class GenericParser(ArticleParser):
    """Any site with schema.org NewsArticle / OpenGraph markup; heuristics for the rest."""

    name: ClassVar[str] = "generic"


@register
class IndiaNewsParser(ArticleParser):
    """indianews.in (WordPress): see the page structure in docs/ARCHITECTURE.md.

    Stories open with the house dateline "India News ( इंडिया न्यूज़ )", sometimes followed
    by ",Place:" (",Prayagraj Mahakumbh 2025:"); that whole lead-in is the dateline.
    """

    name: ClassVar[str] = "indianews"
    site_names: ClassVar[tuple[str, ...]] = ("India News", "इंडिया न्यूज़", "इंडिया न्यूज")
    title_selectors: ClassVar[tuple[str, ...]] = ("h1.entry-title", "article h1", "h1")
    body_selectors: ClassVar[tuple[str, ...]] = ("article .entry-content", ".entry-content")
    author_selectors: ClassVar[tuple[str, ...]] = (".entry-meta .author a", ".author.vcard .fn", ".author-box h4")
    published_selectors: ClassVar[tuple[str, ...]] = ("time.entry-date.published", "time.published", ".entry-meta time")
    modified_selectors: ClassVar[tuple[str, ...]] = ("time.updated",)
    category_selectors: ClassVar[tuple[str, ...]] = (".entry-category a", 'a[rel~="category"]')
    tag_selectors: ClassVar[tuple[str, ...]] = (".entry-tags a", 'a[rel="tag"]')
    image_selectors: ClassVar[tuple[str, ...]] = ("figure.post-thumbnail img", "article img")
    dateline_patterns: ClassVar[tuple[re.Pattern[str], ...]] = (
        re.compile(
            clean(r"^(India\s*News\s*\(\s*इंडिया\s*न्यूज़?\s*\)(?:\s*,\s*[^:।]{1,60}:)?)\s*[-:–|]?\s*"),
            re.IGNORECASE,
        ),
        AGENCY_DATELINE,
    )
