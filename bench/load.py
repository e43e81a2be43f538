"""Benchmark: load rate through the project's load path vs a plain COPY on the same server.

    .venv/bin/python bench/load.py [--rows 10000] [--batch 1000] [--url postgresql://…/postgres]

Creates a throwaway database, generates synthetic Hindi articles (Devanagari title/summary/body
of real words, ~2,000-3,000 body chars like a real India News story, plus their word-for-word
ISO 15919 and readable Latin versions), then times, with one transaction per batch throughout:

* project path: ``stage_parsed_many`` → ``set_transliteration`` → ``upsert_articles`` per batch
  (staging COPY, jsonb, the generated tsvector, GIN and trigram indexes, revisions check);
* baseline: ``COPY`` of the same article rows into an unindexed table with the same columns
  (timed before and after the rest, and averaged, because the machine's other load drifts);
* for context: the same COPY into a table that carries the articles table's generated tsvector
  (its expression read from the migrated database) and search indexes, i.e. what keeping search
  current costs on its own: no load path that keeps them can beat this rate.

Prints rows/s and the ratio project path / plain COPY (goal ≥ 0.5), then drops the database.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from pathlib import Path

from psycopg.types.json import Jsonb

from samachar import db
from samachar.db.connection import maintenance_url

HINDI = ("भारत सरकार दिल्ली मुंबई प्रदूषण चुनाव मंत्री प्रधानमंत्री राष्ट्रपति बैठक विदेश नीति किसान "
         "आंदोलन बजट अर्थव्यवस्था क्रिकेट टीम मैच खिलाड़ी पुलिस अदालत फैसला सुनवाई राज्य विधानसभा "
         "बारिश मौसम विभाग चेतावनी अस्पताल इलाज स्वास्थ्य शिक्षा छात्र परीक्षा परिणाम रूस चीन दौरा "
         "बातचीत मुद्दों पर होगी के की का में से और है हैं था थे ने को लिए साथ बाद पहले").split()
LATIN = ("bharat sarkar dilli mumbai pradushan chunav mantri pradhanmantri rashtrapati baithak videsh niti "
         "kisan andolan budget arthvyavastha cricket team match khiladi police adalat faisla sunvai rajya "
         "vidhansabha barish mausam vibhag chetavani aspatal ilaj swasthya shiksha chhatra pariksha "
         "parinam roos cheen daura batchit muddon par hogi ke ki ka mein se aur hai hain tha the ne ko").split()
LEXICON = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "dakshina-hi" / "train.tsv"


def vocabulary() -> list[tuple[str, str]]:
    """(Devanagari, romanized) word pairs: the first ~70 are frequent news and function words; then,
    when the Dakshina lexicon is beside the repo, its 25,000 words, so articles have a real
    vocabulary (the GIN index's cost grows with the distinct words per article)."""
    pairs = list(zip(HINDI, LATIN, strict=False))
    if LEXICON.exists():
        seen = set(HINDI)
        for line in LEXICON.read_text(encoding="utf-8").splitlines():
            dev, latin, _ = line.split("\t")
            if dev not in seen:
                seen.add(dev)
                pairs.append((dev, latin))
    return pairs


def synthetic(n: int, seed: int = 7) -> list[tuple[dict, dict]]:
    """``n`` (article, transliteration) pairs, deterministic for a seed. Words are drawn with Zipf
    weights, and the Latin texts are word-for-word romanizations of the Devanagari ones (ISO and
    readable alike), as the transliterator produces: bodies of ~2,000-3,000 chars in each script."""
    rng = random.Random(seed)
    pairs = vocabulary()
    weights = list(accumulate(1 / rank for rank in range(1, len(pairs) + 1)))

    def text(k: int) -> tuple[str, str]:
        chosen = rng.choices(pairs, cum_weights=weights, k=k)
        return " ".join(d for d, _ in chosen), " ".join(r for _, r in chosen)

    base = datetime(2025, 1, 13, 4, 0, tzinfo=UTC)
    out = []
    for i in range(n):
        url = f"https://www.indianews.in/world/bench-story-{i}/"
        title, title_latin = text(10)
        summary, summary_latin = text(25)
        paragraphs = [text(50) for _ in range(8)]
        body = "\n\n".join(d + "।" for d, _ in paragraphs)
        body_latin = "\n\n".join(r + "." for _, r in paragraphs)
        article = {
            "url": url, "canonical_url": url, "source": "bench",
            "title": title, "summary": summary, "body": body,
            "authors": ["Deepika Gupta"], "category": "विदेश", "tags": [rng.choice(HINDI), rng.choice(HINDI)],
            "published_at": (base + timedelta(minutes=i)).isoformat(), "modified_at": None,
            "language": "hi", "lead_image": f"https://www.indianews.in/wp-content/uploads/{i}.jpg",
            "related": [{"title": text(6)[0], "url": f"https://www.indianews.in/x/{i + 1}/"}],
            "dateline": "नई दिल्ली", "title_prefix": None,
        }
        translit = {
            "title_iso": title_latin, "title_readable": title_latin.title(),
            "summary_iso": summary_latin, "summary_readable": summary_latin,
            "body_iso": body_latin, "body_readable": body_latin,
        }
        out.append((article, translit))
    return out


def create_raw_pages(conn, run_id: int, data: list[tuple[dict, dict]]) -> list[int]:
    """Setup, untimed: one raw page per article via COPY."""
    fetched = datetime(2025, 1, 14, tzinfo=UTC)
    conn.execute("INSERT INTO sources (name) VALUES ('bench') ON CONFLICT DO NOTHING")
    with conn.cursor() as cur:
        with cur.copy("COPY raw_pages (source, url, final_url, status, content_hash, html_zlib, html_size,"
                      " fetched_at, first_fetched_at, last_fetched_at, run_id) FROM STDIN") as copy:
            for article, _ in data:
                copy.write_row(("bench", article["url"], article["url"], 200, "h", b"x", 1,
                                fetched, fetched, fetched, run_id))
        cur.execute("SELECT id FROM raw_pages WHERE source = 'bench' ORDER BY id")
        return [r[0] for r in cur.fetchall()]


BASELINE_COLUMNS = ("canonical_url text, url text, source text, title text, summary text, body text,"
                    " authors text[], category text, tags text[], published_at timestamptz,"
                    " modified_at timestamptz, language text, lead_image text, related jsonb, dateline text,"
                    " title_prefix text, title_iso text, title_readable text, summary_iso text,"
                    " summary_readable text, body_iso text, body_readable text")
COPY_COLUMNS = ", ".join(c.split()[0] for c in BASELINE_COLUMNS.split(", "))


def search_vector(conn) -> str:
    """The expression of ``articles.search_vector``, as the migrations left it."""
    return conn.execute("SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d JOIN pg_attribute a"
                        " ON (a.attrelid, a.attnum) = (d.adrelid, d.adnum)"
                        " WHERE d.adrelid = 'articles'::regclass AND a.attname = 'search_vector'").fetchone()[0]


def baseline_copy(conn, data: list[tuple[dict, dict]], batch: int, *, indexed: bool = False) -> float:
    """Seconds to COPY the same article rows into a plain table: unindexed (the baseline), or
    with the articles table's generated tsvector and indexes (the cost of search alone)."""
    conn.execute("DROP TABLE IF EXISTS _bench_copy")
    conn.execute(f"CREATE TABLE _bench_copy ({BASELINE_COLUMNS})")
    if indexed:
        conn.execute("ALTER TABLE _bench_copy ADD UNIQUE (canonical_url), ADD COLUMN search_vector tsvector"
                     " GENERATED ALWAYS AS (" + search_vector(conn) + ") STORED")
        conn.execute("CREATE INDEX ON _bench_copy USING gin (search_vector)")
        if conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'").fetchone():
            conn.execute("CREATE INDEX ON _bench_copy USING gin (title_readable gin_trgm_ops)")
    started = time.perf_counter()
    for i in range(0, len(data), batch):  # one transaction per batch, like the project path
        with conn.transaction(), conn.cursor() as cur:
            copy_rows(cur, data[i:i + batch])
    return time.perf_counter() - started


def copy_rows(cur, rows: list[tuple[dict, dict]]) -> None:
    """COPY article rows into ``_bench_copy``."""
    with cur.copy(f"COPY _bench_copy ({COPY_COLUMNS}) FROM STDIN") as copy:
        for a, t in rows:
            copy.write_row((a["canonical_url"], a["url"], a["source"], a["title"], a["summary"], a["body"],
                            a["authors"], a["category"], a["tags"], a["published_at"], a["modified_at"],
                            a["language"], a["lead_image"], Jsonb(a["related"]), a["dateline"],
                            a["title_prefix"], t["title_iso"], t["title_readable"], t["summary_iso"],
                            t["summary_readable"], t["body_iso"], t["body_readable"]))


def project_load(conn, run_id: int, raw_ids: list[int], data: list[tuple[dict, dict]], batch: int) -> dict:
    """Seconds spent staging, attaching transliterations and upserting every row, batch by batch."""
    spent = {"stage": 0.0, "transliteration": 0.0, "upsert": 0.0}
    for i in range(0, len(data), batch):
        chunk = list(zip(raw_ids[i:i + batch], data[i:i + batch], strict=True))
        started = time.perf_counter()
        staged_ids = db.stage_parsed_many(conn, run_id=run_id, items=[(rid, a) for rid, (a, _) in chunk])
        spent["stage"] += time.perf_counter() - started
        started = time.perf_counter()
        db.set_transliteration(conn, [(sid, t) for sid, (_, (_, t)) in zip(staged_ids, chunk, strict=True)])
        spent["transliteration"] += time.perf_counter() - started
        started = time.perf_counter()
        result = db.upsert_articles(conn, staged_ids, parser_version="bench", transliterator_version="bench")
        spent["upsert"] += time.perf_counter() - started
        assert result.inserted == len(chunk), result
    return spent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=1_000)
    parser.add_argument("--url", default="postgresql://postgres@127.0.0.1:5432/postgres",
                        help="any database on the server to benchmark; a throwaway one is created beside it")
    args = parser.parse_args()
    url = maintenance_url(args.url, f"samachar_test_db_bench_{os.getpid()}")
    data = synthetic(args.rows)
    db.ensure_database(url)
    try:
        db.migrate(url)
        with db.connect(url) as conn:
            version = conn.execute("SHOW server_version").fetchone()[0]
            run_id = db.start_run(conn, source="bench", interval_start=datetime(2025, 1, 13, tzinfo=UTC),
                                  interval_end=datetime(2025, 1, 14, tzinfo=UTC), trigger="bench")
            raw_ids = create_raw_pages(conn, run_id, data)
            first_copy_s = baseline_copy(conn, data, args.batch)
            spent = project_load(conn, run_id, raw_ids, data, args.batch)
            indexed_s = baseline_copy(conn, data, args.batch, indexed=True)
            second_copy_s = baseline_copy(conn, data, args.batch)  # again: other load on the machine drifts
            conn.execute("DROP TABLE _bench_copy")
            mb = conn.execute("SELECT pg_total_relation_size('articles') / 1e6").fetchone()[0]
    finally:
        db.drop_database(url)
    n = args.rows
    copy_s = (first_copy_s + second_copy_s) / 2
    load_s = sum(spent.values())
    body = sum(len(a["body"]) for a, _ in data) / n
    latin = sum(len(t["body_readable"]) for _, t in data) / n
    print(f"PostgreSQL {version}; {n} synthetic articles (body ~{body:,.0f} Devanagari + ~{latin:,.0f} Latin chars,"
          f" {len(vocabulary()):,}-word vocabulary), transactions of {args.batch} rows;"
          f" articles table {mb:.0f} MB with indexes")
    print(f"plain COPY into an unindexed table     : {n / copy_s:7.0f} rows/s ({copy_s:.2f} s: mean of"
          f" {first_copy_s:.2f} s before and {second_copy_s:.2f} s after the rest)")
    print(f"project path: stage + translit + upsert: {n / load_s:7.0f} rows/s ({load_s:.2f} s: "
          + ", ".join(f"{k} {v:.2f} s" for k, v in spent.items()) + ")")
    print(f"  upsert_articles alone                : {n / spent['upsert']:7.0f} rows/s")
    print(f"COPY into a table with the same search tsvector + indexes: {n / indexed_s:7.0f} rows/s "
          f"({indexed_s:.2f} s; ratio {copy_s / indexed_s:.2f}, the ceiling for any path that keeps them)")
    print(f"ratio project path / plain COPY (goal >= 0.5): {copy_s / load_s:.2f}")
    print(f"ratio upsert_articles alone / plain COPY     : {copy_s / spent['upsert']:.2f}")
    print(f"ratio project path / that ceiling            : {indexed_s / load_s:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
