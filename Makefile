# Everything starts from a bare machine with Python 3.11 and pip: `make install`
# bootstraps a pinned uv into .tools/ and syncs .venv from uv.lock.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
UV_VERSION := 0.13.8
UV := .tools/bin/uv
BIN := .venv/bin
# uv must use the machine's Python, never download one.
export UV_PYTHON := $(PYTHON)
export UV_PYTHON_DOWNLOADS := never
export UV_NO_PROGRESS := 1

.PHONY: help lock install generate check-generated lint typecheck pytest test run clean

help:
	@echo "make run    - list function runs from the embedded local Notte server (no key, no network)"
	@echo "make test   - install, check generated/, lint, typecheck, run the tests"
	@echo "make generate | check-generated | lint | typecheck | pytest | clean"

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(BIN)/.synced: $(UV) pyproject.toml uv.lock generated/pyproject.toml
	$(UV) sync --locked --all-extras --all-groups
	touch $@

install: $(BIN)/.synced

lock: $(UV)
	$(UV) lock

generate: install
	scripts/generate.sh generated

check-generated: install
	scripts/check_generated.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

pytest: install
	$(BIN)/pytest

test: install check-generated lint typecheck pytest

run: install
	$(BIN)/notte-ext demo

clean:
	rm -rf .venv .tools build .mypy_cache .pytest_cache .ruff_cache
