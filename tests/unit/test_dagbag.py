"""The DAG folder imports cleanly and fast (the dag-processor parses it every few seconds)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_dagbag_has_no_import_errors(airflow_db: str) -> None:
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
    """Time our DAG files as the dag-processor sees them: Airflow's SDK already loaded.

    CPU time, in a fresh interpreter, so a busy machine does not make the number flaky.
    """
    probe = (
        "import time, runpy, glob\n"
        "from airflow.sdk import Asset, CronDataIntervalTimetable, ExceptionRetryPolicy, Param, dag, task\n"
        "t = time.process_time()\n"
        f"for path in sorted(glob.glob({str(ROOT / 'dags')!r} + '/*.py')): runpy.run_path(path)\n"
        "print(time.process_time() - t)\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT / "plugins"))
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True)
    seconds = float(out.stdout.strip().splitlines()[-1])
    assert seconds < 1.0, f"importing dags/ took {seconds:.2f} s of CPU"
