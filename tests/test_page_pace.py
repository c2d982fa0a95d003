"""Page-ahead that spends requests carefully (issue 27), counted at the local server: slow start
(page 1 alone, then a window that doubles per full round), and one back-off for the whole
listing when a page asked for ahead meets a 429 or 503."""

from __future__ import annotations

import time

import pytest

from bench.list_runs import round_trips
from notte_ext import RateLimitError
from notte_ext.pagination import DEFAULT_PREFETCH, MAX_PREFETCH
from notte_ext.testing import Latency, Match, NotteTestServer, Status
from tests.settle import settle_page_ahead
from tests.test_cli import notte_ext
from tests.test_page_ahead import LISTINGS

PAGE = 100


def _requests(server: NotteTestServer, function_id: str) -> list[int]:
    settle_page_ahead()  # sync: requests sent ahead end after the listing returned
    return [int(request.query["page"]) for request in server.requests if request.function_id == function_id]


@pytest.mark.parametrize("listing", LISTINGS)
@pytest.mark.parametrize(
    ("runs", "most"),
    [(1, 1), (99, 1), (100, 1), (101, 3), (250, 4), (2_000, 20 + DEFAULT_PREFETCH)],
)
def test_a_listing_costs_its_pages_and_little_more(
    notte_server: NotteTestServer, listing: str, runs: int, most: int
) -> None:
    notte_server.add_function("fn-n", runs=runs)
    listed = LISTINGS[listing](notte_server, DEFAULT_PREFETCH, "fn-n")
    assert len(listed) == len(set(listed)) == runs
    pages = _requests(notte_server, "fn-n")
    assert len(pages) <= most, pages
    assert set(range(1, -(-runs // PAGE) + 1)) <= set(pages)  # every page, each asked for once but past the end
    assert len(pages) == len(set(pages))


@pytest.mark.parametrize("listing", LISTINGS)
@pytest.mark.parametrize("prefetch", [4, DEFAULT_PREFETCH])
@pytest.mark.parametrize("runs", [1, 250, 2_000])
def test_the_bench_models_the_pages_the_client_asks_for(
    notte_server: NotteTestServer, listing: str, prefetch: int, runs: int
) -> None:
    """bench/list_runs.py bounds what page-ahead can gain with a model of this pacing (no time but
    round trips): its bound holds only if the client asks for the pages the model does. It may ask
    for fewer: pages still queued for a worker when the last page arrives are never sent."""
    notte_server.add_function("fn-n", runs=runs)
    assert len(LISTINGS[listing](notte_server, prefetch, "fn-n")) == runs
    pages = _requests(notte_server, "fn-n")
    needed = -(-runs // PAGE)
    _, modelled = round_trips(needed, prefetch)
    assert set(range(1, needed + 1)) <= set(pages) <= set(range(1, modelled + 1)), (pages, modelled)
    assert len(pages) == len(set(pages))


def test_the_cli_pays_the_same(server: NotteTestServer) -> None:
    result = notte_ext("runs", "list", "fn-1", "--format", "jsonl", server=server)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 250
    assert len(_requests(server, "fn-1")) <= 4


@pytest.mark.parametrize("listing", LISTINGS)
def test_a_429_on_the_first_round_ahead_costs_one_retry(notte_server: NotteTestServer, listing: str) -> None:
    """150 runs: page 1, then pages 2 and 3 go together and both meet a 429 with Retry-After.
    Page 2 (the one needed) is retried; page 3, past the end page 2 reveals, never is."""
    notte_server.add_function("fn-150", runs=150)
    expected = LISTINGS[listing](notte_server, 0, "fn-150")
    notte_server.clear()
    for page in (2, 3):
        notte_server.faults.add(Status(429, retry_after=1), match=Match(function_id="fn-150", page=page))
    assert LISTINGS[listing](notte_server, DEFAULT_PREFETCH, "fn-150") == expected
    pages = _requests(notte_server, "fn-150")
    assert len(pages) <= 5, pages
    assert pages.count(3) == 1


@pytest.mark.parametrize("listing", LISTINGS)
def test_a_429_on_a_page_asked_for_ahead_halves_the_window_and_pauses_the_listing(
    notte_server: NotteTestServer, listing: str
) -> None:
    """Page 3 (sent ahead with page 2) meets a 429 asking for 0.5 s: it is not retried on its
    own; the listing waits the 0.5 s, then asks for it again as the page it needs."""
    notte_server.add_function("fn-250", runs=250)
    expected = LISTINGS[listing](notte_server, 0, "fn-250")
    notte_server.clear()
    notte_server.faults.add(Latency(0.2), match=Match(function_id="fn-250", page=2))  # page 3's 429 comes first
    notte_server.faults.add(Status(429, retry_after=0.5), match=Match(function_id="fn-250", page=3))
    started = time.monotonic()
    assert LISTINGS[listing](notte_server, DEFAULT_PREFETCH, "fn-250") == expected
    assert time.monotonic() - started >= 0.5  # the server's Retry-After, honoured by the listing
    pages = _requests(notte_server, "fn-250")
    assert pages.count(3) == 2  # the 429, then once more as the page needed
    assert len(pages) <= 5, pages


def test_prefetch_past_16_is_a_usage_error_before_any_request(server: NotteTestServer) -> None:
    result = notte_ext("runs", "list", "fn-1", "--prefetch", "100000", server=server)
    assert result.returncode == 2
    assert "--prefetch" in result.stderr
    assert "0<=x<=16" in result.stderr
    assert not server.requests


@pytest.mark.parametrize("listing", LISTINGS)
def test_the_most_prefetch_never_asks_far_past_the_last_page(notte_server: NotteTestServer, listing: str) -> None:
    notte_server.add_function("fn-3-pages", runs=250)
    assert len(LISTINGS[listing](notte_server, MAX_PREFETCH, "fn-3-pages")) == 250
    assert len(_requests(notte_server, "fn-3-pages")) <= 4  # slow start: 3 pages, one past the end


@pytest.mark.parametrize("listing", LISTINGS)
def test_a_retry_after_too_long_to_wait_for_fails_at_once_instead_of_pausing(
    notte_server: NotteTestServer, listing: str
) -> None:
    """Retry-After: 3600 on a page asked for ahead: the listing does not sleep an hour; asked for
    again as the page needed, the page meets the limit and the error says when to come back."""
    notte_server.add_function("fn-250", runs=250)
    notte_server.faults.add(Status(429, retry_after=3600), times=None, match=Match(function_id="fn-250", page=3))
    started = time.monotonic()
    with pytest.raises(RateLimitError) as caught:
        LISTINGS[listing](notte_server, DEFAULT_PREFETCH, "fn-250")
    assert caught.value.retry_after == 3600
    assert time.monotonic() - started < 10
