"""Fault soak: 5,000 runs listed through a seeded storm of 429/502/503/504, resets and latency.

The listing must equal the fault-free one exactly (no loss, no duplicate, same order), sync
one page at a time, and sync and async with prefetch=4; retries sleep nothing (the policy's `sleep`
records the waits instead).
And what must not be retried (500, 401, 422) surfaces as its typed error after one request.

SOAK_SEEDS / SOAK_RUNS (environment) widen it: `make proof` runs ten seeds over 50,000 runs.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from notte_ext import (
    AsyncNotteClient,
    AuthenticationError,
    FunctionRun,
    NotteClient,
    NotteError,
    RequestValidationError,
    RetryPolicy,
    ServerError,
)
from notte_ext._listings import list_runs_endpoint
from notte_ext.functions import RunsPage
from notte_ext.testing import DropConnection, Latency, NotteTestServer, RandomFaults, RecordedRequest, Status
from notte_ext.testing.data import generate_runs
from tests.settle import settle_page_ahead

FUNCTION_ID = "fn-soak"
RUNS = int(os.environ.get("SOAK_RUNS", "5000"))
# Seed 7: within the 50 pages of the default soak, its schedule draws every one of the six kinds
# (with 500 pages, any seed does).
SEEDS = [int(seed) for seed in os.environ.get("SOAK_SEEDS", "7").split(",")]
FAULT_RATE = 0.2
# P(11 faults in a row) = 0.2**11 ~ 2e-8 per page: never, for any seed we run.
MAX_RETRIES = 10
PAGE_SIZE = 100
RETRIED = {429, 502, 503, 504, None}  # None: the connection was dropped before any response


def _ids(runs: list[FunctionRun]) -> list[str]:
    return [run.function_run_id for run in runs]


def _faults_seen(requests: list[RecordedRequest]) -> Counter[str]:
    kinds: Counter[str] = Counter()
    for request in requests:
        for effect in request.faults:
            kinds[f"{type(effect).__name__}({getattr(effect, 'status', '')})".replace("()", "")] += 1
    return kinds


@pytest.fixture(scope="module")
def soak_server() -> Any:
    with NotteTestServer() as server:
        # Newest run a day old: page-ahead keeps the pages it sends with page 1. (With a run
        # created in the last minutes it asks for them again after page 1, and a superseded
        # request may fail without being retried; tests/test_page_ahead.py covers that path.)
        server.add_function(FUNCTION_ID)
        a_day_ago = datetime.now(UTC) - timedelta(days=1)
        server.store.add(FUNCTION_ID, generate_runs(FUNCTION_ID, RUNS, now=a_day_ago), server.api_key)
        yield server


@pytest.fixture(scope="module")
def fault_free(soak_server: NotteTestServer) -> list[str]:
    soak_server.faults.random = None
    with NotteClient(soak_server.api_key, base_url=soak_server.url) as client:
        ids = _ids(client.functions.list_runs(FUNCTION_ID).to_list())
    # Set up inside the first soak test: its pages asked for ahead must be answered before that test
    # turns the storm on, or they meet it and look like the test's own unretried failures.
    settle_page_ahead()
    assert len(ids) == len(set(ids)) == RUNS
    return ids


def _sync_listing(server: NotteTestServer, policy: RetryPolicy, prefetch: int = 0) -> list[FunctionRun]:
    with NotteClient(server.api_key, base_url=server.url, retry=policy) as client:
        return client.functions.list_runs(FUNCTION_ID, page_size=PAGE_SIZE, prefetch=prefetch).to_list()


def _sync_prefetch_listing(server: NotteTestServer, policy: RetryPolicy) -> list[FunctionRun]:
    return _sync_listing(server, policy, prefetch=4)


def _async_listing(server: NotteTestServer, policy: RetryPolicy) -> list[FunctionRun]:
    async def listing() -> list[FunctionRun]:
        async with AsyncNotteClient(server.api_key, base_url=server.url, retry=policy) as client:
            return await client.functions.list_runs(FUNCTION_ID, page_size=PAGE_SIZE, prefetch=4).to_list()

    return asyncio.run(listing())


LISTINGS: dict[str, Callable[[NotteTestServer, RetryPolicy], list[FunctionRun]]] = {
    "sync": _sync_listing,
    "sync-prefetch-4": _sync_prefetch_listing,
    "async-prefetch-4": _async_listing,
}


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("listing", LISTINGS)
def test_listing_through_a_fault_storm_equals_the_fault_free_listing(
    soak_server: NotteTestServer, fault_free: list[str], listing: str, seed: int
) -> None:
    soak_server.clear()
    soak_server.faults.random = RandomFaults(seed=seed, rate=FAULT_RATE)
    waits: list[float] = []
    started = time.monotonic()
    try:
        runs = LISTINGS[listing](soak_server, RetryPolicy(max_retries=MAX_RETRIES, sleep=waits.append))
    finally:
        soak_server.faults.random = None
    elapsed = time.monotonic() - started
    requests = soak_server.requests

    assert _ids(runs) == fault_free  # no loss, no duplicate, same order
    failed = [request for request in requests if request.status in RETRIED]
    kinds = _faults_seen(requests)
    assert set(kinds) == {"Status(429)", "Status(502)", "Status(503)", "Status(504)", "DropConnection", "Latency"}
    assert len(failed) >= 0.1 * len(requests), kinds  # the storm really blew (~1 in 6 requests fails)
    # Every failure of a page the listing needed was asked for again: retried by the transport,
    # its wait recorded, not slept, or (a 429 or 503 on a page asked for ahead) by the listing,
    # which backs off as a whole (notte_ext._pace). Requests sent ahead past the last page are
    # cancelled once the listing ends, possibly between a failure and its retry.
    last_page = -(-RUNS // PAGE_SIZE)
    for index, request in enumerate(requests):
        if request.status in RETRIED and int(request.query["page"]) <= last_page:
            assert any(later.query["page"] == request.query["page"] for later in requests[index + 1 :]), request
    assert len(waits) <= len(failed)
    if listing == "sync":  # nothing speculative: every request was needed, every retry the transport's
        assert len(waits) == len(failed)
    assert all(0 <= wait <= RetryPolicy().max_wait for wait in waits)
    assert elapsed < 60
    assert not soak_server.violations


def test_a_500_is_a_server_error_at_once(server: NotteTestServer) -> None:
    server.faults.add(Status(500, detail="boom"), times=None)
    _assert_raised_after_one_request(server, ServerError, "HTTP 500 Internal Server Error: boom")


def test_a_401_is_an_authentication_error_at_once(server: NotteTestServer) -> None:
    _assert_raised_after_one_request(server, AuthenticationError, "HTTP 401 Unauthorized", api_key="sk-wrong")


def test_a_422_is_a_request_validation_error_at_once(server: NotteTestServer) -> None:
    # page=0: the spec says page >= 1; list_runs_page refuses it before any request, the generated call sends it.
    error = _assert_raised_after_one_request(server, RequestValidationError, "page: Input should be", page=0)
    assert [list(e.loc) for e in error.errors] == [["query", "page"]]


def _assert_raised_after_one_request(
    server: NotteTestServer, expected: type[NotteError], message: str, *, api_key: str | None = None, page: int = 1
) -> Any:
    waits: list[float] = []
    policy = RetryPolicy(max_retries=MAX_RETRIES, sleep=waits.append)
    with (
        NotteClient(api_key or server.api_key, base_url=server.url, retry=policy) as client,
        pytest.raises(expected, match=message) as caught,
    ):
        # The generated call, as list_runs_page makes it, without its argument checks (page=0 gets through).
        client.send(list_runs_endpoint, RunsPage, function_id="fn-1", page=page, page_size=100, only_active=False)
    assert len(server.requests) == 1
    assert waits == []
    return caught.value


def test_latency_and_drops_alone_are_absorbed_too(server: NotteTestServer) -> None:
    """A reset before the response and a slow answer on the same page: retried, nothing lost."""
    server.faults.add(DropConnection(), times=2)
    server.faults.add(Latency(0.2), times=1)
    waits: list[float] = []
    runs = _sync_listing_of(server, "fn-1", RetryPolicy(max_retries=3, sleep=waits.append))
    assert len(runs) == 250
    assert [request.status for request in server.requests][:4] == [None, None, 200, 200]
    assert len(waits) == 2


def _sync_listing_of(server: NotteTestServer, function_id: str, policy: RetryPolicy) -> list[FunctionRun]:
    with NotteClient(server.api_key, base_url=server.url, retry=policy) as client:
        return client.functions.list_runs(function_id).to_list()
