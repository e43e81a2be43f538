"""The DAG folder imports cleanly and fast (the dag-processor parses it every few seconds)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_dagbag_has_no_import_errors() -> None:
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(ROOT / "dags"))
    assert bag.import_errors == {}
    assert "samachar_ingest" in bag.dag_ids
    dag = bag.get_dag("samachar_ingest")
    assert [t.task_id for t in dag.topological_sort()] == [
        "discover_urls", "fetch_pages", "parse_articles", "transliterate_articles", "load_articles"]
    for task in dag.tasks:
        assert task.retries == 3 and task.retry_exponential_backoff


def test_importing_dags_takes_under_a_second() -> None:
    """Time only our DAG modules, after Airflow itself is imported, in a fresh interpreter."""
    probe = (
        "import time, runpy, glob, airflow.sdk\n"
        "t = time.perf_counter()\n"
        f"for path in sorted(glob.glob({str(ROOT / 'dags')!r} + '/*.py')): runpy.run_path(path)\n"
        "print(time.perf_counter() - t)\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT / "plugins"))
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True)
    seconds = float(out.stdout.strip().splitlines()[-1])
    assert seconds < 1.0, f"importing dags/ took {seconds:.2f} s"
