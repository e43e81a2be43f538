"""Make sure a PostgreSQL server is reachable and print its base URL.

Order: ``SAMACHAR_DATABASE_URL`` if set; else the server on 127.0.0.1:5432; else a local
cluster in ``.pgdata/`` started with ``initdb``/``pg_ctl`` (the system's, or the binaries the
``pgserver`` wheel ships), run as an unprivileged user when we are root.

Prints one line: a URL for the ``postgres`` maintenance database of that server.
``python scripts/localpg.py stop`` stops the local cluster if we started one.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
PGDATA = ROOT / ".pgdata"
LOCAL_PORT = int(os.environ.get("SAMACHAR_LOCAL_PG_PORT", "54329"))
SERVICE_USER = "postgres"


def _reachable(url: str) -> bool:
    try:
        with psycopg.connect(url, connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def _maintenance_url(url: str) -> str:
    sys.path.insert(0, str(ROOT / "plugins"))
    from samachar.config import with_database

    return with_database(url, "postgres")


def find_bin_dir() -> Path | None:
    """Where ``initdb``/``pg_ctl`` live: on PATH, Debian's packages, or the pgserver wheel."""
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    system = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if system:
        return Path(system[-1]).parent
    try:
        from pgserver._commands import POSTGRES_BIN_PATH
    except ImportError:
        return None
    return Path(POSTGRES_BIN_PATH)


def _bin_dir() -> Path:
    found = find_bin_dir()
    if found is None:
        raise SystemExit("no PostgreSQL found: install postgresql, or the pgserver wheel (make venv)")
    return found


def _run_as_service_user(cmd: list[str]) -> None:
    if os.geteuid() != 0:
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        return
    try:
        pwd.getpwnam(SERVICE_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", SERVICE_USER], check=True)
    os.chown(PGDATA.parent, 0, 0)
    subprocess.run(["runuser", "-u", SERVICE_USER, "--", *cmd], check=True, stdout=subprocess.DEVNULL)


def _start_local_cluster() -> str:
    bin_dir = _bin_dir()
    if not (PGDATA / "PG_VERSION").exists():
        PGDATA.mkdir(mode=0o700, exist_ok=True)
        if os.geteuid() == 0:
            entry = pwd.getpwnam(SERVICE_USER) if _user_exists(SERVICE_USER) else None
            if entry is None:
                subprocess.run(["useradd", "--system", "--no-create-home", SERVICE_USER], check=True)
                entry = pwd.getpwnam(SERVICE_USER)
            os.chown(PGDATA, entry.pw_uid, entry.pw_gid)
            # the binaries inside the venv must be reachable for the service user
            os.chmod(ROOT, os.stat(ROOT).st_mode | 0o011)
        _run_as_service_user([str(bin_dir / "initdb"), "-D", str(PGDATA), "-U", "postgres",
                              "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"])
    url = f"postgresql://postgres@127.0.0.1:{LOCAL_PORT}/postgres"
    if not _reachable(url):
        _run_as_service_user([str(bin_dir / "pg_ctl"), "-D", str(PGDATA), "-l", str(PGDATA / "server.log"),
                              "-o", f"-p {LOCAL_PORT} -k {PGDATA} -h 127.0.0.1", "-w", "start"])
    return url


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def ensure() -> str:
    """Return a maintenance URL of a reachable server, starting one if needed."""
    configured = os.environ.get("SAMACHAR_DATABASE_URL")
    if configured:
        url = _maintenance_url(configured)
        if not _reachable(url):
            raise SystemExit(f"SAMACHAR_DATABASE_URL is set but its server is not reachable: {url}")
        return url
    default = "postgresql://postgres@127.0.0.1:5432/postgres"
    with socket.socket() as probe:
        probe.settimeout(1)
        open_port = probe.connect_ex(("127.0.0.1", 5432)) == 0
    if open_port and _reachable(default):
        return default
    return _start_local_cluster()


def stop() -> None:
    """Stop the local cluster in .pgdata if it runs."""
    if (PGDATA / "postmaster.pid").exists():
        _run_as_service_user([str(_bin_dir() / "pg_ctl"), "-D", str(PGDATA), "-m", "fast", "stop"])


if __name__ == "__main__":
    if sys.argv[1:] == ["stop"]:
        stop()
    else:
        print(ensure())
