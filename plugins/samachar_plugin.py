"""Airflow plugin: the Samachar archive view inside the Airflow 3 UI.

``fastapi_apps`` mounts :mod:`samachar.webui` in the API server at ``/samachar``; ``external_views``
adds "Samachar" to the UI's navigation, which opens that page in the UI (same origin, so the
browser sends the Airflow session cookie and the page's own login check passes).
"""

from __future__ import annotations

from airflow.plugins_manager import AirflowPlugin

from samachar.webui import create_app

URL_PREFIX = "/samachar"


class SamacharPlugin(AirflowPlugin):
    """Registers the archive view; only the API server serves it."""

    name = "samachar"
    fastapi_apps = [{"app": create_app(), "url_prefix": URL_PREFIX, "name": "Samachar archive"}]
    external_views = [
        {
            "name": "Samachar",
            # Relative to the API server's base URL, so a base_url with a path keeps working.
            "href": URL_PREFIX.lstrip("/") + "/",
            "url_route": "samachar",
            "destination": "nav",
            "category": "browse",
        }
    ]
