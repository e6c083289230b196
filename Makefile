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

.PHONY: help env run test bench bench-env bench-pg lint clean

help:
	@echo "make run    build the environment, load the demo and serve http://127.0.0.1:8000/"
	@echo "make test   build the environment and run the whole test suite"
	@echo "make bench     extraction benchmarks (reads ../shared/data)"
	@echo "make bench-pg  PostgreSQL benchmarks: dataset, search, queue, API, pages, concurrency"
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

BENCH_SERVER ?= postgres://postgres@127.0.0.1:5432
BENCH_DB ?= workbench_bench

bench-env: env
	$(UV) sync --frozen --inexact --python $(PY) --group bench

# CPU only: the extraction engine against pysbd and spaCy, its quality on held-out data
# (../shared/data), and its time as the input doubles.
bench: bench-env
	$(PY) bench/extraction.py
	$(PY) bench/quality.py
	$(PY) bench/linearity.py

# On PostgreSQL: a 2,000-article dataset (made once), then search, the extraction queue,
# the public API against a raw WSGI baseline (needs wrk), pages, and concurrency under load.
bench-pg: bench-env
	@psql "$(BENCH_SERVER)/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname='$(BENCH_DB)'" | grep -q 1 \
	  || createdb -h 127.0.0.1 -U postgres $(BENCH_DB)
	DATABASE_URL=$(BENCH_SERVER)/$(BENCH_DB) $(PY) manage.py migrate --no-input -v0
	@if [ "$$(DATABASE_URL=$(BENCH_SERVER)/$(BENCH_DB) $(PY) manage.py shell -c 'from claims.models import Claim; print(Claim.objects.count())')" -lt 100000 ]; then \
	  DATABASE_URL=$(BENCH_SERVER)/$(BENCH_DB) $(PY) manage.py generate_dataset --articles 2000 --claims-per-article 50 --seed 1; fi
	DATABASE_URL=$(BENCH_SERVER)/$(BENCH_DB) $(PY) bench/search.py
	DATABASE_URL=$(BENCH_SERVER)/$(BENCH_DB) $(PY) bench/api.py
	DATABASE_URL=$(BENCH_SERVER)/$(BENCH_DB) $(PY) bench/pages.py
	$(PY) bench/worker.py --server $(BENCH_SERVER)
	$(PY) bench/concurrency.py

lint: env
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .

clean:
	rm -rf $(VENV) db.sqlite3 .pytest_cache test-artifacts
