"""``make demo``: one full pipeline pass over the bundled replay site, without Airflow's servers."""

from __future__ import annotations

import os
from datetime import timedelta

from _setup import news_database

from samachar import db
from samachar.devsite import DevSite
from samachar.pipeline import format_interval, run_once
from samachar.sources import load_profile


def main() -> None:
    _, url = news_database(os.environ.get("SAMACHAR_DEMO_DB", "samachar"))
    with DevSite() as site:
        profile = load_profile("indianews", base_url=site.base_url)
        first = min(a.published_at for a in site.articles)
        last = max(a.published_at for a in site.articles)
        start = first.replace(hour=0, minute=0, second=0, microsecond=0)
        end = last.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
        print(f"replay site {site.base_url}: {len(site.articles)} articles, {format_interval(start, end)}")
        with db.connect(url) as conn:
            summary = run_once(conn, profile, start, end, trigger="demo")
            total = conn.execute("SELECT count(*) FROM articles WHERE source = %s", (profile.name,)).fetchone()[0]
            title, iso, readable = conn.execute(
                "SELECT title, title_iso, title_readable FROM articles ORDER BY published_at LIMIT 1").fetchone()
    r = summary.load
    print(f"run {summary.run_id}: discovered {summary.discovered}, fetched {summary.fetched}, "
          f"parsed {summary.staged}; {r.inserted} new, {r.updated} updated, {r.unchanged} unchanged")
    print(f"{total} articles from {profile.name} are in the archive ({url.rsplit('/', 1)[-1]}). One title:")
    print(f"  Devanagari : {title}")
    print(f"  ISO 15919  : {iso}")
    print(f"  readable   : {readable}")


if __name__ == "__main__":
    main()
