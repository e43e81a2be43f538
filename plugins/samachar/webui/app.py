"""The Samachar view: a FastAPI app that the Airflow plugin mounts in the API server.

Routes, relative to the mount point (``/samachar``):

* ``GET /``                       HTML: recent articles (Devanagari | ISO 15919 | readable Latin side by
                                  side), ``?q=`` searches; recent runs' stage metrics; open quarantine
* ``GET /api/articles?limit=``    recent articles as JSON
* ``GET /api/search?q=&limit=``   search hits (Devanagari or Latin) as JSON, best first
* ``GET /api/runs?limit=``        recent runs with per-stage counts and durations
* ``GET /api/quarantine?limit=``  open quarantine entries, latest first

Every route needs an Airflow login (see :mod:`samachar.webui.auth`).  Templates autoescape, and the
page is served with a Content-Security-Policy that allows no script at all, so stored HTML or text
from a news site can never run in an operator's browser.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import psycopg
from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from samachar.webui import queries
from samachar.webui.auth import LoginRequired, require_page_user, require_user

HERE = Path(__file__).resolve().parent
IST = ZoneInfo("Asia/Kolkata")
MAX_LIMIT = 200


def _ist(value: Any, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """Times as the newsroom and the pipeline logs show them: India Standard Time."""
    return value.astimezone(IST).strftime(fmt) if value is not None else "—"


def _http_url(value: str | None) -> str | None:
    """Only http(s) URLs become links; a ``javascript:`` URL from a hostile page stays text."""
    return value if value and urlsplit(value).scheme in ("http", "https") else None


def _seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} s" if value < 120 else f"{value / 60:.1f} min"


def _templates() -> Environment:
    env = Environment(
        loader=FileSystemLoader([HERE / "templates", HERE / "static"]),
        autoescape=select_autoescape(["html"], default_for_string=True, default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(ist=_ist, http_url=_http_url, seconds=_seconds)
    return env


def _news_db() -> Iterator[psycopg.Connection]:
    """A connection to the news database (Airflow connection ``samachar_db``) for one request."""
    from samachar.orchestration import news_db_url

    try:
        conn = psycopg.connect(news_db_url(), connect_timeout=5)
    except psycopg.OperationalError as exc:
        raise HTTPException(503, f"news database unavailable: {type(exc).__name__}") from exc
    with conn:
        conn.read_only = True
        yield conn


Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
NewsDb = Annotated[psycopg.Connection, Depends(_news_db)]


def create_app() -> FastAPI:
    """Build the app; the plugin mounts it at ``/samachar``."""
    app = FastAPI(title="Samachar archive", docs_url=None, redoc_url=None, openapi_url=None)
    templates = _templates()
    api = [Depends(require_user)]

    @app.exception_handler(LoginRequired)
    async def _to_login(request: Request, exc: LoginRequired) -> Response:
        return RedirectResponse(exc.login_url, status_code=303)

    @app.get("/", response_class=HTMLResponse, dependencies=[Depends(require_page_user)])
    def page(conn: NewsDb, q: Annotated[str, Query(max_length=200)] = "", limit: Limit = 20) -> Response:
        """The archive page: search results when ``q`` is given, else the newest articles."""
        query = q.strip()
        articles = queries.search_articles(conn, query, limit) if query else queries.recent_articles(conn, limit)
        nonce = secrets.token_urlsafe(16)
        html = templates.get_template("index.html").render(
            q=query, articles=articles, runs=queries.recent_runs(conn, 10),
            quarantine=queries.open_quarantine(conn, 15), nonce=nonce,
        )
        return HTMLResponse(html, headers=_page_headers(nonce))

    @app.get("/api/articles", dependencies=api)
    def api_articles(conn: NewsDb, limit: Limit = 20) -> list[dict[str, Any]]:
        return queries.recent_articles(conn, limit)

    @app.get("/api/search", dependencies=api)
    def api_search(conn: NewsDb, q: Annotated[str, Query(min_length=1, max_length=200)],
                   limit: Limit = 20) -> list[dict[str, Any]]:
        return queries.search_articles(conn, q, limit)

    @app.get("/api/runs", dependencies=api)
    def api_runs(conn: NewsDb, limit: Limit = 10) -> list[dict[str, Any]]:
        return queries.recent_runs(conn, limit)

    @app.get("/api/quarantine", dependencies=api)
    def api_quarantine(conn: NewsDb, limit: Limit = 20) -> list[dict[str, Any]]:
        return queries.open_quarantine(conn, limit)

    return app


def _page_headers(nonce: str) -> dict[str, str]:
    """No scripts, no plugins; styles only from the page itself; framed only by the Airflow UI."""
    return {
        "Content-Security-Policy": (
            f"default-src 'none'; style-src 'nonce-{nonce}'; img-src 'self' data:; "
            "form-action 'self'; base-uri 'none'; frame-ancestors 'self'"
        ),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
    }
