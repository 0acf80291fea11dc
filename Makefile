# CivicPulse: `make run` serves the site, `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
LOCK := requirements/dev.lock

.PHONY: help install run migrate demo test test-fast lint format lock clean bench bench-quick bench-load

help:
	@echo "make run     - install, migrate, load demo data, serve http://$(HOST):$(PORT)"
	@echo "make test    - the whole test suite"
	@echo "make lint    - ruff, import-linter, migrations check"
	@echo "make format  - ruff format and fixes"
	@echo "make lock    - re-pin requirements/*.lock from pyproject.toml"
	@echo "make bench-quick - benchmarks on a small city, under 3 minutes (BENCH_DB=postgres)"
	@echo "make bench   - benchmarks at BENCH_SIZES on SQLite and PostgreSQL (docs/performance.md)"
	@echo "make bench-load - locust, 50 users for 2 min against daphne (LOAD_ARGS=--quick: 30 s)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-install whenever the lock changes.
$(VENV)/.installed: $(LOCK) | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r $(LOCK)
	@touch $@

install: $(VENV)/.installed

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo_data

run: demo
	@echo ""
	@echo "CivicPulse is at http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	@echo "Local demo logins (email, password):"
	@$(BIN)/python manage.py demo_logins
	@echo ""
	$(BIN)/daphne -b $(HOST) -p $(PORT) config.asgi:application

test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

lock: install
	$(BIN)/pip-compile --quiet --extra dev --strip-extras --no-emit-index-url --no-emit-find-links -o requirements/dev.lock pyproject.toml
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links -o requirements/prod.lock pyproject.toml

# Benchmarks (issue 8, docs/performance.md). Each run uses its own database
# (var/bench-*.sqlite3 or civicpulse_bench_* on PostgreSQL) and writes
# bench/results/<time>-<db>-<size>.json.
BENCH_DB ?= sqlite
BENCH_SIZES ?= 100k 300k 1M
BENCH_DBS ?= sqlite postgres

bench-quick: install
	$(BIN)/python -m bench --quick --db $(BENCH_DB)

bench: install
	@for db in $(BENCH_DBS); do for size in $(BENCH_SIZES); do \
		$(BIN)/python -m bench --db $$db --size $$size || exit 1; \
	done; done
	$(BIN)/python -m bench.report --write

# Load test: daphne on a free loopback port, locust headless against it;
# writes bench/results/<time>-<db>-<size>-load.json, fails over 1 % errors
# or p95 over 800 ms.
LOAD_ARGS ?=
bench-load: install
	$(BIN)/python -m bench.load --db $(BENCH_DB) $(LOAD_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache
