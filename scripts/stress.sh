#!/usr/bin/env bash
# `make stress [STRESS_ROUNDS=20] [STRESS_LOAD=1]`: the timing-sensitive tests, STRESS_ROUNDS rounds of
# the whole set in order (pytest-repeat, session scope: each test also follows the previous one, as in
# `make test`), while STRESS_LOAD busy loops keep the CPUs busy. A flake shows as a failure here long
# before it blocks a submission. Prints the pytest summary; exit status is pytest's.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${STRESS_ROUNDS:-20}
load=${STRESS_LOAD:-1}
[[ $rounds =~ ^[1-9][0-9]{0,3}$ ]] || { echo "stress: STRESS_ROUNDS must be 1..9999, got '$rounds'" >&2; exit 2; }
[[ $load =~ ^[0-9]$ ]] || { echo "stress: STRESS_LOAD must be 0..9, got '$load'" >&2; exit 2; }

# Timers, threads, page-ahead, polling, retries with latency: what a loaded machine can reorder
# (about 90 s a round on an idle 2-core machine).
files=(
  tests/test_proof_soak.py
  tests/test_page_ahead.py
  tests/test_list_runs.py
  tests/test_watch.py
  tests/test_watch_cli.py
  tests/test_functions_api.py
  tests/test_testing_faults.py
  tests/test_testing_hostile_faults.py
  tests/test_lifecycle.py
)

busy=()
stop_load() { for pid in "${busy[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap stop_load EXIT
for _ in $(seq 1 "$load"); do
  .venv/bin/python -c "while True: pass" &
  busy+=("$!")
done
echo "stress: ${#files[@]} files x $rounds rounds under $load busy loop(s)"
# -v: a failure shows (and can be looked into) as it happens, not only after the last round.
.venv/bin/pytest -v --tb=short -p no:cacheprovider --count "$rounds" --repeat-scope session "${files[@]}"
