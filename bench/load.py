"""Benchmark: load rate through the project's load path vs a plain COPY on the same server.

    .venv/bin/python bench/load.py [--rows 10000] [--batch 1000] [--url postgresql://…/postgres]

Creates a throwaway database, generates synthetic Hindi articles (Devanagari title/summary/body
plus ISO 15919 and readable Latin versions, ~3 KB of Devanagari body each), then times:

* project path: ``stage_parsed_many`` → ``set_transliteration`` → ``upsert_articles`` per batch
  (staging COPY, jsonb, the generated tsvector, GIN and trigram indexes, revisions check);
* baseline: one ``COPY`` of the same article rows into an unindexed table with the same columns;
* for context: the same COPY into a table that carries the articles table's generated tsvector
  and search indexes, i.e. what keeping search current costs on its own.

Prints rows/s and the ratio project path / plain COPY (goal ≥ 0.5), then drops the database.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from datetime import UTC, datetime, timedelta

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


def words(rng: random.Random, pool: list[str], n: int) -> str:
    return " ".join(rng.choice(pool) for _ in range(n))


def synthetic(n: int, seed: int = 7) -> list[tuple[dict, dict]]:
    """``n`` (article, transliteration) pairs, deterministic for a seed."""
    rng = random.Random(seed)
    base = datetime(2025, 1, 13, 4, 0, tzinfo=UTC)
    out = []
    for i in range(n):
        url = f"https://www.indianews.in/world/bench-story-{i}/"
        body = "\n\n".join(words(rng, HINDI, 50) + "।" for _ in range(8))  # ~2,400 chars, like a real story
        article = {
            "url": url, "canonical_url": url, "source": "bench",
            "title": words(rng, HINDI, 10), "summary": words(rng, HINDI, 25), "body": body,
            "authors": ["Deepika Gupta"], "category": "विदेश", "tags": [rng.choice(HINDI), rng.choice(HINDI)],
            "published_at": (base + timedelta(minutes=i)).isoformat(), "modified_at": None,
            "language": "hi", "lead_image": f"https://www.indianews.in/wp-content/uploads/{i}.jpg",
            "related": [{"title": words(rng, HINDI, 6), "url": f"https://www.indianews.in/x/{i + 1}/"}],
            "dateline": "नई दिल्ली", "title_prefix": None,
        }
        latin_body = "\n\n".join(words(rng, LATIN, 50) + "." for _ in range(8))
        translit = {
            "title_iso": words(rng, LATIN, 10), "title_readable": words(rng, LATIN, 10).title(),
            "summary_iso": words(rng, LATIN, 25), "summary_readable": words(rng, LATIN, 25),
            "body_iso": latin_body, "body_readable": latin_body,
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


SEARCH_VECTOR = (
    "setweight(to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(title_readable, '') || ' '"
    " || coalesce(title_iso, '')), 'A') || setweight(to_tsvector('simple', coalesce(summary, '') || ' '"
    " || coalesce(summary_readable, '')), 'B') || setweight(to_tsvector('simple', body || ' '"
    " || coalesce(body_readable, '')), 'C')"
)
BASELINE_COLUMNS = ("canonical_url text, url text, source text, title text, summary text, body text,"
                    " authors text[], category text, tags text[], published_at timestamptz,"
                    " modified_at timestamptz, language text, lead_image text, related jsonb, dateline text,"
                    " title_prefix text, title_iso text, title_readable text, summary_iso text,"
                    " summary_readable text, body_iso text, body_readable text")
COPY_COLUMNS = ", ".join(c.split()[0] for c in BASELINE_COLUMNS.split(", "))


def baseline_copy(conn, data: list[tuple[dict, dict]], *, indexed: bool = False) -> float:
    """Seconds to COPY the same article rows into a plain table: unindexed (the baseline), or
    with the articles table's generated tsvector and indexes (the cost of search alone)."""
    conn.execute("DROP TABLE IF EXISTS _bench_copy")
    conn.execute(f"CREATE TABLE _bench_copy ({BASELINE_COLUMNS})")
    if indexed:
        conn.execute("ALTER TABLE _bench_copy ADD UNIQUE (canonical_url), ADD COLUMN search_vector tsvector"
                     " GENERATED ALWAYS AS (" + SEARCH_VECTOR + ") STORED")
        conn.execute("CREATE INDEX ON _bench_copy USING gin (search_vector)")
        if conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'").fetchone():
            conn.execute("CREATE INDEX ON _bench_copy USING gin (title_readable gin_trgm_ops)")
    started = time.perf_counter()
    with conn.transaction(), conn.cursor() as cur:
        with cur.copy(f"COPY _bench_copy ({COPY_COLUMNS}) FROM STDIN") as copy:
            for a, t in data:
                copy.write_row((a["canonical_url"], a["url"], a["source"], a["title"], a["summary"], a["body"],
                                a["authors"], a["category"], a["tags"], a["published_at"], a["modified_at"],
                                a["language"], a["lead_image"], Jsonb(a["related"]), a["dateline"],
                                a["title_prefix"], t["title_iso"], t["title_readable"], t["summary_iso"],
                                t["summary_readable"], t["body_iso"], t["body_readable"]))
    return time.perf_counter() - started


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
            copy_s = baseline_copy(conn, data)
            spent = project_load(conn, run_id, raw_ids, data, args.batch)
            indexed_s = baseline_copy(conn, data, indexed=True)
            conn.execute("DROP TABLE _bench_copy")
            mb = conn.execute("SELECT pg_total_relation_size('articles') / 1e6").fetchone()[0]
    finally:
        db.drop_database(url)
    n = args.rows
    load_s = sum(spent.values())
    print(f"PostgreSQL {version}; {n} synthetic articles (~2,400 Devanagari + ~2,400 Latin body chars), "
          f"batches of {args.batch}; articles table {mb:.0f} MB with indexes")
    print(f"plain COPY into an unindexed table     : {n / copy_s:7.0f} rows/s ({copy_s:.2f} s)")
    print(f"project path: stage + translit + upsert: {n / load_s:7.0f} rows/s ({load_s:.2f} s: "
          + ", ".join(f"{k} {v:.2f} s" for k, v in spent.items()) + ")")
    print(f"  upsert_articles alone                : {n / spent['upsert']:7.0f} rows/s")
    print(f"COPY into a table with the same search tsvector + indexes: {n / indexed_s:7.0f} rows/s "
          f"({indexed_s:.2f} s)")
    print(f"ratio project path / plain COPY (goal >= 0.5): {copy_s / load_s:.2f}")
    print(f"ratio upsert_articles alone / plain COPY     : {copy_s / spent['upsert']:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
