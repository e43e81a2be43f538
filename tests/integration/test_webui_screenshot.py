"""The Samachar view renders in a real browser: headless Chromium against a real uvicorn server.

The server runs Airflow's own API server app (plugins included) on a free port of 127.0.0.1, with
the simple auth manager in its "all admins" mode: Chromium opens ``/samachar/``, the view sends it to
Airflow's login (``/auth/token/login``), Airflow sets the ``_token`` cookie and redirects back, and
the view validates that JWT. So the browser is logged in by Airflow itself, the way a person is.

Needs Debian's ``chromium`` and a Devanagari font (``fonts-noto-core``); skips with the reason otherwise.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import threading
import time
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest

from samachar import db

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
WINDOW = (1400, 1600)
T0 = datetime(2025, 1, 13, 4, 30, tzinfo=UTC)

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (Debian: apt-get install -y chromium)"),
]

STORIES = [
    ("पुतिन जल्द करेंगे चीन का दौरा", "putina jalda karēṁgē cīna kā daurā", "Putin jald karenge Cheen ka daura",
     "रूस के राष्ट्रपति व्लादिमीर पुतिन अगले हफ्ते बीजिंग जाएंगे।\n\nदोनों देशों के बीच व्यापार पर बात होगी।",
     "rūsa kē rāṣṭrapati vlādimīra putina agalē haphtē bījiṁga jāēṁgē.\n\ndōnōṁ dēśōṁ kē bīca vyāpāra para bāta hōgī.",
     "Roos ke rashtrapati Vladimir Putin agle hafte Beijing jaenge.\n\nDonon deshon ke beech vyapar par baat hogi."),
    ("दिल्ली में प्रदूषण से हाल बेहाल", "dillī mēṁ pradūṣaṇa sē hāla bēhāla", "Dilli mein pradushan se haal behaal",
     "राजधानी की हवा लगातार जहरीली बनी हुई है।", "rājadhānī kī havā lagātāra jaharīlī banī huī hai.",
     "Rajdhani ki hawa lagatar zahreeli bani hui hai."),
]


def _devanagari_font_installed() -> bool:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    out = subprocess.run([fc_list, ":lang=hi", "family"], capture_output=True, text=True, timeout=30).stdout
    return bool(out.strip())


def _png_size_and_colours(path: Path) -> tuple[int, int, int]:
    """Width, height and the number of distinct byte values in the pixel data (blank pages have few)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    pos, idat = 8, b""
    while pos < len(data):
        (length,), kind = struct.unpack(">I", data[pos:pos + 4]), data[pos + 4:pos + 8]
        if kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    return width, height, len(set(zlib.decompress(idat)))


@pytest.fixture(scope="module")
def server(airflow_db: str, news_db_url: str) -> Iterator[str]:
    """Airflow's API server app under uvicorn on 127.0.0.1 (free port), in a background thread."""
    import uvicorn

    with pytest.MonkeyPatch.context() as env:
        env.setenv("AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS", "True")
        from airflow.api_fastapi.app import create_app, purge_cached_app

        purge_cached_app()
        uv = uvicorn.Server(uvicorn.Config(create_app(apps="core"), host="127.0.0.1", port=0, log_level="warning"))
        thread = threading.Thread(target=uv.run, name="webui-uvicorn", daemon=True)
        thread.start()
        deadline = time.monotonic() + 60
        while not uv.started:
            assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.05)
        port = uv.servers[0].sockets[0].getsockname()[1]
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            uv.should_exit = True
            thread.join(timeout=15)
            purge_cached_app()


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    profile.mkdir()
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--hide-scrollbars", f"--user-data-dir={profile}", f"--window-size={WINDOW[0]},{WINDOW[1]}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=90)


def test_page_renders_in_headless_chromium(server: str, news_db: psycopg.Connection, tmp_path: Path) -> None:
    if not _devanagari_font_installed():
        pytest.skip("no Devanagari font for Chromium (Debian: apt-get install -y fonts-noto-core)")
    news_db.execute("INSERT INTO sources (name) VALUES ('indianews')")
    for i, (title, title_iso, title_readable, body, body_iso, body_readable) in enumerate(STORIES):
        url = f"https://www.indianews.in/world/story-{i}/"
        when = T0 - timedelta(hours=i)
        news_db.execute(
            "INSERT INTO articles (canonical_url, url, source, category, title, title_iso, title_readable, body,"
            " body_iso, body_readable, published_at, content_hash, parser_version, transliterator_version,"
            " first_seen, last_seen) VALUES (%s, %s, 'indianews', 'विदेश', %s, %s, %s, %s, %s, %s, %s, %s,"
            " 'test', 'test', %s, %s)",
            (url, url, title, title_iso, title_readable, body, body_iso, body_readable, when, f"{i:064x}", when, when))
    run_id = db.start_run(news_db, source="indianews", interval_start=T0, interval_end=T0 + timedelta(hours=1),
                          trigger="scheduled")
    for stage, n_in, n_out in [("fetch", 45, 43), ("parse", 43, 42), ("transliterate", 42, 42), ("load", 42, 42)]:
        db.record_stage(news_db, run_id=run_id, stage=stage, count_in=n_in, count_out=n_out,
                        count_failed=n_in - n_out, started_at=T0, finished_at=T0 + timedelta(seconds=n_in / 10))
    db.quarantine(news_db, source="indianews", url="https://www.indianews.in/india/empty-7/", stage="parse",
                  reason="empty-body", detail="no paragraphs in .entry-content", run_id=run_id)
    news_db.commit()

    page = f"{server}/samachar/"
    png = tmp_path / "samachar.png"
    shot = _chromium(tmp_path, f"--screenshot={png}", page)
    assert png.is_file(), f"no screenshot; chromium said: {shot.stderr[-2000:]}"
    width, height, colours = _png_size_and_colours(png)
    assert (width, height) == WINDOW
    assert colours > 40, "the screenshot looks blank"

    dom = _chromium(tmp_path, "--dump-dom", page)
    assert dom.returncode == 0, dom.stderr[-2000:]
    html = dom.stdout
    assert "Recent articles" in html, "Chromium did not get past the login: " + html[:500]
    for title, title_iso, title_readable, *_ in STORIES:
        assert title in html and title_iso in html and title_readable in html
    assert "empty-body" in html and ">transliterate<" in html
