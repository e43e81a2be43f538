# Samachar's Airflow image: Python 3.11 with exactly the locked requirements.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    AIRFLOW_HOME=/opt/airflow \
    PATH=/opt/venv/bin:$PATH

RUN apt-get update \
 && apt-get install -y --no-install-recommends libpq5 tini \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 50000 --gid 0 airflow

COPY requirements/base.txt /tmp/requirements.txt
RUN python -m venv /opt/venv \
 && pip install --no-cache-dir uv==0.13.9 \
 && uv pip install --no-cache --python /opt/venv/bin/python -r /tmp/requirements.txt

COPY pyproject.toml README.md /opt/samachar/
COPY plugins /opt/samachar/plugins
RUN uv pip install --no-cache --python /opt/venv/bin/python --no-deps /opt/samachar

WORKDIR /opt/airflow
USER airflow
ENTRYPOINT ["/usr/bin/tini", "--", "airflow"]
CMD ["version"]
