"""list_runs under latency: page-ahead (sync threads, async tasks, the CLI) vs one page at a time.

    .venv/bin/python -m bench.list_runs [--runs 2000] [--latency 0.05] [--prefetch 6] [--repeat 3]
                                        [--servers sample,lean,rich]

Lists `--runs` runs from a local server (its own process) that adds `--latency` seconds to
each response: with `prefetch` the client overlaps page requests, without it each page waits
for the one before. Library sides construct their client inside the timed call; the CLI sides
are whole processes (`notte-ext runs list FN --format jsonl`, start-up included), default
options vs `--prefetch 0`. All sides run interleaved against one server, medians compared; three
times: against sample data ending now, a lean history ending months ago (page 1 goes alone in
both, then page-ahead: the two should measure alike), and rich runs (variables, logs, results:
~3 KB each, 4 ms of server time per page on top of the latency, bench/_rich_server.py).
Each library side also counts the requests it sent (retries included: counted under the retry
layer) per listing, and a short listing (`--short`, 250 runs: three pages) shows what page-ahead
costs when there is little to gain: slow start keeps it to one request past the last page.
Items/s at zero latency against a raw httpx + json loop (the floor) is bench/overhead.py.

Each run also prints the most page-ahead could give (`round_trips`): the round trips the pacing
needs when the client and server take no time at all, and so the ceiling of any speed-up over one
page at a time. Measured ratios sit below it by the client's own work per page.
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

import httpx

from bench._rich_server import describe
from bench._server import ServerProcess, lean_server, rich_server, sample_server
from bench.overhead import measure
from notte_ext import AsyncNotteClient, NotteClient
from notte_ext._defaults import API_KEY_ENV, BASE_URL_ENV
from notte_ext._listings import MAX_PAGE_SIZE
from notte_ext._pace import Pace
from notte_ext._tls import AsyncHTTPTransport, HTTPTransport
from notte_ext.pagination import DEFAULT_PREFETCH

Listing = Callable[[], int]


def round_trips(pages: int, prefetch: int) -> tuple[int, int]:
    """(round trips, requests) of a listing of `pages` pages paced as the client paces it
    (`notte_ext._pace.Pace`) when nothing but the round trips takes time: each page is read the
    moment it arrives, and what the window then wants goes out at once. One page at a time is
    `pages` round trips, so `pages / round trips` bounds the speed-up page-ahead can show."""
    pace = Pace(limit=prefetch + 1)
    arrives = {1: 1}  # page -> the round trip at whose end it arrives
    now = 0
    for number in range(1, pages + 1):
        now = max(now, arrives[number])
        has_next = number < pages
        pace.read(number, has_next)
        if not has_next:
            break
        for page in pace.wanted(number + 1):
            arrives.setdefault(page, now + 1)
    return now, len(arrives)


def ceiling(runs: int, prefetch: int) -> str:
    pages = -(-runs // MAX_PAGE_SIZE)  # the page size the library and the CLI ask for
    trips, requests = round_trips(pages, prefetch)
    return (
        f"  at best (no time but round trips): prefetch={prefetch} needs {trips} round trips and {requests} "
        f"requests for {pages} pages, so page-ahead can't beat {pages / trips:.2f}x"
    )


class Requests:
    """How many requests went on the wire, counted by the transport under the client's layers.

    The counting transports extend the client's own (`notte_ext._tls`), not httpx's: httpx's parses
    the CA bundle at construction (~25-45 ms), a cost the default client never pays for plain http,
    which was added to every library side of this bench (one per listing) and shrank its ratios."""

    def __init__(self) -> None:
        self.sent = 0

    def sync(self) -> httpx.BaseTransport:
        counter = self

        class Counting(HTTPTransport):
            def handle_request(self, request: httpx.Request) -> httpx.Response:
                counter.sent += 1
                return super().handle_request(request)

        return Counting()

    def asynchronous(self) -> httpx.AsyncBaseTransport:
        counter = self

        class Counting(AsyncHTTPTransport):
            async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
                counter.sent += 1
                return await super().handle_async_request(request)

        return Counting()


def sync_listing(server: ServerProcess, prefetch: int, requests: Requests | None = None) -> int:
    transport = requests.sync() if requests else None
    with NotteClient(server.api_key, base_url=server.url, transport=transport) as client:
        return sum(1 for _ in client.functions.list_runs(server.function_id, prefetch=prefetch))


def async_listing(server: ServerProcess, prefetch: int, requests: Requests | None = None) -> int:
    """Counts the runs as they stream by, as `sync_listing` does. It used to keep them all
    (`to_list()`): 2,000 rich runs alive at once made the collector's passes longer and set off
    full collections, a cost only the async side paid (rich runs: 3.30x before, 3.55x after)."""
    transport = requests.asynchronous() if requests else None

    async def listing() -> int:
        async with AsyncNotteClient(server.api_key, base_url=server.url, transport=transport) as client:
            return sum([1 async for _ in client.functions.list_runs(server.function_id, prefetch=prefetch)])

    return asyncio.run(listing())


def cli_listing(server: ServerProcess, *options: str) -> int:
    """The whole `notte-ext` process, as a user runs it; returns the JSON lines it wrote."""
    command = [str(Path(sys.executable).with_name("notte-ext")), "runs", "list", server.function_id, *options]
    env = {**os.environ, API_KEY_ENV: server.api_key, BASE_URL_ENV: server.url}
    done = subprocess.run([*command, "--format", "jsonl"], env=env, capture_output=True, check=True)
    return done.stdout.count(b"\n")


def compare(
    sides: dict[str, Listing], baselines: dict[str, str], expected: int, repeat: int, counts: dict[str, Requests]
) -> None:
    """Run every side `repeat` times, interleaved (machine noise hits all alike); print medians,
    requests per listing (`counts`, where counted) and each side's speed-up over its baseline
    (`baselines[side]` is the side it is compared to)."""
    times: dict[str, list[float]] = {label: [] for label in sides}
    for _ in range(repeat):
        for label, listing in sides.items():
            times[label].append(measure(listing, expected)[0])  # wall time
    medians = {label: statistics.median(values) for label, values in times.items()}
    for label, seconds in medians.items():
        sent = f"{counts[label].sent / repeat:5.1f} requests" if label in counts else ""
        print(f"  {label:<34} {seconds:8.3f} s   {expected / seconds:10,.0f} runs/s   {sent}")
    for label, baseline in baselines.items():
        print(f"  speed-up {label} vs {baseline}: {medians[baseline] / medians[label]:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--prefetch", type=int, default=DEFAULT_PREFETCH)
    parser.add_argument("--short", type=int, default=250, help="runs of the short listing (0: none)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--servers", default=",".join(SERVERS), help="which of %(default)s, comma-separated")
    args = parser.parse_args()

    print(f"{args.runs} runs, {args.latency * 1000:.0f} ms per response (median of {args.repeat}, interleaved)")
    for name in args.servers.split(","):
        title, server_process = SERVERS[name]
        with server_process(args.runs, args.latency) as server:
            print(title if name != "rich" else f"{title}: {describe()}")
            sides, baselines, counts = _sides(server, args.prefetch)
            compare(sides, baselines, args.runs, args.repeat, counts)
            print(ceiling(args.runs, args.prefetch))
    if args.short:
        with sample_server(args.short, args.latency) as server:
            print(f"short listing: {args.short} runs (sample data)")
            sides, baselines, counts = _sides(server, args.prefetch, cli=False)
            compare(sides, baselines, args.short, args.repeat, counts)
            print(ceiling(args.short, args.prefetch))


SERVERS = {
    "sample": ("history ending now (sample data)", sample_server),
    "lean": ("history ending months ago (bench/_lean_server.py)", lean_server),
    "rich": ("rich runs (bench/_rich_server.py)", rich_server),
}


def _sides(
    server: ServerProcess, n: int, cli: bool = True
) -> tuple[dict[str, Listing], dict[str, str], dict[str, Requests]]:
    counts = {
        label: Requests()
        for label in ("sync prefetch=0", f"sync prefetch={n}", "async prefetch=0", f"async prefetch={n}")
    }
    sides: dict[str, Listing] = {
        "sync prefetch=0": lambda: sync_listing(server, 0, counts["sync prefetch=0"]),
        f"sync prefetch={n}": lambda: sync_listing(server, n, counts[f"sync prefetch={n}"]),
        "async prefetch=0": lambda: async_listing(server, 0, counts["async prefetch=0"]),
        f"async prefetch={n}": lambda: async_listing(server, n, counts[f"async prefetch={n}"]),
    }
    baselines = {f"sync prefetch={n}": "sync prefetch=0", f"async prefetch={n}": "sync prefetch=0"}
    if cli:
        sides["cli --prefetch 0"] = lambda: cli_listing(server, "--prefetch", "0")
        sides["cli (default options)"] = lambda: cli_listing(server)
        baselines["cli (default options)"] = "cli --prefetch 0"
    return sides, baselines, counts


if __name__ == "__main__":
    main()
