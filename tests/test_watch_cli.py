"""`notte-ext runs watch` through its real entry point, real short intervals, against the local server."""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import click
import pytest

from notte_ext.testing import EndlessPages, InsertRuns, Match, NotteTestServer, make_run
from notte_ext.testing.exchange import Reply
from notte_ext.testing.faults import FaultContext
from notte_ext.watch import DEFAULT_MAX_TRACKED_RUNS
from tests.drift.hostile import MEASURE_PEAK_RSS
from tests.test_cli import CLI, notte_ext

FN = "fn-watch"


class ClockFromTheFirstPoll:
    """The store's clock, standing still until the CLI's first poll was answered: the runs finish a
    second into the watch however long the CLI took to start (seconds, on a loaded machine)."""

    def __init__(self, server: NotteTestServer) -> None:
        self.server, self.frozen = server, datetime.now(UTC)
        self.started: float | None = None

    def __call__(self) -> datetime:
        if self.started is None:
            if not self.server.requests:
                return self.frozen
            self.started = time.monotonic()
        return self.frozen + timedelta(seconds=time.monotonic() - self.started)


def staged(server: NotteTestServer) -> None:
    """20 active runs finishing from 1 s (after the CLI's first poll) over ~0.6 s; runs 5, 11, 17 fail."""
    server.store.clock = ClockFromTheFirstPoll(server)
    server.add_function(FN)
    for i in range(20):
        server.add_run(FN, finishes_after=1 + 0.03 * i, final_status="failed" if i % 6 == 5 else "closed")


def events(stdout: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in stdout.splitlines()]


def test_exit_on_failed_exits_1_right_after_the_first_failure(notte_server: NotteTestServer) -> None:
    staged(notte_server)
    result = notte_ext(
        "runs", "watch", FN, "--interval", "0.5", "--until-idle", "--exit-on", "failed", server=notte_server
    )
    assert result.returncode == 1, result.stderr
    lines = events(result.stdout)
    assert lines[-1]["event"] == "status_changed"
    assert lines[-1]["new_status"] == "failed"
    assert [line["new_status"] for line in lines if line["event"] == "status_changed"].count("failed") == 1
    assert sum(line["event"] == "status_changed" for line in lines) < 20
    assert result.stderr == ""  # no progress when stderr is not a terminal


def test_until_idle_exits_0_once_all_are_done(notte_server: NotteTestServer) -> None:
    staged(notte_server)
    result = notte_ext("runs", "watch", FN, "--interval", "0.5", "--until-idle", server=notte_server)
    assert result.returncode == 0, result.stderr
    lines = events(result.stdout)
    assert sum(line["event"] == "appeared" for line in lines) == 20
    finals = [str(line["new_status"]) for line in lines if line["event"] == "status_changed"]
    assert sorted(finals) == ["closed"] * 17 + ["failed"] * 3


def test_timeout_exits_4(notte_server: NotteTestServer) -> None:
    notte_server.add_function(FN)
    notte_server.add_run(FN, status="active")  # never finishes
    result = notte_ext(
        "runs",
        "watch",
        FN,
        "--interval",
        "0.5",
        "--until-idle",
        "--for",
        "1",
        "--timeout",  # the per-request timeout, as for every command
        "10",
        "--format",
        "table",
        server=notte_server,
    )
    assert result.returncode == 4, result.stderr
    assert "timeout" in result.stderr
    assert "1 run(s) still active" in result.stderr
    assert "appeared" in result.stdout


@dataclass
class Watched:
    returncode: int
    stdout_lines: int
    stderr: str
    seconds: float
    peak_rss_mb: float


def watch_measured(server: NotteTestServer, tmp_path: Path, *args: str, cap: float = 60) -> Watched:
    """`notte-ext runs watch FN ... --format table` with its wall time and its own peak RSS; stdout goes
    to a file: an endless watch may print 100,000 lines. Started from a small interpreter that forks it
    (tests/drift/hostile.py's MEASURE_PEAK_RSS): Linux hands a process the peak RSS of the image it
    replaced, and forked from pytest it would weigh what pytest weighs (333 MB once, in a full run)."""
    out, err, measured = tmp_path / "stdout", tmp_path / "stderr", tmp_path / "measured"
    command = [CLI, "--api-key", server.api_key, "--base-url", server.url, "--max-retries", "0"]
    started = time.monotonic()
    with out.open("wb") as stdout, err.open("wb") as stderr:
        process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                MEASURE_PEAK_RSS,
                str(measured),
                *command,
                "runs",
                "watch",
                FN,
                "--format",
                "table",
                *args,
            ],
            stdout=stdout,
            stderr=stderr,
            env={"PATH": ""},
            start_new_session=True,
        )
        try:
            process.wait(timeout=cap)
        except subprocess.TimeoutExpired:  # a watch that ignores its bounds fails here, not the whole run
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    seconds = time.monotonic() - started
    code, peak_kib = (int(n) for n in measured.read_text().split()) if measured.exists() else (-9, 0)
    with out.open("rb") as lines:
        count = sum(1 for _ in lines)
    return Watched(code, count, err.read_text(), seconds, peak_kib / 1024)


@dataclass
class FreshActiveRuns:
    """Every page of the active listing: 100 active runs never listed before, and has_next. An
    endless active listing that keeps the store empty, so serving 1,000 pages stays cheap (adding
    the runs to the store would make each page slower than the last)."""

    template: dict[str, Any] = field(default_factory=lambda: make_run(FN, status="active"))
    ids: itertools.count[int] = field(default_factory=itertools.count)

    def apply(self, reply: Reply, context: FaultContext) -> None:
        assert isinstance(reply.body, dict)
        reply.body["items"] = [{**self.template, "function_run_id": f"r-{next(self.ids)}"} for _ in range(100)]
        reply.body["has_next"] = True


def test_for_ends_a_poll_whose_pages_never_end_with_exit_4(notte_server: NotteTestServer, tmp_path: Path) -> None:
    notte_server.add_function(FN)
    notte_server.add_runs(FN, [{"status": "active"} for _ in range(100)])
    notte_server.faults.add(EndlessPages(), InsertRuns(200), times=None, match=Match(function_id=FN))
    watched = watch_measured(notte_server, tmp_path, "--for", "1", cap=30)
    assert watched.returncode == 4, watched.stderr
    assert watched.stderr.startswith("Timeout: ")
    assert "1 s timeout" in watched.stderr
    assert watched.stderr.count("\n") == 1
    assert watched.seconds < 8  # 1 s, the CLI's start (~0.5 s) and one request, with room for a loaded machine
    assert watched.stdout_lines == 100 * len(notte_server.requests)  # every run read was printed


def test_the_tracked_runs_bound_ends_an_endless_active_listing_with_exit_1(
    notte_server: NotteTestServer, tmp_path: Path
) -> None:
    """The real default bound (no option lowers it from the CLI): 100,000 runs, ~10 s."""
    notte_server.add_function(FN)
    only_active = Match(predicate=lambda request: request.query.get("only_active") == "true")
    notte_server.faults.add(FreshActiveRuns(), times=None, match=only_active)
    watched = watch_measured(notte_server, tmp_path)
    assert watched.returncode == 1, watched.stderr
    assert watched.stderr == (
        f"Error: watching runs of function {FN!r}: more than {DEFAULT_MAX_TRACKED_RUNS} runs active at once "
        "(max_tracked_runs), far more than a function runs; stopped rather than hold them all or skip some "
        "(is the API's active listing endless?)\n"
    )
    assert watched.stdout_lines == DEFAULT_MAX_TRACKED_RUNS  # each run up to the bound was printed
    assert len(notte_server.requests) == DEFAULT_MAX_TRACKED_RUNS // 100 + 1
    assert watched.peak_rss_mb < 250  # the README's figure (measured ~140 MB); unbounded, it grew past 400 MB in 30 s


@pytest.mark.parametrize("interval", ["1e-9", "0.1", "nan", "inf", "-1"])
def test_an_interval_below_the_floor_is_a_usage_error(interval: str) -> None:
    result = notte_ext(
        "runs", "watch", FN, "--interval", interval, "--api-key", "k", "--base-url", "http://127.0.0.1:9"
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("Error: Invalid value for '--interval'")


def test_every_option_has_help() -> None:
    from notte_ext.cli.watch import watch

    options = [param for param in watch.params if isinstance(param, click.Option)]
    assert {"--interval", "--for", "--timeout", "--until-idle"} <= {name for o in options for name in o.opts}
    assert [o.opts for o in options if not (o.help or "").strip()] == []
    assert notte_ext("runs", "watch", "--help").stdout.count("Seconds between polls") == 1
