"""list_runs under latency: the sync client vs the async client with prefetch.

    .venv/bin/python -m bench.list_runs [--runs 2000] [--latency 0.05] [--prefetch 4] [--repeat 3]

Lists `--runs` runs from a local server (its own process) that adds `--latency` seconds to
each response: the async client with `prefetch` overlaps page requests, the sync one can't.
Both sides run interleaved, against one server. Items/s at zero latency against a raw
httpx + json loop (the floor) is bench/overhead.py.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
from collections.abc import Callable

from bench._server import ServerProcess, sample_server
from bench.overhead import measure
from notte_ext import AsyncNotteClient, NotteClient


def sync_listing(server: ServerProcess) -> int:
    with NotteClient(server.api_key, base_url=server.url) as client:
        return sum(1 for _ in client.functions.list_runs(server.function_id))


def async_listing(server: ServerProcess, prefetch: int) -> int:
    async def listing() -> int:
        async with AsyncNotteClient(server.api_key, base_url=server.url) as client:
            return len(await client.functions.list_runs(server.function_id, prefetch=prefetch).to_list())

    return asyncio.run(listing())


def compare(label_a: str, a: Callable[[], int], label_b: str, b: Callable[[], int], expected: int, repeat: int) -> None:
    times: dict[str, list[float]] = {label_a: [], label_b: []}
    for _ in range(repeat):  # interleaved, so machine noise hits both sides alike
        times[label_a].append(measure(a, expected)[0])  # wall time
        times[label_b].append(measure(b, expected)[0])
    medians = {label: statistics.median(values) for label, values in times.items()}
    for label, seconds in medians.items():
        print(f"  {label:<28} {seconds:8.3f} s   {expected / seconds:10,.0f} runs/s")
    print(f"  ratio {label_a} / {label_b}: {medians[label_a] / medians[label_b]:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--prefetch", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    print(f"{args.runs} runs, {args.latency * 1000:.0f} ms per response (median of {args.repeat})")
    with sample_server(args.runs, latency=args.latency) as server:
        compare(
            "sync",
            lambda: sync_listing(server),
            f"async prefetch={args.prefetch}",
            lambda: async_listing(server, args.prefetch),
            args.runs,
            args.repeat,
        )


if __name__ == "__main__":
    main()
