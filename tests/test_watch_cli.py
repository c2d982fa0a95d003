"""`notte-ext runs watch` through its real entry point, real short intervals, against the local server."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import click
import pytest

from notte_ext.testing import NotteTestServer
from tests.test_cli import notte_ext

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
