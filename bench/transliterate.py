"""Benchmark samachar.transliterate: accuracy and speed of both schemes.

Run: .venv/bin/python bench/transliterate.py [--data ../shared/data] [--mb 1.0]

Accuracy: readable on Dakshina dev (any / top-1 / CER), ISO 15919 round-trip over every lexicon word,
and plain ISO 15919 with diacritics stripped as the no-schwa-deletion baseline.
Speed (one core, cold per-word caches, best of 3 runs): characters per second on ~1 MB of article text and on 25k
unique Dakshina words, beside indic_transliteration.sanscript's ISO conversion in the same run
(optional: it says so when that package is missing).

Article text comes from the replay site's catalogue (samachar.devsite) when it is importable;
otherwise it is generated from the seed India News article plus sentences of Dakshina words.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

from samachar.transliterate import iso15919, readable, to_iso15919, to_readable
from samachar.transliterate.build_model import read_dakshina, score

REPO = Path(__file__).resolve().parents[1]


def strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("ʼ", "").replace(":", "")


def devsite_text() -> str | None:
    """Titles, summaries and bodies of the replay site's catalogue, or None if it is not there."""
    try:
        from samachar.devsite import build_catalogue
    except ImportError:
        return None
    try:
        parts = []
        for a in build_catalogue("http://127.0.0.1", n_articles=400):
            parts.extend([a.title, a.summary, *a.body_paragraphs])
        return "\n\n".join(parts)
    except Exception as exc:  # a half-written devsite must not stop the benchmark
        print(f"  (samachar.devsite present but unusable: {exc!r}; using generated text)")
        return None


def generated_text(seed_article: Path, words: list[str], target: int) -> str:
    """Seed article paragraphs interleaved with random sentences of Dakshina words."""
    rng = random.Random(0)
    paragraphs = [p for p in seed_article.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    out: list[str] = []
    size = 0
    while size < target:
        para = rng.choice(paragraphs)
        sentence = " ".join(rng.choice(words) for _ in range(rng.randint(6, 16))) + "।"
        out.extend([para, sentence])
        size += len(para) + len(sentence) + 4
    return "\n\n".join(out)


def chars_per_sec(fn: Callable[[str], str], text: str, reset: Callable[[], None], repeats: int = 3) -> float:
    """Best of ``repeats`` cold runs (the machine is shared, so the best run is the least disturbed)."""
    best = float("inf")
    for _ in range(repeats):
        reset()
        start = time.perf_counter()
        fn(text)
        best = min(best, time.perf_counter() - start)
    return len(text) / best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO / ".." / "shared" / "data")
    parser.add_argument("--mb", type=float, default=1.0, help="size of the article text in MB (characters)")
    args = parser.parse_args()
    dak = args.data / "dakshina-hi"
    if not dak.is_dir():
        print(f"Dakshina data not found under {args.data.resolve()}", file=sys.stderr)
        return 2

    train, dev = read_dakshina(dak / "train.tsv"), read_dakshina(dak / "dev.tsv")
    print("== accuracy (Dakshina dev, 2,500 words; model tuned on train only)")
    res = score(dev, lambda w: readable.spell_word(w, use_lexicon=False))
    print(f"  readable          any {res['any']:.1%}  top-1 {res['top1']:.1%}  CER {res['cer']:.2%}")
    res = score(dev, lambda w: strip_diacritics(to_iso15919(w)))
    print(f"  iso15919 (plain)  any {res['any']:.1%}  top-1 {res['top1']:.1%}  CER {res['cer']:.2%}"
          "   (diacritics stripped; lossless scheme, no schwa deletion)")
    words_all = set(train) | set(dev)
    arora = args.data / "schwa-arora" / "large.csv"
    if arora.exists():
        with open(arora, encoding="utf-8", newline="") as fh:
            rows = csv.reader(fh)
            next(rows)
            words_all |= {unicodedata.normalize("NFC", r[0]) for r in rows if r}
    exact = sum(iso15919.from_iso15919(to_iso15919(w)) == w for w in words_all)
    print(f"  iso15919 round trip: {exact}/{len(words_all)} lexicon words exact ({exact / len(words_all):.2%})")

    try:
        from indic_transliteration import sanscript
    except ImportError:
        sanscript = None
        print("  indic_transliteration is NOT installed: skipping the sanscript comparison "
              "(uv pip install indic-transliteration)")
    if sanscript is not None:
        def sanscript_iso(text: str) -> str:
            return sanscript.transliterate(text, sanscript.DEVANAGARI, sanscript.ISO)

        res = score(dev, lambda w: strip_diacritics(sanscript_iso(w)))
        print(f"  sanscript ISO     any {res['any']:.1%}  top-1 {res['top1']:.1%}  CER {res['cer']:.2%}"
              "   (diacritics stripped)")

    article = devsite_text()
    source = "samachar.devsite catalogue"
    target = int(args.mb * 1_000_000)
    if article is None:
        seed = REPO / ".." / "shared" / "seed" / "indianews-article.txt"
        article = generated_text(seed, sorted(words_all), target)
        source = "seed article + Dakshina sentences (samachar.devsite not importable)"
    while len(article) < target:
        article = article + "\n\n" + article
    article = article[:target]
    unique = sorted(train)[:25_000]
    unique_text = " ".join(unique)

    def reset_iso() -> None:
        iso15919._ISO_CACHE.clear()

    def reset_readable() -> None:
        readable._CACHE.clear()
        readable.load_model()
        readable.load_lexicon()

    print(f"\n== speed (chars/s, one core, cold caches, best of 3); article text: {len(article):,} chars from {source}")
    print(f"   unique words: {len(unique):,} Dakshina train words, {len(unique_text):,} chars")
    rows = [
        ("iso15919", to_iso15919, reset_iso),
        ("readable", to_readable, reset_readable),
    ]
    if sanscript is not None:
        rows.append(("sanscript ISO", sanscript_iso, lambda: None))
    for name, fn, reset in rows:
        art = chars_per_sec(fn, article, reset)
        uni = chars_per_sec(fn, unique_text, reset)
        print(f"  {name:<14} article {art:>12,.0f}   unique words {uni:>12,.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
