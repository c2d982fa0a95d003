"""Issue 23's hostile inputs, each run for real: one line, no traceback, bounded time and memory.

    .venv/bin/python bench/hostile_inputs.py [--time-limit 30] [--rss-limit-mb 400]

Every command-line input the issue lists runs as its own `notte-ext` process against a local server
(or a local endless body, /dev/zero, a YAML alias bomb): it must exit non-zero (or do its job: a
`--prefetch 100000` listing finishes with a few dozen requests) with the error on one line of
stderr, no traceback, within the time limit and under the peak-RSS limit (the child's own
ru_maxrss, from wait4). `--debug` must not change an exit code. The library's bad arguments must
raise a NotteError subclass before any request (counted at the server). Each child also runs under
a 2 GiB address-space limit, so an unbounded input fails fast instead of taking the machine.
Prints one row per case; exits 1 if any fails.
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from notte_ext import NotteClient, NotteError
from notte_ext.testing import NotteTestServer
from tests.drift.hostile import MEASURE_PEAK_RSS

CLI = str(Path(sys.executable).with_name("notte-ext"))
FN = "fn-hostile"
RUNS = 250  # three pages of 100
ADDRESS_SPACE_LIMIT = 2 * 1024**3
NOTES = ("spec: ",)
MAX_REPORT_BYTES = (
    1024**2
)  # a drift report of a 9 KB spec; the alias bomb made 34 MB  # what `spec drift` prints on stderr before the report, when it picks the spec itself


@dataclass
class Outcome:
    code: int | None  # None: killed at the time limit
    stderr: str
    seconds: float
    rss_mb: float
    requests: int = 0
    stdout_bytes: int = 0


@dataclass
class Case:
    name: str
    argv: list[str]
    expect: str = "refused"  # "refused": non-zero, one line; "ok": exit 0; "code N": that exit code
    env: dict[str, str] = field(default_factory=dict)
    check: Callable[[Outcome], str | None] | None = None  # a further check: None, or what is wrong


def run_cli(argv: list[str], env: dict[str, str], time_limit: float, count: Callable[[], int]) -> Outcome:
    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_LIMIT, ADDRESS_SPACE_LIMIT))

    before = count()
    begun = time.monotonic()
    scratch = tempfile.TemporaryDirectory()
    measured = Path(scratch.name) / "measured"
    # Forked from a small interpreter that reports the CLI's own peak RSS: Linux hands a process the
    # peak of the image it replaced, and forked from this bench it would weigh what the bench weighs.
    process = subprocess.Popen(
        [sys.executable, "-c", MEASURE_PEAK_RSS, str(measured), CLI, *argv],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={"PATH": "", **env},
        preexec_fn=limit_memory,
        start_new_session=True,
    )
    chunks: list[bytes] = []
    printed = [0]  # stdout is counted, not kept: a runaway report must not fill this process
    readers = [
        threading.Thread(target=lambda: chunks.append(process.stderr.read() if process.stderr else b"")),
        threading.Thread(target=_count, args=(process.stdout, printed)),
    ]
    for reader in readers:
        reader.start()
    try:
        process.wait(timeout=max(time_limit - (time.monotonic() - begun), 0.01))
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # our own process group: the wrapper and the CLI
        process.wait()
    code: int | None = None  # killed at the time limit: no exit code, no report
    rss_kib = 0
    if measured.exists():
        code, rss_kib = (int(n) for n in measured.read_text().split())
    scratch.cleanup()
    seconds = time.monotonic() - begun
    for reader in readers:
        reader.join()
    stderr = b"".join(chunks).decode("utf-8", "backslashreplace")
    return Outcome(code, stderr, seconds, rss_kib / 1024, count() - before, printed[0])


def _count(stream: Any, total: list[int]) -> None:
    while chunk := stream.read(65536):
        total[0] += len(chunk)


def verdict(case: Case, outcome: Outcome, time_limit: float, rss_limit_mb: float) -> str | None:
    """None if the case passed, else what is wrong."""
    if outcome.code is None:
        return f"still running after {time_limit:g} s"
    if "Traceback" in outcome.stderr and "--debug" not in case.argv:
        return "traceback"
    if outcome.rss_mb > rss_limit_mb:
        return f"peak RSS {outcome.rss_mb:.0f} MB"
    lines = [line for line in outcome.stderr.splitlines() if not line.startswith(NOTES)]
    if case.expect == "refused":
        if outcome.code == 0:
            return "exit 0"
        if len(lines) != 1 or not lines[0].startswith("Error: "):
            return f"{len(lines)} lines on stderr"
    elif case.expect == "bounded":  # refused, or done with a report of a sane size
        if outcome.code not in (1, 2) or len(lines) > 1 or outcome.stdout_bytes > MAX_REPORT_BYTES:
            return f"exit {outcome.code}, {len(lines)} lines on stderr, {outcome.stdout_bytes:,} bytes on stdout"
    elif case.expect == "ok" and outcome.code != 0:
        return f"exit {outcome.code}"
    elif case.expect.startswith("code ") and outcome.code != int(case.expect.split()[1]):
        return f"exit {outcome.code}, not {case.expect.split()[1]}"
    return case.check(outcome) if case.check else None


# -- what the inputs need: an endless HTTP body, an alias bomb, a busy port ------------------------------


class _Endless(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        chunk = b"0" * 65536
        try:
            while True:
                self.wfile.write(chunk)
        except OSError:
            return  # the client gave up

    def log_message(self, *args: Any) -> None:
        return


@contextmanager
def endless_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Endless)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/openapi.json"
    finally:
        server.shutdown()
        server.server_close()


def alias_bomb(levels: int = 9, width: int = 9) -> str:
    """A small OpenAPI YAML whose response status enum expands to width**levels strings."""
    lines = ["openapi: 3.1.0", "info: {title: bomb, version: '1'}", "x-bomb:"]
    lines.append(f"  l0: &l0 [{', '.join(['lol'] * width)}]")
    for level in range(1, levels):
        lines.append(f"  l{level}: &l{level} [{', '.join([f'*l{level - 1}'] * width)}]")
    lines += [
        "paths:",
        "  /functions/{function_id}/runs:",
        "    get:",
        "      operationId: list_function_runs_by_function_id",
        "      responses:",
        "        '200':",
        "          description: ok",
        "          content:",
        "            application/json:",
        "              schema:",
        "                type: object",
        "                properties:",
        f"                  status: {{type: string, enum: *l{levels - 1}}}",
    ]
    return "\n".join(lines) + "\n"


def debug_keeps_code(code: int) -> Callable[[Outcome], str | None]:
    return lambda outcome: None if outcome.code == code else f"exit {outcome.code} with --debug, {code} without"


def no_errno(outcome: Outcome) -> str | None:
    return "an OS error number for a message" if "[Errno" in outcome.stderr else None


def prefetch_requests(outcome: Outcome) -> str | None:
    return None if outcome.requests <= 40 and outcome.seconds < 10 else f"{outcome.requests} requests"


def cli_cases(server: NotteTestServer, endless_url: str, bomb: Path, busy_port: int) -> list[Case]:
    env = {"NOTTE_API_KEY": server.api_key, "NOTTE_API_URL": server.url}
    refused_url = {"NOTTE_API_KEY": "sk-x", "NOTTE_API_URL": "http://127.0.0.1:9"}
    listing = ["--max-retries", "0", "runs", "list", FN]
    return [
        Case("spec drift --upstream /dev/zero", ["spec", "drift", "--upstream", "/dev/zero"]),
        Case("spec drift --upstream <endless HTTP body>", ["spec", "drift", "--upstream", endless_url]),
        Case("spec diff <YAML alias bomb>", ["spec", "diff", "openapi.json", str(bomb)], "bounded"),
        Case("spec drift --timeout -1", ["spec", "drift", "--upstream", endless_url, "--timeout", "-1"]),
        Case("spec drift --timeout 0", ["spec", "drift", "--upstream", endless_url, "--timeout", "0"], check=no_errno),
        Case(
            "runs list --prefetch 100000 (3 pages)",
            [*listing, "--prefetch", "100000"],
            "any",
            env,
            prefetch_requests,
        ),
        Case("runs watch --interval 1e-9", ["runs", "watch", FN, "--interval", "1e-9"], env=env),
        Case("serve --runs 100000000", ["serve", "--runs", "100000000"]),
        Case("runs list $'\\xff\\xfe'", ["runs", "list", "\udcff\udcfe"], env=env),
        Case("--since 99999999d", [*listing, "--since", "99999999d"], env=env),
        Case("--since 9999-12-31T23:59:59-14:00", [*listing, "--since", "9999-12-31T23:59:59-14:00"], env=env),
        Case("--timeout nan", [*listing, "--timeout", "nan"], env=env),
        Case("--timeout inf", [*listing, "--timeout", "inf"], env=env),
        Case("--timeout 1e308", [*listing, "--timeout", "1e308"], env=env),
        Case("--api-key 'sk-é'", [*listing, "--api-key", "sk-é"], env={"NOTTE_API_URL": server.url}),
        Case("serve --port 70000", ["serve", "--port", "70000"]),
        Case(f"serve --port {busy_port} (busy)", ["serve", "--port", str(busy_port)]),
        Case("connection refused", listing, "code 3", refused_url),
        Case("connection refused --debug", ["--debug", *listing], "any", refused_url, debug_keeps_code(3)),
        Case("missing key", listing, "code 2", {"NOTTE_API_URL": server.url}),
        Case("missing key --debug", ["--debug", *listing], "any", {"NOTTE_API_URL": server.url}, debug_keeps_code(2)),
    ]


def library_cases() -> dict[str, Callable[[NotteTestServer], object]]:
    def listing(**options: Any) -> Callable[[NotteTestServer], object]:
        def call(server: NotteTestServer) -> object:
            with NotteClient(server.api_key, base_url=server.url) as client:
                return client.functions.list_runs(FN, **options).to_list()

        return call

    def client(**options: Any) -> Callable[[NotteTestServer], object]:
        def call(server: NotteTestServer) -> object:
            arguments = {"api_key": server.api_key, "base_url": server.url, **options}
            with NotteClient(**arguments) as built:
                return built.functions.list_runs_page(FN)

        return call

    return {
        "limit='5'": listing(limit="5"),
        "page_size=50.0": listing(page_size=50.0),
        "api_key=123": client(api_key=123),
        "base_url=123": client(base_url=123),
        "timeout=nan": client(timeout=math.nan),
        "timeout=inf": client(timeout=math.inf),
    }


def run_library_case(call: Callable[[NotteTestServer], object], server: NotteTestServer) -> tuple[str | None, str, int]:
    """What is wrong (None: refused with a NotteError before any request), the error, requests sent."""
    before = len(server.requests)
    wrong: str | None
    try:
        call(server)
        wrong, last = "accepted", ""
    except NotteError as error:
        wrong, last = None, f"{type(error).__name__}: {error}"[:70]
    except Exception as error:  # what the case is about: any other exception is the failure
        wrong, last = type(error).__name__, str(error)[:70]
    sent = len(server.requests) - before
    return wrong or (f"{sent} requests sent" if sent else None), last, sent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--rss-limit-mb", type=float, default=400.0)
    args = parser.parse_args()
    failures = 0
    print(f"{'case':<44} {'exit':>4} {'s':>6} {'MB':>5} {'req':>4} {'stdout':>7}  verdict / stderr")
    with (
        NotteTestServer() as server,
        endless_server() as endless_url,
        tempfile.TemporaryDirectory() as scratch,
        socket.socket() as busy,
    ):
        server.add_function(FN, runs=RUNS)
        bomb = Path(scratch, "bomb.yaml")
        bomb.write_text(alias_bomb())
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        for case in cli_cases(server, endless_url, bomb, busy.getsockname()[1]):
            outcome = run_cli(case.argv, case.env, args.time_limit, lambda: len(server.requests))
            wrong = verdict(case, outcome, args.time_limit, args.rss_limit_mb)
            failures += wrong is not None
            last = (outcome.stderr.strip().splitlines() or [""])[-1][:70]
            code = "kill" if outcome.code is None else str(outcome.code)
            print(
                f"{case.name:<44} {code:>4} {outcome.seconds:6.2f} {outcome.rss_mb:5.0f} {outcome.requests:>4} "
                f"{outcome.stdout_bytes:>7}  "
                f"{'FAIL ' + wrong if wrong else 'ok'}: {last}"
            )
        for name, call in library_cases().items():
            wrong, last, sent = run_library_case(call, server)
            failures += wrong is not None
            status = f"FAIL {wrong}" if wrong else "ok"
            print(f"{'library ' + name:<44} {'':>4} {'':>6} {'':>5} {sent:>4} {'':>7}  {status}: {last}")
    print(f"{failures} failed" if failures else "all passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
