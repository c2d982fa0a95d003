"""list_runs throughput: sync vs async prefetch under latency, and notte_ext vs a raw httpx loop.

    .venv/bin/python -m bench.list_runs [--runs 2000] [--latency 0.05] [--prefetch 4] [--repeat 3]

Part 1 lists `--runs` runs from a local server that adds `--latency` seconds to each
response: the async client with `prefetch` overlaps page requests, the sync one can't.
Part 2 lists 10x as many runs at zero latency and compares items/s with the floor: a
plain httpx + json loop that requests the same pages and parses nothing further.
Both sides of each comparison run interleaved in one process, against one server.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Callable

import httpx

from bench._server import ServerProcess, sample_server
from notte_ext import AsyncNotteClient, NotteClient


def sync_listing(server: ServerProcess) -> int:
    with NotteClient(server.api_key, base_url=server.url) as client:
        return sum(1 for _ in client.functions.list_runs(server.function_id))


def async_listing(server: ServerProcess, prefetch: int) -> int:
    async def listing() -> int:
        async with AsyncNotteClient(server.api_key, base_url=server.url) as client:
            return len(await client.functions.list_runs(server.function_id, prefetch=prefetch).to_list())

    return asyncio.run(listing())


def raw_listing(server: ServerProcess) -> int:
    """The floor: same requests, json decoding only, no validation or models."""
    count, page = 0, 1
    headers = {"Authorization": f"Bearer {server.api_key}"}
    with httpx.Client(base_url=server.url, headers=headers) as client:
        while True:
            params: dict[str, str | int] = {
                "page": page,
                "page_size": 100,
                "only_active": "false",
                "only_current_token": "false",
            }
            body = client.get(f"/functions/{server.function_id}/runs", params=params).json()
            count += len(body["items"])
            if not body["has_next"]:
                return count
            page += 1


def median_seconds(runs: Callable[[], int], expected: int, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        assert runs() == expected
        times.append(time.perf_counter() - started)
    return times


def compare(label_a: str, a: Callable[[], int], label_b: str, b: Callable[[], int], expected: int, repeat: int) -> None:
    times: dict[str, list[float]] = {label_a: [], label_b: []}
    for _ in range(repeat):  # interleaved, so machine noise hits both sides alike
        times[label_a] += median_seconds(a, expected, 1)
        times[label_b] += median_seconds(b, expected, 1)
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

    print(f"1. {args.runs} runs, {args.latency * 1000:.0f} ms per response (median of {args.repeat})")
    with sample_server(args.runs, latency=args.latency) as server:
        compare(
            "sync",
            lambda: sync_listing(server),
            f"async prefetch={args.prefetch}",
            lambda: async_listing(server, args.prefetch),
            args.runs,
            args.repeat,
        )
    zero_latency_runs = args.runs * 10
    print(f"2. {zero_latency_runs} runs, no added latency (median of {args.repeat})")
    with sample_server(zero_latency_runs) as server:
        compare(
            "notte_ext sync",
            lambda: sync_listing(server),
            "raw httpx + json",
            lambda: raw_listing(server),
            zero_latency_runs,
            args.repeat,
        )


if __name__ == "__main__":
    main()
