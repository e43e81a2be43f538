"""Soak: a day of hourly intervals back to back, as a backfill runs them, against a faulty site.

The replay site runs in its own process (so its page cache does not count as our memory) and
injects 10% random faults: 5xx (transient and permanent), connection resets, stalls and
truncated pages. Its ``/__control__/catalogue`` says which articles a retrying client gets.
"""

from __future__ import annotations

import dataclasses
import json
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import psutil
import pytest

from samachar import pipeline
from samachar.fetch import HttpClient
from samachar.sources import load_profile

pytestmark = pytest.mark.integration
IST = ZoneInfo("Asia/Kolkata")
DAY = datetime(2025, 1, 14, tzinfo=IST)  # the second of the replay catalogue's four days
N_ARTICLES = 800  # ~200 a day, ~8 an hour
FAULT_RATE = 0.1
SEED = 5  # on DAY this seed plans every fault kind: 5xx, permanent 5xx, reset, stall, truncated page
MEMORY_GROWTH_LIMIT = 30 * 2**20


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _peak_rss_since_reset() -> int:
    """Peak RSS in bytes since the last reset (Linux VmHWM, reset via clear_refs), else the current RSS."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return psutil.Process().memory_info().rss


def _reset_peak_rss() -> None:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:  # not Linux: the peak falls back to the RSS after each interval
        pass


@pytest.fixture()
def faulty_site(tmp_path):
    """``samachar devsite --fault-rate 0.1`` in a child process; yields (base_url, catalogue JSON)."""
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = (tmp_path / "devsite.log").open("w")
    proc = subprocess.Popen([str(Path(sys.executable).parent / "samachar"), "devsite", "--port", str(port),
                             "--articles", str(N_ARTICLES), "--fault-rate", str(FAULT_RATE), "--seed", str(SEED)],
                            stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{base_url}/__control__/catalogue", timeout=5) as resp:
                    catalogue = json.load(resp)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"the replay site did not start: {(tmp_path / 'devsite.log').read_text()[-2000:]}")
                time.sleep(0.2)
        yield base_url, catalogue
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


def test_a_day_of_hourly_runs_against_a_faulty_site(news_db, faulty_site) -> None:
    base_url, catalogue = faulty_site
    profile = dataclasses.replace(load_profile("indianews", base_url=base_url), rate_limit_per_sec=1000.0)
    # small timeouts and backoff: a fault costs tenths of a second, not the production minutes
    client = HttpClient(allowed_hosts=profile.allowed_hosts, rate_limit_per_sec=profile.rate_limit_per_sec,
                        connect_timeout=2, read_timeout=2, total_timeout=10, max_retries=4,
                        backoff_base=0.05, backoff_max=0.2)
    in_day = [a for a in catalogue if DAY <= datetime.fromisoformat(a["published_at"]) < DAY + timedelta(days=1)]
    good = {a["url"] for a in in_day if a["served_correctly"]}
    bad = {a["url"] for a in in_day} - good
    assert len(in_day) > 150 and bad, "the day should hold many articles, some never served correctly"

    peaks: list[int] = []  # each interval's peak RSS
    for hour in range(24):
        start = DAY + timedelta(hours=hour)
        _reset_peak_rss()
        pipeline.run_once(news_db, profile, start, start + timedelta(hours=1), client=client, trigger="backfill")
        peaks.append(_peak_rss_since_reset())

    stored = [r[0] for r in news_db.execute("SELECT canonical_url FROM articles")]
    assert len(stored) == len(set(stored)), "an article was stored twice"
    assert set(stored) == good
    quarantined = dict(news_db.execute(
        "SELECT url, string_agg(stage || ':' || reason, ', ') FROM quarantine"
        " WHERE resolved_at IS NULL AND reason <> '' GROUP BY url").fetchall())
    assert set(quarantined) == bad, {u: quarantined.get(u) for u in bad ^ set(quarantined)}
    stages = {r[0] for r in news_db.execute("SELECT DISTINCT stage FROM quarantine WHERE resolved_at IS NULL")}
    assert stages == {"fetch", "parse"}  # permanent 5xx fail the fetch, truncated pages the parse
    runs = news_db.execute("SELECT count(*), count(finished_at) FROM pipeline_runs").fetchone()
    assert runs == (24, 24)

    growth = peaks[23] - peaks[5]
    print(f"\nsoak: {len(good)} articles stored, {len(bad)} quarantined ({sorted(set(quarantined.values()))}); "
          f"peak RSS of interval 1: {peaks[0] / 2**20:.1f} MiB, 6: {peaks[5] / 2**20:.1f} MiB, "
          f"24: {peaks[23] / 2**20:.1f} MiB (growth 6→24 {growth / 2**20:+.1f} MiB)")
    assert growth < MEMORY_GROWTH_LIMIT, [round(p / 2**20, 1) for p in peaks]
