"""What notte_ext costs over a hand-written loop: list N runs both ways, interleaved, same server.

    .venv/bin/python bench/overhead.py [--runs 20000] [--rounds 7] [--profile]

The server runs in its own process (python -m notte_ext.testing). Both sides fetch the same pages
(page_size=100, only_active=false, only_current_token=false) over one keep-alive connection:

* notte_ext: `NotteClient.functions.list_runs(...)`: retry transport, spec validation, generated
  attrs models, aware-UTC timestamps, dedupe;
* raw: `httpx.Client.get` + `response.json()` in a `while has_next` loop, counting dicts.

Reported: the median over rounds of the per-round ratio notte_ext / raw, for wall time (what a user
waits, server included) and for this process's CPU time (the client's own work; the server's CPU
is in the other process). `--profile` prints where notte_ext's CPU time goes (cProfile).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._server import ServerProcess, sample_server
from notte_ext import NotteClient

TARGET = 1.5
PAGE_SIZE = 100


def notte_ext_listing(client: NotteClient, server: ServerProcess) -> int:
    return sum(1 for _ in client.functions.list_runs(server.function_id, page_size=PAGE_SIZE))


def raw_listing(http: httpx.Client, server: ServerProcess) -> int:
    count, page = 0, 1
    while True:
        response = http.get(
            f"/functions/{server.function_id}/runs",
            params={"page": page, "page_size": PAGE_SIZE, "only_active": "false", "only_current_token": "false"},
        )
        response.raise_for_status()
        body = response.json()
        count += sum(1 for item in body["items"] if isinstance(item, dict))
        if not body["has_next"]:
            return count
        page += 1


def measure(listing: Callable[[], int], expected: int) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    count = listing()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if count != expected:
        raise AssertionError(f"listed {count} runs, expected {expected}")
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--profile", action="store_true", help="profile one notte_ext listing with cProfile")
    args = parser.parse_args()

    with (
        sample_server(args.runs) as server,
        NotteClient(server.api_key, base_url=server.url) as client,
        httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {server.api_key}"}) as http,
    ):
        sides: dict[str, Callable[[], int]] = {
            "notte_ext": lambda: notte_ext_listing(client, server),
            "raw httpx+json": lambda: raw_listing(http, server),
        }
        for listing in sides.values():  # warm-up: imports, compiled validators, connections
            measure(listing, args.runs)
        if args.profile:
            profile(sides["notte_ext"])
            return
        results: dict[str, list[tuple[float, float]]] = {name: [] for name in sides}
        for round_number in range(args.rounds):
            order = list(sides) if round_number % 2 == 0 else list(reversed(sides))  # interleaved, alternating
            for name in order:
                results[name].append(measure(sides[name], args.runs))
    report(results, args)


def report(results: dict[str, list[tuple[float, float]]], args: argparse.Namespace) -> None:
    ours, raw = results["notte_ext"], results["raw httpx+json"]
    wall_ratio = statistics.median(o[0] / r[0] for o, r in zip(ours, raw, strict=True))
    cpu_ratio = statistics.median(o[1] / r[1] for o, r in zip(ours, raw, strict=True))
    print(
        f"overhead: {args.runs:,} runs, page_size {PAGE_SIZE}, {args.rounds} interleaved rounds, Python {sys.version.split()[0]}"
    )
    for name, samples in results.items():
        wall = statistics.median(s[0] for s in samples)
        cpu = statistics.median(s[1] for s in samples)
        print(f"  {name:<15} median wall {wall:6.3f} s ({args.runs / wall:9,.0f} runs/s)   client CPU {cpu:6.3f} s")
    verdict = "OK" if wall_ratio <= TARGET else "MISSED"
    print(
        f"  median ratio notte_ext/raw: wall {wall_ratio:.2f}x (target <= {TARGET}x: {verdict}), client CPU {cpu_ratio:.2f}x"
    )


def profile(listing: Callable[[], int]) -> None:
    profiler = cProfile.Profile()
    profiler.runcall(listing)
    stats = pstats.Stats(profiler).strip_dirs().sort_stats("cumulative")
    stats.print_stats(25)
    stats.sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    main()
