"""Pre-processing before bs4: bound the input, strip noise, prune chrome with lxml.

Everything here works on the raw string or on an lxml tree (C speed). BeautifulSoup then
builds its Python tree from a document that is capped in size and depth and already
free of scripts, styles, menus, sidebars and unread attributes - which is what keeps a
hostile page under a second and a normal one at a few milliseconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from ..models import NotAnArticle
from .text import repair_mojibake

# Caps applied after scripts/styles are stripped: building the tree is the one step that
# cannot be interrupted, and these bound it to a few hundred ms on a busy 2-core box.
MAX_INPUT_CHARS = 1_000_000
MAX_TAGS = 12_000  # real article pages have 1,500–6,000 tags; more only costs time
MAX_DEPTH = 250  # libxml2 stops nesting at 255; real pages stay far below

_OPENERS = re.compile(r"<(script|style|svg|template)\b([^>]*)>|<!--", re.IGNORECASE)
_CLOSERS = {name: re.compile(rf"</{name}\s*>", re.IGNORECASE) for name in ("script", "style", "svg", "template")}


def strip_noise(html: str) -> str:
    """Remove comments, styles, SVG and non-JSON-LD scripts in one linear pass.

    Done on the string before the tree is built: it is where most of a page's bytes
    are, and an unclosed ``<script>`` simply swallows the rest (no quadratic rescans).
    """
    out: list[str] = []
    pos = 0
    while True:
        m = _OPENERS.search(html, pos)
        if not m:
            out.append(html[pos:])
            break
        out.append(html[pos : m.start()])
        if m.group(0) == "<!--":
            end = html.find("-->", m.end())
            pos = len(html) if end < 0 else end + 3
            continue
        name = m.group(1).lower()
        closer = _CLOSERS[name].search(html, m.end())
        stop = len(html) if closer is None else closer.end()
        if name == "script" and "ld+json" in m.group(2).lower():
            out.append(html[m.start() : stop])
        pos = stop
    return "".join(out)


def cap_size(html: str) -> str:
    """Cut the document at MAX_INPUT_CHARS characters or its MAX_TAGS-th tag, whichever is first."""
    html = html[:MAX_INPUT_CHARS]
    pos = -1
    for _ in range(MAX_TAGS):
        pos = html.find("<", pos + 1)
        if pos < 0:
            return html
    return html[:pos]


# Site chrome that never holds story text or article metadata. Pruned with lxml (C speed)
# before BeautifulSoup builds its much slower Python tree: menus, sidebars and footers are
# often half of a news page's elements. Breadcrumb navs and in-article footers survive.
_CHROME = etree.XPath(
    "//nav[not(contains(@class, 'breadcrumb'))]|//aside|//iframe|//noscript|//select|//source"
    "|//footer[not(ancestor::article) and not(ancestor::main)]|//link[not(contains(@rel, 'canonical'))]"
)
# Attributes any strategy reads; the rest (data-*, srcset, inline handlers...) is dropped
# before bs4 copies each one into a Python dict.
_KEPT_ATTRIBUTES = frozenset(
    "class id href src data-src rel content property name itemprop datetime type style hidden aria-hidden "
    "lang charset".split()
)
_BLOCKISH = frozenset(
    "html head body div section article main header ul ol li p h1 h2 h3 h4 h5 h6 figure table tbody tr td th "
    "meta link script title blockquote dl dt dd".split()
)
_TOO_DEEP = etree.XPath("/" + "/*" * MAX_DEPTH)
_CLASS_VALUES = etree.XPath("//@class")
_ID_VALUES = etree.XPath("//@id")
_ITEMPROP_VALUES = etree.XPath("//@itemprop")
_HTML_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")


@dataclass
class Prepared:
    """What the lxml pass hands on: slimmed markup for bs4 plus the page-level facts."""

    html: str
    meta: dict[str, list[str]]
    ld_blocks: list[str]
    canonical_href: str
    tokens: frozenset[str]  # class names, "#id"s and "itemprop=" values present in the page
    truncated: bool = False  # cut by our caps, or no closing </body>/</html>: the page may be partial


def _drop(element: etree._Element) -> None:
    """Remove ``element`` but keep its tail text in the document."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail and element.tail.strip():
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def prepare(html: str) -> Prepared:
    """Raw page text -> :class:`Prepared` (NUL bytes and mojibake repaired, noise stripped, capped)."""
    stripped = strip_noise(repair_mojibake(html.replace("\x00", "")))
    capped = cap_size(stripped)
    prepared = _lxml_pass(capped)
    tail = capped[-2000:].lower()
    prepared.truncated = len(capped) < len(stripped) or ("</html" not in tail and "</body" not in tail)
    return prepared


def _lxml_pass(html: str) -> Prepared:
    """One lxml (C speed) pass before bs4 builds its much slower Python tree.

    Reads meta tags, JSON-LD and the canonical link; removes site chrome (:data:`_CHROME`),
    unread attributes and inter-block whitespace; refuses pathologically nested markup,
    which libxml2 would otherwise silently flatten.
    """
    try:
        root = etree.fromstring(_XML_DECLARATION.sub("", html, count=1), _HTML_PARSER)
    except (etree.ParserError, ValueError) as exc:
        raise NotAnArticle("malformed-html", str(exc)[:200]) from exc
    if root is None:
        raise NotAnArticle("empty-page", "no elements")
    if _TOO_DEEP(root):
        raise NotAnArticle("malformed-html", f"markup nested deeper than {MAX_DEPTH} levels")
    meta: dict[str, list[str]] = {}
    ld_blocks: list[str] = []
    canonical = ""
    for element in root.iter("meta", "script", "link"):
        get = element.get
        if element.tag == "meta":
            key, content = get("property") or get("name") or get("itemprop"), get("content")
            if key and content is not None:
                meta.setdefault(key.strip().lower(), []).append(content)
        elif element.tag == "script":
            if "ld+json" in (get("type") or "").lower() and element.text:
                ld_blocks.append(element.text)
        elif not canonical and "canonical" in (get("rel") or "").lower().split() and get("href"):
            canonical = get("href", "").strip()
    for element in _CHROME(root):
        _drop(element)
    for element in root.iter(etree.Element):
        attributes = element.attrib
        for key in [k for k in attributes if k not in _KEPT_ATTRIBUTES]:
            try:
                del attributes[key]
            except (KeyError, ValueError):  # lxml reads a junk name like '{"a":1}' as namespaced: keep it
                pass
        # Whitespace between block tags never renders; each run would become a bs4 object.
        if element.tag in _BLOCKISH:
            if element.tail is not None and not element.tail.strip():
                element.tail = None
            if len(element) and element.text is not None and not element.text.strip():
                element.text = None
    tokens = {t for value in _CLASS_VALUES(root) for t in str(value).split()}
    tokens.update(f"#{value}" for value in _ID_VALUES(root))
    tokens.update(f"itemprop={value}" for value in _ITEMPROP_VALUES(root))
    html = etree.tostring(root, method="html", encoding="unicode")
    return Prepared(html, meta, ld_blocks, canonical, frozenset(tokens))
