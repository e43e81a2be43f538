"""Datelines, title prefixes, related links, language, rejections and hostile input."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samachar.models import NotAnArticle, ParsedArticle
from samachar.parse import PARSER_VERSION, PARSERS, parse_article
from samachar.parse.text import detect_language

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
STORY = [
    "राज्य सरकार ने मंगलवार को नई खेल नीति को मंजूरी दे दी, जिसके तहत हर जिले में एक आधुनिक स्टेडियम बनाया जाएगा।",
    "खेल मंत्री ने बताया कि नीति के तहत राष्ट्रीय स्तर पर पदक जीतने वाले खिलाड़ियों को सरकारी नौकरी में आरक्षण मिलेगा।",
    "ग्रामीण इलाकों में प्रतिभा खोज शिविर लगाए जाएंगे और चुने गए बच्चों को मुफ्त प्रशिक्षण दिया जाएगा।",
]


def page(first: str, *, title: str = "नई खेल नीति को मंजूरी, हर जिले में बनेगा स्टेडियम", extra: str = "",
         head: str = "") -> str:
    """A minimal WordPress-style article page whose first paragraph is ``first``."""
    paras = "".join(f"<p>{p}</p>" for p in STORY[1:])
    return (
        f'<html lang="hi"><head><title>{title} - India News</title><meta property="og:type" content="article">{head}'
        f'</head><body class="single single-post"><article><h1 class="entry-title">{title}</h1>'
        f'<div class="entry-content"><p>{first}</p>{paras}{extra}</div></article></body></html>'
    )


URL = "https://www.indianews.in/sports/khel-niti-214600/"


def test_registry_and_version():
    assert {"generic", "indianews"} <= set(PARSERS)
    assert PARSER_VERSION
    with pytest.raises(ValueError, match="unknown parser profile"):
        parse_article(page(STORY[0]), URL, profile="no-such-site")


@pytest.mark.parametrize(
    "lead,dateline",
    [
        ("<strong>India News ( इंडिया न्यूज़ )</strong> ", "India News ( इंडिया न्यूज़ )"),
        ("India News (इंडिया न्यूज़),Prayagraj Mahakumbh 2025: ", "India News (इंडिया न्यूज़),Prayagraj Mahakumbh 2025:"),
        ("India News (इंडिया न्यूज),Bihar: ", "India News (इंडिया न्यूज),Bihar:"),
        ("लखनऊ, 14 जनवरी (भाषा) ", "लखनऊ, 14 जनवरी (भाषा)"),
        ("", None),
    ],
)
def test_dateline_leaves_the_body(lead, dateline):
    art = parse_article(page(lead + STORY[0]), URL, profile="indianews")
    assert art.dateline == dateline
    assert art.body.split("\n\n")[0] == STORY[0]
    assert "India News" not in art.body and "(भाषा)" not in art.body


def test_generic_profile_keeps_india_news_house_line_it_does_not_know():
    art = parse_article(page("<strong>India News ( इंडिया न्यूज़ )</strong> " + STORY[0]), URL, profile="generic")
    assert art.dateline is None
    assert art.body.startswith("India News ( इंडिया न्यूज़ ) " + STORY[0])


@pytest.mark.parametrize(
    "title,prefix",
    [
        ("Russian President China Visit: रूस के राष्ट्रपति पुतिन जल्द करेंगे चीन का दौरा", "Russian President China Visit"),
        ("Delhi Weather: दिल्ली में बढ़ी ठिठुरन", "Delhi Weather"),
        ("महाकुंभ की सुरक्षा से नहीं हो खिलवाड़: CM योगी", None),
        ("Budget 2025: FM announces relief for salaried class", None),
    ],
)
def test_title_prefix_stays_in_title(title, prefix):
    art = parse_article(page(STORY[0], title=title), URL, profile="indianews")
    assert art.title == title
    assert art.title_prefix == prefix


def test_related_lines_become_links():
    extra = (
        '<p><strong>ये भी पढ़े-</strong> <a href="/world/nato-ukraine-214488/">Nato में यूक्रेन की सदस्यता पर फैसला नहीं</a></p>'
        "<p>ये भी पढ़ें</p><ul><li><a href='https://www.indianews.in/a-1/'>पहली खबर का शीर्षक</a></li>"
        "<li><a href='/b-2/'>दूसरी खबर का शीर्षक</a></li></ul>"
        "<p>यह भी पढ़ें: बिना लिंक वाली खबर का शीर्षक</p>"
    )
    art = parse_article(page(STORY[0], extra=extra), URL, profile="indianews")
    assert [(r.title, r.url) for r in art.related] == [
        ("Nato में यूक्रेन की सदस्यता पर फैसला नहीं", "https://www.indianews.in/world/nato-ukraine-214488/"),
        ("पहली खबर का शीर्षक", "https://www.indianews.in/a-1/"),
        ("दूसरी खबर का शीर्षक", "https://www.indianews.in/b-2/"),
        ("बिना लिंक वाली खबर का शीर्षक", ""),
    ]
    assert art.body == "\n\n".join(STORY)


def test_language_from_script_mix():
    assert detect_language(" ".join(STORY)) == "hi"
    assert detect_language("The state cabinet approved a new sports policy on Tuesday.") == "en"
    assert detect_language("राज्य सरकार ने new sports policy approve कर दी, stadium हर district में बनेगा") == "mixed"
    english = page("The state cabinet approved a new sports policy on Tuesday, with a stadium planned in every district "
                   "and free coaching for children picked at rural talent camps across the state this year.",
                   title="Cabinet clears new sports policy")
    assert parse_article(english, URL, profile="generic").language in ("mixed", "en")


REJECTS = json.loads((PAGES / "rejects" / "rejects.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(REJECTS))
def test_non_articles_are_rejected_with_a_reason(name):
    case = REJECTS[name]
    html = (PAGES / "rejects" / f"{name}.html").read_text(encoding="utf-8")
    with pytest.raises(NotAnArticle) as info:
        parse_article(html, case["url"], profile=case["profile"])
    assert info.value.reason == case["reason"]


def test_relative_dates_use_fetched_at_only():
    html = (PAGES / "portal-no-jsonld.html").read_text(encoding="utf-8")
    url = json.loads((PAGES / "portal-no-jsonld.json").read_text(encoding="utf-8"))["url"]
    assert parse_article(html, url).modified_at is None  # "22 मिनट पहले" and no fetch time
    fetched = datetime(2030, 6, 1, 12, 0, tzinfo=UTC)
    assert parse_article(html, url, fetched_at=fetched).modified_at == datetime(2030, 6, 1, 11, 38, tzinfo=UTC)


def test_result_is_deterministic_json():
    html = (PAGES / "indianews-wordpress.html").read_text(encoding="utf-8")
    url = "https://www.indianews.in/world/russian-president-putin-china-visit-214501/"
    first = parse_article(html, url, profile="indianews")
    again = ParsedArticle.from_json_dict(json.loads(json.dumps(first.to_json_dict())))
    assert again == first


# ---- hostile input -----------------------------------------------------------------------
BASE = (PAGES / "indianews-wordpress.html").read_text(encoding="utf-8")
BASE_URL = "https://www.indianews.in/world/russian-president-putin-china-visit-214501/"
HOSTILE = {
    "truncated-mid-body": BASE[: BASE.index("<h3>") + 3],
    "truncated-in-head": BASE[:3000],
    "utf8-read-as-latin1": BASE.encode("utf-8").decode("latin-1"),
    "huge-paragraph-spam": BASE.replace("</article>", "<p>भराव पाठ यहां है और यह दोहराया जाता है।</p>" * 60000 + "</article>"),
    "deep-div-nesting": BASE.replace('<div class="entry-content">', "<div>" * 50000 + '<div class="entry-content">'),
    "deep-inline-nesting": BASE.replace("<p>", "<p>" + "<span>" * 30000, 1),
    "unclosed-script": BASE.replace("</head>", '<script>var x = "' + "a" * 3_000_000),
    "many-scripts": BASE.replace("</head>", "<script>x()</script>" * 100_000 + "</head>"),
    "binary-noise": bytes(range(256)).decode("latin-1") * 4000,
    "unclosed-comments": "<!--" * 200_000 + BASE,
    "no-end-tags": BASE.replace("</p>", "").replace("</div>", ""),
    "nul-bytes": BASE.replace("क", "क\x00"),
    "huge-attribute": BASE.replace("<body", '<body data-x="' + "x" * 4_000_000 + '"'),
    "empty": "",
    "whitespace": " \n\t ",
    "plain-text": "यह कोई HTML पेज नहीं है। " * 200,
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_input_gives_result_or_clear_rejection_within_a_second(name):
    # this thread's CPU time: other threads of the test process must not count
    started = time.thread_time()
    try:
        result = parse_article(HOSTILE[name], BASE_URL, profile="indianews")
    except NotAnArticle as exc:
        assert exc.reason
    else:
        assert isinstance(result, ParsedArticle) and result.title and result.body
    assert time.thread_time() - started < 1.0


def test_latin1_mojibake_is_repaired():
    clean = parse_article(BASE, BASE_URL, profile="indianews")
    repaired = parse_article(HOSTILE["utf8-read-as-latin1"], BASE_URL, profile="indianews")
    assert (repaired.title, repaired.body) == (clean.title, clean.body)


def test_nul_bytes_do_not_leak_into_text():
    art = parse_article(HOSTILE["nul-bytes"], BASE_URL, profile="indianews")
    assert "\x00" not in art.body and "\ufffd" not in art.body


_TAGS = st.sampled_from(["<p>", "</p>", "<div class='entry-content'>", "</div>", "<h1>", "</h1>", "<script>",
                         "<!--", "-->", "<a href='x'>", "</a>", "<br>", "<article>", "<title>", "</title>",
                         '<script type="application/ld+json">{"@type":"NewsArticle","headline":', "}</script>"])
_TEXT = st.one_of(st.text(alphabet=list("राज्यसरकार ने नीति<>&\"'{}[]:,"), max_size=40),
                  st.sampled_from(["ये भी पढ़ें ", "India News (इंडिया न्यूज़) ", "22 मिनट पहले"]))


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_TAGS, _TEXT), max_size=60))
def test_random_markup_never_crashes(parts):
    try:
        parse_article("".join(parts), BASE_URL, profile="indianews")
    except NotAnArticle as exc:
        assert exc.reason


def test_page_cut_off_before_the_story_says_so():
    with pytest.raises(NotAnArticle) as info:
        parse_article(HOSTILE["truncated-mid-body"][: BASE.index('<div class="entry-content">') + 30], BASE_URL,
                      profile="indianews")
    assert info.value.reason == "truncated-page"
    with pytest.raises(NotAnArticle) as info:
        parse_article(HOSTILE["deep-div-nesting"], BASE_URL, profile="indianews")
    assert info.value.reason == "malformed-html"


def test_photo_story_without_running_text_keeps_its_captions():
    html = (PAGES / "photostory-delhi-fog.html").read_text(encoding="utf-8")
    gold = json.loads((PAGES / "photostory-delhi-fog.json").read_text(encoding="utf-8"))
    intro = gold["expected"]["body"].split("\n\n")[0]
    no_intro = html.replace(f"<p>{intro}</p>", "").replace('class="gallery-story"', 'class="g7f3a"')
    art = parse_article(no_intro, gold["url"])
    assert art.body == gold["expected"]["body"].split("\n\n", 1)[1]
    assert "कवर फोटो" not in art.body


def test_ordinary_figure_captions_stay_out():
    extra = "<figure><img src='/x.jpg'><figcaption>मंत्री प्रेस कॉन्फ्रेंस के दौरान (फाइल फोटो)</figcaption></figure>"
    art = parse_article(page(STORY[0], extra=extra), URL, profile="indianews")
    assert art.body == "\n\n".join(STORY)
