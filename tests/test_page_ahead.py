"""Page-ahead over real HTTP (the local test server): sync threads and async tasks give exactly
the sequential listing, runs created mid-listing (bursts larger than a page too) are neither
repeated nor lost, speculative pages past the end never surface, stopping never waits for them and leaves no thread."""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Callable, Iterator

import pytest

from notte_ext import AsyncNotteClient, ClientClosedError, NotteClient
from notte_ext.testing import InsertRuns, Latency, Match, NotteTestServer, Status
from tests.settle import prefetch_threads, settle_page_ahead
from tests.test_cli import notte_ext, records
from tests.test_list_runs import NO_SLEEP, ids

FUNCTION_ID = "fn-1"  # 250 sample runs: pages of 100, 100, 50


def _client(server: NotteTestServer) -> NotteClient:
    return NotteClient(server.api_key, base_url=server.url, retry=NO_SLEEP)


@pytest.fixture
def client(server: NotteTestServer) -> Iterator[NotteClient]:
    with _client(server) as client:
        yield client


def sync_listing(server: NotteTestServer, prefetch: int, function_id: str = FUNCTION_ID) -> list[str]:
    with _client(server) as client:
        return ids(client.functions.list_runs(function_id, prefetch=prefetch).to_list())


def async_listing(server: NotteTestServer, prefetch: int, function_id: str = FUNCTION_ID) -> list[str]:
    async def listing() -> list[str]:
        async with AsyncNotteClient(server.api_key, base_url=server.url, retry=NO_SLEEP) as client:
            return ids(await client.functions.list_runs(function_id, prefetch=prefetch).to_list())

    return asyncio.run(listing())


LISTINGS: dict[str, Callable[[NotteTestServer, int, str], list[str]]] = {"sync": sync_listing, "async": async_listing}


@pytest.mark.parametrize("listing", LISTINGS)
def test_page_ahead_gives_exactly_the_sequential_listing(server: NotteTestServer, listing: str) -> None:
    server.add_function("fn-big", runs=1234)  # 13 pages, the last one short
    expected = sync_listing(server, 0, "fn-big")
    assert len(expected) == len(set(expected)) == 1234
    server.clear()
    assert LISTINGS[listing](server, 4, "fn-big") == expected
    settle_page_ahead()  # sync: requests past the end end after the listing returned
    pages = [int(request.query["page"]) for request in server.requests]
    assert pages.count(1) == 1
    assert set(range(1, 14)) <= set(pages)
    assert max(pages) <= 13 + 4  # speculative pages past the end: at most prefetch


def test_page_one_goes_alone(client: NotteClient, server: NotteTestServer) -> None:
    server.add_function("fn-small", runs=40)
    assert len(client.functions.list_runs("fn-small").to_list()) == 40
    pages = [request.query["page"] for request in server.requests]
    assert pages == ["1"]  # one page: nothing sent ahead of it
    server.clear()
    assert len(client.functions.list_runs("fn-small", limit=10).to_list()) == 10
    assert [request.query["page"] for request in server.requests] == ["1"]  # under a limit, page 1 alone
    before = ids(client.functions.list_runs(FUNCTION_ID, prefetch=0).to_list())
    server.store.add_newest(FUNCTION_ID, 3, server.api_key, "active")  # just now: new runs may be racing us
    server.clear()
    listed = ids(client.functions.list_runs(FUNCTION_ID).to_list())
    assert listed[3:] == before  # the 3 new ones first (they existed when page 1 was read), then the rest
    assert server.requests[0].query["page"] == "1"  # answered before any other page was asked for


@pytest.mark.parametrize("listing", LISTINGS)
def test_errors_of_speculative_pages_past_the_end_never_surface(server: NotteTestServer, listing: str) -> None:
    expected = sync_listing(server, 0)
    server.faults.add(Latency(0.3), times=None, match=Match(page=3))  # page 4 goes out before page 3 is back
    server.faults.add(Status(500, detail="past the end"), times=None, match=Match(page=4))
    server.faults.add(Status(401), times=None, match=Match(page=5))
    server.clear()
    assert LISTINGS[listing](server, 4, FUNCTION_ID) == expected
    settle_page_ahead()  # sync: they end after the listing returned
    assert "4" in {request.query["page"] for request in server.requests}  # sent ahead with page 3


@pytest.mark.parametrize("listing", LISTINGS)
@pytest.mark.parametrize("prefetch", [0, 1, 4])
@pytest.mark.parametrize(
    ("burst", "after_page", "times"),
    [
        (7, 1, 1),  # a few runs
        (100, 1, 1),  # exactly one page: page 2 is page 1 again
        (150, 2, 1),  # larger than a page
        (450, 1, 1),  # larger than every page left: they are all pushed down
        (15, None, None),  # on every request (page-ahead sends up to 5 per page it reads: 75 per page)
    ],
)
def test_runs_created_while_paging_are_neither_repeated_nor_lost(
    server: NotteTestServer, listing: str, prefetch: int, burst: int, after_page: int | None, times: int | None
) -> None:
    before = sync_listing(server, 0)
    server.faults.add(InsertRuns(count=burst), times=times, match=Match(function_id=FUNCTION_ID, page=after_page))
    listed = LISTINGS[listing](server, prefetch, FUNCTION_ID)
    # The history as it was when the listing began: each run once, in order; the runs created
    # after it began (newer than its first run) are not part of it.
    assert listed == before
    assert len(sync_listing(server, 0)) > len(before)  # the runs really were created meanwhile


def test_stopping_early_leaves_no_page_ahead_thread_behind(client: NotteClient, server: NotteTestServer) -> None:
    server.add_function("fn-big", runs=1234)
    paginator = client.functions.list_runs("fn-big", prefetch=4)
    assert paginator.first() is not None
    settle_page_ahead(within=5)
    for _ in paginator:
        break  # the for loop drops the iterator: closed by reference counting
    gc.collect()
    settle_page_ahead(within=5)
    pages = paginator.pages()
    next(pages)
    next(pages)  # page 2 read: pages 3-6 were sent ahead
    del pages
    gc.collect()
    settle_page_ahead(within=5)  # then every request sent is in the server's log
    assert max(int(request.query["page"]) for request in server.requests) <= 2 + 4


def test_stopping_never_waits_for_pages_asked_for_ahead(server: NotteTestServer) -> None:
    """A limit met on page 2 while pages 3-6, sent ahead, take 2 s: the listing, then close(),
    return at once; the requests on the wire end on daemon threads, and only then do the
    client's connections close (not under them)."""
    server.add_function("fn-big", runs=1234)
    for page in range(3, 7):
        server.faults.add(Latency(2.0), match=Match(function_id="fn-big", page=page))
    client = _client(server)
    started = time.monotonic()
    assert len(client.functions.list_runs("fn-big", limit=150, prefetch=4).to_list()) == 150
    client.close()
    assert time.monotonic() - started < 1.5
    assert prefetch_threads()
    assert all(thread.daemon for thread in prefetch_threads())
    assert not client._http.is_closed  # not under the requests still in flight
    with pytest.raises(ClientClosedError, match="not sent: the client is closed"):
        client.functions.list_runs_page("fn-big")
    settle_page_ahead(within=10)
    assert client._http.is_closed  # the last one out closed the connections
    assert {3, 4, 5, 6} & {int(request.query["page"]) for request in server.requests}  # (one may be cancelled unsent)


def test_limit_fetches_at_most_prefetch_pages_beyond_what_it_needs(
    client: NotteClient, server: NotteTestServer
) -> None:
    server.add_function("fn-big", runs=1234)
    server.clear()
    assert len(client.functions.list_runs("fn-big", limit=250, prefetch=2).to_list()) == 250  # 3 pages needed
    settle_page_ahead()  # every request sent is in the server's log
    assert max(int(request.query["page"]) for request in server.requests) <= 3 + 2


def test_the_cli_pages_ahead_by_default_and_prefetch_0_reads_one_page_at_a_time(server: NotteTestServer) -> None:
    # Page 2 is held back `hold` seconds. Paging ahead, page 3 is asked for with page 2, while it is
    # held; one page at a time, only after page 2 came back. (Not "a page past the end was asked
    # for": slow start sends at most one, and the CLI may cancel it unsent once page 3 says it is
    # the last, so that proof flaked under load.)
    hold = 1.5
    server.faults.add(Latency(hold), times=None, match=Match(page=2))

    def page_3_after_page_2() -> float:
        arrived = {request.query["page"]: request.arrived for request in server.requests}
        return arrived["3"] - arrived["2"]

    one_at_a_time = records(server, "--prefetch", "0")
    assert [request.query["page"] for request in server.requests] == ["1", "2", "3"]
    assert page_3_after_page_2() >= hold  # the control: page 3 waited for page 2's answer
    server.clear()
    ahead = records(server)
    assert ahead == one_at_a_time
    assert len(ahead) == 250
    assert page_3_after_page_2() < hold  # it did ask ahead: page 3 went out while page 2 was held
    summary = notte_ext("runs", "summary", FUNCTION_ID, "--prefetch", "2", server=server)
    assert summary.returncode == 0, summary.stderr
    refused = notte_ext("runs", "list", FUNCTION_ID, "--prefetch", "-1", server=server)
    assert refused.returncode == 2
    assert "--prefetch" in refused.stderr
