"""The replay site's articles: a deterministic catalogue with the gold values a parser must find.

Everything here is a pure function of ``(n_articles, seed, base_url, now)``: the same arguments give
the same articles, byte for byte, so tests can compare what the pipeline stored with the entry.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from importlib import resources
from typing import NamedTuple
from zoneinfo import ZoneInfo

IST = ZoneInfo("Asia/Kolkata")
SITE_NAME = "India News"
# The fixed catalogue covers these four IST days; recent=True shifts it to end "now".
CATALOGUE_START = datetime(2025, 1, 13, 0, 0, tzinfo=IST)
CATALOGUE_DAYS = 4
# With recent=True the newest article is this old when the site starts.
RECENT_AGE = timedelta(minutes=3)

DATELINE_PLAIN = "India News ( इंडिया न्यूज़ )"
DATELINE_PLACE = "India News (इंडिया न्यूज़),{place}:"
RELATED_PREFIXES = ("ये भी पढ़े-", "ये भी पढ़ें:")
HINDI_WEEKDAYS = ("सोमवार", "मंगलवार", "बुधवार", "गुरुवार", "शुक्रवार", "शनिवार", "रविवार")
HINDI_MONTHS = (
    "जनवरी", "फ़रवरी", "मार्च", "अप्रैल", "मई", "जून",
    "जुलाई", "अगस्त", "सितंबर", "अक्टूबर", "नवंबर", "दिसंबर",
)
AUTHORS = (
    "Deepika Gupta", "Shubham Srivastava", "Ankita Pandey", "Vikas Yadav", "Rahul Verma",
    "Priya Sharma", "Nidhi Jain", "Amit Mishra", "Shweta Singh", "Rajesh Kumar",
)
AUTHOR_BEATS = {
    "Deepika Gupta": "अंतरराष्ट्रीय मामलों", "Shubham Srivastava": "उत्तर प्रदेश और राजनीति",
    "Ankita Pandey": "मौसम और पर्यावरण", "Vikas Yadav": "क्राइम और बिहार", "Rahul Verma": "देश",
    "Priya Sharma": "मनोरंजन", "Nidhi Jain": "बिज़नेस और पर्सनल फाइनेंस", "Amit Mishra": "खेल",
    "Shweta Singh": "शिक्षा और स्वास्थ्य", "Rajesh Kumar": "राजनीति",
}
FIRST_POST_ID = 2_541_000


class Related(NamedTuple):
    """A "ये भी पढ़ें" link; compares equal to a plain ``(title, url)`` tuple."""

    title: str
    url: str


class RecentPost(NamedTuple):
    """One line of the Recent Posts widget."""

    title: str
    url: str
    excerpt: str
    published_at: datetime


@dataclass(frozen=True)
class Block:
    """One element of the article body as the page shows it.

    ``kind`` is ``p``/``h2``/``h3`` (story text, part of the gold body), ``lead`` (the first
    paragraph, after the dateline), ``related``, ``ad``, ``script`` or ``empty`` (boilerplate).
    ``link`` wraps the first occurrence of a phrase in ``<a href>``; ``bold`` in ``<strong>``.
    """

    kind: str
    text: str = ""
    link: tuple[str, str] | None = None
    bold: str | None = None
    related: Related | None = None
    related_prefix: str = RELATED_PREFIXES[0]


@dataclass(frozen=True)
class CatalogueEntry:
    """One article of the replay site and the values a correct parser extracts from its page."""

    id: int
    path: str
    url: str
    title: str
    title_prefix: str | None
    category: str
    category_slug: str
    authors: list[str]
    tags: list[str]
    published_at: datetime
    modified_at: datetime
    summary: str
    dateline: str | None
    body_paragraphs: list[str]
    related: list[Related]
    lead_image: str | None
    has_jsonld: bool
    # How the page is drawn (not gold values): the parser never sees these directly.
    slug: str = ""
    tag_slugs: list[str] = field(default_factory=list)
    blocks: tuple[Block, ...] = ()
    recent: tuple[RecentPost, ...] = ()
    jsonld: str | None = None  # "news" (NewsArticle in @graph), "org" (no NewsArticle) or None
    image_caption: str = ""

    @property
    def body(self) -> str:
        """The gold body as ``ParsedArticle.body`` holds it: paragraphs joined by a blank line."""
        return "\n\n".join(self.body_paragraphs)

    @property
    def author_slug(self) -> str:
        """The ``/author/<slug>/`` of the first author."""
        return slugify(self.authors[0])

    @property
    def excerpt(self) -> str:
        """The first words of the page's first paragraph (dateline included), as widgets show it."""
        first = next((b for b in self.blocks if b.kind in ("lead", "p")), None)
        raw = first.text if first else ""
        if first is not None and first.kind == "lead" and self.dateline:
            raw = f"{self.dateline} {raw}"
        words = raw.split()
        return " ".join(words[:15]) + ("…" if len(words) > 15 else "")


# ---------------------------------------------------------------------------------------------
# corpus


@dataclass
class _Topic:
    slug: str
    name: str
    tags: list[tuple[str, str]] = field(default_factory=list)
    titles: list[tuple[str, str, str, tuple[int, ...]]] = field(default_factory=list)  # slug, prefix, hindi, paras
    paras: list[str] = field(default_factory=list)
    heads: list[str] = field(default_factory=list)


@dataclass
class _Corpus:
    slots: dict[str, list[tuple[str, ...]]]
    topics: list[_Topic]
    featured: list[dict[str, object]]


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text.strip())


def _read(name: str) -> list[str]:
    text = resources.files("samachar.devsite").joinpath("corpus", name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


@cache
def _corpus() -> _Corpus:
    slots: dict[str, list[tuple[str, ...]]] = {}
    topics: list[_Topic] = []
    for line in _read("hindi_news.txt"):
        if line.startswith("@topic "):
            slug, name = line.removeprefix("@topic ").split("|")
            topics.append(_Topic(slug.strip(), _nfc(name)))
            continue
        if line.startswith("@"):
            continue
        key, _, value = line.partition(":")
        parts = tuple(_nfc(p) for p in value.split("|"))
        if not topics:
            slots.setdefault(key, []).append(parts)
        elif key == "tag":
            topics[-1].tags.append((parts[0], parts[1]))
        elif key == "title":
            paras = tuple(int(n) - 1 for n in parts[3].split(","))
            topics[-1].titles.append((parts[0], parts[1], parts[2], paras))
        elif key == "para":
            topics[-1].paras.append(_nfc(value))
        elif key == "head":
            topics[-1].heads.append(_nfc(value))
    featured: list[dict[str, object]] = []
    for line in _read("featured.txt"):
        if line.startswith("@article "):
            featured.append({"key": line.split()[1], "blocks": []})
            continue
        key, _, value = line.partition(":")
        if key in ("para", "head"):
            featured[-1]["blocks"].append(("p" if key == "para" else "h3", _nfc(value)))  # type: ignore[union-attr]
        else:
            featured[-1][key] = _nfc(value)
    return _Corpus(slots, topics, featured)


def categories() -> dict[str, str]:
    """Category slug -> Hindi name, in menu order."""
    cats = {t.slug: t.name for t in _corpus().topics}
    for art in _corpus().featured:
        slug, name = str(art["category"]).split("|")
        cats.setdefault(slug, name)
    return cats


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by hyphens (WordPress-style slug of an English phrase)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def human_time_diff(then: datetime, now: datetime) -> str:
    """WordPress's "22 minutes ago" wording for the Recent Posts widget."""
    seconds = max(0, int((now - then).total_seconds()))
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''} ago"
    return "1 minute ago"


def hindi_date(when: datetime) -> str:
    """``13 जनवरी 2025 10:15 AM IST`` as the article's byline shows it."""
    local = when.astimezone(IST)
    return f"{local.day} {HINDI_MONTHS[local.month - 1]} {local.year} {local.strftime('%I:%M %p')} IST"


def hindi_day(day: date) -> str:
    """``13 जनवरी 2025`` for archive headings."""
    return f"{day.day} {HINDI_MONTHS[day.month - 1]} {day.year}"


# ---------------------------------------------------------------------------------------------
# assembly


@dataclass
class _Draft:
    published_at: datetime
    featured: dict[str, object] | None = None
    entry_kwargs: dict[str, object] = field(default_factory=dict)
    related_keys: list[str] = field(default_factory=list)
    rng: random.Random = field(default_factory=random.Random)


def _schedule(n_generated: int, seed: int) -> list[datetime]:
    """Publication times spread evenly over the four days, clear of the hand-written cluster."""
    span = CATALOGUE_DAYS * 86400
    quiet_start = datetime(2025, 1, 14, 10, 55, tzinfo=IST)
    quiet_len = timedelta(minutes=37)
    rng = random.Random(f"schedule:{seed}:{n_generated}")
    times = []
    for i in range(n_generated):
        offset = int((i + rng.uniform(0.05, 0.95)) * span / n_generated)
        when = CATALOGUE_START + timedelta(seconds=offset)
        if quiet_start <= when < quiet_start + quiet_len:
            when += quiet_len
        times.append(when)
    return times


def _fill(template: str, values: dict[str, str]) -> str:
    return re.sub(r"\{([a-z0-9]+)\}", lambda m: values[m.group(1)], template)


def _slot_values(rng: random.Random, slots: dict[str, list[tuple[str, ...]]], when: datetime) -> tuple[
    dict[str, str], dict[str, str]
]:
    """Hindi and English values for one article's slots (one city, one person... per article)."""
    city = rng.choice(slots["city"])
    person, person2 = rng.sample(slots["person"], 2)
    country = rng.choice(slots["country"])
    opponent = rng.choice(slots["opponent"])
    film = rng.choice(slots["film"])
    local = when.astimezone(IST)
    numbers = {
        "n": str(rng.randint(2, 12)),
        "n2": str(rng.randint(12, 60)),
        "num": f"{rng.randint(1, 98)},{rng.randint(0, 999):03d}" if rng.random() < 0.4 else str(rng.randint(120, 980)),
        "pct": f"{rng.randint(1, 9)}.{rng.randint(1, 9)}",
        "day": HINDI_WEEKDAYS[local.weekday()],
        "yesterday": HINDI_WEEKDAYS[(local.weekday() - 1) % 7],
    }
    hindi = {
        "city": city[0], "state": city[2], "person": person[0], "person2": person2[0],
        "country": country[0], "opponent": opponent[0], "film": film[0], **numbers,
    }
    english = {
        "city": city[1], "state": city[3], "person": person[0], "person2": person2[0],
        "country": country[1], "opponent": opponent[1], "film": film[1], **numbers,
    }
    return hindi, english


def _generated_draft(rng: random.Random, corpus: _Corpus, when: datetime, used_titles: set[str]) -> dict[str, object]:
    """Title, body, tags and dateline of one generated article."""
    topic = rng.choice(corpus.topics)
    for _ in range(30):
        hindi, english = _slot_values(rng, corpus.slots, when)
        tslug, tprefix, ttext, story = rng.choice(topic.titles)
        prefix = _fill(tprefix, english) if tprefix != "-" and rng.random() < 0.75 else None
        title_hi = _fill(ttext, hindi)
        title = f"{prefix}: {title_hi}" if prefix else title_hi
        if title not in used_titles:
            break
    used_titles.add(title)
    entity = next((english[k] for k in ("city", "country", "opponent", "film", "state") if f"{{{k}}}" in ttext), "")
    slug = slugify(f"{tslug} {entity}" if entity else tslug)

    # the title's own paragraphs, lead first, then some of the topic's others as background
    rest = list(story[1:])
    picked = [story[0], *sorted(rng.sample(rest, rng.randint(min(2, len(rest)), len(rest))), key=rest.index)]
    others = [i for i in range(len(topic.paras)) if i not in story]
    picked += rng.sample(others, max(0, 3 - len(picked)) + (1 if rng.random() < 0.2 else 0))
    paras = [_fill(topic.paras[i], hindi) for i in picked]
    heads = [_fill(h, hindi) for h in rng.sample(topic.heads, rng.randint(0, 2))]
    style = rng.random()
    if style < 0.45:
        dateline: str | None = DATELINE_PLAIN
        if prefix:
            paras[0] = f"{prefix}: {paras[0]}"
    elif style < 0.75:
        place = rng.choice([english["city"], english["state"], prefix or english["state"]])
        dateline = DATELINE_PLACE.format(place=place)
    else:
        dateline = None
        if rng.random() < 0.5:
            paras[0] = f"{english['city']}: {paras[0]}"
    body: list[tuple[str, str]] = [("p", p) for p in paras]
    for i, head in enumerate(heads):
        body.insert(2 + 2 * i if 2 + 2 * i < len(body) else len(body) - 1, (rng.choice(["h3", "h3", "h2"]), head))

    tag_pool = [(_fill(n, hindi), slugify(_fill(s, english))) for n, s in topic.tags]
    tags = list(dict.fromkeys(rng.sample(tag_pool, rng.randint(2, min(4, len(tag_pool))))))
    return {
        "title": title, "title_prefix": prefix, "slug": slug, "category_slug": topic.slug, "category": topic.name,
        "author": rng.choice(AUTHORS), "dateline": dateline, "body": body, "tags": tags, "city": hindi["city"],
    }


def _featured_draft(art: dict[str, object]) -> dict[str, object]:
    title = str(art["title"])
    prefix_match = re.match(r"([A-Za-z][A-Za-z0-9 .&'-]*):\s", title)
    cat_slug, cat_name = str(art["category"]).split("|")
    tags = [tuple(t.strip().split("|")) for t in str(art.get("tags", "")).split(";") if t.strip()]
    return {
        "title": title, "title_prefix": prefix_match.group(1) if prefix_match else None, "slug": art["slug"],
        "category_slug": cat_slug, "category": cat_name, "author": art["author"], "dateline": art.get("dateline"),
        "body": list(art["blocks"]), "tags": tags, "city": None,  # type: ignore[call-overload]
    }


def _blocks(rng: random.Random, draft: dict[str, object], related: list[Related], tag_slugs: list[str]) -> tuple[Block, ...]:
    """Lay out the body: story blocks plus ads, scripts, empty paragraphs and related lines."""
    body: list[tuple[str, str]] = draft["body"]  # type: ignore[assignment]
    blocks: list[Block] = []
    city = draft.get("city")
    for i, (kind, text) in enumerate(body):
        if i == 0 and draft["dateline"]:
            kind = "lead"
        link = None
        bold = None
        if kind == "p" and isinstance(city, str) and city in text and tag_slugs and rng.random() < 0.4:
            link = (city, f"/tag/{tag_slugs[-1]}/")
        elif kind == "p" and i > 0 and rng.random() < 0.25:
            # a whole number token, never at the start (a leading <strong> would look like a dateline)
            number = re.search(r"(?<=\s)\d(?:[\d,.]*\d)?(?![\d,.]*\d)", text)
            bold = number.group(0) if number else None
        blocks.append(Block(kind, text, link=link, bold=bold))
        if i == 0:
            blocks.append(Block("ad"))
            if rng.random() < 0.3:
                blocks.append(Block("script"))
        elif i == 2 and rng.random() < 0.3:
            blocks.append(Block("empty"))
    prefix = rng.choice(RELATED_PREFIXES)
    lines = [Block("related", related=r, related_prefix=prefix) for r in related]
    if lines and len(blocks) > 4 and rng.random() < 0.3:
        blocks[3:3] = lines  # a mid-article "ye bhi padhe" line
    else:
        blocks.extend(lines)
    if rng.random() < 0.5:
        blocks.append(Block("ad"))
    return tuple(blocks)


def build_catalogue(base_url: str, *, n_articles: int = 40, seed: int = 0, recent: bool = False,
                    now: datetime | None = None) -> list[CatalogueEntry]:
    """The site's articles, oldest first; deterministic for ``(base_url, n_articles, seed)``.

    ``recent=True`` shifts every time so the newest article is :data:`RECENT_AGE` old at ``now``
    (default: the current time).
    """
    if n_articles < 1:
        raise ValueError("n_articles must be at least 1")
    base_url = base_url.rstrip("/")
    corpus = _corpus()
    featured = corpus.featured[:n_articles]
    drafts = [_Draft(datetime.fromisoformat(str(a["published"])).replace(tzinfo=IST), featured=a) for a in featured]
    drafts += [_Draft(t) for t in _schedule(n_articles - len(featured), seed)]
    drafts.sort(key=lambda d: d.published_at)
    newest = drafts[-1].published_at
    shift = timedelta(0)
    if recent:
        current = (now or datetime.now(IST)).astimezone(IST).replace(microsecond=0)
        shift = current - RECENT_AGE - newest
    newest += shift

    rng_ids = random.Random(f"ids:{seed}")
    used_titles: set[str] = set()
    key_to_index: dict[str, int] = {}
    for index, draft in enumerate(drafts):
        draft.published_at += shift
        draft.rng = random.Random(f"article:{seed}:{index}:{n_articles}")
        if draft.featured is not None:
            info = _featured_draft(draft.featured)
            modified = datetime.fromisoformat(str(draft.featured["modified"])).replace(tzinfo=IST) + shift
            key_to_index[str(draft.featured["key"])] = index
            draft.related_keys = [str(draft.featured["related"])] if draft.featured.get("related") else []
        else:
            info = _generated_draft(draft.rng, corpus, draft.published_at, used_titles)
            late = draft.rng.choice([0, 0, 0, 7, 25, 90, 240])
            modified = draft.published_at + timedelta(minutes=late, seconds=draft.rng.randint(0, 59) if late else 0)
        info["modified_at"] = min(modified, newest)
        info["id"] = FIRST_POST_ID + index * 4 + rng_ids.randint(0, 3)
        draft.entry_kwargs = info
    entries: list[CatalogueEntry] = []
    for index, draft in enumerate(drafts):
        entries.append(_finish(draft, index, drafts, entries, key_to_index, base_url))
    return entries


def _finish(draft: _Draft, index: int, drafts: Sequence[_Draft], done: Sequence[CatalogueEntry],
            key_to_index: dict[str, int], base_url: str) -> CatalogueEntry:
    """Turn a draft into an entry: URL, related links, widget, gold body and summary."""
    info = draft.entry_kwargs
    rng = draft.rng
    post_id = int(info["id"])  # type: ignore[call-overload]
    path = f"/{info['category_slug']}/{info['slug']}-{post_id}/"
    if draft.featured is not None:
        related_idx = [key_to_index[k] for k in draft.related_keys if k in key_to_index]
    else:
        earlier = list(range(max(0, index - 30), index))
        related_idx = rng.sample(earlier, min(len(earlier), rng.choice([0, 1, 1, 1, 2])))
    related = []
    for i in related_idx:
        other = drafts[i].entry_kwargs
        other_path = f"/{other['category_slug']}/{other['slug']}-{other['id']}/"
        related.append(Related(str(other["title"]), base_url + other_path))
    tags: list[tuple[str, str]] = info["tags"]  # type: ignore[assignment]
    tag_slugs = [s for _, s in tags]
    blocks = _blocks(rng, info, related, tag_slugs)
    body_paragraphs = [b.text for b in blocks if b.kind in ("lead", "p", "h2", "h3")]
    summary = re.split(r"(?<=[।?!])\s", body_paragraphs[0], maxsplit=1)[0]
    published: datetime = draft.published_at
    lead_image = None
    if draft.featured is not None or rng.random() < 0.85:
        lead_image = f"{base_url}/wp-content/uploads/{published:%Y/%m}/{info['slug']}-{post_id % 10000}.png"
    jsonld_roll = rng.random()
    jsonld = "news" if draft.featured is not None or jsonld_roll < 0.55 else ("org" if jsonld_roll < 0.75 else None)
    recent = tuple(
        RecentPost(e.title, e.url, e.excerpt, e.published_at) for e in reversed(done[-5:])
    )
    return CatalogueEntry(
        id=post_id, path=path, url=base_url + path, title=str(info["title"]),
        title_prefix=info["title_prefix"],  # type: ignore[arg-type]
        category=str(info["category"]), category_slug=str(info["category_slug"]), authors=[str(info["author"])],
        tags=[n for n, _ in tags], published_at=published,
        modified_at=info["modified_at"],  # type: ignore[arg-type]
        summary=summary, dateline=info["dateline"],  # type: ignore[arg-type]
        body_paragraphs=body_paragraphs, related=related, lead_image=lead_image, has_jsonld=jsonld == "news",
        slug=str(info["slug"]), tag_slugs=tag_slugs, blocks=blocks, recent=recent, jsonld=jsonld,
        image_caption=f"{info['category']}: {info['title']}",
    )
