"""Peak memory of iterating a long history: 1,000,000 runs in constant memory.

    .venv/bin/python bench/memory.py [--runs 1000000] [--prefetch 6] [--servers lean,rich]

The server runs in its own process, so only the client is measured: lean runs
(bench/_lean_server.py: ~0.4 KB, computed per page, nothing stored, so a million runs cost it
nothing up front), then rich ones (bench/_rich_server.py: ~3 KB with variables, logs and results,
each page built when asked for past 256 MiB of them).
After a warm-up (imports, compiled spec validators, one connection, a first listing), the baseline
is this process's resident set (VmRSS) and the kernel's peak counter (VmHWM) is reset to it; then
every run is iterated (counted, not kept) and the new peak is read. Growth = peak - baseline.
Nothing should grow with the history: dedupe keeps a bounded window of recent ids.
Linux only (/proc/self/status); without a resettable peak, falls back to getrusage's lifetime peak.
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import time
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._server import lean_server, rich_server
from notte_ext import NotteClient
from notte_ext.pagination import DEFAULT_PREFETCH

TARGET_MB = 5.0
WARM_UP_RUNS = 1_000
SERVERS = {"lean": lean_server, "rich": rich_server}


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise LookupError(field)


def _reset_peak() -> bool:
    """Reset VmHWM to the current RSS (Linux >= 4.0: write 5 to clear_refs)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=1_000_000)
    parser.add_argument("--prefetch", type=int, default=DEFAULT_PREFETCH)
    parser.add_argument("--servers", default=",".join(SERVERS), help="which of %(default)s, comma-separated")
    args = parser.parse_args()
    for kind in args.servers.split(","):
        measure(kind, args.runs, args.prefetch)


def measure(kind: str, runs: int, prefetch: int) -> None:
    with SERVERS[kind](runs) as server, NotteClient(server.api_key, base_url=server.url) as client:
        listing = partial(client.functions.list_runs, server.function_id, prefetch=prefetch)
        warm = sum(1 for _ in listing(limit=WARM_UP_RUNS))
        assert warm == min(WARM_UP_RUNS, runs)
        gc.collect()
        baseline_kb = _status_kb("VmRSS")
        resettable = _reset_peak()
        started = time.perf_counter()
        count = sum(1 for _ in listing())
        elapsed = time.perf_counter() - started
        peak_kb = _status_kb("VmHWM") if resettable else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if count != runs:
        raise AssertionError(f"listed {count} runs, expected {runs}")
    growth_mb = (peak_kb - baseline_kb) / 1024
    verdict = "OK" if growth_mb <= TARGET_MB else "MISSED"
    print(
        f"memory, {kind} runs: {count:,} runs iterated in {elapsed:.1f} s, page_size 100, prefetch {prefetch}, "
        f"Python {sys.version.split()[0]}"
    )
    print(f"  baseline RSS after warm-up {baseline_kb / 1024:.1f} MB, peak while iterating {peak_kb / 1024:.1f} MB")
    print(f"  peak RSS growth {growth_mb:.1f} MB (target <= {TARGET_MB:.0f} MB: {verdict})", end="")
    print("" if resettable else " [peak since process start: clear_refs not writable]")


if __name__ == "__main__":
    main()
