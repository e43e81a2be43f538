"""Samachar's page inside the Airflow UI: recent articles, search, run metrics and quarantine."""

from samachar.webui.app import create_app

__all__ = ["create_app"]
