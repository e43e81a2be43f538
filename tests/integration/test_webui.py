"""The Samachar view through Airflow's own API server app: login required, escaping, search, metrics.

Airflow's ``create_app`` loads ``plugins/samachar_plugin.py`` from the plugins folder (tests/conftest.py
points Airflow there), so these requests take the same path as in the API server: Airflow's
middlewares, the plugin mount at ``/samachar``, the simple auth manager issuing and checking JWTs.
The news database is a real, migrated Postgres database (conftest's ``news_db``).
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient

from samachar import db

pytestmark = pytest.mark.integration

USER = "reader"
PASSWORD = secrets.token_urlsafe(12)
T0 = datetime(2025, 1, 13, 4, 30, tzinfo=UTC)

PUTIN = {
    "title": "पुतिन जल्द करेंगे चीन का दौरा",
    "title_iso": "putina jalda karēṁgē cīna kā daurā",
    "title_readable": "Putin jald karenge Cheen ka daura",
    "summary": "रूस के राष्ट्रपति चीन जाएंगे।",
    "summary_iso": "rūsa kē rāṣṭrapati cīna jāēṁgē.",
    "summary_readable": "Roos ke rashtrapati Cheen jaenge.",
    "body": "पहला अनुच्छेद मास्को से।\n\nदूसरा अनुच्छेद बीजिंग से।\n\nतीसरा अनुच्छेद छिपा रहेगा।",
    "body_iso": "pahalā anucchēda māskō sē.\n\ndūsarā anucchēda bījiṁga sē.\n\ntīsarā anucchēda chipā rahēgā.",
    "body_readable": "Pahla anuchchhed Moscow se.\n\nDoosra anuchchhed Beijing se.\n\nTeesra anuchchhed chhipa rahega.",
}
HOSTILE = {
    "title": "<script>alert(1)</script> हमला",
    "title_iso": "<script>alert(1)</script> hamalā",
    "title_readable": "<script>alert(1)</script> hamla",
    "summary": "<b onmouseover=alert(2)>सारांश</b>",
    "body": "<img src=x onerror=alert(3)>\n\n</p></div><script>alert(4)</script>",
}


def insert_article(conn: psycopg.Connection, url: str, published_at: datetime, **text: str) -> int:
    """One row in ``articles`` as the load stage leaves it (plain SQL; the webui only reads)."""
    conn.execute("INSERT INTO sources (name) VALUES ('indianews') ON CONFLICT DO NOTHING")
    columns = {"canonical_url": url, "url": url, "source": "indianews", "category": "विदेश",
               "published_at": published_at, "content_hash": secrets.token_hex(32), "parser_version": "test",
               "transliterator_version": "test", "first_seen": published_at, "last_seen": published_at, **text}
    row = conn.execute(
        f"INSERT INTO articles ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))}) RETURNING id",
        list(columns.values()),
    ).fetchone()
    assert row is not None
    return int(row[0])


@pytest.fixture(scope="module")
def client(airflow_db: str, news_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """Airflow's API server app (core API + auth manager + plugins) with one viewer account."""
    passwords = tmp_path_factory.mktemp("simple-auth") / "passwords.json"
    passwords.write_text(json.dumps({USER: PASSWORD}))
    with pytest.MonkeyPatch.context() as env:
        env.setenv("AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS", f"{USER}:viewer")
        env.setenv("AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE", str(passwords))
        env.setenv("AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS", "False")
        from airflow.api_fastapi.app import create_app, purge_cached_app

        purge_cached_app()
        with TestClient(create_app(apps="core")) as test_client:
            yield test_client
        purge_cached_app()


@pytest.fixture(scope="module")
def token(client: TestClient) -> str:
    response = client.post("/auth/token", json={"username": USER, "password": PASSWORD})
    assert response.status_code == 201, response.text
    return response.json()["access_token"]


@pytest.fixture()
def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture()
def archive(news_db: psycopg.Connection) -> dict[str, Any]:
    """Two ordinary articles, one hostile one, a run with stage metrics and quarantine entries."""
    ids = {
        "putin": insert_article(news_db, "https://www.indianews.in/world/putin-china-1/", T0, **PUTIN),
        "older": insert_article(news_db, "https://www.indianews.in/india/older-2/", T0 - timedelta(hours=5),
                                title="पुराना समाचार", body="पुरानी खबर।", title_readable="Purana samachar"),
        "hostile": insert_article(news_db, "javascript:alert(5)", T0 - timedelta(hours=1), **HOSTILE),
    }
    run_id = db.start_run(news_db, source="indianews", interval_start=T0, interval_end=T0 + timedelta(hours=1),
                          trigger="backfill", airflow_run_id="samachar_ingest_indianews/backfill__1")
    stages = [  # (stage, minute it started, in, out, failed, seconds)
        ("fetch", 1, 20, 19, 1, 2.0), ("fetch", 2, 25, 23, 2, 3.0), ("parse", 3, 42, 41, 1, 1.25),
        ("fetch_pages:attempt-failed", 4, 0, 0, 1, 0.5),
    ]
    for stage, minute, n_in, n_out, n_failed, secs in stages:
        start = T0 + timedelta(minutes=minute)
        db.record_stage(news_db, run_id=run_id, stage=stage, count_in=n_in, count_out=n_out, count_failed=n_failed,
                        started_at=start, finished_at=start + timedelta(seconds=secs))
    for _ in range(2):
        db.quarantine(news_db, source="indianews", url="https://www.indianews.in/india/broken-9/", stage="parse",
                      reason="empty-body", detail="<script>alert(6)</script> no paragraphs", run_id=run_id)
    db.quarantine(news_db, source="indianews", url="https://www.indianews.in/india/fixed-8/", stage="fetch",
                  reason="timeout", run_id=run_id)
    db.release_quarantine(news_db, url="https://www.indianews.in/india/fixed-8/", stage="fetch")
    news_db.commit()
    return {"ids": ids, "run_id": run_id}


# -- login ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/samachar/api/articles", "/samachar/api/search?q=x", "/samachar/api/runs",
                                  "/samachar/api/quarantine"])
def test_json_endpoints_refuse_requests_without_a_login(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 401
    forged = client.get(path, headers={"Authorization": "Bearer not.a.jwt"})
    assert forged.status_code == 403


def test_page_sends_a_browser_without_a_session_to_airflows_login(client: TestClient) -> None:
    for headers in ({}, {"Cookie": "_token=forged"}):
        response = client.get("/samachar/?q=x", headers=headers, follow_redirects=False)
        assert response.status_code == 303
        location = response.headers["location"]
        assert location.startswith("/auth/login?next=")
        assert "samachar" in location and response.text == ""


def test_expired_and_foreign_tokens_are_refused(client: TestClient, token: str) -> None:
    import jwt
    from airflow.api_fastapi.app import get_auth_manager
    from airflow.api_fastapi.auth.managers.simple.user import SimpleAuthManagerUser

    expired = get_auth_manager().generate_jwt(SimpleAuthManagerUser(username=USER, role="viewer"),
                                              expiration_time_in_seconds=-3600)
    claims = jwt.decode(token, options={"verify_signature": False})  # same claims, signed with another key
    foreign = jwt.encode(claims, "x" * 64, algorithm=jwt.get_unverified_header(token)["alg"])
    for bad in (expired, foreign):
        assert client.get("/samachar/api/runs", headers={"Authorization": f"Bearer {bad}"}).status_code in (401, 403)
        page = client.get("/samachar/", headers={"Cookie": f"_token={bad}"}, follow_redirects=False)
        assert page.status_code == 303


def test_token_needs_the_right_password(client: TestClient) -> None:
    response = client.post("/auth/token", json={"username": USER, "password": PASSWORD + "x"})
    assert response.status_code == 401


def test_logged_in_user_gets_json_with_bearer_token_and_page_with_cookie(
        client: TestClient, token: str, bearer: dict[str, str], archive: dict[str, Any]) -> None:
    response = client.get("/samachar/api/articles", headers=bearer)
    assert response.status_code == 200
    assert response.json()[0]["id"] == archive["ids"]["putin"]

    page = client.get("/samachar/", headers={"Cookie": f"_token={token}"}, follow_redirects=False)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert PUTIN["title"] in page.text


def test_plugin_is_registered_with_a_navigation_entry(client: TestClient, bearer: dict[str, str]) -> None:
    plugins = client.get("/api/v2/plugins", headers=bearer).json()["plugins"]
    (plugin,) = [p for p in plugins if p["name"] == "samachar"]
    assert [app["url_prefix"] for app in plugin["fastapi_apps"]] == ["/samachar"]
    (view,) = plugin["external_views"]
    assert view["href"] == "samachar/" and view["destination"] == "nav" and view["url_route"] == "samachar"


# -- content ----------------------------------------------------------------------------------


def test_page_shows_devanagari_iso_and_readable_side_by_side(
        client: TestClient, bearer: dict[str, str], archive: dict[str, Any]) -> None:
    html = client.get("/samachar/", headers=bearer).text
    card = html[html.index(f"#{archive['ids']['putin']}<"):]
    card = card[:card.index("</article>")]
    for key in ("title", "title_iso", "title_readable", "summary", "summary_iso", "summary_readable"):
        assert PUTIN[key] in card, key
    for body in (PUTIN["body"], PUTIN["body_iso"], PUTIN["body_readable"]):
        first, second, third = body.split("\n\n")
        assert first in card and second in card and third not in card
    assert re.search(r'lang="hi".*lang="hi-Latn".*lang="hi-Latn"', card, re.S)
    assert 'href="https://www.indianews.in/world/putin-china-1/"' in card
    # newest first; the untransliterated article says so instead of showing blanks
    assert html.index(PUTIN["title"]) < html.index("पुराना समाचार")
    assert "not transliterated yet" in html[html.index("पुराना समाचार"):]


def test_stored_markup_is_shown_as_text_never_run(
        client: TestClient, bearer: dict[str, str], archive: dict[str, Any]) -> None:
    response = client.get("/samachar/", headers=bearer)
    html = response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; हमला" in html
    assert "&lt;img src=x onerror=alert(3)&gt;" in html
    assert "&lt;script&gt;alert(6)&lt;/script&gt; no paragraphs" in html  # quarantine detail
    assert "<script" not in html.lower() and "<img" not in html.lower() and "<b " not in html
    assert 'href="javascript:' not in html and "javascript:alert(5)" in html  # shown, not linked
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy
    api = client.get("/samachar/api/articles", headers=bearer).json()
    assert {a["title"] for a in api} >= {HOSTILE["title"]}  # JSON carries the text unchanged


def test_search_in_devanagari_and_latin(client: TestClient, bearer: dict[str, str], archive: dict[str, Any]) -> None:
    putin = archive["ids"]["putin"]
    for query in ("पुतिन", "putin", "Beijing"):
        hits = client.get("/samachar/api/search", params={"q": query}, headers=bearer).json()
        assert [hit["id"] for hit in hits] == [putin], query
        assert hits[0]["title_readable"] == PUTIN["title_readable"] and hits[0]["matched"]
    assert client.get("/samachar/api/search", params={"q": "क्रिकेट"}, headers=bearer).json() == []

    html = client.get("/samachar/", params={"q": "पुतिन"}, headers=bearer).text
    assert "1 result for “पुतिन”" in html and PUTIN["title_iso"] in html
    assert "पुराना समाचार" not in html
    assert 'value="पुतिन"' in html


def test_runs_show_stage_counts_and_durations(
        client: TestClient, bearer: dict[str, str], archive: dict[str, Any]) -> None:
    (run,) = client.get("/samachar/api/runs", headers=bearer).json()
    assert run["id"] == archive["run_id"] and run["source"] == "indianews" and run["trigger"] == "backfill"
    assert datetime.fromisoformat(run["interval_start"]) == T0
    stages = {s["stage"]: s for s in run["stages"]}
    assert list(stages) == ["fetch", "fetch_pages:attempt-failed", "parse"]  # pipeline order, failed tries beside
    fetch = stages["fetch"]
    assert (fetch["attempts"], fetch["count_in"], fetch["count_out"], fetch["count_failed"]) == (2, 45, 42, 3)
    assert fetch["seconds"] == pytest.approx(5.0)
    assert stages["parse"]["seconds"] == pytest.approx(1.25)

    html = client.get("/samachar/", headers=bearer).text
    runs = html[html.index("Recent runs"):html.index("Quarantine")]
    assert "2025-01-13 10:00 – 11:00" in runs  # the interval in IST
    assert re.search(r">fetch <small>×2</small></td>\s*<td class=\"n\">45</td>\s*<td class=\"n\">42</td>"
                     r"\s*<td class=\"n bad\">3</td>\s*<td class=\"n\">5.0 s</td>", runs)


def test_quarantine_lists_open_entries_only(
        client: TestClient, bearer: dict[str, str], archive: dict[str, Any]) -> None:
    entries = client.get("/samachar/api/quarantine", headers=bearer).json()
    assert [(e["url"], e["stage"], e["reason"], e["attempts"]) for e in entries] == [
        ("https://www.indianews.in/india/broken-9/", "parse", "empty-body", 2)]
    html = client.get("/samachar/", headers=bearer).text
    assert "broken-9" in html and "fixed-8" not in html


def test_limits_are_validated(client: TestClient, bearer: dict[str, str], archive: dict[str, Any]) -> None:
    assert len(client.get("/samachar/api/articles?limit=2", headers=bearer).json()) == 2
    assert client.get("/samachar/api/articles?limit=0", headers=bearer).status_code == 422
    assert client.get("/samachar/api/articles?limit=100000", headers=bearer).status_code == 422
    assert client.get("/samachar/api/search?q=", headers=bearer).status_code == 422
