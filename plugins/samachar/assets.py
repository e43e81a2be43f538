"""Airflow Assets that Samachar's DAGs produce and consume."""

from airflow.sdk import Asset

# Updated by every ingest or reprocess load; the daily summary DAG is scheduled on it.
# An "x-" scheme names the logical table without asking Airflow's providers to normalise it,
# which would import every provider's asset module at each DAG parse (~0.7 s).
ARTICLES = Asset(name="samachar_articles", uri="x-samachar://news/public/articles")
