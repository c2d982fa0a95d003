"""The paging bookkeeping on its own (no HTTP): dedupe, loop guard, limits, async prefetch order."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from attrs import define

from notte_ext import AsyncPaginator, PageRules, PaginationError, Paginator


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
