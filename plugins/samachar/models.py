"""Plain data carried between the pipeline's stages (no I/O here)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class RelatedLink:
    """A "ये भी पढ़ें" link: the story the page points readers to next."""

    title: str
    url: str


@dataclass
class ParsedArticle:
    """What the parse stage extracts from one article page.

    ``body`` holds the story's paragraphs in order, joined by a blank line.
    Datetimes are timezone-aware.
    """

    url: str
    canonical_url: str
    title: str
    body: str
    source: str
    summary: str | None = None
    authors: list[str] = field(default_factory=list)
    category: str | None = None
    tags: list[str] = field(default_factory=list)
    published_at: datetime | None = None
    modified_at: datetime | None = None
    language: str = "hi"
    lead_image: str | None = None
    related: list[RelatedLink] = field(default_factory=list)
    dateline: str | None = None
    title_prefix: str | None = None

    def to_json_dict(self) -> dict[str, Any]:
        """The JSON shape printed by ``samachar parse`` and staged in Postgres."""
        data = asdict(self)
        for key in ("published_at", "modified_at"):
            value = getattr(self, key)
            data[key] = value.isoformat() if value else None
        return data

    @classmethod
    def from_json_dict(cls, data: dict[str, Any]) -> ParsedArticle:
        """Inverse of :meth:`to_json_dict`; unknown keys are ignored."""
        known = {f for f in cls.__dataclass_fields__}
        kwargs = {k: v for k, v in data.items() if k in known}
        for key in ("published_at", "modified_at"):
            if kwargs.get(key):
                kwargs[key] = datetime.fromisoformat(kwargs[key])
        kwargs["related"] = [RelatedLink(**r) for r in kwargs.get("related") or []]
        return cls(**kwargs)


class NotAnArticle(Exception):
    """The page is not a news article (home, listing, soft 404, empty body...).

    ``reason`` is a short machine-friendly code, e.g. ``"listing-page"``,
    ``"empty-body"``, ``"soft-404"``; the message says more for people.
    """

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail
