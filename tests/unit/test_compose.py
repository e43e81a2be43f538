"""docker-compose.yml cannot run here (no Docker engine), so its shape is checked instead."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
AIRFLOW_SERVICES = {"airflow-apiserver", "airflow-scheduler", "airflow-dag-processor", "airflow-triggerer",
                    "airflow-worker", "airflow-init"}
LOCAL_DEFAULTS = {"", "airflow", "samachar", "admin:admin", "local-dev-jwt-secret"}


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_services_and_executor() -> None:
    services = _compose()["services"]
    assert AIRFLOW_SERVICES | {"postgres", "redis"} <= set(services)
    commands = {name: services[name].get("command") for name in AIRFLOW_SERVICES - {"airflow-init"}}
    assert commands == {"airflow-apiserver": "api-server", "airflow-scheduler": "scheduler",
                        "airflow-dag-processor": "dag-processor", "airflow-triggerer": "triggerer",
                        "airflow-worker": "celery worker"}
    for name in AIRFLOW_SERVICES:
        service = services[name]
        assert service["build"]["dockerfile"] == "Dockerfile"
        env = service["environment"]
        assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
        assert env["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://redis:")
        assert "@postgres:5432/samachar" in env["AIRFLOW_CONN_SAMACHAR_DB"]
        assert "./dags:/opt/airflow/dags" in service["volumes"]
        assert "./plugins:/opt/airflow/plugins" in service["volumes"]
    init = " ".join(services["airflow-init"]["command"])
    assert "airflow db migrate" in init and "samachar db migrate" in init


def test_image_installs_the_lock_file() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "requirements/base.txt" in dockerfile
    assert "FROM python:3.11" in dockerfile
    lock = (ROOT / "requirements" / "base.txt").read_text()
    assert re.search(r"^apache-airflow==3\.3\.2$", lock, re.M)
    for pkg in ("apache-airflow-providers-postgres", "requests", "beautifulsoup4", "lxml", "psycopg2-binary"):
        assert re.search(rf"^{pkg}==\S+$", lock, re.M), pkg


def test_no_secret_beyond_local_defaults() -> None:
    text = (ROOT / "docker-compose.yml").read_text()
    # every ${VAR:-default} default must be a harmless local value
    for default in re.findall(r"\$\{[A-Z0-9_]+:-([^}]*)\}", text):
        assert default in LOCAL_DEFAULTS, default
    # credentials inside URLs come from variables, never literals
    for user, password in re.findall(r"://(\w+):([^@\s]+)@", text):
        assert password.startswith("${"), f"literal password for {user}"
    # secret-looking keys are set from the environment
    for key, value in re.findall(r"^\s*([A-Z0-9_]*(?:PASSWORD|SECRET|FERNET_KEY)[A-Z0-9_]*):\s*(.+)$", text, re.M):
        assert value.strip().startswith("${"), key
