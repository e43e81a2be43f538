"""Body extraction: turn a story container into clean paragraphs.

The walk groups inline runs into paragraphs (so ``<p>`` pages, ``<br><br>`` pages and
text-in-``<div>`` pages all work), skips boilerplate subtrees (ads, share bars, author
boxes, figures/captions, embeds, related widgets), and keeps headings as paragraphs.
When no container is known, :func:`densest_container` scores ancestors by the
paragraph text they hold, readability-style.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

from .text import clean

DROP_TAGS = frozenset(
    {
        "script", "style", "noscript", "iframe", "button", "svg", "figure", "figcaption",
        "aside", "nav", "footer", "header", "select", "input", "textarea", "template", "object",
        "embed", "video", "audio", "canvas", "img", "picture", "ins", "label", "dialog", "menu",
        "amp-ad", "amp-embed", "amp-social-share", "amp-sidebar", "amp-img", "amp-carousel",
        "amp-analytics", "amp-iframe", "amp-twitter", "amp-instagram", "amp-youtube", "amp-sticky-ad",
    }
)
BLOCK_TAGS = frozenset(
    {
        "p", "div", "section", "article", "main", "ul", "ol", "li", "dl", "dt", "dd", "blockquote",
        "pre", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "center", "address",
        "h1", "h2", "h3", "h4", "h5", "h6", "hr", "body", "html", "details", "summary",
    }
)
INLINE_TAGS = frozenset(
    {
        "a", "span", "b", "strong", "i", "em", "u", "small", "sub", "sup", "mark", "abbr", "cite", "code",
        "q", "s", "time", "font", "br", "img", "ins", "label", "button", "amp-img", "picture", "bdi", "bdo",
    }
)
_BOILER_TOKENS = frozenset(
    {
        "ad", "ads", "adv", "advt", "advert", "adverts", "advertisement", "adsbygoogle", "adslot", "dfp",
        "gpt", "sponsored", "promo", "share", "sharing", "sharebar", "social", "related", "recent",
        "newsletter", "subscribe", "subscription", "bio", "comments", "comment", "tags", "breadcrumb",
        "breadcrumbs", "widget", "sidebar", "popup", "modal", "cookie", "caption", "wp-caption",
        "outbrain", "taboola", "trending", "byline", "disclaimer", "paywall", "toolbar", "follow",
    }
)
_BOILER_RE = re.compile(
    r"also-?read|read-?more|ye-?bhi|you-?may|more-?stories|most-?read|next-?story|entry-meta|post-meta"
    r"|author-?box|author-?info|about-?author|jp-relatedposts|sharedaddy|yarpp|twitter-tweet"
    r"|instagram-media|wp-block-embed|entry-tags|post-tags|tag-?list|live-?time|update-?time",
    re.IGNORECASE,
)
_SPLIT_CLASS = re.compile(r"[\s_\-]+")
_NOISE_TYPES = (Comment, Declaration, Doctype, ProcessingInstruction)

# Whole paragraphs that are widget chrome, not story text.
_BOILER_TEXT = re.compile(
    r"^(?:advertisement|विज्ञापन|sponsored|share(?: this)?|शेयर करें|follow us.*|हमें फॉलो करें.*"
    r"|.*(?:google news|गूगल न्यूज़?).*(?:फॉलो|follow|जुड़ें).*|read more|और पढ़ें|आगे पढ़ें|continue reading"
    r"|\d+\s*/\s*\d+|(?:disclaimer|डिस्क्लेमर|अस्वीकरण)\s*[:\-–].*|scroll to continue.*|tags?\s*:.*|टैग्स?\s*:.*|loading\.*|लोड हो रहा है.*)$",
    re.IGNORECASE,
)
_TIME_ONLY = re.compile(r"^\d{1,2}[:.]\d{2}\s*(?:am|pm|a\.m\.|p\.m\.)?\s*(?:ist)?$", re.IGNORECASE)


@dataclass
class Paragraph:
    """One paragraph as found in the page, with what the later passes need to judge it."""

    text: str
    links: list[tuple[str, str]] = field(default_factory=list)  # (anchor text, href)
    link_chars: int = 0
    only_time: bool = False  # the run was a lone <time> element

    @property
    def link_density(self) -> float:
        return self.link_chars / max(len(self.text), 1)


# Real class/id strings are far shorter; a hostile megabyte-long one would otherwise be rescanned
# by each of the dozens of is_boilerplate() calls on its tag: ~1 s of CPU for one page.
MAX_IDENT_CHARS = 1000


def _ident(tag: Tag) -> str:
    """class and id as one string (works whether bs4 split multi-valued attributes or not)."""
    classes = tag.get("class") or ""
    if isinstance(classes, list):
        classes = " ".join(classes)
    return f"{str(classes)[:MAX_IDENT_CHARS]} {str(tag.get('id') or '')[:MAX_IDENT_CHARS]}"


def is_boilerplate(tag: Tag) -> bool:
    """True for subtrees that never hold story text (by tag name, class/id, or hidden flag)."""
    if tag.name in DROP_TAGS:
        return True
    attrs = tag.attrs
    if not attrs:
        return False
    if "hidden" in attrs or attrs.get("aria-hidden") == "true":
        return True
    style = attrs.get("style")
    if isinstance(style, str) and re.search(r"display\s*:\s*none", style):
        return True
    ident = _ident(tag)
    if not ident.strip():
        return False
    if _BOILER_RE.search(ident):
        return True
    return any(tok.lower() in _BOILER_TOKENS for tok in _SPLIT_CLASS.split(ident) if tok)


def _visible_text(node: Tag | NavigableString) -> str:
    if isinstance(node, NavigableString):
        return "" if isinstance(node, _NOISE_TYPES) else str(node)
    parts: list[str] = []
    for desc in node.descendants:
        if isinstance(desc, NavigableString) and not isinstance(desc, _NOISE_TYPES):
            parent = desc.parent
            if parent is not None and parent is not node and _inside_dropped(parent, node):
                continue
            parts.append(str(desc))
    return "".join(parts)


def _inside_dropped(tag: Tag, stop: Tag) -> bool:
    while tag is not None and tag is not stop:
        if is_boilerplate(tag):
            return True
        tag = tag.parent
    return False


def is_caption(tag: Tag) -> bool:
    """A figure or an element classed as a caption."""
    return tag.name in ("figure", "figcaption") or "caption" in _ident(tag).lower()


class _Collector:
    """Iterative walk (deeply nested junk must not hit the recursion limit)."""

    def __init__(self, *, keep_captions: bool = False) -> None:
        self.keep_captions = keep_captions
        self.paragraphs: list[Paragraph] = []
        self.buffer: list[Tag | NavigableString] = []

    def flush(self) -> None:
        if not self.buffer:
            return
        runs: list[list[Tag | NavigableString]] = [[]]
        breaks = 0
        for item in self.buffer:
            if isinstance(item, Tag) and item.name == "br":
                breaks += 1
                if breaks == 2:
                    runs.append([])
                continue
            if isinstance(item, NavigableString) and not item.strip():
                runs[-1].append(item)
                continue
            breaks = 0
            runs[-1].append(item)
        self.buffer = []
        for run in runs:
            self._emit(run)

    def _emit(self, run: list[Tag | NavigableString]) -> None:
        text = clean(" ".join(_visible_text(n) for n in run))
        if not text:
            return
        para = Paragraph(text=text)
        solid = [n for n in run if not (isinstance(n, NavigableString) and not n.strip())]
        para.only_time = len(solid) == 1 and isinstance(solid[0], Tag) and solid[0].name == "time"
        for node in solid:
            if not isinstance(node, Tag):
                continue
            anchors = [node] if node.name == "a" else node.find_all("a")
            for a in anchors:
                anchor_text = clean(a.get_text())
                para.links.append((anchor_text, str(a.get("href") or "")))
                para.link_chars += len(anchor_text)
        self.paragraphs.append(para)

    def walk(self, root: Tag) -> list[Paragraph]:
        # Stack of (node, is_exit_marker): block elements flush before and after.
        stack: list[tuple[Tag | NavigableString, bool]] = [(child, False) for child in reversed(list(root.children))]
        while stack:
            node, exiting = stack.pop()
            if exiting:
                self.flush()
                continue
            if isinstance(node, NavigableString):
                if not isinstance(node, _NOISE_TYPES):
                    self.buffer.append(node)
                continue
            if not isinstance(node, Tag):
                continue
            if is_boilerplate(node) and not (self.keep_captions and is_caption(node)):
                if node.name not in INLINE_TAGS:  # a dropped block still ends the paragraph before it
                    self.flush()
                continue
            if node.name in BLOCK_TAGS or node.name in ("figure", "figcaption"):
                self.flush()
                stack.append((node, True))
                stack.extend((child, False) for child in reversed(list(node.children)))
            else:
                self.buffer.append(node)
        self.flush()
        return self.paragraphs


def paragraphs(container: Tag, *, keep_captions: bool = False) -> list[Paragraph]:
    """Paragraphs of ``container`` in document order, boilerplate subtrees skipped.

    Captions are boilerplate except in photo stories, where they carry the story
    (``keep_captions``, see :func:`is_photo_story`).
    """
    return _Collector(keep_captions=keep_captions).walk(container)


def is_photo_story(container: Tag, paragraph_words: int) -> bool:
    """Three or more captioned pictures holding more words than the running text does."""
    captions = [c for c in container.find_all(("figcaption", "p", "div", "span")) if is_caption(c)]
    caption_words = sum(len(c.get_text(" ").split()) for c in captions)
    return len(captions) >= 3 and caption_words > paragraph_words


_PAYWALL_IDENT = re.compile(r"pay-?wall|premium|subscri|paid|locked|meter", re.IGNORECASE)


def story_text(container: Tag) -> str:
    """Container text without chrome subtrees, but keeping paywall/subscription boxes.

    Used to look for "subscribe to read" phrases: a sidebar newsletter box saying
    "सब्सक्राइब करें" must not make a free story look paywalled.
    """
    parts: list[str] = []
    stack: list[Tag | NavigableString] = [container]
    while stack:
        node = stack.pop()
        if isinstance(node, NavigableString):
            if not isinstance(node, _NOISE_TYPES):
                parts.append(str(node))
            continue
        if node is not container and is_boilerplate(node):
            if not _PAYWALL_IDENT.search(_ident(node)):
                continue
        stack.extend(reversed(list(node.children)))
    return " ".join(parts)


def keep(para: Paragraph) -> bool:
    """Paragraph-level boilerplate test: widget phrases, lone timestamps, link lists."""
    if _BOILER_TEXT.match(para.text) or para.only_time or _TIME_ONLY.match(para.text):
        return False
    return not (para.link_density > 0.6 and len(para.text) < 300)


_PARAGRAPH_LIKE = frozenset({"p", "h2", "h3", "h4", "li", "blockquote", "pre"})


def densest_container(soup: BeautifulSoup) -> Tag | None:
    """The element holding the most running text, readability-style.

    Every text run of 25+ characters (not inside a link, not in a boilerplate subtree other
    than a caption, so photo stories have a container too) credits the block that holds it: a paragraph-like block credits its parent fully and
    its grandparent half; text sitting directly in a ``<div>`` (``<br><br>`` layouts)
    credits that div fully and its parent half.
    """
    scores: dict[int, float] = {}
    nodes: dict[int, Tag] = {}
    verdicts: dict[int, bool] = {}  # block id -> inside boilerplate/link?

    def excluded(tag: Tag) -> bool:
        key = id(tag)
        if key not in verdicts:
            parent = tag.parent
            verdicts[key] = tag.name == "a" or (is_boilerplate(tag) and not is_caption(tag)) or (
                isinstance(parent, Tag) and parent.name != "[document]" and excluded(parent)
            )
        return verdicts[key]

    for string in soup.find_all(string=True, limit=20000):
        if isinstance(string, _NOISE_TYPES) or len(string.strip()) < 25:
            continue
        block = string.parent
        while isinstance(block, Tag) and block.name not in BLOCK_TAGS:
            block = block.parent
        if not isinstance(block, Tag) or excluded(string.parent):
            continue
        weight = float(len(string.strip())) * (0.3 if block.name in ("h2", "h3", "h4", "li") else 1.0)
        target = block.parent if block.name in _PARAGRAPH_LIKE else block
        for share in (1.0, 0.5):
            if not isinstance(target, Tag) or target.name in ("body", "html", "[document]"):
                break
            scores[id(target)] = scores.get(id(target), 0.0) + weight * share
            nodes[id(target)] = target
            target = target.parent
    if not scores:
        return None
    return nodes[max(scores, key=scores.__getitem__)]
