# Samachar: the two commands of the README, and a few helpers.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
UV_VERSION := 0.13.9
PYTEST_ARGS ?=

.PHONY: venv browser test run demo lint bench clean stop-pg lock

venv: $(VENV)/.installed

# The venv is rebuilt from the lock whenever the lock or the project metadata changes.
$(VENV)/.installed: requirements/dev.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install -q --disable-pip-version-check uv==$(UV_VERSION)
	$(VENV)/bin/uv pip install -q --python $(PY) -r requirements/dev.txt
	$(VENV)/bin/uv pip install -q --python $(PY) --no-deps -e .
	@touch $@

# Headless Chromium and a Devanagari font for the UI screenshot test (Debian; root only).
# Elsewhere that one test skips and says why.
browser:
	@command -v chromium >/dev/null && fc-list 2>/dev/null | grep -qi "noto sans devanagari" || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core >/dev/null) \
	      || echo "could not install chromium: the screenshot test will skip"; \
	  else echo "chromium not installed: the screenshot test will skip"; fi; }

test: venv browser
	@PG="$$($(PY) scripts/localpg.py)" && echo "postgres: $$PG" && \
	  SAMACHAR_PG_SERVER="$$PG" $(PY) -m pytest $(PYTEST_ARGS)

run: venv
	$(PY) scripts/run_local.py

demo: venv
	@PG="$$($(PY) scripts/localpg.py)" && SAMACHAR_PG_SERVER="$$PG" $(PY) scripts/demo.py

lint: venv
	$(VENV)/bin/ruff check .

bench: venv
	$(VENV)/bin/uv pip install -q --python $(PY) -r requirements/bench.txt
	@PG="$$($(PY) scripts/localpg.py)" && export SAMACHAR_PG_SERVER="$$PG" && \
	  for b in bench/*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

# Re-resolve the lock files (needs PyPI); commit the result.
lock: venv
	$(VENV)/bin/uv pip compile -q --python-version 3.11 --python-platform x86_64-manylinux_2_28 requirements/base.in -o requirements/base.txt
	$(VENV)/bin/uv pip compile -q --python-version 3.11 --python-platform x86_64-manylinux_2_28 requirements/dev.in -o requirements/dev.txt
	$(VENV)/bin/uv pip compile -q --python-version 3.11 --python-platform x86_64-manylinux_2_28 requirements/bench.in -o requirements/bench.txt

stop-pg:
	-$(PY) scripts/localpg.py stop

clean: stop-pg
	rm -rf $(VENV) .pgdata airflow_home .pytest_cache .ruff_cache
