"""Airflow Assets that Samachar's DAGs produce and consume."""

from airflow.sdk import Asset

# Updated by every ingest or reprocess load; the daily summary DAG is scheduled on it.
# The URI names the logical table (database/schema/table), not a live address.
ARTICLES = Asset(name="samachar_articles", uri="postgres://samachar-db:5432/samachar/public/articles")
