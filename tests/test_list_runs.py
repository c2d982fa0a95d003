"""client.functions.list_runs over real HTTP: every page, right defaults, dedupe, guards, async prefetch."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest

from notte_ext import AsyncNotteClient, FunctionRun, NotteClient, PaginationError, RetryPolicy
from notte_ext.pagination import DEFAULT_PREFETCH
from notte_ext.testing import RUN_STATUSES, EndlessPages, InsertRuns, Match, NotteTestServer, Status
from tests.revision import listing_query
from tests.settle import settle_page_ahead

FUNCTION_ID = "fn-1"
NO_SLEEP = RetryPolicy(sleep=lambda _delay: None)


@pytest.fixture
def client(server: NotteTestServer) -> Iterator[NotteClient]:
    with NotteClient(server.api_key, base_url=server.url, retry=NO_SLEEP) as client:
        yield client


def ids(runs: list[FunctionRun]) -> list[str]:
    return [run.function_run_id for run in runs]


def raw_listing(http: httpx.Client, function_id: str = FUNCTION_ID) -> list[str]:
    """What the server holds, newest first, read with plain httpx."""
    found: list[str] = []
    page = 1
    while True:
        body = http.get(f"/functions/{function_id}/runs", params={"page": page, "page_size": 100, "only_active": False})
        found += [item["function_run_id"] for item in body.json()["items"]]
        if not body.json()["has_next"]:
            return found
        page += 1


def test_default_listing_is_complete_in_order_in_three_requests(
    client: NotteClient, server: NotteTestServer, http: httpx.Client
) -> None:
    expected = raw_listing(http)
    server.clear()
    runs = client.functions.list_runs(FUNCTION_ID, prefetch=0).to_list()  # page-ahead: tests/test_page_ahead.py
    assert len(expected) == 250
    assert ids(runs) == expected
    assert [r.query for r in server.requests] == [listing_query(page) for page in (1, 2, 3)]
    assert {run.status for run in runs} == set(RUN_STATUSES)  # every status the server holds: finished runs too


def test_running_only_sends_only_active_true(client: NotteClient, server: NotteTestServer) -> None:
    runs = client.functions.list_runs(FUNCTION_ID, running_only=True).to_list()
    assert runs
    assert {run.status for run in runs} == {"active"}
    assert {r.query["only_active"] for r in server.requests} == {"true"}


def test_runs_created_while_paging_cause_no_duplicate_and_no_loss(
    client: NotteClient, server: NotteTestServer, http: httpx.Client
) -> None:
    before = raw_listing(http)
    server.faults.add(InsertRuns(count=7), match=Match(page=1, page_size=100))
    runs = ids(client.functions.list_runs(FUNCTION_ID).to_list())
    assert len(runs) == len(set(runs))
    assert [run for run in runs if run in set(before)] == before  # every pre-existing run, in order


def test_endless_has_next_raises_pagination_error(client: NotteClient, server: NotteTestServer) -> None:
    server.faults.add(EndlessPages(), times=None)
    got: list[FunctionRun] = []
    with pytest.raises(PaginationError, match="page 4 was empty but the server says has_next"):
        got.extend(client.functions.list_runs(FUNCTION_ID, prefetch=0))
    assert len(got) == 250  # everything valid was yielded before the error
    assert len(server.requests) == 4


def test_503_on_page_two_is_retried_and_the_listing_completes(client: NotteClient, server: NotteTestServer) -> None:
    server.faults.add(Status(503), match=Match(page=2))
    assert len(client.functions.list_runs(FUNCTION_ID, prefetch=0).to_list()) == 250
    assert [(r.query["page"], r.status) for r in server.requests] == [("1", 200), ("2", 503), ("2", 200), ("3", 200)]


def test_filters_and_limit(client: NotteClient, server: NotteTestServer) -> None:
    everything = client.functions.list_runs(FUNCTION_ID).to_list()
    failed = client.functions.list_runs(FUNCTION_ID, status="failed").to_list()
    assert ids(failed) == [run.function_run_id for run in everything if run.status == "failed"]
    middle = everything[100].created_at
    recent = client.functions.list_runs(FUNCTION_ID, created_after=middle).to_list()
    assert ids(recent) == ids(everything[:101])
    settle_page_ahead()  # the pages those listings asked for past the end, before counting requests
    server.clear()
    assert ids(client.functions.list_runs(FUNCTION_ID, limit=5).to_list()) == ids(everything[:5])
    assert len(server.requests) == 1


def test_pages_expose_numbers_and_has_next(client: NotteClient) -> None:
    pages = list(client.functions.list_runs(FUNCTION_ID, page_size=100).pages())
    assert [(page.number, len(page.items), page.has_next) for page in pages] == [
        (1, 100, True),
        (2, 100, True),
        (3, 50, False),
    ]


@pytest.mark.parametrize("function_id", ["../x", "a/b", "q?x=1", "f#frag", "%2F", "é-函数", "a b"])
def test_hostile_function_ids_reach_the_server_as_one_segment(
    function_id: str, client: NotteClient, server: NotteTestServer
) -> None:
    server.add_function(function_id, runs=3)
    runs = client.functions.list_runs(function_id).to_list()
    assert {run.function_id for run in runs} == {function_id}
    assert server.requests[-1].function_id == function_id
    assert server.requests[-1].path == f"/functions/{function_id}/runs"


def test_async_prefetch_returns_exactly_the_sync_sequence(server: NotteTestServer) -> None:
    server.add_function("fn-big", runs=1234)
    with NotteClient(server.api_key, base_url=server.url) as client:
        expected = ids(client.functions.list_runs("fn-big").to_list())

    async def listing(prefetch: int) -> list[str]:
        async with AsyncNotteClient(server.api_key, base_url=server.url) as client:
            return ids(await client.functions.list_runs("fn-big", prefetch=prefetch).to_list())

    assert asyncio.run(listing(4)) == expected
    assert asyncio.run(listing(0)) == expected
    pages_requested = [int(r.query["page"]) for r in server.requests if r.function_id == "fn-big"]
    assert max(pages_requested) <= 13 + DEFAULT_PREFETCH  # requests past the end: bounded by the window


def test_async_prefetch_survives_retries_and_keeps_order(server: NotteTestServer, http: httpx.Client) -> None:
    expected = raw_listing(http)
    server.faults.add(Status(503, retry_after=0), match=Match(page=2), times=2)

    async def listing() -> list[str]:
        async with AsyncNotteClient(server.api_key, base_url=server.url, retry=NO_SLEEP) as client:
            return ids(await client.functions.list_runs(FUNCTION_ID, prefetch=3).to_list())

    assert asyncio.run(listing()) == expected
    assert [r.status for r in server.requests if r.query.get("page") == "2"][-3:] == [503, 503, 200]
