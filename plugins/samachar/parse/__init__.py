"""Parse stage: article HTML -> :class:`samachar.models.ParsedArticle` (pure, no I/O).

``parse_article`` picks a per-site parser by profile name; every parser runs the same
strategy chain per field (JSON-LD -> meta -> site selectors -> heuristics).
"""

from __future__ import annotations

from datetime import datetime

from ..models import NotAnArticle, ParsedArticle
from . import sites  # noqa: F401  (registers the site parsers)
from .base import PARSERS, ArticleParser, get_parser, register

PARSER_VERSION = "2025.1"

__all__ = ["PARSER_VERSION", "PARSERS", "ArticleParser", "NotAnArticle", "parse_article", "register"]


def parse_article(
    html: str, url: str, *, profile: str = "generic", fetched_at: datetime | None = None
) -> ParsedArticle:
    """Extract the article on ``url``; raise :class:`NotAnArticle` (with a reason) otherwise.

    ``fetched_at`` anchors relative times ("22 मिनट पहले"); the wall clock is never used,
    so re-parsing a stored page gives the same result.
    """
    try:
        return get_parser(profile).parse(html, url, fetched_at=fetched_at)
    except RecursionError as exc:  # pathological nesting in hostile markup
        raise NotAnArticle("malformed-html", "document nesting too deep to parse") from exc
