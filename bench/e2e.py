"""Benchmark: the whole pipeline end to end, outside Airflow and through the DAG with dag.test().

    .venv/bin/python bench/e2e.py [--articles 2000] [--only plain|dag] [--cprofile PREFIX] [--dag-batch-size N]

Starts the replay site in its own process (``samachar devsite``, so its CPU is not ours), with
a copy of the ``indianews`` profile whose rate limit is off. Then:

* outside Airflow: the stages of ``pipeline.run_once`` called in the same order, timed one by
  one (wall clock and ``time.process_time``, which counts every thread of this process, the
  fetch threads included) over the catalogue's whole span;
* the same interval through the ``samachar_ingest`` DAG with ``dag.test()`` (all tasks in this
  process, against a real Airflow metadata database), on an emptied news database.

Prints articles/s end to end, CPU seconds per article per stage and the DAG/plain ratios of
wall time (Airflow's overhead) and of CPU time. Goal: >= 50 articles/s outside Airflow, overhead
< 2x. Wall times move with whatever else the machine runs (the load average is printed); the
CPU figures much less. ``--dag-batch-size`` shows what fewer, bigger mapped tasks would cost.
Databases ``samachar_bench`` (recreated) and ``samachar_bench_airflow`` (kept, migrated) live
on the server of ``SAMACHAR_PG_SERVER`` (default 127.0.0.1:5432).
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))

from samachar.config import with_database  # noqa: E402

PG_SERVER = os.environ.get("SAMACHAR_PG_SERVER", "postgresql://postgres@127.0.0.1:5432/postgres")
NEWS_DB_URL = with_database(PG_SERVER, "samachar_bench")
AIRFLOW_DB_URL = with_database(PG_SERVER, "samachar_bench_airflow")
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SITE_PORT = _free_port()
SITE_URL = f"http://127.0.0.1:{SITE_PORT}"
SOURCES_DIR = tempfile.mkdtemp(prefix="samachar-bench-sources-")
SITE_LOG = Path(SOURCES_DIR) / "devsite.log"

# Airflow reads its configuration when first imported: everything is set before that.
os.environ.update({
    "AIRFLOW_HOME": tempfile.mkdtemp(prefix="samachar-bench-airflow-"),
    "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
    "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"),
    "AIRFLOW__CORE__PLUGINS_FOLDER": str(ROOT / "plugins"),
    "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": AIRFLOW_DB_URL.replace("postgresql://", "postgresql+psycopg2://", 1),
    "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
    "AIRFLOW__LOGGING__LOGGING_LEVEL": "WARNING",
    "SAMACHAR_DATABASE_URL": NEWS_DB_URL,
    "AIRFLOW_CONN_SAMACHAR_DB": NEWS_DB_URL,
    "SAMACHAR_BASE_URL": SITE_URL,
    "SAMACHAR_SOURCES_DIR": SOURCES_DIR,
})

import psycopg  # noqa: E402

STAGES = ("discover", "fetch", "parse", "transliterate", "load")
UNLIMITED_RATE = 100_000.0


def write_profile() -> None:
    """The shipped indianews profile with the rate limit off, in SAMACHAR_SOURCES_DIR (it wins there)."""
    from importlib import resources

    text = (resources.files("samachar.sources") / "indianews.toml").read_text(encoding="utf-8")
    lines = [f"rate_limit_per_sec = {UNLIMITED_RATE}" if line.startswith("rate_limit_per_sec") else line
             for line in text.splitlines()]
    Path(SOURCES_DIR, "indianews.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def start_site(n_articles: int) -> subprocess.Popen:
    """``samachar devsite`` in its own process; returns once it answers."""
    proc = subprocess.Popen([str(BIN / "samachar"), "devsite", "--port", str(SITE_PORT), "--articles", str(n_articles)],
                            stdout=subprocess.DEVNULL, stderr=SITE_LOG.open("w"))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"samachar devsite exited with {proc.returncode}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", SITE_PORT)) == 0:
                return proc
        time.sleep(0.2)
    proc.kill()
    raise SystemExit("the replay site did not start within 60 s")


def prepare_databases(with_airflow: bool) -> None:
    """A fresh, migrated news database; Airflow's metadata database created and migrated."""
    from samachar.db import migrate

    with psycopg.connect(PG_SERVER, autocommit=True) as conn:
        conn.execute('DROP DATABASE IF EXISTS "samachar_bench" WITH (FORCE)')
        conn.execute('CREATE DATABASE "samachar_bench"')
        if with_airflow and not conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = 'samachar_bench_airflow'").fetchone():
            conn.execute('CREATE DATABASE "samachar_bench_airflow"')
    migrate(NEWS_DB_URL)
    if with_airflow:
        subprocess.run([str(BIN / "airflow"), "db", "migrate"], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=600)
        # dag.test() activates the DAG's assets only if nothing holds their name: after an asset's
        # URI changed, the old row would keep it (the scheduler's orphanage pass, which fixes that
        # in a deployment, never runs here) and load_articles fails with an inactive outlet.
        with psycopg.connect(AIRFLOW_DB_URL, autocommit=True) as conn:
            conn.execute("DELETE FROM asset_active")


def empty_news_db() -> None:
    """Truncate every table but the migration log, so the next pass fetches and loads everything anew."""
    with psycopg.connect(NEWS_DB_URL) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'")]
        conn.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")


def article_count() -> int:
    with psycopg.connect(NEWS_DB_URL) as conn:
        return conn.execute("SELECT count(*) FROM articles").fetchone()[0]


def run_plain(profile, start, end) -> tuple[float, dict[str, tuple[float, float]], int]:
    """run_once's stages in run_once's order, each timed; returns (wall, {stage: (wall, cpu)}, loaded)."""
    from samachar import db, pipeline

    timings: dict[str, list[float]] = {s: [0.0, 0.0] for s in STAGES}

    def timed(stage, fn, *args, **kwargs):
        wall, cpu = time.perf_counter(), time.process_time()
        out = fn(*args, **kwargs)
        timings[stage][0] += time.perf_counter() - wall
        timings[stage][1] += time.process_time() - cpu
        return out

    began = time.perf_counter()
    with db.connect(NEWS_DB_URL) as conn:
        client = pipeline.http_client(profile)
        run_id = timed("discover", pipeline.start_run, conn, profile, start, end, trigger="bench")
        batches = timed("discover", pipeline.discover_stage, conn, run_id, profile, start, end, client)
        raw_ids: list[int] = []
        for batch in batches:
            raw_ids += timed("fetch", pipeline.fetch_stage, conn, run_id, profile, batch, client,
                             failure_threshold=1.0)
        staged = timed("parse", pipeline.parse_stage, conn, run_id, profile, raw_ids, failure_threshold=1.0)
        staged = timed("transliterate", pipeline.transliterate_stage, conn, run_id, staged)
        result = timed("load", pipeline.load_stage, conn, run_id, staged)
    wall = time.perf_counter() - began
    return wall, {s: (w, c) for s, (w, c) in timings.items()}, result.inserted + result.updated + result.unchanged


def run_dag(start, end, batch_size: int | None) -> tuple[float, float, str]:
    """The same interval through the ingest DAG with dag.test(); returns (wall, cpu, state).

    ``batch_size`` (an experiment) makes the discover task cut bigger batches, i.e. fewer
    mapped fetch/parse task instances.
    """
    from airflow.dag_processing.dagbag import DagBag

    from samachar import pipeline

    if batch_size is not None:
        stage = pipeline.discover_stage
        pipeline.discover_stage = functools.partial(stage, batch_size=batch_size)
    dag = DagBag(dag_folder=str(ROOT / "dags")).get_dag("samachar_ingest")
    wall, cpu = time.perf_counter(), time.process_time()
    dag_run = dag.test(logical_date=end, run_conf={"start": start.isoformat(), "end": end.isoformat()})
    return time.perf_counter() - wall, time.process_time() - cpu, str(dag_run.state)


def profiled(path: str | None, fn, *args):
    """``fn(*args)``, under cProfile (written to ``path``) when a path is given."""
    if not path:
        return fn(*args)
    import cProfile

    with cProfile.Profile() as prof:
        out = fn(*args)
    prof.dump_stats(path)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000, help="articles on the replay site")
    parser.add_argument("--only", choices=("plain", "dag"), help="run only one of the two passes")
    parser.add_argument("--cprofile", metavar="PREFIX",
                        help="write cProfile stats to PREFIX-plain.pstats and PREFIX-dag.pstats")
    parser.add_argument("--dag-batch-size", type=int, metavar="N",
                        help="experiment: URLs per mapped fetch/parse task in the DAG (default: the pipeline's)")
    args = parser.parse_args()

    from samachar.devsite.catalogue import build_catalogue
    from samachar.sources import load_profile

    write_profile()
    catalogue = build_catalogue(SITE_URL, n_articles=args.articles)
    start = catalogue[0].published_at.replace(hour=0, minute=0, second=0, microsecond=0)
    end = catalogue[-1].published_at.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    expected = sum(1 for a in catalogue if start <= a.published_at < end)
    site = start_site(args.articles)
    try:
        prepare_databases(with_airflow=args.only != "plain")
        profile = load_profile("indianews", base_url=SITE_URL)
        print(f"replay site {SITE_URL}: {args.articles} articles, interval {start:%Y-%m-%d %H:%M} – "
              f"{end:%Y-%m-%d %H:%M} IST ({expected} expected); rate limit {profile.rate_limit_per_sec:g}/s, "
              f"{profile.max_concurrency} fetch threads; load average {os.getloadavg()[0]:.1f}")
        ok = True
        if args.only != "dag":
            wall, stages, loaded = profiled(args.cprofile and f"{args.cprofile}-plain.pstats",
                                            run_plain, profile, start, end)
            ok = loaded == expected
            print(f"\noutside Airflow: {loaded} articles in {wall:.1f} s = {loaded / wall:.1f} articles/s "
                  f"(goal >= 50){'' if ok else f'  MISSING {expected - loaded}'}")
            print(f"{'stage':<14}{'wall s':>9}{'CPU s':>9}{'CPU ms/article':>16}")
            for stage, (w, c) in stages.items():
                print(f"{stage:<14}{w:>9.2f}{c:>9.2f}{1000 * c / max(loaded, 1):>16.2f}")
            total_cpu = sum(c for _, c in stages.values())
            print(f"{'total':<14}{sum(w for w, _ in stages.values()):>9.2f}{total_cpu:>9.2f}"
                  f"{1000 * total_cpu / max(loaded, 1):>16.2f}")
            empty_news_db()
        if args.only != "plain":
            dag_wall, dag_cpu, state = profiled(args.cprofile and f"{args.cprofile}-dag.pstats",
                                                run_dag, start, end, args.dag_batch_size)
            dag_loaded = article_count()
            ok = ok and dag_loaded == expected and state == "success"
            print(f"\ndag.test(): {state}, {dag_loaded} articles in {dag_wall:.1f} s = "
                  f"{dag_loaded / dag_wall:.1f} articles/s, CPU {dag_cpu:.1f} s "
                  f"({1000 * dag_cpu / max(dag_loaded, 1):.2f} ms/article)")
            if args.only is None:
                print(f"Airflow overhead (dag.test wall / plain wall): {dag_wall / wall:.2f}x (goal < 2x); "
                      f"CPU {dag_cpu / total_cpu:.2f}x")
        return 0 if ok else 1
    finally:
        if site.poll() is not None:
            print(f"the replay site died (exit {site.returncode}):\n{SITE_LOG.read_text()[-3000:]}", file=sys.stderr)
        site.terminate()
        site.wait(timeout=10)
        for tmp in (SOURCES_DIR, os.environ["AIRFLOW_HOME"]):
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
