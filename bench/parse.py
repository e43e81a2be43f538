"""Benchmark: parse_article vs trafilatura on the same pages — speed, peak memory, body F1.

    .venv/bin/python bench/parse.py [--rounds 15] [--devsite-articles 40]

Pages: the gold fixtures in tests/fixtures/pages/ and, when ``samachar.devsite`` is
importable, the replay site's article pages rendered in-process (catalogue gold bodies).
trafilatura is optional and benchmark-only (not in the lock files); without it the
comparison is skipped with a message.

Speed is pages per CPU-second of the best of ``--rounds`` interleaved passes: the machine
is shared, and the best pass is the one least disturbed by neighbours. Peak memory is the
growth of the process's resident set (VmHWM after resetting it) during a second pass, measured
in a fresh subprocess per extractor so neither inherits the other's allocator state.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from statistics import mean

from samachar.models import NotAnArticle
from samachar.parse import parse_article
from samachar.parse.scoring import token_f1

PAGES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "pages"


@dataclass
class Page:
    name: str
    url: str
    profile: str
    fetched_at: datetime | None
    html: str
    gold_body: str


def fixture_pages() -> list[Page]:
    pages = []
    for gold_path in sorted(PAGES.glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        fetched = datetime.fromisoformat(gold["fetched_at"]) if gold.get("fetched_at") else None
        pages.append(Page(gold_path.stem, gold["url"], gold["profile"], fetched,
                          gold_path.with_suffix(".html").read_text(encoding="utf-8"), gold["expected"]["body"]))
    return pages


def devsite_pages(n_articles: int, *, quiet: bool = False) -> list[Page]:
    try:
        from samachar.devsite.catalogue import build_catalogue
        from samachar.devsite.render import render_article
    except ImportError as exc:
        if not quiet:
            print(f"(replay site skipped: samachar.devsite has no in-process renderer: {exc})")
        return []
    entries = build_catalogue("http://127.0.0.1:8000", n_articles=n_articles)
    return [Page(f"devsite-{e.id}", e.url, "indianews", None, render_article(e), e.body) for e in entries]


def ours(page: Page) -> str:
    try:
        return parse_article(page.html, page.url, profile=page.profile, fetched_at=page.fetched_at).body
    except NotAnArticle:
        return ""


def load_trafilatura(*, quiet: bool = False) -> Callable[[Page], str] | None:
    try:
        import trafilatura
    except ImportError:
        if not quiet:
            print("(trafilatura not installed: comparison skipped; "
                  "`.venv/bin/uv pip install --python .venv/bin/python trafilatura` to enable)")
        return None

    def extract(page: Page) -> str:
        return trafilatura.extract(page.html, url=page.url, include_comments=False, include_tables=False) or ""

    return extract


def extractors(*, quiet: bool = False) -> dict[str, Callable[[Page], str]]:
    found: dict[str, Callable[[Page], str]] = {"samachar": ours}
    traf = load_trafilatura(quiet=quiet)
    if traf is not None:
        found["trafilatura"] = traf
    return found


def page_sets(n_articles: int, *, quiet: bool = False) -> dict[str, list[Page]]:
    sets = {"fixtures": fixture_pages()}
    replay = devsite_pages(n_articles, quiet=quiet)
    if replay:
        sets["replay"] = replay
    return sets


def best_rates(funcs: dict[str, Callable[[Page], str]], pages: list[Page], rounds: int) -> dict[str, float]:
    """Pages per CPU-second, best pass of ``rounds``, extractors interleaved round by round."""
    best = dict.fromkeys(funcs, float("inf"))
    for _ in range(rounds):
        for name, extract in funcs.items():
            started = time.process_time()
            for page in pages:
                extract(page)
            best[name] = min(best[name], time.process_time() - started)
    return {name: len(pages) / max(seconds, 1e-9) for name, seconds in best.items()}


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def memory_worker(extractor: str, set_name: str, n_articles: int) -> None:
    """Subprocess body: print the resident-set growth (MiB) over one pass of one extractor."""
    pages = page_sets(n_articles, quiet=True)[set_name]
    extract = extractors(quiet=True)[extractor]
    for page in pages:  # warm-up pass: lazy imports and one-time caches are not the pass's memory
        extract(page)
    baseline = _status_kib("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # reset VmHWM to the current RSS
    for page in pages:
        extract(page)
    print(json.dumps({"peak_mib": (_status_kib("VmHWM") - baseline) / 1024}))


def peak_mib(extractor: str, set_name: str, n_articles: int) -> float | None:
    done = subprocess.run(
        [sys.executable, __file__, "--memory-worker", extractor, set_name, "--devsite-articles", str(n_articles)],
        capture_output=True, text=True, timeout=600, check=False,
    )
    try:
        return json.loads(done.stdout.strip().splitlines()[-1])["peak_mib"]
    except (IndexError, ValueError, KeyError):
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="timed passes per extractor and page set")
    parser.add_argument("--devsite-articles", type=int, default=40)
    parser.add_argument("--memory-worker", nargs=2, metavar=("EXTRACTOR", "SET"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_worker:
        memory_worker(*args.memory_worker, args.devsite_articles)
        return

    sets = page_sets(args.devsite_articles)
    funcs = extractors()
    print(f"{'set':9} {'extractor':12} {'pages':>5} {'pages/s':>8} {'peak MiB':>9} {'F1 mean':>8} {'F1 min':>7}")
    for set_name, pages in sets.items():
        rates = best_rates(funcs, pages, args.rounds)
        summary = {}
        for name, extract in funcs.items():
            f1s = [token_f1(extract(p), p.gold_body) for p in pages]
            peak = peak_mib(name, set_name, args.devsite_articles)
            summary[name] = (rates[name], peak, mean(f1s))
            peak_text = f"{peak:9.2f}" if peak is not None else f"{'n/a':>9}"
            print(f"{set_name:9} {name:12} {len(pages):5d} {rates[name]:8.1f} {peak_text} {mean(f1s):8.3f} {min(f1s):7.3f}")
        if "trafilatura" in summary:
            (r_o, m_o, f_o), (r_t, m_t, f_t) = summary["samachar"], summary["trafilatura"]
            if m_o is None or m_t is None:
                memory = ""
            elif min(m_o, m_t) < 1.0:  # below 1 MiB the ratio is page-granularity noise
                memory = f", peak memory +{m_o:.2f} vs +{m_t:.2f} MiB"
            else:
                memory = f", peak memory x{m_o / m_t:.2f}"
            print(f"{set_name:9} samachar/trafilatura: speed x{r_o / r_t:.2f}{memory}, "
                  f"F1 {f_o:.3f} vs {f_t:.3f} ({'>=' if f_o >= f_t else '<'} trafilatura)")


if __name__ == "__main__":
    main()
