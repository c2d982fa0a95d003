"""Watching runs over real HTTP: the sleep hook advances a clock shared with the server, so runs
"finish seconds later" without the test waiting; one test uses real short intervals."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from notte_ext import AsyncNotteClient, NotteClient, NotteError, ServerError, TooManyActiveRunsError
from notte_ext.testing import EndlessPages, InsertRuns, Match, NotteTestServer, Status
from notte_ext.watch import (
    DEFAULT_MAX_TRACKED_RUNS,
    RunAppeared,
    RunStatusChanged,
    RunVanished,
    WatchEvent,
    WatchSettings,
    WatchTimeoutError,
)

FN = "fn-watch"


class Clock:
    """One fake time for the server's store (datetimes) and the watcher (monotonic seconds)."""

    def __init__(self) -> None:
        self.now = datetime(2026, 6, 1, tzinfo=UTC)
        self.sleeps: list[float] = []

    def wall(self) -> datetime:
        return self.now

    def monotonic(self) -> float:
        return (self.now - datetime(2026, 1, 1, tzinfo=UTC)).total_seconds()

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += timedelta(seconds=seconds)


def summary(events: list[WatchEvent]) -> list[tuple[Any, ...]]:
    return [(type(e).__name__, e.run.function_run_id, getattr(e, "old_status", None), e.status) for e in events]


def staged(server: NotteTestServer, clock: Clock, count: int = 20) -> dict[str, str]:
    """``count`` active runs finishing over ~5 s, every fourth one failed; returns id -> final status."""
    server.store.clock = clock.wall
    server.add_function(FN)
    finals = {}
    for i in range(count):
        final = "failed" if i % 4 == 3 else "closed"
        run = server.add_run(
            FN, created_at=clock.now - timedelta(minutes=i), finishes_after=0.25 * (i + 1), final_status=final
        )
        finals[run["function_run_id"]] = final
    return finals


def test_until_idle_reports_each_run_once_then_its_final_status(notte_server: NotteTestServer) -> None:
    clock = Clock()
    finals = staged(notte_server, clock)
    with NotteClient(notte_server.api_key, base_url=notte_server.url) as client:
        events = list(
            client.functions.watch_runs(FN, interval=0.5, until_idle=True, clock=clock.monotonic, sleep=clock.sleep)
        )
    appeared = [e.run.function_run_id for e in events if isinstance(e, RunAppeared)]
    changed = {e.run.function_run_id: e.new_status.value for e in events if isinstance(e, RunStatusChanged)}
    assert sorted(appeared) == sorted(finals)
    assert changed == finals
    assert len(events) == 2 * len(finals)
    assert all(0.45 <= pause <= 0.55 for pause in clock.sleeps)
    assert len(set(clock.sleeps)) > 1  # jittered
    # A finished run's updated_at is when its status changed.
    last = next(e for e in reversed(events) if isinstance(e, RunStatusChanged))
    assert last.run.updated_at > last.run.created_at


def test_a_quiet_poll_costs_two_requests(notte_server: NotteTestServer) -> None:
    clock = Clock()
    staged(notte_server, clock, count=2)
    notte_server.add_runs(
        FN, [{"status": "closed", "created_at": clock.now - timedelta(days=d)} for d in range(1, 300)]
    )
    with NotteClient(notte_server.api_key, base_url=notte_server.url) as client:
        list(client.functions.watch_runs(FN, interval=1, until_idle=True, clock=clock.monotonic, sleep=clock.sleep))
    polls = len(clock.sleeps) + 1
    assert len(notte_server.requests) == 2 * polls


def test_timeout_is_a_typed_error_after_the_events(notte_server: NotteTestServer) -> None:
    clock = Clock()
    staged(notte_server, clock, count=8)  # the last finishes after 2 s
    seen: list[WatchEvent] = []
    with NotteClient(notte_server.api_key, base_url=notte_server.url) as client:
        watching = client.functions.watch_runs(
            FN, interval=0.5, until_idle=True, timeout=1.6, clock=clock.monotonic, sleep=clock.sleep
        )
        with pytest.raises(WatchTimeoutError) as caught:
            seen.extend(watching)
    finished = sum(isinstance(e, RunStatusChanged) for e in seen)
    assert 2 <= finished < 8  # runs finish every 0.25 s: some, not all, within 1.6 s
    assert caught.value.active_runs == 8 - finished
    # Each sleep moves the fake clock by a timedelta, rounded to its 1 µs resolution: the waits add
    # up to the timeout within that much per sleep (1.0000011 s was seen with 6 jittered sleeps).
    assert sum(clock.sleeps) == pytest.approx(1.6, abs=1e-6 * len(clock.sleeps))


def page_boundary_scenario(server: NotteTestServer, clock: Clock) -> tuple[dict[str, str], set[str], list[Any]]:
    """250 old runs (page 3 holds an active one that later fails), then 150 new runs arrive."""
    server.store.clock = clock.wall
    server.add_function(FN)
    old = server.add_runs(
        FN, [{"status": "closed", "created_at": clock.now - timedelta(hours=h + 1)} for h in range(250)]
    )
    deep = old[230]["function_run_id"]  # page 3 of 100, newest first
    server.update_run(FN, deep, status="active")
    finals = {deep: "failed"}
    new_ids: set[str] = set()
    steps = []

    def arrive(batch: int) -> None:
        for i in range(75):
            active = i % 5 == 0
            run = server.add_run(
                FN,
                created_at=clock.now + timedelta(microseconds=i),  # many per poll, more than a page in all
                status="active" if active else "closed",
                finishes_after=0.6 if active else None,
            )
            new_ids.add(run["function_run_id"])
            if active:
                finals[run["function_run_id"]] = "closed"

    steps = [lambda: arrive(0), lambda: arrive(1), lambda: server.update_run(FN, deep, status="failed")]
    return finals, new_ids, steps


def scripted_sleep(clock: Clock, steps: list[Any]) -> Any:
    def sleep(seconds: float) -> None:
        clock.sleep(seconds)
        if steps:
            steps.pop(0)()

    return sleep


def check_boundary_events(events: list[WatchEvent], finals: dict[str, str], new_ids: set[str], deep: str) -> None:
    appeared = [e.run.function_run_id for e in events if isinstance(e, RunAppeared)]
    changed = [(e.run.function_run_id, e.new_status.value) for e in events if isinstance(e, RunStatusChanged)]
    assert sorted(appeared) == sorted(new_ids | {deep})  # each once; the page-3 run as the initial snapshot
    assert sorted(changed) == sorted(finals.items())  # each transition once, with its final status
    assert not any(isinstance(e, RunVanished) for e in events)


def test_across_page_boundaries_every_run_and_transition_once(notte_server: NotteTestServer) -> None:
    clock = Clock()
    finals, new_ids, steps = page_boundary_scenario(notte_server, clock)
    deep = next(iter(finals))
    with NotteClient(notte_server.api_key, base_url=notte_server.url) as client:
        events = list(
            client.functions.watch_runs(
                FN, interval=0.5, jitter=0, until_idle=True, clock=clock.monotonic, sleep=scripted_sleep(clock, steps)
            )
        )
    check_boundary_events(events, finals, new_ids, deep)


def test_sync_and_async_yield_the_same_events(notte_server: NotteTestServer) -> None:
    runs: dict[str, list[Any]] = {}
    for mode in ("sync", "async"):
        notte_server.reset()
        clock = Clock()
        finals, new_ids, steps = page_boundary_scenario(notte_server, clock)
        options: dict[str, Any] = {"interval": 0.5, "jitter": 0, "until_idle": True, "clock": clock.monotonic}
        options["sleep"] = scripted_sleep(clock, steps)
        if mode == "sync":
            with NotteClient(notte_server.api_key, base_url=notte_server.url) as client:
                events = list(client.functions.watch_runs(FN, **options))
        else:

            async def collect(options: dict[str, Any] = options) -> list[WatchEvent]:
                async with AsyncNotteClient(notte_server.api_key, base_url=notte_server.url) as client:
                    return [event async for event in client.functions.watch_runs(FN, **options)]

            events = asyncio.run(collect())
        check_boundary_events(events, finals, new_ids, next(iter(finals)))
        # Ids are random per scenario: compare the events' shapes in order, keyed by creation order.
        order = {
            run.body["function_run_id"]: i
            for i, run in enumerate(notte_server.store.listing(FN, only_active=False, token=None) or [])
        }
        runs[mode] = [(kind, order[run_id], old, new) for kind, run_id, old, new in summary(events)]
    assert runs["sync"] == runs["async"]


def test_a_tracked_run_that_disappears_is_reported_vanished(notte_server: NotteTestServer) -> None:
    clock = Clock()
    staged(notte_server, clock, count=1)

    def forget_every_run() -> None:
        notte_server.store.clear()
        notte_server.add_function(FN)

    steps = [forget_every_run]
    with NotteClient(notte_server.api_key, base_url=notte_server.url) as client:
        events = list(
            client.functions.watch_runs(FN, until_idle=True, clock=clock.monotonic, sleep=scripted_sleep(clock, steps))
        )
    assert [type(e) for e in events] == [RunAppeared, RunVanished]


def test_real_shortest_intervals(notte_server: NotteTestServer) -> None:
    notte_server.add_function(FN)
    for i in range(3):
        notte_server.add_run(FN, finishes_after=0.3 + 0.05 * i, final_status="failed")
    with NotteClient(notte_server.api_key, base_url=notte_server.url) as client:
        events = list(client.functions.watch_runs(FN, interval=0.5, until_idle=True, timeout=5))
    assert [e.status.value for e in events if isinstance(e, RunStatusChanged)] == ["failed"] * 3


def test_failed_polls_back_off_with_jitter_then_the_watch_goes_on(notte_server: NotteTestServer) -> None:
    clock = Clock()
    finals = staged(notte_server, clock, count=60)  # finishing from 0.25 s to 15 s
    steps = [lambda: notte_server.faults.add(Status(503), times=3)]  # the three polls after the first fail
    with NotteClient(notte_server.api_key, base_url=notte_server.url, max_retries=0) as client:
        events = list(
            client.functions.watch_runs(
                FN, interval=0.5, until_idle=True, clock=clock.monotonic, sleep=scripted_sleep(clock, steps)
            )
        )
    appeared = [e.run.function_run_id for e in events if isinstance(e, RunAppeared)]
    changed = [(e.run.function_run_id, e.new_status.value) for e in events if isinstance(e, RunStatusChanged)]
    assert sorted(appeared) == sorted(finals)  # the first poll: every run active
    assert sorted(changed) == sorted(finals.items())  # each final status, once
    interval, first, second, third = clock.sleeps[:4]  # 1-2, 2-4, then 4-8 intervals: each failure doubles it
    assert 0.45 <= interval <= 0.55
    assert 0.5 <= first <= 1.0
    assert 1.0 <= second <= 2.0
    assert 2.0 <= third <= 4.0
    assert all(0.45 <= pause <= 0.55 for pause in clock.sleeps[4:])  # polls succeed: the interval again


def test_a_first_poll_that_fails_ends_the_watch_at_once(notte_server: NotteTestServer) -> None:
    clock = Clock()
    staged(notte_server, clock, count=2)
    notte_server.faults.add(Status(503), times=1)
    client = NotteClient(notte_server.api_key, base_url=notte_server.url, max_retries=0)
    with client, pytest.raises(ServerError):
        list(client.functions.watch_runs(FN, clock=clock.monotonic, sleep=clock.sleep))
    assert clock.sleeps == []  # a wrong URL or a down API is said at once


def test_five_failed_polls_in_a_row_end_the_watch_with_the_error(notte_server: NotteTestServer) -> None:
    clock = Clock()
    staged(notte_server, clock, count=2)
    steps = [lambda: notte_server.faults.add(Status(503), times=None)]  # every poll after the first fails
    with NotteClient(notte_server.api_key, base_url=notte_server.url, max_retries=0) as client:
        watching = client.functions.watch_runs(
            FN, interval=1, clock=clock.monotonic, sleep=scripted_sleep(clock, steps)
        )
        with pytest.raises(ServerError):
            list(watching)
    assert [request.status for request in notte_server.requests] == [200, 200] + [503] * 5
    assert len(clock.sleeps) == 5  # the interval, then 4 backoffs
    assert all(pause <= 60 for pause in clock.sleeps)


def endless_active_listing(server: NotteTestServer, runs: int = 100) -> None:
    """An active listing whose pages never end, like a server that says has_next forever: every page
    says has_next, and after each one 200 active runs newer than all arrive, so the next page holds
    100 runs not read yet (200, not 100: with 100 it would hold the same runs again, and the watch
    would stop at once for lack of progress)."""
    server.add_function(FN)
    server.add_runs(FN, [{"status": "active"} for _ in range(runs)])
    server.faults.add(EndlessPages(), InsertRuns(200), times=None, match=Match(function_id=FN))


def watch_until_error(server: NotteTestServer, mode: str, **options: Any) -> tuple[list[WatchEvent], NotteError]:
    """The events a watch yields (sync or async), and the error that ends it."""
    events: list[WatchEvent] = []

    async def collect() -> None:
        async with AsyncNotteClient(server.api_key, base_url=server.url) as client:
            async for event in client.functions.watch_runs(FN, **options):
                events.append(event)

    try:
        if mode == "sync":
            with NotteClient(server.api_key, base_url=server.url) as client:
                events.extend(client.functions.watch_runs(FN, **options))
        else:
            asyncio.run(collect())
    except NotteError as error:
        return events, error
    raise AssertionError(f"the watch ended without an error after {len(events)} events")


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_poll_whose_pages_never_end_stops_at_the_timeout(notte_server: NotteTestServer, mode: str) -> None:
    endless_active_listing(notte_server)
    # Every request "takes" 0.1 s: a 3 s timeout passes after the 30th page, in the middle of the
    # first poll. max_pages=100 (not the 10,000 default) so that a watch checking the timeout only
    # between polls fails fast here, with PaginationError, instead of paging on for minutes.
    events, error = watch_until_error(
        notte_server, mode, timeout=3, max_pages=100, clock=lambda: 0.1 * len(notte_server.requests)
    )
    assert isinstance(error, WatchTimeoutError), error
    assert len(notte_server.requests) == 30  # the timeout is checked after each page, no page more
    assert all(request.query.get("only_active") == "true" for request in notte_server.requests)
    assert len(events) == 30 * 100  # every run of every page read was reported before the error
    assert all(isinstance(event, RunAppeared) for event in events)
    assert error.active_runs == 30 * 100
    assert "3 s timeout" in str(error)


def test_a_poll_whose_pages_never_end_stops_at_the_timeout_in_real_time(notte_server: NotteTestServer) -> None:
    endless_active_listing(notte_server)
    started = time.monotonic()
    events, error = watch_until_error(notte_server, "sync", timeout=1, max_pages=2000)
    elapsed = time.monotonic() - started
    assert isinstance(error, WatchTimeoutError), error
    assert 1 <= elapsed < 2  # the timeout plus one request (a few ms here), with room for a loaded machine
    assert len(events) == len(notte_server.requests) * 100


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_more_active_runs_than_the_bound_end_the_watch_with_a_typed_error(
    notte_server: NotteTestServer, mode: str
) -> None:
    notte_server.add_function(FN)
    notte_server.add_runs(FN, [{"status": "active"} for _ in range(300)])
    clock = Clock()  # the timeout only ends a watch that ignores the bound (it would poll forever)
    events, error = watch_until_error(
        notte_server, mode, max_tracked_runs=250, timeout=10, clock=clock.monotonic, sleep=clock.sleep
    )
    assert isinstance(error, TooManyActiveRunsError), error
    assert error.limit == 250
    assert "more than 250 runs active at once (max_tracked_runs)" in str(error)
    assert "\n" not in str(error)
    # The runs up to the bound were reported, then the error: none dropped quietly.
    assert len(events) == 250
    assert all(isinstance(event, RunAppeared) for event in events)
    assert len(notte_server.requests) == 3  # pages 1 to 3 of the active listing; the third passed the bound


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_an_endless_active_listing_ends_at_the_bound_without_a_timeout(
    notte_server: NotteTestServer, mode: str
) -> None:
    endless_active_listing(notte_server)
    events, error = watch_until_error(notte_server, mode, max_tracked_runs=1000, max_pages=100)
    assert isinstance(error, TooManyActiveRunsError), error
    assert len(events) == 1000
    assert len(notte_server.requests) == 11  # 10 pages fill the bound, the 11th's first run passes it


def test_a_new_active_run_past_the_bound_in_the_full_listing_ends_the_watch(notte_server: NotteTestServer) -> None:
    clock = Clock()
    notte_server.add_function(FN)
    notte_server.add_runs(FN, [{"status": "active", "created_at": clock.now - timedelta(minutes=1)}] * 5)
    # Second poll: a run starts right after the active listing was read, so the full listing is where
    # it is first seen (as a new run) -- the sixth active one, past a bound of 5.
    only_active = Match(predicate=lambda request: request.query.get("only_active") == "true")
    steps = [lambda: notte_server.faults.add(InsertRuns(1), times=1, match=only_active)]
    with NotteClient(notte_server.api_key, base_url=notte_server.url) as client:
        watching = client.functions.watch_runs(
            FN, max_tracked_runs=5, timeout=10, clock=clock.monotonic, sleep=scripted_sleep(clock, steps)
        )
        seen: list[WatchEvent] = []
        with pytest.raises(TooManyActiveRunsError):
            seen.extend(watching)
    assert len(seen) == 5
    assert [request.query.get("only_active") for request in notte_server.requests] == ["true", "false"] * 2


def test_the_bound_is_100_000_active_runs_by_default_and_can_only_be_lowered() -> None:
    assert DEFAULT_MAX_TRACKED_RUNS == 100_000
    assert WatchSettings(FN).max_tracked_runs == DEFAULT_MAX_TRACKED_RUNS
    assert WatchSettings(FN, max_tracked_runs=1).max_tracked_runs == 1


BAD_OPTIONS = [
    {"interval": 0},
    {"interval": True},
    {"interval": 1e-9},  # below the floor: 216 requests in 2 s
    {"interval": 0.49},
    {"interval": float("nan")},
    {"interval": "2"},
    {"timeout": -1},
    {"timeout": float("nan")},
    {"timeout": float("inf")},
    {"timeout": 10**400},  # no float holds it: the deadline would overflow
    {"jitter": 1},
    {"max_failed_polls": 0},
    {"max_failed_polls": 2.0},
    {"max_tracked_runs": 0},
    {"max_tracked_runs": 100_001},  # past the documented memory bound
    {"max_tracked_runs": 1000.0},
]


@pytest.mark.parametrize("options", BAD_OPTIONS)
def test_bad_options_are_refused_before_any_request(notte_server: NotteTestServer, options: dict[str, Any]) -> None:
    from notte_ext import InvalidArgumentError

    with NotteClient(notte_server.api_key, base_url=notte_server.url) as client, pytest.raises(InvalidArgumentError):
        client.functions.watch_runs(FN, **options)
    assert notte_server.requests == []
