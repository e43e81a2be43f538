"""The news database restarts in the middle of a run: the stage that held a connection fails,
its retry (a fresh connection, as Airflow's task retry opens one) finishes, nothing is lost.

Needs a Postgres it may restart, so it starts a private cluster (``initdb``/``pg_ctl`` from
PATH, /usr/lib/postgresql or the pgserver wheel) on a free port, as the ``postgres`` OS user
when run as root, and stops it afterwards.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
import pytest

from samachar import db, pipeline
from samachar.devsite import DevSite
from samachar.fetch import HttpClient
from samachar.sources import load_profile

pytestmark = pytest.mark.integration
IST = ZoneInfo("Asia/Kolkata")
SERVICE_USER = "postgres"
BATCH_SIZE = 4
STALL_SECONDS = 4.0  # longer than a fast restart: the stalled page arrives after the server is back


def _bin_dir() -> Path | None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
    from localpg import find_bin_dir

    return find_bin_dir()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """A throwaway Postgres cluster in a temp dir, controlled with pg_ctl."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.port = _free_port()
        self.root = Path(tempfile.mkdtemp(prefix="samachar-test-pgrestart-"))
        self.data = self.root / "data"
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # Postgres refuses to run as root
            try:
                entry = pwd.getpwnam(SERVICE_USER)
            except KeyError:
                pytest.skip(f"running as root and there is no {SERVICE_USER!r} user to run Postgres as")
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
            self.as_user = ["runuser", "-u", SERVICE_USER, "--"]

    def _ctl(self, *args: str, timeout: float = 60) -> None:
        subprocess.run([*self.as_user, str(self.bin_dir / "pg_ctl"), "-D", str(self.data), *args],
                       check=True, capture_output=True, timeout=timeout)

    def start(self) -> None:
        subprocess.run([*self.as_user, str(self.bin_dir / "initdb"), "-D", str(self.data), "-U", "postgres",
                        "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"],
                       check=True, capture_output=True, timeout=120)
        self._ctl("-l", str(self.root / "server.log"), "-o",
                  f"-p {self.port} -k {self.root} -h 127.0.0.1 -c fsync=off", "-w", "start")

    def restart(self) -> None:
        """``pg_ctl restart -m fast``: every open connection is terminated."""
        self._ctl("-l", str(self.root / "server.log"), "-m", "fast", "-w", "restart")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._ctl("-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture()
def cluster():
    """A private Postgres cluster with a migrated news database ``samachar``."""
    bin_dir = _bin_dir()
    if bin_dir is None:
        pytest.skip("no PostgreSQL binaries: neither initdb on PATH, /usr/lib/postgresql, nor the pgserver wheel")
    pg = Cluster(bin_dir)
    try:
        pg.start()
        with psycopg.connect(pg.url, autocommit=True) as conn:
            conn.execute("CREATE DATABASE samachar")
        news_url = pg.url.rsplit("/", 1)[0] + "/samachar"
        db.migrate(news_url)
        yield pg, news_url
    finally:
        pg.stop()


def _retried(stage, news_url: str, *args, **kwargs):
    """Call ``stage(conn, ...)`` on a fresh connection, as a retried Airflow task would."""
    with db.connect(news_url) as conn:
        return stage(conn, *args, **kwargs)


def test_a_database_restart_mid_run_loses_nothing(cluster) -> None:
    pg, news_url = cluster
    with DevSite(n_articles=40) as site:
        profile = load_profile("indianews", base_url=site.base_url)
        client = HttpClient(allowed_hosts=profile.allowed_hosts, rate_limit_per_sec=1000, read_timeout=10,
                            max_retries=1, backoff_base=0.05)
        start = datetime(2025, 1, 13, tzinfo=IST)
        end = start + timedelta(days=1)
        expected = {a.url: a for a in site.articles if start <= a.published_at < end}

        conn = db.connect(news_url)
        run_id = pipeline.start_run(conn, profile, start, end, trigger="test")
        batches = pipeline.discover_stage(conn, run_id, profile, start, end, client, batch_size=BATCH_SIZE)
        assert len(batches) >= 2 and len(expected) > BATCH_SIZE
        batch_urls = [r.url for r in db.discovered_batch(conn, run_id, batches[0])]
        assert set(batch_urls) <= set(expected)
        stalled = batch_urls[-1]
        site.set_fault(stalled, f"stall:{STALL_SECONDS:g}:1")

        # The server restarts while fetch holds its connection: the other pages of the batch are
        # stored and committed; the stalled one comes back to a dead connection.
        def restart_when_the_rest_is_stored() -> None:
            deadline = time.monotonic() + STALL_SECONDS
            with psycopg.connect(news_url, autocommit=True) as watcher:
                while time.monotonic() < deadline:
                    stored = watcher.execute("SELECT count(*) FROM raw_pages").fetchone()[0]
                    if stored == len(batch_urls) - 1:
                        break
                    time.sleep(0.05)
            pg.restart()

        restarter = threading.Thread(target=restart_when_the_rest_is_stored)
        restarter.start()
        try:
            with pytest.raises(psycopg.OperationalError):
                pipeline.fetch_stage(conn, run_id, profile, batches[0], client)
        finally:
            restarter.join()
        assert conn.closed or conn.broken

        raw_ids = _retried(pipeline.fetch_stage, news_url, run_id, profile, batches[0], client)
        for batch in batches[1:]:
            raw_ids += _retried(pipeline.fetch_stage, news_url, run_id, profile, batch, client)
        # the retry downloaded only the page whose result was lost
        gets = Counter(path for method, path, status in site.requests if method == "GET" and status == 200)
        assert gets[stalled.removeprefix(site.base_url)] == 2
        assert all(gets[u.removeprefix(site.base_url)] == 1 for u in expected if u != stalled)

        conn = db.connect(news_url)
        staged = pipeline.parse_stage(conn, run_id, profile, raw_ids)
        staged = pipeline.transliterate_stage(conn, run_id, staged)
        pg.restart()  # between stages this time: load meets a dead connection at once
        with pytest.raises(psycopg.OperationalError):
            pipeline.load_stage(conn, run_id, staged)
        conn.close()
        result = _retried(pipeline.load_stage, news_url, run_id, staged)

    assert result.inserted == len(expected)
    with db.connect(news_url) as check:
        stored = [r[0] for r in check.execute("SELECT canonical_url FROM articles")]
        assert len(stored) == len(set(stored)) == len(expected)
        assert set(stored) == set(expected)
        assert check.execute("SELECT count(*) FROM raw_pages").fetchone()[0] == len(expected)
        assert check.execute("SELECT count(*) FROM quarantine WHERE resolved_at IS NULL").fetchone()[0] == 0
        assert check.execute("SELECT finished_at IS NOT NULL FROM pipeline_runs WHERE id = %s",
                             (run_id,)).fetchone()[0]
