"""How long the command line takes, whole process: `notte-ext --help`, and listing 250 runs.

    .venv/bin/python bench/startup.py [--repeat 9]

Runs .venv/bin/notte-ext as a user would, with PYTHONDONTWRITEBYTECODE=1 (as on these machines: a
process writes no bytecode, so only what `make install` compiled is reused). The listing is
`notte-ext runs list FUNCTION_ID --format jsonl` against the local server (its own process) holding
250 runs. Reported: the median and range over the repeats, and the verdict against the targets.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._server import sample_server
from notte_ext.testing.sample import DEFAULT_SAMPLE_RUNS

CLI = Path(__file__).resolve().parent.parent / ".venv/bin/notte-ext"
RUNS = DEFAULT_SAMPLE_RUNS
TARGETS = {"notte-ext --help": 0.30, f"notte-ext runs list ({RUNS} runs)": 0.45}


def timed(command: list[str], env: dict[str, str], expected_lines: int | None) -> float:
    started = time.perf_counter()
    out = subprocess.run(command, capture_output=True, text=True, check=True, env=env)
    elapsed = time.perf_counter() - started
    if expected_lines is not None and len(out.stdout.splitlines()) != expected_lines:
        raise AssertionError(f"{command[1:3]} printed {len(out.stdout.splitlines())} lines, expected {expected_lines}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    with sample_server(RUNS) as server:
        env.update({"NOTTE_API_KEY": server.api_key, "NOTTE_API_URL": server.url})
        commands: dict[str, tuple[list[str], int | None]] = {
            "notte-ext --help": ([str(CLI), "--help"], None),
            f"notte-ext runs list ({RUNS} runs)": (
                [str(CLI), "runs", "list", server.function_id, "--format", "jsonl"],
                RUNS,
            ),
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        for command, lines in commands.values():  # warm-up: the OS page cache
            timed(command, env, lines)
        for _ in range(args.repeat):
            for name, (command, lines) in commands.items():
                times[name].append(timed(command, env, lines))
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
