"""``make run``: Airflow with Samachar's DAGs on this machine, no Docker needed.

Finds or starts Postgres, migrates the news database and Airflow's metadata database
(separate databases), starts the replay site unless ``SAMACHAR_BASE_URL`` names a real one,
creates a pool per source, then runs ``airflow standalone`` with the DAGs unpaused.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from _setup import ROOT, ensure_database, news_database

from samachar.config import with_database
from samachar.sources import enabled_profiles

VENV_BIN = Path(sys.executable).parent
PORT = int(os.environ.get("SAMACHAR_PORT", "8080"))
DEVSITE_PORT = int(os.environ.get("SAMACHAR_DEVSITE_PORT", "8090"))


def _airflow_env(server: str, news_url: str) -> dict[str, str]:
    home = Path(os.environ.get("AIRFLOW_HOME", ROOT / "airflow_home"))
    home.mkdir(exist_ok=True)
    passwords = home / "simple_auth_manager_passwords.json"
    if not passwords.exists():  # generated once per machine, never committed
        passwords.write_text(json.dumps({"admin": secrets.token_urlsafe(12)}))
    meta = os.environ.get("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN") or ensure_database(
        server, "samachar_airflow").replace("postgresql://", "postgresql+psycopg2://", 1)
    env = dict(os.environ)
    env.update({
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(ROOT / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": meta,
        "AIRFLOW__API__PORT": str(PORT),
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": "admin:admin",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(passwords),
        "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "30",
        "AIRFLOW_CONN_SAMACHAR_DB": news_url,
        "SAMACHAR_DATABASE_URL": news_url,
        "PYTHONPATH": str(ROOT / "plugins"),
        # `airflow standalone` starts its components by name from PATH
        "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    })
    return env


def _wait_for(url: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return True
        except OSError:
            time.sleep(1)
    return False


def main() -> int:
    server, news_url = news_database()
    env = _airflow_env(server, news_url)
    children: list[subprocess.Popen] = []
    if not env.get("SAMACHAR_BASE_URL"):
        env["SAMACHAR_BASE_URL"] = f"http://127.0.0.1:{DEVSITE_PORT}"
        children.append(subprocess.Popen([str(VENV_BIN / "samachar"), "devsite", "--port", str(DEVSITE_PORT),
                                          "--recent", "--articles", "200"], env=env))
        print(f"replay site: {env['SAMACHAR_BASE_URL']} (set SAMACHAR_BASE_URL to crawl a real site)")
    airflow = str(VENV_BIN / "airflow")
    subprocess.run([airflow, "db", "migrate"], env=env, check=True, stdout=subprocess.DEVNULL)
    for profile in enabled_profiles():
        subprocess.run([airflow, "pools", "set", profile.pool, str(profile.max_concurrency),
                        f"politeness limit for {profile.name}"], env=env, check=True, stdout=subprocess.DEVNULL)
    children.append(subprocess.Popen([airflow, "standalone"], env=env))

    def stop(*_: object) -> None:
        for child in reversed(children):
            child.terminate()

    signal.signal(signal.SIGTERM, stop)
    ui = f"http://localhost:{PORT}"
    if _wait_for(f"{ui}/api/v2/version", 180):
        password = json.loads(Path(env["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE"]).read_text())["admin"]
        print(f"\nSamachar is running: {ui}  (log in as admin / {password})")
        print(f"news database: {with_database(news_url, news_url.rsplit('/', 1)[-1]).split('@')[-1]}; "
              "the DAGs are unpaused and take the latest hour first. Ctrl-C stops everything.\n")
    try:
        return children[-1].wait()
    except KeyboardInterrupt:
        stop()
        return 0
    finally:
        for child in children:
            child.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
