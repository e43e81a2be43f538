"""Re-parse and re-transliterate stored pages without fetching (manual runs only)."""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import Param, dag, get_current_context, task

from samachar.assets import ARTICLES
from samachar.sources import available_sources


@dag(
    dag_id="samachar_reprocess",
    schedule=None,
    catchup=False,
    max_active_runs=1,
    is_paused_upon_creation=False,
    tags=["samachar", "reprocess"],
    default_args={"owner": "samachar", "retries": 3, "retry_delay": timedelta(seconds=30),
                  "retry_exponential_backoff": 2.0, "max_retry_delay": timedelta(minutes=10),
                  "execution_timeout": timedelta(minutes=30)},
    params={
        "source": Param("indianews", type="string", enum=available_sources()),
        "start": Param("2025-01-01T00:00:00+05:30", type="string", description="Published from (ISO 8601)."),
        "end": Param("2030-01-01T00:00:00+05:30", type="string", description="Published before (exclusive)."),
        "parser_older_than": Param(None, type=["null", "string"],
                                   description="Only articles parsed by an older parser version."),
        "transliterator_older_than": Param(None, type=["null", "string"],
                                           description="Only articles transliterated by an older version."),
        "batch_size": Param(200, type="integer", minimum=1, maximum=5000),
    },
    doc_md="""
### Reprocess stored pages

Runs stored raw HTML through parse → transliterate → load again, **without fetching**, in
batches. Use it after improving the parser or the transliterator: set `parser_older_than` or
`transliterator_older_than` to the new version to touch only what older code produced. It is
idempotent: unchanged articles stay unchanged, changed ones get a new revision.
""",
)
def samachar_reprocess() -> None:
    @task
    def select_pages() -> list[list[int]]:
        from samachar.tasks import reprocess_select_task

        return reprocess_select_task(get_current_context())

    @task(map_index_template="{{ batch_label }}", outlets=[ARTICLES])
    def reprocess_batch(raw_page_ids: list[int]) -> dict[str, int]:
        from samachar.tasks import reprocess_batch_task

        return reprocess_batch_task(raw_page_ids, get_current_context())

    reprocess_batch.expand(raw_page_ids=select_pages())


samachar_reprocess()
