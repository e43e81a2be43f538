"""HTML, RSS and sitemap text of the replay site: pure functions of catalogue entries.

The markup follows the real India News WordPress theme (see docs/ARCHITECTURE.md) closely enough
that the ``indianews`` parser written against it works on the real site too.
"""

from __future__ import annotations

import json
import struct
import zlib
from collections.abc import Iterator, Sequence
from datetime import datetime
from email.utils import format_datetime
from functools import cache
from html import escape

from samachar.devsite.catalogue import (
    AUTHOR_BEATS,
    IST,
    SITE_NAME,
    Block,
    CatalogueEntry,
    RecentPost,
    categories,
    hindi_date,
    human_time_diff,
    slugify,
)

NEWS_WINDOW_HOURS = 48


def _t(text: str) -> str:
    return escape(text, quote=False)


def _a(text: str) -> str:
    return escape(text, quote=True)


def _iso(when: datetime) -> str:
    return when.astimezone(IST).isoformat()


def _header() -> str:
    items = "".join(
        f'<li class="menu-item"><a href="/category/{slug}/">{_t(name)}</a></li>' for slug, name in categories().items()
    )
    return (
        '<header id="masthead" class="site-header"><div class="site-branding">'
        f'<a href="/" rel="home" class="custom-logo-link"><span class="site-title">{SITE_NAME}</span></a>'
        '<p class="site-description">हिंदी समाचार, ताज़ा ख़बरें, Latest News in Hindi</p></div>'
        f'<nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu">'
        f'<li class="menu-item"><a href="/">होम</a></li>{items}</ul></nav>'
        '<div class="breaking-news"><span>Breaking News</span> <a href="/">सभी ताज़ा ख़बरें पढ़ें</a></div></header>\n'
    )


def _footer() -> str:
    return (
        '<footer id="colophon" class="site-footer"><div class="footer-widgets">'
        '<section class="widget"><h2 class="widget-title">About Us</h2><p>India News हिंदी समाचार का भरोसेमंद '
        'डिजिटल मंच है। देश, विदेश, राजनीति, खेल, बिज़नेस और मनोरंजन की हर ख़बर सबसे पहले।</p></section>'
        '<section class="widget"><ul><li><a href="/about-us/">About Us</a></li><li><a href="/contact-us/">Contact Us</a>'
        '</li><li><a href="/privacy-policy/">Privacy Policy</a></li></ul></section></div>'
        '<div class="site-info">© 2025 India News. All Rights Reserved.</div></footer>\n'
        '<script src="/wp-includes/js/jquery/jquery.min.js?ver=3.7.1" id="jquery-core-js"></script>\n'
    )


def _recent_widget(posts: Sequence[RecentPost], now: datetime) -> str:
    items = "".join(
        f'<li><a href="{_a(p.url)}">{_t(p.title)}</a><p>{_t(p.excerpt)}</p>'
        f'<span class="post-date">{human_time_diff(p.published_at, now)}</span></li>'
        for p in posts
    )
    return (
        '<aside id="secondary" class="sidebar widget-area"><section class="widget widget_recent_entries">'
        f'<h2 class="widget-title">Recent Posts</h2><ul>{items}</ul></section>'
        '<section class="widget widget_text"><div class="ad-slot ad-sidebar"><span>Advertisement</span>'
        '<ins class="adsbygoogle" data-ad-slot="3017"></ins></div></section></aside>\n'
    )


def _head(title: str, canonical: str, extra: str = "", description: str = "") -> str:
    desc = f'<meta name="description" content="{_a(description)}">\n' if description else ""
    return (
        '<!DOCTYPE html>\n<html lang="hi-IN">\n<head>\n<meta charset="UTF-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_t(title)} - {SITE_NAME}</title>\n{desc}"
        f'<link rel="canonical" href="{_a(canonical)}">\n'
        '<meta property="og:locale" content="hi_IN">\n'
        f'<meta property="og:site_name" content="{SITE_NAME}">\n{extra}'
        '<link rel="stylesheet" id="theme-css" href="/wp-content/themes/newsup/style.css?ver=6.4.2" media="all">\n'
        '<script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);}</script>\n'
        "</head>\n"
    )


def _jsonld(entry: CatalogueEntry) -> str:
    base = entry.url[: -len(entry.path)]
    org = {"@type": "Organization", "@id": f"{base}/#organization", "name": SITE_NAME, "url": f"{base}/",
           "logo": {"@type": "ImageObject", "url": f"{base}/wp-content/uploads/2023/01/logo.png"}}
    webpage = {"@type": "WebPage", "@id": entry.url, "url": entry.url, "name": f"{entry.title} - {SITE_NAME}",
               "inLanguage": "hi-IN", "isPartOf": {"@id": f"{base}/#website"}}
    graph: list[dict[str, object]] = [org, webpage]
    if entry.jsonld == "news":
        article: dict[str, object] = {
            "@type": "NewsArticle", "@id": f"{entry.url}#article", "headline": entry.title,
            "description": entry.summary, "datePublished": _iso(entry.published_at),
            "dateModified": _iso(entry.modified_at), "articleSection": entry.category,
            "keywords": entry.tags, "inLanguage": "hi-IN", "mainEntityOfPage": {"@id": entry.url},
            "author": [{"@type": "Person", "name": a, "url": f"{base}/author/{slugify(a)}/"} for a in entry.authors],
            "publisher": {"@id": f"{base}/#organization"},
        }
        if entry.lead_image:
            article["image"] = {"@type": "ImageObject", "url": entry.lead_image, "width": 1200, "height": 675}
        graph.append(article)
    data = json.dumps({"@context": "https://schema.org", "@graph": graph}, ensure_ascii=False).replace("</", "<\\/")
    return f'<script type="application/ld+json" class="yoast-schema-graph">{data}</script>\n'


def _inline(block: Block) -> str:
    text = _t(block.text)
    if block.link:
        phrase, href = block.link
        text = text.replace(_t(phrase), f'<a href="{_a(href)}">{_t(phrase)}</a>', 1)
    if block.bold:
        text = text.replace(_t(block.bold), f"<strong>{_t(block.bold)}</strong>", 1)
    return text


def _block(block: Block, entry: CatalogueEntry) -> str:
    if block.kind == "lead":
        return f"<p><strong>{_t(entry.dateline or '')}</strong> {_inline(block)}</p>\n"
    if block.kind == "p":
        return f"<p>{_inline(block)}</p>\n"
    if block.kind in ("h2", "h3"):
        return f'<{block.kind} class="wp-block-heading">{_t(block.text)}</{block.kind}>\n'
    if block.kind == "related" and block.related:
        return (f"<p><strong>{_t(block.related_prefix)}</strong> "
                f'<a href="{_a(block.related.url)}">{_t(block.related.title)}</a></p>\n')
    if block.kind == "ad":
        return ('<div class="ad-slot ad-inarticle"><span class="ad-label">Advertisement</span>'
                '<ins class="adsbygoogle" style="display:block" data-ad-format="fluid"></ins></div>\n')
    if block.kind == "script":
        return "<script>(adsbygoogle = window.adsbygoogle || []).push({}); /* पढ़ना जारी रखें */</script>\n"
    return "<p>&nbsp;</p>\n"


def render_article(entry: CatalogueEntry) -> str:
    """The full HTML page of one article (deterministic: the same entry gives the same bytes)."""
    base = entry.url[: -len(entry.path)]
    meta = [
        '<meta property="og:type" content="article">',
        f'<meta property="og:title" content="{_a(entry.title)}">',
        f'<meta property="og:description" content="{_a(entry.summary)}">',
        f'<meta property="og:url" content="{_a(entry.url)}">',
    ]
    if entry.lead_image:
        meta.append(f'<meta property="og:image" content="{_a(entry.lead_image)}">')
    meta += [
        f'<meta property="article:published_time" content="{_iso(entry.published_at)}">',
        f'<meta property="article:modified_time" content="{_iso(entry.modified_at)}">',
        f'<meta property="article:section" content="{_a(entry.category)}">',
        *(f'<meta property="article:tag" content="{_a(t)}">' for t in entry.tags),
        *(f'<meta name="author" content="{_a(a)}">' for a in entry.authors),
        '<meta name="twitter:card" content="summary_large_image">',
    ]
    extra = "\n".join(meta) + "\n" + (_jsonld(entry) if entry.jsonld else "")
    authors = ", ".join(
        f'<span class="author vcard"><a class="url fn n" href="/author/{slugify(a)}/">{_t(a)}</a></span>'
        for a in entry.authors
    )
    figure = ""
    if entry.lead_image:
        figure = (f'<figure class="post-thumbnail"><img src="{_a(entry.lead_image[len(base):])}" width="1200" '
                  f'height="675" alt="{_a(entry.title)}" decoding="async"><figcaption>{_t(entry.image_caption)}'
                  "</figcaption></figure>\n")
    share = (
        '<div class="share-bar"><span>Share</span> '
        f'<a class="share-whatsapp" href="https://api.whatsapp.com/send?text={_a(entry.url)}">WhatsApp</a> '
        f'<a class="share-facebook" href="https://www.facebook.com/sharer.php?u={_a(entry.url)}">Facebook</a> '
        f'<a class="share-twitter" href="https://twitter.com/intent/tweet?url={_a(entry.url)}">Twitter</a></div>\n'
    )
    tags = "".join(f'<a href="/tag/{s}/" rel="tag">{_t(n)}</a>' for n, s in zip(entry.tags, entry.tag_slugs, strict=False))
    author = entry.authors[0]
    bio = (f"{author} इंडिया न्यूज़ डिजिटल में कंटेंट राइटर हैं। इन्हें "
           f"{AUTHOR_BEATS.get(author, 'देश-दुनिया')} की खबरों में खास रुचि है।")
    body = "".join(_block(b, entry) for b in entry.blocks)
    return (
        _head(entry.title, entry.url, extra, entry.summary)
        + f'<body class="post-template-default single single-post postid-{entry.id} single-format-standard">\n'
        + _header()
        + '<div id="content" class="site-content"><main id="primary" class="site-main">\n'
        + f'<article id="post-{entry.id}" class="post-{entry.id} post type-post status-publish format-standard '
        + f'has-post-thumbnail category-{entry.category_slug}">\n'
        + f'<div class="entry-category"><a href="/category/{entry.category_slug}/" rel="category tag">'
        + f"{_t(entry.category)}</a></div>\n"
        + f'<h1 class="entry-title">{_t(entry.title)}</h1>\n'
        + f'<div class="entry-meta">{authors} '
        + f'<time class="entry-date published" datetime="{_iso(entry.published_at)}">{hindi_date(entry.published_at)}</time> '
        + f'<time class="updated" datetime="{_iso(entry.modified_at)}">{hindi_date(entry.modified_at)}</time></div>\n'
        + figure
        + share
        + f'<div class="entry-content">\n{body}</div>\n'
        + f'<div class="entry-tags"><span>Tags:</span> {tags}</div>\n'
        + f'<div class="author-box"><h4>{_t(author)}</h4><p>{_t(bio)}</p></div>\n'
        + "</article>\n"
        + '<nav class="navigation post-navigation"><h2 class="screen-reader-text">Post navigation</h2></nav>\n'
        + "</main>\n"
        + _recent_widget(entry.recent, entry.published_at)
        + "</div>\n"
        + _footer()
        + "</body>\n</html>\n"
    )


def render_listing(*, heading: str, canonical: str, entries: Sequence[CatalogueEntry], page: int, pages: int,
                   page_url: str, sidebar: Sequence[RecentPost], now: datetime, body_class: str = "archive") -> str:
    """An archive, category, tag, author or home page: ``entries`` are this page's posts.

    ``page_url`` is the first page's path; page N lives at ``{page_url}page/N/``.
    """
    posts = "".join(
        f'<article id="post-{e.id}" class="post-{e.id} post type-post status-publish category-{e.category_slug}">'
        f'<h2 class="entry-title"><a href="{_a(e.url)}" rel="bookmark">{_t(e.title)}</a></h2>'
        f'<div class="entry-meta"><time class="entry-date published" datetime="{_iso(e.published_at)}">'
        f"{hindi_date(e.published_at)}</time></div>"
        f'<div class="entry-summary"><p>{_t(e.summary)}</p></div></article>\n'
        for e in entries
    )

    def link(n: int) -> str:
        return page_url if n == 1 else f"{page_url}page/{n}/"

    nav = ""
    if pages > 1:
        parts = []
        if page > 1:
            parts.append(f'<a class="prev page-numbers" href="{link(page - 1)}">Previous</a>')
        for n in range(1, pages + 1):
            if n == page:
                parts.append(f'<span aria-current="page" class="page-numbers current">{n}</span>')
            elif n in (1, pages) or abs(n - page) <= 2:
                parts.append(f'<a class="page-numbers" href="{link(n)}">{n}</a>')
        if page < pages:
            parts.append(f'<a class="next page-numbers" href="{link(page + 1)}">Next</a>')
        nav = f'<nav class="navigation pagination"><div class="nav-links">{"".join(parts)}</div></nav>\n'
    title = heading if page == 1 else f"{heading} - Page {page}"
    return (
        _head(title, canonical)
        + f'<body class="{body_class} paged-{page}">\n'
        + _header()
        + '<div id="content" class="site-content"><main id="primary" class="site-main">\n'
        + f'<header class="page-header"><h1 class="page-title">{_t(heading)}</h1></header>\n'
        + posts
        + nav
        + "</main>\n"
        + _recent_widget(sidebar, now)
        + "</div>\n"
        + _footer()
        + "</body>\n</html>\n"
    )


def render_not_found(base_url: str, sidebar: Sequence[RecentPost], now: datetime) -> str:
    """WordPress's 404 page: a real page with menus and widgets, served with status 404."""
    return (
        _head("पेज नहीं मिला", f"{base_url}/")
        + '<body class="error404">\n'
        + _header()
        + '<div id="content" class="site-content"><main id="primary" class="site-main">\n'
        + '<section class="error-404 not-found"><header class="page-header"><h1 class="page-title">'
        + "Oops! That page can&rsquo;t be found.</h1></header><div class="
        + '"page-content"><p>माफ़ कीजिए, आप जो पेज ढूंढ रहे हैं वह उपलब्ध नहीं है। नीचे दी गई ताज़ा ख़बरें पढ़ें या '
        + 'सर्च करें।</p><form role="search" action="/"><input type="search" name="s"></form></div></section>\n'
        + "</main>\n"
        + _recent_widget(sidebar, now)
        + "</div>\n"
        + _footer()
        + "</body>\n</html>\n"
    )


def render_error_page(status: int, reason: str) -> str:
    """The short page a proxy or PHP-FPM in trouble sends with a 4xx/5xx status."""
    return (f"<!DOCTYPE html>\n<html><head><title>{status} {_t(reason)}</title></head>\n"
            f"<body><center><h1>{status} {_t(reason)}</h1></center><hr><center>nginx</center></body></html>\n")


# ---------------------------------------------------------------------------------------------
# feeds and sitemaps


def rfc822(when: datetime) -> str:
    """``Mon, 13 Jan 2025 10:15:00 +0530`` (RSS pubDate, in IST as the site sends it)."""
    return format_datetime(when.astimezone(IST))


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def render_rss(entries: Sequence[CatalogueEntry], base_url: str, build_date: datetime) -> str:
    """RSS 2.0 of ``entries`` (the caller picks the latest 20, newest first)."""
    items = "".join(
        "\t<item>\n"
        f"\t\t<title>{_t(e.title)}</title>\n"
        f"\t\t<link>{_t(e.url)}</link>\n"
        f"\t\t<dc:creator>{_cdata(e.authors[0])}</dc:creator>\n"
        f"\t\t<pubDate>{rfc822(e.published_at)}</pubDate>\n"
        + "".join(f"\t\t<category>{_cdata(c)}</category>\n" for c in [e.category, *e.tags])
        + f'\t\t<guid isPermaLink="false">{_t(base_url)}/?p={e.id}</guid>\n'
        f"\t\t<description>{_cdata(e.summary)}</description>\n"
        "\t</item>\n"
        for e in entries
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom" '
        'xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">\n<channel>\n'
        f"\t<title>{SITE_NAME}</title>\n"
        f'\t<atom:link href="{_a(base_url)}/feed/" rel="self" type="application/rss+xml" />\n'
        f"\t<link>{_t(base_url)}</link>\n"
        "\t<description>Latest News in Hindi</description>\n"
        f"\t<lastBuildDate>{rfc822(build_date)}</lastBuildDate>\n"
        "\t<language>hi-IN</language>\n\t<sy:updatePeriod>hourly</sy:updatePeriod>\n"
        f"{items}</channel>\n</rss>\n"
    )


_SITEMAP_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'


def render_sitemap_index(sitemaps: Sequence[tuple[str, datetime]]) -> str:
    """Yoast-style sitemap index: ``(loc, lastmod)`` per child sitemap."""
    rows = "".join(f"\t<sitemap>\n\t\t<loc>{_t(loc)}</loc>\n\t\t<lastmod>{_iso(m)}</lastmod>\n\t</sitemap>\n"
                   for loc, m in sitemaps)
    return (_SITEMAP_HEAD + '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            + rows + "</sitemapindex>\n")


def render_urlset(rows: Sequence[tuple[str, datetime | None, str | None]]) -> str:
    """A sitemap of ``(loc, lastmod, image)`` rows."""
    out = []
    for loc, lastmod, image in rows:
        out.append(f"\t<url>\n\t\t<loc>{_t(loc)}</loc>\n")
        if lastmod:
            out.append(f"\t\t<lastmod>{_iso(lastmod)}</lastmod>\n")
        if image:
            out.append(f"\t\t<image:image>\n\t\t\t<image:loc>{_t(image)}</image:loc>\n\t\t</image:image>\n")
        out.append("\t</url>\n")
    return (_SITEMAP_HEAD + '<urlset xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1" '
            'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + "".join(out) + "</urlset>\n")


def render_news_sitemap(entries: Sequence[CatalogueEntry]) -> str:
    """Google News sitemap of ``entries`` (the caller picks the last two days)."""
    rows = "".join(
        f"\t<url>\n\t\t<loc>{_t(e.url)}</loc>\n\t\t<news:news>\n\t\t\t<news:publication>\n"
        f"\t\t\t\t<news:name>{SITE_NAME}</news:name>\n\t\t\t\t<news:language>hi</news:language>\n"
        f"\t\t\t</news:publication>\n\t\t\t<news:publication_date>{_iso(e.published_at)}</news:publication_date>\n"
        f"\t\t\t<news:title>{_t(e.title)}</news:title>\n\t\t</news:news>\n\t</url>\n"
        for e in entries
    )
    return (_SITEMAP_HEAD + '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n' + rows + "</urlset>\n")


def render_robots(base_url: str, disallow: Sequence[str], crawl_delay: float | None) -> str:
    """robots.txt with the site's sitemaps, the configured ``Disallow`` lines and ``Crawl-delay``."""
    lines = ["User-agent: *", "Disallow: /wp-admin/", *(f"Disallow: {p}" for p in disallow),
             "Allow: /wp-admin/admin-ajax.php"]
    if crawl_delay is not None:
        lines.append(f"Crawl-delay: {crawl_delay:g}")
    lines += ["", f"Sitemap: {base_url}/sitemap_index.xml", f"Sitemap: {base_url}/news-sitemap.xml", ""]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# fault pages


CP1252_TITLE = "Markets “rally” as rupee firms – investors cheer €2 bn inflow"
CP1252_PARAGRAPHS = (
    "Mumbai: Shares closed higher on Monday as the rupee firmed against the dollar and the euro, "
    "with traders calling it a “relief rally” after weeks of selling.",
    "“We’re seeing real buying – not just short covering,” said one dealer. Foreign funds put about "
    "€2 bn into Indian equities this month… the most since August.",
    "Analysts’ targets for the Sensex were raised by 3–5 per cent; the café-and-retail sector led gains.",
)


def render_cp1252_page(entry: CatalogueEntry) -> bytes:
    """An English article in windows-1252 bytes (smart quotes, €, dashes) for the ``cp1252-as-utf8`` fault.

    The server labels it UTF-8, as misconfigured sites do; decoding it as UTF-8 fails.
    """
    paras = "".join(f"<p>{_t(p)}</p>\n" for p in CP1252_PARAGRAPHS)
    html = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n'
        f"<title>{_t(CP1252_TITLE)} - {SITE_NAME}</title>\n"
        f'<link rel="canonical" href="{_a(entry.url)}">\n'
        f'<meta property="og:title" content="{_a(CP1252_TITLE)}">\n'
        f'<meta property="article:published_time" content="{_iso(entry.published_at)}">\n'
        f'</head>\n<body class="single single-post postid-{entry.id}">\n'
        f'<article id="post-{entry.id}" class="post-{entry.id} post type-post status-publish">\n'
        f'<h1 class="entry-title">{_t(CP1252_TITLE)}</h1>\n'
        f'<div class="entry-content">\n{paras}</div>\n</article>\n</body>\n</html>\n'
    )
    return html.encode("cp1252")


def truncate_mid_tag(html: str) -> str:
    """The page cut off inside the first tag of the story body (as a crashed PHP worker leaves it)."""
    start = html.find('<div class="entry-content">')
    if start < 0:
        return html[: len(html) // 3]
    cut = html.find("<p", start + 27)
    return html[: (cut if cut >= 0 else start) + 2]


def iter_huge_page(total_bytes: int, chunk: int = 64 * 1024) -> Iterator[bytes]:
    """A valid HTML page of exactly ``total_bytes`` bytes (at least its head and tail), piece by piece."""
    head = b'<!DOCTYPE html>\n<html lang="hi-IN"><head><meta charset="UTF-8"><title>Huge</title></head><body>\n'
    tail = b"</body></html>\n"
    para = "<p>यह एक बहुत लंबा पेज है। This page goes on and on.</p>\n".encode()
    block = para * max(1, chunk // len(para))
    yield head
    remaining = max(0, total_bytes - len(head) - len(tail))
    while remaining >= len(block):
        remaining -= len(block)
        yield block
    whole = remaining // len(para)
    yield para * whole + b" " * (remaining - whole * len(para)) + tail


@cache
def gzip_bomb(inflated_bytes: int = 1 << 30) -> bytes:
    """A gzip body (about 1 MB) that inflates to ``inflated_bytes`` of HTML-ish text.

    Built from one compressed 1 MiB segment repeated: after ``Z_FULL_FLUSH`` a deflate segment
    stands alone, so repeating its bytes repeats its output without holding 1 GB in memory.
    """
    segment_size = 1 << 20
    prefix = b'<!DOCTYPE html>\n<html><head><meta charset="UTF-8"><title>x</title></head><body><p>'
    segment = b" " * segment_size
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = comp.compress(prefix) + comp.flush(zlib.Z_FULL_FLUSH)
    seg_bytes = comp.compress(segment) + comp.flush(zlib.Z_FULL_FLUSH)
    repeats = max(0, (inflated_bytes - len(prefix)) // segment_size)
    last = comp.flush(zlib.Z_FINISH)
    crc = zlib.crc32(prefix)
    for _ in range(repeats):
        crc = zlib.crc32(segment, crc)
    total = len(prefix) + repeats * segment_size
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    trailer = struct.pack("<II", crc & 0xFFFFFFFF, total & 0xFFFFFFFF)
    return header + first + seg_bytes * repeats + last + trailer


@cache
def tiny_png() -> bytes:
    """A valid 1x1 PNG: the lead images' bytes (the pipeline only links images, it never parses them)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xc8\x32\x32")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
