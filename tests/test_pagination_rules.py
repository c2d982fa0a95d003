"""The paging bookkeeping on its own (no HTTP): dedupe, loop guard, limits, sync and async prefetch."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable

import pytest
from attrs import define

from notte_ext import AsyncPaginator, InvalidArgumentError, PaginationError, Paginator
from notte_ext._pace import Pace
from notte_ext.errors import RateLimitError
from notte_ext.pagination import PageRules


@define
class FakePage:
    items: list[str]
    page: int
    page_size: int
    has_next: bool


def pages_of(items: list[str], size: int) -> Callable[[int], FakePage]:
    def fetch(number: int) -> FakePage:
        chunk = items[(number - 1) * size : number * size]
        return FakePage(chunk, number, size, has_next=number * size < len(items))

    return fetch


def rules(**options: object) -> PageRules[str]:
    return PageRules(key=lambda item: item, label="test listing", **options)  # type: ignore[arg-type]


def test_iterates_every_page_in_order() -> None:
    items = [f"r{i}" for i in range(25)]
    paginator = Paginator(pages_of(items, 10), rules())
    assert list(paginator) == items
    assert [page.number for page in paginator.pages()] == [1, 2, 3]
    assert list(paginator) == items  # a paginator can be iterated again from the start
    assert paginator.first() == "r0"


def test_duplicates_from_an_offset_shift_are_dropped() -> None:
    served = {1: ["a", "b", "c"], 2: ["c", "d", "e"], 3: ["e", "f"]}
    paginator = Paginator(lambda n: FakePage(served[n], n, 3, n < 3), rules())
    assert paginator.to_list() == ["a", "b", "c", "d", "e", "f"]


def test_endless_has_next_raises_after_yielding_what_was_valid() -> None:
    got: list[str] = []
    paginator = Paginator(lambda n: FakePage(["a", "b"] if n == 1 else ["b"], n, 2, True), rules())
    with pytest.raises(PaginationError, match="page 2 brought no new items"):
        got.extend(paginator)
    assert got == ["a", "b"]


def test_page_cap_raises() -> None:
    paginator = Paginator(lambda n: FakePage([f"x{n}"], n, 1, True), rules(max_pages=5))
    got: list[str] = []
    with pytest.raises(PaginationError, match="stopped after 5 pages"):
        got.extend(paginator)
    assert got == ["x1", "x2", "x3", "x4", "x5"]


def test_limit_and_filter_apply_after_dedupe_and_stop_fetching() -> None:
    fetched: list[int] = []
    fetch = pages_of([f"r{i}" for i in range(100)], 10)

    def counting(number: int) -> FakePage:
        fetched.append(number)
        return fetch(number)

    paginator = Paginator(counting, rules(accept=lambda item: item.endswith("3"), limit=3))
    assert paginator.to_list() == ["r3", "r13", "r23"]
    assert fetched == [1, 2, 3]


def test_async_prefetch_gives_the_same_sequence_and_cancels_past_the_end() -> None:
    items = [f"r{i}" for i in range(95)]
    fetch = pages_of(items, 10)
    started: list[int] = []

    async def slow_fetch(number: int) -> FakePage:
        started.append(number)
        await asyncio.sleep(0.001 * (number % 3))  # pages finish out of order
        return fetch(number)

    async def run(prefetch: int) -> list[str]:
        return await AsyncPaginator(slow_fetch, rules(), prefetch=prefetch).to_list()

    assert asyncio.run(run(0)) == items
    assert asyncio.run(run(4)) == items
    assert max(started) <= 10 + 4  # never more than `prefetch` pages past the last one


def test_async_first_closes_the_prefetch_window() -> None:
    async def fetch(number: int) -> FakePage:
        await asyncio.sleep(0)
        return FakePage([f"p{number}"], number, 1, True)

    async def first() -> str | None:
        result = await AsyncPaginator(fetch, rules(), prefetch=3).first()
        await asyncio.sleep(0)
        assert len(asyncio.all_tasks()) == 1  # only this coroutine: prefetched pages were cancelled
        return result

    assert asyncio.run(first()) == "p1"


class GrowingListing:
    """Newest first (bigger = newer), page-number based; `bursts[n]` new items are created right
    after page n is served, pushing every older item down."""

    def __init__(self, size: int, page_size: int, bursts: dict[int, int]) -> None:
        self.items = list(range(size, 0, -1))
        self.page_size, self.bursts = page_size, bursts

    def fetch(self, number: int) -> FakePage:
        start = (number - 1) * self.page_size
        chunk = self.items[start : start + self.page_size]
        page = FakePage([str(item) for item in chunk], number, self.page_size, start + self.page_size < len(self.items))
        newest = self.items[0]
        self.items[:0] = range(newest + self.bursts.get(number, 0), newest, -1)
        return page


@pytest.mark.parametrize("ordered", [True, False])
@pytest.mark.parametrize("burst", [3, 10, 25, 60])
def test_bursts_larger_than_a_page_are_neither_repeated_nor_lost(ordered: bool, burst: int) -> None:
    listing = GrowingListing(size=95, page_size=10, bursts={1: burst, 4: burst, 5: 1})
    before = [str(item) for item in listing.items]
    order = (lambda item: int(item)) if ordered else None
    got = Paginator(listing.fetch, rules(newest_first_by=order, dedupe_window=100)).to_list()
    if ordered:
        assert got == before  # the history as it was at the start, each item once, in order
    else:  # without a sort key, runs created meanwhile may be listed too, each once
        assert len(got) == len(set(got))
        assert [item for item in got if item in set(before)] == before


def test_a_burst_larger_than_the_dedupe_window_is_caught_by_the_sort_key() -> None:
    listing = GrowingListing(size=200, page_size=10, bursts={8: 55})
    before = [str(item) for item in listing.items]
    got = Paginator(listing.fetch, rules(newest_first_by=lambda item: int(item), dedupe_window=20)).to_list()
    assert got == before


def test_the_same_full_page_twice_is_a_burst_three_times_a_loop() -> None:
    # Page 2 == page 1: what a burst of exactly one page looks like. Tolerated once.
    listing = GrowingListing(size=50, page_size=10, bursts={1: 10})
    before = [str(item) for item in listing.items]
    assert Paginator(listing.fetch, rules()).to_list()[:50] == before
    got: list[str] = []
    looping = Paginator(lambda n: FakePage([f"x{i}" for i in range(10)], n, 10, True), rules())
    with pytest.raises(PaginationError, match="page 3 brought no new items"):
        got.extend(looping)
    assert got == [f"x{i}" for i in range(10)]


def test_sync_prefetch_gives_the_same_sequence_and_bounds_speculation() -> None:
    items = [f"r{i}" for i in range(95)]
    fetch = pages_of(items, 10)
    started: list[int] = []

    def slow_fetch(number: int) -> FakePage:
        started.append(number)
        time.sleep(0.001 * (number % 3))  # pages finish out of order
        return fetch(number)

    for prefetch in (0, 1, 4):
        started.clear()
        assert Paginator(slow_fetch, rules(), prefetch=prefetch).to_list() == items
        assert started[0] == 1
        assert max(started) <= 10 + prefetch
    assert Paginator(slow_fetch, rules(limit=25), prefetch=4).to_list() == items[:25]


def test_a_needed_page_that_fails_surfaces_its_error_a_speculative_one_does_not() -> None:
    fetch = pages_of([f"r{i}" for i in range(30)], 10)

    def failing(broken: int) -> Callable[[int], FakePage]:
        def attempt(number: int) -> FakePage:
            if number == broken:
                raise OSError(f"page {number} failed")
            return fetch(number)

        return attempt

    assert len(Paginator(failing(5), rules(), prefetch=4).to_list()) == 30  # page 5 is past the end
    with pytest.raises(OSError, match="page 2 failed"):
        Paginator(failing(2), rules(), prefetch=4).to_list()


@pytest.mark.parametrize("prefetch", [-1, True, 1.5, "2", 17, 100_000])
def test_prefetch_must_be_an_integer_from_0_to_16(prefetch: object) -> None:
    with pytest.raises(InvalidArgumentError, match="prefetch must be an integer from 0 to 16"):
        Paginator(pages_of([], 10), rules(), prefetch=prefetch)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="prefetch must be an integer from 0 to 16"):
        AsyncPaginator(pages_of([], 10), rules(), prefetch=prefetch)  # type: ignore[arg-type]


def test_page_one_is_answered_before_any_other_page_is_asked_for() -> None:
    # Were page 2 sent with page 1, it could be answered first; an item created in between would
    # be on page 1, inside a history that began before it (test_page_ahead.py's flake).
    fetch = pages_of([f"r{i}" for i in range(45)], 10)
    calls: list[int] = []
    page_one_answered = threading.Event()

    def fetch_recording_order(number: int) -> FakePage:
        calls.append(number)
        assert number == 1 or page_one_answered.is_set(), f"page {number} asked for before page 1 was answered"
        page = fetch(number)
        if number == 1:
            time.sleep(0.05)  # time for a page sent with it to arrive first
            page_one_answered.set()
        return page

    listing = Paginator(fetch_recording_order, rules(), prefetch=4)
    assert listing.to_list() == [f"r{i}" for i in range(45)]
    assert calls[0] == 1
    assert calls.count(1) == 1
    assert set(range(2, 6)) <= set(calls)  # page-ahead still runs after page 1
    assert max(calls) <= 5 + 4


@pytest.mark.parametrize("order", [None, lambda item: -int(item[1:])])
def test_an_item_twice_on_one_page_is_listed_once(order: Callable[[str], int] | None) -> None:
    served = {1: ["r1", "r2", "r2", "r3"], 2: ["r4", "r5"]}
    paginator = Paginator(lambda n: FakePage(served[n], n, 4, n < 2), rules(newest_first_by=order))
    assert paginator.to_list() == ["r1", "r2", "r3", "r4", "r5"]


def test_no_new_items_says_what_the_page_held() -> None:
    served = {1: ["r5", "r4"], 2: ["r9"]}  # r9: newer than the listing's first run, so created since
    paginator = Paginator(lambda n: FakePage(served[n], n, 2, True), rules(newest_first_by=lambda item: int(item[1:])))
    with pytest.raises(PaginationError, match=r"page 2 brought no new items \(1 created after the listing began\)"):
        paginator.to_list()
    served = {1: ["r5", "r4"], 2: ["r4"]}
    with pytest.raises(PaginationError, match=r"page 2 brought no new items \(1 already listed\)"):
        paginator.to_list()


def test_the_window_starts_at_one_page_doubles_per_full_round_and_halves_on_a_throttle() -> None:
    pace = Pace(limit=7)
    sizes = []
    for number in range(1, 12):
        sizes.append(len(pace.wanted(number)))
        pace.read(number, has_next=True)
    assert sizes == [1, 2, 2, 4, 4, 4, 4, 7, 7, 7, 7]  # page 1 alone; rounds of 2, 4, then the limit
    pace.back_off(RateLimitError("429", status_code=429, retry_after=0.0), 12)
    assert len(pace.wanted(12)) == 3
    assert pace.pause() == 0.0
    pace.back_off(RateLimitError("429", status_code=429, retry_after=30.0), 12)
    assert len(pace.wanted(12)) == 1
    assert 29 < pace.pause() <= 30  # the server's Retry-After, for every new request of the listing
