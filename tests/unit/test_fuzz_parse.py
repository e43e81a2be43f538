"""Fuzzing parse_article: whatever the page, a result or NotAnArticle, within a second of CPU.

Three sources of input: arbitrary text, random markup built from the tags, attributes, scripts
and JSON-LD a news page uses, and mutations of the real fixture pages (the inputs most likely to
reach deep into the strategy chain). Hypothesis runs derandomized and without its example
database, so a CI run is reproducible and writes nothing.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samachar.models import NotAnArticle, ParsedArticle
from samachar.parse import parse_article

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
FIXTURES = {
    path.stem: (path.read_text(encoding="utf-8"), json.loads(path.with_suffix(".json").read_text(encoding="utf-8")))
    for path in sorted(PAGES.glob("*.html"))
}
TIME_LIMIT = 1.0  # CPU seconds per call: the parse stage's budget for one page
URL = "https://www.indianews.in/world/fuzzed-story-214501/"

FUZZ = settings(deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))


def fuzz(examples: int) -> settings:
    """The shared fuzz settings with a per-test number of examples (sized for a < 30 s file)."""
    return settings(FUZZ, max_examples=examples)


def check_parse(html: str, url: str = URL, profile: str = "generic") -> ParsedArticle | None:
    """Run the parser the way the parse stage does and hold it to its contract.

    The budget is the parsing thread's own CPU time: process time would also count other threads
    of the test process (servers left by earlier tests), and it once failed CI that way. The heap
    of earlier tests is frozen (tests/unit/conftest.py), so a full collection does not count either.
    """
    started = time.thread_time()
    try:
        result = parse_article(html, url, profile=profile)
    except NotAnArticle as exc:
        assert exc.reason, "NotAnArticle needs a machine-readable reason"
        result = None
    elapsed = time.thread_time() - started
    assert elapsed <= TIME_LIMIT, f"parse took {elapsed:.2f} s of CPU on a {len(html)}-char input"
    if result is not None:
        assert isinstance(result, ParsedArticle)
        assert result.title.strip() and result.body.strip()
        record = result.to_json_dict()
        json.dumps(record)  # the stage stages this as jsonb
        texts = [v for v in record.values() if isinstance(v, str)] + list(result.authors) + list(result.tags)
        assert not any("\x00" in t for t in texts), "NUL bytes must not reach the parsed text"
    return result


def test_fixture_pages_are_articles() -> None:
    """The mutation tests start from pages that parse; otherwise they would only fuzz rejections."""
    assert FIXTURES
    for name, (html, gold) in FIXTURES.items():
        assert check_parse(html, gold["url"], gold["profile"]) is not None, name


# ---- arbitrary text ---------------------------------------------------------------------------

@fuzz(150)
@given(st.text(max_size=3000))
def test_arbitrary_text(text: str) -> None:
    check_parse(text)


@fuzz(40)
@given(st.binary(max_size=4000), st.sampled_from(["utf-8", "latin-1", "cp1252", "utf-16"]))
def test_arbitrary_bytes_decoded_leniently(data: bytes, encoding: str) -> None:
    check_parse(data.decode(encoding, errors="replace"))


# ---- random markup ------------------------------------------------------------------------------

DEVANAGARI = st.characters(min_codepoint=0x0900, max_codepoint=0x097F)
WORDS = st.sampled_from([
    "सरकार", "ने", "नीति", "ज़िंदगी", "राष्ट्रीय", "ये भी पढ़ें:", "India News ( इंडिया न्यूज़ )", "22 मिनट पहले",
    "13 जनवरी 2025 10:15 AM IST", "PTI", "नई दिल्ली, 18 जनवरी (भाषा)", "404", "Subscribe to read", "Recent Posts",
])
TEXT = st.one_of(
    WORDS,
    st.text(alphabet=st.one_of(DEVANAGARI, st.sampled_from(list("abcXYZ 0123<>&;\"'\\/{}[]:,.\n\t\u200c\u200d"))),
            max_size=80),
)
TAGS = st.sampled_from([
    "html", "head", "body", "title", "meta", "link", "article", "main", "header", "footer", "nav", "aside",
    "div", "section", "p", "span", "a", "h1", "h2", "h3", "strong", "em", "figure", "figcaption", "img", "time",
    "ul", "li", "table", "tr", "td", "br", "iframe", "noscript", "svg", "template", "amp-img", "blockquote",
])
ATTR_NAMES = st.sampled_from([
    "class", "id", "href", "src", "rel", "content", "property", "name", "itemprop", "datetime", "type", "style",
    "hidden", "lang", "charset", "data-x", "onclick", '{"a":1}', "{x}y", "{}}<", "a:b", "xml:lang",
])
ATTR_VALUES = st.one_of(
    st.sampled_from([
        "entry-content", "entry-title", "post type-post", "canonical", "og:title", "og:type", "article",
        "article:published_time", "author", "headline", "articleBody", "2025-01-13T10:15:00+05:30", "not-a-date",
        "display:none", "https://www.indianews.in/world/x-1/", "javascript:alert(1)", "/relative/path/", "//cdn/x.jpg",
    ]),
    TEXT,
)
JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), TEXT),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(
        st.one_of(st.sampled_from(["@type", "@graph", "headline", "articleBody", "datePublished", "author",
                                   "name", "url", "mainEntityOfPage", "@id", "image", "keywords"]), TEXT),
        inner, max_size=5)),
    max_leaves=20,
)
NEWS_NODE = st.fixed_dictionaries(
    {"@type": st.sampled_from(["NewsArticle", "Article", "LiveBlogPosting", ["NewsArticle", "Thing"], 7]),
     "headline": st.one_of(TEXT, JSON_VALUES),
     "articleBody": st.one_of(TEXT.map(lambda t: (t + " ") * 40), JSON_VALUES),
     "datePublished": st.one_of(st.sampled_from(["2025-01-13T10:15:00+05:30", "13/01/2025", ""]), JSON_VALUES)},
    optional={"author": JSON_VALUES, "url": st.just(URL), "@graph": JSON_VALUES},
)


@st.composite
def json_ld_blocks(draw: st.DrawFn) -> str:
    """A ld+json script: valid JSON (a news node, a graph, or anything), or JSON cut and mangled."""
    node = draw(st.one_of(NEWS_NODE, NEWS_NODE.map(lambda n: {"@context": "https://schema.org", "@graph": [n]}),
                          JSON_VALUES))
    text = json.dumps(node, ensure_ascii=draw(st.booleans()))
    mangle = draw(st.sampled_from(["none", "cut", "comma", "html-escaped", "comments"]))
    if mangle == "cut":
        text = text[: draw(st.integers(0, len(text)))]
    elif mangle == "comma":
        text = text.replace("}", ",}")
    elif mangle == "html-escaped":
        text = text.replace('"', "&quot;")
    elif mangle == "comments":
        text = "/* yoast */ " + text + " // end"
    return f'<script type="application/ld+json">{text}</script>'


@st.composite
def elements(draw: st.DrawFn, depth: int = 0) -> str:
    """One element with random attributes and children (text, elements, JSON-LD); closing tag optional."""
    tag = draw(TAGS)
    attrs = draw(st.lists(st.tuples(ATTR_NAMES, ATTR_VALUES), max_size=3))
    quote = draw(st.sampled_from(['"', "'", ""]))
    opening = "<" + tag + "".join(f" {k}={quote}{v}{quote}" for k, v in attrs) + ">"
    children = []
    if depth < 4:
        children = draw(st.lists(st.one_of(TEXT, json_ld_blocks(), elements(depth + 1)), max_size=4))
    closing = draw(st.sampled_from([f"</{tag}>", f"</{tag}>", "", "</div>", "</p"]))
    return opening + "".join(children) + closing


@st.composite
def documents(draw: st.DrawFn) -> str:
    head = "".join(draw(st.lists(st.one_of(json_ld_blocks(), elements(3)), max_size=4)))
    body = "".join(draw(st.lists(st.one_of(elements(), TEXT), max_size=6)))
    doctype = draw(st.sampled_from(["<!DOCTYPE html>", "", "<?xml version='1.0' encoding='utf-8'?>"]))
    return f'{doctype}<html lang="hi-IN"><head>{head}</head><body>{body}</body></html>'


@fuzz(200)
@given(documents(), st.sampled_from(["generic", "indianews"]))
def test_random_markup(html: str, profile: str) -> None:
    check_parse(html, profile=profile)


@pytest.mark.parametrize("name", ['{"@type":"NewsArticle"}', "{}}<", "{x}y", "{"])
def test_attribute_names_that_look_namespaced(name: str) -> None:
    """Found by fuzzing: lxml reads an attribute named '{...}...' as namespaced and cannot delete it
    by key, so stripping unread attributes raised ValueError/KeyError out of parse_article."""
    body = "<p>" + "सरकार ने नई नीति बनाई और उसे पूरे देश में लागू किया। " * 8 + "</p>"
    html = (f"<html><head><title>नीति</title></head><body><h1>नई नीति</h1>"
            f"<article {name} class='\x01story'>{body}</article></body></html>")  # a control char in a kept value
    result = check_parse(html)
    assert result is not None and result.title == "नई नीति"


@pytest.mark.parametrize("name", ["class", "id"])
@pytest.mark.parametrize("tag", ["<p", "<h1", "<div"])
def test_megabyte_class_or_id_stays_within_the_time_limit(tag: str, name: str) -> None:
    """Found by fuzzing: a ~1 MB class or id was rescanned for every text node below it (~1 s of CPU)."""
    html, gold = FIXTURES["bhaskar-jsonld-only"]
    check_parse(html.replace(tag, f'{tag} {name}="{"a b " * 245_000}"', 1), gold["url"], gold["profile"])


@fuzz(60)
@given(st.lists(json_ld_blocks(), min_size=1, max_size=3), st.sampled_from(sorted(FIXTURES)))
def test_random_json_ld_injected_into_real_pages(blocks: list[str], name: str) -> None:
    """Hostile JSON-LD in front of (and so chosen over) the page's own metadata."""
    html, gold = FIXTURES[name]
    check_parse(html.replace("</head>", "".join(blocks) + "</head>", 1), gold["url"], gold["profile"])


# ---- mutations of the real pages -------------------------------------------------------------------

def _flip_bytes(html: str, data: st.DataObject) -> str:
    raw = bytearray(html.encode("utf-8", errors="surrogatepass"))
    if not raw:  # an earlier mutation (a truncation at 0) left nothing to flip
        return html
    for _ in range(data.draw(st.integers(1, 40), label="flips")):
        raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    return raw.decode("utf-8", errors=data.draw(st.sampled_from(["replace", "ignore", "surrogateescape"])))


def _truncate(html: str, data: st.DataObject) -> str:
    return html[: data.draw(st.integers(0, len(html)), label="cut at")]


def _delete_tags(html: str, data: st.DataObject) -> str:
    for _ in range(data.draw(st.integers(1, 30), label="deletions")):
        start = html.find("<", data.draw(st.integers(0, len(html))))
        end = html.find(">", start)
        if start < 0 or end < 0:
            break
        html = html[:start] + html[end + 1 :]
    return html


def _duplicate(html: str, data: st.DataObject) -> str:
    start = data.draw(st.integers(0, len(html)))
    end = data.draw(st.integers(start, min(len(html), start + 4000)))
    copies = data.draw(st.integers(2, 200), label="copies")
    return html[:end] + html[start:end] * copies + html[end:]


def _nest(html: str, data: st.DataObject) -> str:
    tag = data.draw(st.sampled_from(["div", "span", "p", "b", "table", "li", "a", "article"]))
    depth = data.draw(st.integers(100, 60_000), label="depth")
    at = html.find("<", data.draw(st.integers(0, len(html))))
    at = len(html) if at < 0 else at
    closing = f"</{tag}>" * depth if data.draw(st.booleans()) else ""
    return html[:at] + f"<{tag}>" * depth + html[at:].replace("</body>", closing + "</body>", 1)


def _huge_attribute(html: str, data: st.DataObject) -> str:
    name = data.draw(st.sampled_from(["class", "data-x", "content", "href", "style", "id"]))
    size = data.draw(st.integers(10_000, 3_000_000), label="attribute size")
    value = data.draw(st.sampled_from(["x", "ज़", "a b ", '\\"']))
    tag = data.draw(st.sampled_from(["<body", "<article", "<p", "<h1", "<meta", '<div class="entry-content"']))
    return html.replace(tag, f'{tag} {name}="{value * (size // len(value))}"', 1)


def _wrong_encoding(html: str, data: st.DataObject) -> str:
    writer, reader = data.draw(st.sampled_from([
        ("utf-8", "latin-1"), ("utf-8", "cp1252"), ("utf-16", "latin-1"), ("utf-16-le", "utf-8"),
        ("utf-32", "latin-1"), ("cp1252", "utf-8"), ("iso-8859-15", "utf-8"), ("utf-8", "koi8-r"),
    ]), label="written as, read as")
    return html.encode(writer, errors="replace").decode(reader, errors="replace")


def _double_mojibake(html: str, data: st.DataObject) -> str:
    """UTF-8 read as Latin-1 twice over, then part of it cut: repair must not loop or explode."""
    for _ in range(data.draw(st.integers(1, 3), label="rounds")):
        html = html.encode("utf-8", errors="surrogatepass").decode("latin-1")
    return html[: data.draw(st.integers(0, len(html)))]


MUTATIONS = {
    "flip-bytes": _flip_bytes, "truncate": _truncate, "delete-tags": _delete_tags, "duplicate": _duplicate,
    "nest": _nest, "huge-attribute": _huge_attribute, "wrong-encoding": _wrong_encoding,
    "double-mojibake": _double_mojibake,
}


@fuzz(25)
@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
@given(name=st.sampled_from(sorted(FIXTURES)), data=st.data())
def test_mutated_fixture_pages(mutation: str, name: str, data: st.DataObject) -> None:
    html, gold = FIXTURES[name]
    mutated = MUTATIONS[mutation](html, data)
    check_parse(mutated, gold["url"], gold["profile"])


@fuzz(40)
@given(name=st.sampled_from(sorted(FIXTURES)), data=st.data())
def test_stacked_mutations(name: str, data: st.DataObject) -> None:
    """Two to four mutations in a row (e.g. a duplicated, re-encoded, truncated page)."""
    html, gold = FIXTURES[name]
    for mutation in data.draw(st.lists(st.sampled_from(sorted(MUTATIONS)), min_size=2, max_size=4), label="steps"):
        html = MUTATIONS[mutation](html, data)
    check_parse(html, gold["url"], gold["profile"])
