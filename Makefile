# The two commands a user needs: `make run` and `make test`. Everything else is for developers.
# The environment lives in .venv/, built from uv.lock with the pinned uv below.

SHELL := /bin/bash
.DEFAULT_GOAL := help
UV_VERSION := 0.13.9
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/$(VENV)
export UV_PYTHON_DOWNLOADS := never

# The first Python 3.12+ we can find: $PYTHON, then the one .python-version selects
# through pyenv, then pythonX.Y on PATH, then any pyenv-installed 3.12+.
FIND_PYTHON = for p in "$$PYTHON" python3 python3.14 python3.13 python3.12 \
	  $$(ls -d $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null); do \
	  [ -n "$$p" ] || continue; \
	  "$$p" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { command -v "$$p"; break; }; \
	done

.PHONY: help env run test test-fast bench lint typecheck clean

help:
	@echo "make run    build the environment, load the demo and serve http://127.0.0.1:8000/"
	@echo "make test   build the environment and run the whole test suite"
	@echo "make bench  run the benchmarks in bench/ (needs ../shared/data for some)"
	@echo "make lint   ruff and mypy"

$(VENV)/.synced: pyproject.toml uv.lock
	@py="$$($(FIND_PYTHON))"; \
	if [ -z "$$py" ]; then echo "error: Python 3.12 or newer is required (set PYTHON=/path/to/python3.12)" >&2; exit 1; fi; \
	if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	  rm -rf $(VENV); echo "Creating $(VENV) with $$py"; "$$py" -m venv $(VENV); fi
	@$(PY) -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	$(UV) sync --frozen --inexact --python $(PY) $(UV_SYNC_ARGS)
	@touch $@

env: $(VENV)/.synced

run: env
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) manage.py migrate --no-input
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) manage.py load_demo
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) manage.py runserver 127.0.0.1:8000

test: env
	$(PY) -m pytest $(PYTEST_ARGS)

bench: env
	$(UV) sync --frozen --inexact --python $(PY) --group bench
	$(PY) bench/extraction.py
	$(PY) bench/quality.py

lint: env
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .

clean:
	rm -rf $(VENV) db.sqlite3 .pytest_cache test-artifacts
