# CivicPulse: `make run` serves the site, `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
LOCK := requirements/dev.lock

.PHONY: help install run migrate demo test test-fast lint format lock clean

help:
	@echo "make run     - install, migrate, load demo data, serve http://$(HOST):$(PORT)"
	@echo "make test    - the whole test suite"
	@echo "make lint    - ruff, import-linter, migrations check"
	@echo "make format  - ruff format and fixes"
	@echo "make lock    - re-pin requirements/*.lock from pyproject.toml"

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

clean:
	rm -rf $(VENV) var .pytest_cache
