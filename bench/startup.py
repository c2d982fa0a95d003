"""How long the command line takes, whole process: `notte-ext --help`, listing 250 runs, a tiny spec diff.

    .venv/bin/python bench/startup.py [--repeat 9]

Runs .venv/bin/notte-ext as a user would, with PYTHONDONTWRITEBYTECODE=1 (as on these machines: a
process writes no bytecode, so only what `make install` compiled is reused). The listing is
`notte-ext runs list FUNCTION_ID --format jsonl` against the local server (its own process) holding
250 runs; the diff is `notte-ext spec diff A B` of two one-operation JSON documents (a query
parameter's maximum lowered: one breaking change, exit 1), where start-up is nearly all of it.
Reported: the median and range over the repeats, and the verdict against the targets.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._server import sample_server
from notte_ext.testing.sample import DEFAULT_SAMPLE_RUNS

CLI = Path(__file__).resolve().parent.parent / ".venv/bin/notte-ext"
RUNS = DEFAULT_SAMPLE_RUNS
SPEC_DIFF = "notte-ext spec diff (tiny pair)"
TARGETS = {"notte-ext --help": 0.30, f"notte-ext runs list ({RUNS} runs)": 0.45, SPEC_DIFF: 0.10}


def tiny_spec(maximum: int) -> dict[str, Any]:
    parameter = {"name": "page_size", "in": "query", "schema": {"type": "integer", "maximum": maximum}}
    answer = {"200": {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}}}
    operation = {"operationId": "list_runs", "parameters": [parameter], "responses": answer}
    return {"openapi": "3.1.0", "info": {"title": "tiny", "version": "1"}, "paths": {"/runs": {"get": operation}}}


def timed(command: list[str], env: dict[str, str], expected_lines: int | None, expected_exit: int = 0) -> float:
    started = time.perf_counter()
    out = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    elapsed = time.perf_counter() - started
    if out.returncode != expected_exit:
        raise AssertionError(f"{command[1:3]} exited {out.returncode}, expected {expected_exit}: {out.stderr[-300:]}")
    if expected_lines is not None and len(out.stdout.splitlines()) != expected_lines:
        raise AssertionError(f"{command[1:3]} printed {len(out.stdout.splitlines())} lines, expected {expected_lines}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    with sample_server(RUNS) as server, tempfile.TemporaryDirectory() as scratch:
        pair = [Path(scratch, "base.json"), Path(scratch, "revision.json")]
        for path, maximum in zip(pair, (100, 50), strict=True):
            path.write_text(json.dumps(tiny_spec(maximum)))
        env.update({"NOTTE_API_KEY": server.api_key, "NOTTE_API_URL": server.url})
        # name -> (command, lines it prints or None, its exit code)
        commands: dict[str, tuple[list[str], int | None, int]] = {
            "notte-ext --help": ([str(CLI), "--help"], None, 0),
            f"notte-ext runs list ({RUNS} runs)": (
                [str(CLI), "runs", "list", server.function_id, "--format", "jsonl"],
                RUNS,
                0,
            ),
            SPEC_DIFF: ([str(CLI), "spec", "diff", *map(str, pair)], 2, 1),  # the change and the summary; breaking
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        for command, lines, code in commands.values():  # warm-up: the OS page cache
            timed(command, env, lines, code)
        for _ in range(args.repeat):
            for name, (command, lines, code) in commands.items():
                times[name].append(timed(command, env, lines, code))
    print(
        f"start-up: whole process, PYTHONDONTWRITEBYTECODE=1, {args.repeat} interleaved repeats, Python {sys.version.split()[0]}"
    )
    for name, samples in times.items():
        median = statistics.median(samples)
        verdict = "OK" if median <= TARGETS[name] else "MISSED"
        print(
            f"  {name:<32} median {median:.3f} s (range {min(samples):.3f}-{max(samples):.3f} s; "
            f"target <= {TARGETS[name]:.2f} s: {verdict})"
        )


if __name__ == "__main__":
    main()
