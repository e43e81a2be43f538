"""Settings read from the environment, in one place so the README can list them."""

from __future__ import annotations

import os

DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/samachar"
DEFAULT_USER_AGENT = "SamacharBot/0.1 (+https://github.com/samachar-archive/samachar; news archive crawler)"


def database_url() -> str:
    """The news database: ``SAMACHAR_DATABASE_URL``, else the local default."""
    return os.environ.get("SAMACHAR_DATABASE_URL") or DEFAULT_DATABASE_URL


def user_agent() -> str:
    """User-Agent for every request: names the project and a contact URL."""
    return os.environ.get("SAMACHAR_USER_AGENT") or DEFAULT_USER_AGENT


def base_url_override() -> str | None:
    """``SAMACHAR_BASE_URL`` points a source at another host (the replay site)."""
    return os.environ.get("SAMACHAR_BASE_URL") or None


def with_database(url: str, dbname: str) -> str:
    """The same server URL pointing at another database (URL or key=value form in, URL out)."""
    from urllib.parse import quote

    from psycopg.conninfo import conninfo_to_dict

    params = conninfo_to_dict(url)
    user = quote(params.get("user") or "postgres", safe="")
    password = params.get("password")
    auth = f"{user}:{quote(password, safe='')}" if password else user
    host = params.get("host") or "127.0.0.1"
    port = params.get("port") or "5432"
    if host.startswith("/"):  # a socket directory
        return f"postgresql://{auth}@/{dbname}?host={quote(host, safe='/')}&port={port}"
    return f"postgresql://{auth}@{host}:{port}/{dbname}"
