"""The `samachar` command as people and scripts use it: real processes, real HTTP, real Postgres."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
SAMACHAR = str(Path(sys.executable).parent / "samachar")
PARSE_FIELDS = {"url", "canonical_url", "title", "summary", "body", "authors", "category", "tags",
                "published_at", "modified_at", "language", "lead_image", "related", "source"}


def run(*args: str, db_url: str | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if db_url:
        env["SAMACHAR_DATABASE_URL"] = db_url
    return subprocess.run([SAMACHAR, *args], input=stdin, capture_output=True, text=True, env=env, timeout=120)


def assert_one_line_error(proc: subprocess.CompletedProcess) -> None:
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr


def test_parse_prints_the_documented_fields() -> None:
    page = ROOT / "tests" / "fixtures" / "pages" / "indianews-wordpress.html"
    gold = json.loads(page.with_suffix(".json").read_text())
    proc = run("parse", str(page), "--url", gold["url"], "--fetched-at", "2025-01-14T10:00:00+05:30")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert PARSE_FIELDS <= set(data)
    assert data["title"] == gold["expected"]["title"]
    assert data["published_at"].endswith("+05:30")
    assert all(set(r) == {"title", "url"} for r in data["related"])


def test_transliterate_both_schemes_and_back() -> None:
    text = "राष्ट्रपति पुतिन ने 2025 में News देखी।\nदूसरी पंक्ति\n"
    iso = run("transliterate", stdin=text)
    assert iso.returncode == 0 and len(iso.stdout.splitlines()) == 2
    assert "2025" in iso.stdout and "News" in iso.stdout
    back = run("transliterate", "--reverse", stdin=iso.stdout.replace("News", ""))
    assert back.stdout.splitlines()[1] == "दूसरी पंक्ति"
    readable = run("transliterate", "--scheme", "readable", stdin="राष्ट्रपति\n")
    assert readable.stdout.strip().lower() == "rashtrapati"


def test_fetch_writes_the_page_and_fails_in_one_line(devsite, tmp_path) -> None:
    article = devsite.articles[0]
    out = tmp_path / "page.html"
    proc = run("fetch", article.url, "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert article.title.split(":")[-1].strip()[:20] in out.read_text()
    assert_one_line_error(run("fetch", "file:///etc/passwd"))
    assert_one_line_error(run("fetch", devsite.base_url + "/no-such-page/"))


def test_run_then_search_and_migrate_again(news_db, news_db_url, devsite) -> None:
    first = devsite.articles[0].published_at
    proc = run("run", "--source", "indianews", "--base-url", devsite.base_url,
               "--start", first.replace(hour=0, minute=0).isoformat(),
               "--end", first.replace(hour=23, minute=59).isoformat(), db_url=news_db_url)
    assert proc.returncode == 0, proc.stderr
    stored = news_db.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert stored > 0 and f"loaded {stored} new" in proc.stdout
    word = devsite.articles[0].title.split()[-1]
    found = run("search", word, db_url=news_db_url)
    assert found.returncode == 0 and "1." in found.stdout
    again = run("db", "migrate", db_url=news_db_url)
    assert again.returncode == 0 and "up to date" in again.stdout


@pytest.mark.parametrize("args", [
    ("search", "पुतिन"),
    ("db", "migrate"),
    ("run", "--source", "indianews", "--base-url", "http://127.0.0.1:9/"),
])
def test_unreachable_database_is_one_line(args) -> None:
    assert_one_line_error(run(*args, db_url="postgresql://postgres@127.0.0.1:9/nowhere"))


@pytest.mark.parametrize("args", [
    ("run", "--source", "nosuch"),
    ("run", "--source", "indianews", "--start", "2025-01-14", "--end", "2025-01-13"),
    ("run", "--source", "indianews", "--start", "yesterday", "--end", "2025-01-13"),
    ("parse", "missing.html", "--url", "https://example.com/a/"),
    ("transliterate", "--scheme", "readable", "--reverse"),
])
def test_bad_arguments_are_one_line(args) -> None:
    proc = run(*args)
    assert proc.returncode == 2 or proc.returncode == 1
    assert "Traceback" not in proc.stderr and proc.stderr.strip()
