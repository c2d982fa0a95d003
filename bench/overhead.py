"""What notte_ext costs over a hand-written loop, and against the official SDK: list N runs each way.

    .venv/bin/python bench/overhead.py [--runs 20000] [--rounds 7] [--servers lean,rich] [--no-sdk] [--profile]

Two servers, each in its own process: lean runs (python -m notte_ext.testing --no-validate: ~0.4 KB
runs, empty logs, no variables) and rich runs (bench/_rich_server.py: variables, logs and results,
~3 KB each, 4 ms of API time per page). Every listing runs in a fresh process and times client
construction plus every page (page_size=100, only_active=false), after its imports; rounds
interleave the sides, rotating which goes first:

* notte_ext: `NotteClient(...).functions.list_runs(...)`: retry transport, spec validation,
  generated attrs models, aware-UTC timestamps, dedupe, pages fetched ahead (the default,
  prefetch=4); "notte_ext seq" is the same with prefetch=0, one page at a time like the others;
* raw httpx+json: `httpx.Client.get` + `response.json()` in a `while has_next` loop, counting dicts;
* notte-sdk 1.10: the official SDK's page loop (pydantic models), installed by the script into a
  throwaway virtualenv (build/bench-notte-sdk); skipped, with the reason, if it can't be installed.

Reported per server: each side's median (listing wall, client CPU, whole process wall), and the
medians of the per-round ratios of each notte_ext side / raw and / SDK for listing wall time; then
the ratios of both servers side by side, and whether every side's bytecode was compiled beforehand
(a process that has to compile what it imports pays for it in "whole process"). `--profile` prints
where notte_ext's CPU time goes (cProfile, in this process) against the first of `--servers`.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._peers import bytecode_state, peer_env, sdk_python
from bench._server import ServerProcess, rich_server, sample_server
from notte_ext import NotteClient
from notte_ext.pagination import DEFAULT_PREFETCH

TARGETS = {"raw httpx+json": 1.3, "notte-sdk 1.10": 1.0}  # notte_ext / peer, listing wall time
PAGE_SIZE = 100
SIDES = ("notte_ext", "notte_ext seq", "raw httpx+json")
SERVERS = {"lean": sample_server, "rich": rich_server}


def notte_ext_listing(server: ServerProcess, prefetch: int = DEFAULT_PREFETCH) -> int:
    with NotteClient(server.api_key, base_url=server.url) as client:
        return sum(1 for _ in client.functions.list_runs(server.function_id, page_size=PAGE_SIZE, prefetch=prefetch))


def raw_listing(server: ServerProcess) -> int:
    count, page = 0, 1
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {server.api_key}"}) as http:
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


LISTINGS: dict[str, Callable[[ServerProcess], int]] = {
    "notte_ext": notte_ext_listing,  # the library's default: pages ahead (prefetch=4) on worker threads
    "notte_ext seq": lambda server: notte_ext_listing(server, prefetch=0),  # one page at a time
    "raw httpx+json": raw_listing,
}


def measure(listing: Callable[[], int], expected: int) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    count = listing()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if count != expected:
        raise AssertionError(f"listed {count} runs, expected {expected}")
    return wall, cpu


Sample = tuple[float, float, float]  # listing wall, client CPU, whole-process wall


def fresh_process(command: list[str | Path], env: dict[str, str] | None = None) -> Sample:
    started = time.perf_counter()
    out = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    process_wall = time.perf_counter() - started
    if out.returncode != 0:
        raise RuntimeError(f"{command[1]} failed: {out.stderr.strip()[-500:]}")
    wall, cpu = map(float, out.stdout.split()[-2:])
    return wall, cpu, process_wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--servers", default=",".join(SERVERS), help="which of %(default)s, comma-separated")
    parser.add_argument("--no-sdk", action="store_true", help="leave the official SDK out")
    parser.add_argument("--profile", action="store_true", help="profile one notte_ext listing with cProfile")
    parser.add_argument("--child", nargs=4, metavar=("SIDE", "URL", "KEY", "FUNCTION_ID"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        side, url, key, function_id = args.child
        server = ServerProcess(url, key, 0, function_id)
        print(*measure(lambda: LISTINGS[side](server), args.runs))
        return

    def child(side: str) -> Command:
        return lambda s: [
            sys.executable,
            __file__,
            "--runs",
            str(args.runs),
            "--child",
            side,
            s.url,
            s.api_key,
            s.function_id,
        ]

    commands = {side: child(side) for side in SIDES}
    env: dict[str, dict[str, str] | None] = dict.fromkeys(SIDES)
    sdk: Path | None = None
    if not args.no_sdk:
        sdk, how = sdk_python()
        if sdk is None:
            print(f"notte-sdk peer skipped: {how}")
        else:
            peer, python = Path(__file__).with_name("sdk_peer.py"), sdk
            commands["notte-sdk 1.10"] = lambda s: [python, peer, s.url, s.api_key, s.function_id, str(args.runs)]
            env["notte-sdk 1.10"] = peer_env()

    servers = args.servers.split(",")
    if args.profile:
        with SERVERS[servers[0]](args.runs) as server:
            profile(lambda: notte_ext_listing(server))
        return
    ratios: dict[str, dict[str, Ratio]] = {}
    for kind in servers:
        with SERVERS[kind](args.runs) as server:
            results = rounds(commands, env, server, args.rounds)
        ratios[kind] = report(kind, results, args)
    print(f"bytecode compiled before the run: {bytecode_state(sdk)}")
    side_by_side(ratios)


Command = Callable[[ServerProcess], list[str | Path]]
Ratio = tuple[float, float, float]  # median, lowest and highest over the rounds


def rounds(
    commands: dict[str, Command], env: dict[str, dict[str, str] | None], server: ServerProcess, count: int
) -> dict[str, list[Sample]]:
    for name, command in commands.items():  # warm-up: server caches, page cache of the files
        fresh_process(command(server), env[name])
    results: dict[str, list[Sample]] = {name: [] for name in commands}
    for round_number in range(count):
        names = list(commands)
        shift = round_number % len(names)
        for name in names[shift:] + names[:shift]:  # interleaved, rotating who goes first
            results[name].append(fresh_process(commands[name](server), env[name]))
    return results


def report(kind: str, results: dict[str, list[Sample]], args: argparse.Namespace) -> dict[str, Ratio]:
    print(
        f"overhead, {kind} runs: {args.runs:,} runs, page_size {PAGE_SIZE}, {args.rounds} interleaved rounds, "
        f"fresh process each, Python {sys.version.split()[0]}"
    )
    print(f"  {'':<16} {'listing wall':>12} {'runs/s':>9} {'client CPU':>10} {'process wall':>12}")
    for name, samples in results.items():
        wall, cpu, process = (statistics.median(s[i] for s in samples) for i in range(3))
        print(f"  {name:<16} {wall:10.3f} s {args.runs / wall:9,.0f} {cpu:8.3f} s {process:10.3f} s")
    ratios: dict[str, Ratio] = {}
    for side in ("notte_ext", "notte_ext seq"):
        for peer, target in TARGETS.items():
            if peer in results:
                ratios[f"{side} / {peer}"] = _print_ratio(side, results[side], peer, results[peer], target)
    return ratios


def side_by_side(ratios: dict[str, dict[str, Ratio]]) -> None:
    """One line per ratio, a column per server: what the lean figures hide, at a glance."""
    kinds = list(ratios)
    print(f"  {'listing wall (median, rounds)':<38}" + "".join(f"{kind + ' runs':>22}" for kind in kinds) + "  target")
    for name in ratios[kinds[0]]:
        cells = "".join(f"{'{:.2f}x ({:.2f}-{:.2f})'.format(*ratios[kind][name]):>22}" for kind in kinds)
        print(f"  {name:<38}{cells}  <= {TARGETS[name.rsplit(' / ', 1)[1]]}x")


def _print_ratio(side: str, ours: list[Sample], peer: str, theirs: list[Sample], target: float) -> Ratio:
    ratios = sorted(o[0] / p[0] for o, p in zip(ours, theirs, strict=True))
    process = statistics.median(o[2] / p[2] for o, p in zip(ours, theirs, strict=True))
    median = statistics.median(ratios)
    verdict = "OK" if median <= target else "MISSED"
    print(
        f"  {side} / {peer}: listing wall {median:.2f}x (target <= {target}x: {verdict}; "
        f"rounds {ratios[0]:.2f}-{ratios[-1]:.2f}x), whole process {process:.2f}x"
    )
    return median, ratios[0], ratios[-1]


def profile(listing: Callable[[], int]) -> None:
    profiler = cProfile.Profile()
    profiler.runcall(listing)
    stats = pstats.Stats(profiler).strip_dirs().sort_stats("cumulative")
    stats.print_stats(25)
    stats.sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    main()
