"""list_runs under latency: page-ahead (sync threads, async tasks, the CLI) vs one page at a time.

    .venv/bin/python -m bench.list_runs [--runs 2000] [--latency 0.05] [--prefetch 4] [--repeat 3]
                                        [--servers sample,lean,rich]

Lists `--runs` runs from a local server (its own process) that adds `--latency` seconds to
each response: with `prefetch` the client overlaps page requests, without it each page waits
for the one before. Library sides construct their client inside the timed call; the CLI sides
are whole processes (`notte-ext runs list FN --format jsonl`, start-up included), default
options vs `--prefetch 0`. All sides run interleaved against one server, medians compared; three
times: against sample data ending now, a lean history ending months ago (page 1 goes alone in
both, then page-ahead: the two should measure alike), and rich runs (variables, logs, results:
~3 KB each, 4 ms of server time per page on top of the latency, bench/_rich_server.py).
Items/s at zero latency against a raw httpx + json loop (the floor) is bench/overhead.py.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from bench._rich_server import describe
from bench._server import ServerProcess, lean_server, rich_server, sample_server
from bench.overhead import measure
from notte_ext import AsyncNotteClient, NotteClient
from notte_ext._defaults import API_KEY_ENV, BASE_URL_ENV

Listing = Callable[[], int]


def sync_listing(server: ServerProcess, prefetch: int) -> int:
    with NotteClient(server.api_key, base_url=server.url) as client:
        return sum(1 for _ in client.functions.list_runs(server.function_id, prefetch=prefetch))


def async_listing(server: ServerProcess, prefetch: int) -> int:
    async def listing() -> int:
        async with AsyncNotteClient(server.api_key, base_url=server.url) as client:
            return len(await client.functions.list_runs(server.function_id, prefetch=prefetch).to_list())

    return asyncio.run(listing())


def cli_listing(server: ServerProcess, *options: str) -> int:
    """The whole `notte-ext` process, as a user runs it; returns the JSON lines it wrote."""
    command = [str(Path(sys.executable).with_name("notte-ext")), "runs", "list", server.function_id, *options]
    env = {**os.environ, API_KEY_ENV: server.api_key, BASE_URL_ENV: server.url}
    done = subprocess.run([*command, "--format", "jsonl"], env=env, capture_output=True, check=True)
    return done.stdout.count(b"\n")


def compare(sides: dict[str, Listing], baselines: dict[str, str], expected: int, repeat: int) -> None:
    """Run every side `repeat` times, interleaved (machine noise hits all alike); print medians
    and each side's speed-up over its baseline (`baselines[side]` is the side it is compared to)."""
    times: dict[str, list[float]] = {label: [] for label in sides}
    for _ in range(repeat):
        for label, listing in sides.items():
            times[label].append(measure(listing, expected)[0])  # wall time
    medians = {label: statistics.median(values) for label, values in times.items()}
    for label, seconds in medians.items():
        print(f"  {label:<34} {seconds:8.3f} s   {expected / seconds:10,.0f} runs/s")
    for label, baseline in baselines.items():
        print(f"  speed-up {label} vs {baseline}: {medians[baseline] / medians[label]:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--prefetch", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--servers", default=",".join(SERVERS), help="which of %(default)s, comma-separated")
    args = parser.parse_args()

    print(f"{args.runs} runs, {args.latency * 1000:.0f} ms per response (median of {args.repeat}, interleaved)")
    for name in args.servers.split(","):
        title, server_process = SERVERS[name]
        with server_process(args.runs, args.latency) as server:
            print(title if name != "rich" else f"{title}: {describe()}")
            compare(*_sides(server, args.prefetch), args.runs, args.repeat)


SERVERS = {
    "sample": ("history ending now (sample data)", sample_server),
    "lean": ("history ending months ago (bench/_lean_server.py)", lean_server),
    "rich": ("rich runs (bench/_rich_server.py)", rich_server),
}


def _sides(server: ServerProcess, n: int) -> tuple[dict[str, Listing], dict[str, str]]:
    sides: dict[str, Listing] = {
        "sync prefetch=0": lambda: sync_listing(server, 0),
        f"sync prefetch={n}": lambda: sync_listing(server, n),
        "async prefetch=0": lambda: async_listing(server, 0),
        f"async prefetch={n}": lambda: async_listing(server, n),
        "cli --prefetch 0": lambda: cli_listing(server, "--prefetch", "0"),
        "cli (default options)": lambda: cli_listing(server),
    }
    baselines = {
        f"sync prefetch={n}": "sync prefetch=0",
        f"async prefetch={n}": "sync prefetch=0",
        "cli (default options)": "cli --prefetch 0",
    }
    return sides, baselines


if __name__ == "__main__":
    main()
