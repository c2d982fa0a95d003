# Everything starts from a bare machine with Python 3.11 and pip: `make install`
# bootstraps a pinned uv into .tools/ and syncs .venv from uv.lock.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
override PYTHON := $(value PYTHON)
export PYTHON
UV_VERSION := 0.13.8
UV := .tools/bin/uv
BIN := .venv/bin
# uv must use the machine's Python, never download one.
export UV_PYTHON := $(PYTHON)
export UV_PYTHON_DOWNLOADS := never
export UV_NO_PROGRESS := 1
# The drift check and vendoring read upstream from UPSTREAM (a URL or a local file); unset, the
# tools use their default, notte_ext._oas.UPSTREAM_URL.
UPSTREAM ?=
DRIFT_FORMAT ?= text
DRIFT_FAIL_ON ?= breaking
# Values people pass (`make drift UPSTREAM=...`, or the environment) are data, never code: taken
# verbatim ($(value): make expands no $(...) in them), exported, and read by recipes as quoted shell
# variables ("$$UPSTREAM"), never pasted into a recipe's text, where UPSTREAM='x`touch /tmp/p`.json'
# ran the command (tests/test_makefile.py). PYTHON too.
override UPSTREAM := $(value UPSTREAM)
override DRIFT_FORMAT := $(value DRIFT_FORMAT)
override DRIFT_FAIL_ON := $(value DRIFT_FAIL_ON)
STRESS_ROUNDS ?= 20
STRESS_LOAD ?= 1
override STRESS_ROUNDS := $(value STRESS_ROUNDS)
override STRESS_LOAD := $(value STRESS_LOAD)
export UPSTREAM DRIFT_FORMAT DRIFT_FAIL_ON STRESS_ROUNDS STRESS_LOAD

.PHONY: help lock install generate check-generated vendor drift lint typecheck pytest test stress proof bench run clean

help:
	@echo "make run    - list function runs from the embedded local Notte server (no key, no network)"
	@echo "make test   - install, check generated/, lint, typecheck, run the tests"
	@echo "make drift  - semantic diff of upstream (UPSTREAM=url-or-path) against openapi.json"
	@echo "make vendor UPSTREAM=url-or-path - bump openapi.json: drift report, regenerate, re-lock (one command)"
	@echo "make stress - the timing-sensitive tests, STRESS_ROUNDS (20) rounds under STRESS_LOAD (1) busy loop(s): flakes show here"
	@echo "make proof  - the proof suite at full size (5,000 examples per property, 10 soak seeds), issue 23's hostile inputs, benchmarks"
	@echo "make generate | check-generated | lint | typecheck | pytest | bench | clean"

$(UV):
	"$$PYTHON" -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Bytecode is compiled at install: PYTHONDONTWRITEBYTECODE=1 (set on these machines) would otherwise make
# every process compile every module it imports (`notte-ext --help` 0.5 s instead of ~0.2 s).
$(BIN)/.synced: $(UV) pyproject.toml uv.lock generated/pyproject.toml
	$(UV) sync --locked --all-extras --all-groups --compile-bytecode
	$(BIN)/python -m compileall -q notte_ext generated/notte_api_client
	touch $@

install: $(BIN)/.synced

lock: $(UV)
	$(UV) lock

generate: install
	scripts/generate.sh generated

check-generated: install
	scripts/check_generated.sh

# The operations codegen/bindings.yaml selects (the `functions` tag), upstream's current version of
# them: prints the drift report, then writes openapi.json + meta, regenerates generated/ and the
# bindings, re-locks (scripts/vendor.sh).
vendor: install
	scripts/vendor.sh $${UPSTREAM:+"$$UPSTREAM"}

# Exit 0: no change at or above DRIFT_FAIL_ON; 1: drift; 2: upstream unreachable/unreadable.
drift: install
	$(BIN)/notte-ext spec drift $${UPSTREAM:+--upstream "$$UPSTREAM"} --spec openapi.json --format "$$DRIFT_FORMAT" --fail-on "$$DRIFT_FAIL_ON"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

# Two workers (pytest-xdist), each taking the next test when free (worksteal): the three bump
# rehearsals (~1 min each) and the property tests no longer queue behind one another. Every test
# uses its own ephemeral ports and temporary directories. `.venv/bin/pytest` alone stays serial.
pytest: install
	$(BIN)/pytest -n 2 --dist worksteal

test: install check-generated lint typecheck pytest

# Flake hunt (scripts/stress.sh checks and uses STRESS_ROUNDS/STRESS_LOAD).
stress: install
	scripts/stress.sh

# The proof suite (tests/test_proof_*.py) runs in `make test` at CI size; here at full size.
PROOF_TESTS := tests/test_proof_parsing.py tests/test_proof_soak.py tests/test_proof_security.py tests/test_spec_timestamps.py tests/test_key_redaction.py \
	tests/test_url_redaction.py tests/test_settings_checks.py tests/test_cli_fuzz.py tests/test_library_arguments.py tests/test_schemathesis.py
proof: install
	HYPOTHESIS_PROFILE=proof SOAK_SEEDS=1,2,3,4,5,6,7,8,9,10 SOAK_RUNS=20000 SCHEMATHESIS_EXAMPLES=100 \
		$(BIN)/pytest $(PROOF_TESTS) --hypothesis-show-statistics -q
	$(BIN)/python bench/hostile_inputs.py
	$(MAKE) --no-print-directory bench

bench: install
	$(BIN)/python bench/memory.py
	$(BIN)/python bench/overhead.py
	$(BIN)/python bench/startup.py
	$(BIN)/python -m bench.list_runs
	$(BIN)/python -m bench.list_runs --servers rich --prefetch 4 --short 0  # issue 25's literal setting (see docs/benchmarks.md)
	$(BIN)/python bench/spec_diff.py
	$(BIN)/python bench/spec_hostile.py

run: install
	$(BIN)/notte-ext demo

clean:
	rm -rf .venv .tools build .mypy_cache .pytest_cache .ruff_cache
