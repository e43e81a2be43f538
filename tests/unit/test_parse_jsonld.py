"""JSON-LD decoding and the choice of the article node when blocks disagree."""

from __future__ import annotations

from samachar.parse import jsonld

PAGE = "https://example.in/desh/story-1.html"


def test_lenient_decoding():
    assert jsonld.decode_block('{"@type": "NewsArticle", "headline": "ख़बर",}') == {"@type": "NewsArticle", "headline": "ख़बर"}
    assert jsonld.decode_block('//<![CDATA[\n{"@type": "Article"}\n//]]>') == {"@type": "Article"}
    assert jsonld.decode_block('{"headline": "line\nbreak"}') == {"headline": "line\nbreak"}
    assert jsonld.decode_block("{not json") is None


def test_nodes_are_found_in_graphs_lists_and_main_entity():
    data = [
        {"@context": "https://schema.org", "@graph": [{"@type": "WebPage"}, {"@type": ["NewsArticle"], "headline": "a"}]},
        {"@type": "WebPage", "mainEntity": {"@type": "ReportageNewsArticle", "headline": "b"}},
    ]
    kinds = [jsonld.types_of(n) for n in jsonld.iter_nodes(data)]
    assert {"NewsArticle"} in kinds and {"ReportageNewsArticle"} in kinds
    assert jsonld.types_of({"@type": "schema:NewsArticle"}) == {"NewsArticle"}


def test_block_about_this_page_beats_a_more_specific_block_about_another():
    other = {"@type": "NewsArticle", "headline": "दूसरी खबर", "articleBody": "...", "mainEntityOfPage": "https://example.in/x.html"}
    mine = {"@type": "Article", "headline": "यह खबर", "mainEntityOfPage": {"@id": PAGE}}
    assert jsonld.choose_article([other, mine], page_urls=[PAGE], visible_title="") is mine


def test_headline_matching_the_visible_title_breaks_a_url_tie():
    stale = {"@type": "NewsArticle", "headline": "पुराना शीर्षक", "url": PAGE}
    fresh = {"@type": "NewsArticle", "headline": "नया शीर्षक", "url": PAGE}
    assert jsonld.choose_article([stale, fresh], page_urls=[PAGE], visible_title="नया शीर्षक") is fresh


def test_news_type_then_document_order_break_remaining_ties():
    plain = {"@type": "Article", "headline": "x"}
    news = {"@type": "NewsArticle", "headline": "y"}
    first_news = {"@type": "NewsArticle", "headline": "z"}
    assert jsonld.choose_article([plain, news], page_urls=[], visible_title="") is news
    assert jsonld.choose_article([first_news, news], page_urls=[], visible_title="") is first_news
    assert jsonld.choose_article([{"@type": "WebPage"}], page_urls=[], visible_title="") is None


def test_value_helpers():
    nodes = [{"@id": "#p1", "@type": "Person", "name": "राहुल मिश्रा"}, {"@id": "#img", "url": "https://e.in/a.jpg"}]
    assert jsonld.names(jsonld.resolve([{"@id": "#p1"}, {"name": "Agency"}, "नेहा"], nodes)) == ["राहुल मिश्रा", "Agency", "नेहा"]
    assert jsonld.image_url(jsonld.resolve({"@id": "#img"}, nodes)) == "https://e.in/a.jpg"
    assert jsonld.image_url({"@id": "#unresolved"}) == ""
    assert jsonld.keywords("RBI, Repo Rate , ,EMI") == ["RBI", "Repo Rate", "EMI"]
    assert jsonld.text_value("Tom &amp; Jerry") == "Tom & Jerry"
