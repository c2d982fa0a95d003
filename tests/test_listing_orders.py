"""Property (issue 21): whatever order a server lists in, and whatever it creates meanwhile, a
listing yields each run it was served exactly once, or raises; never fewer in silence.

An in-process server (no HTTP, so hypothesis can try many cases) orders runs newest first,
oldest first, in a seeded random order, or newest first with one run at a fixed wrong place,
cuts pages, and creates runs (newer than all) after given requests. Sync sequential, sync
paging ahead and async listings are checked; the same over HTTP and the CLI is in
tests/test_server_order.py.
"""

from __future__ import annotations

import asyncio
import hashlib
import threading

from attrs import define, field
from hypothesis import given
from hypothesis import strategies as st

from notte_ext import AsyncPaginator, PaginationError, Paginator
from notte_ext.pagination import PageRules

Run = tuple[str, int]  # id, created (a larger number: created later)
ORDERS = ("newest-first", "oldest-first", "shuffled", "misplaced")


@define
class FakePage:
    items: list[Run]
    page: int
    page_size: int
    has_next: bool
    faithful: bool  # what a newest-first server would have served (ties in any order)


@define
class OrderedServer:
    runs: list[Run]
    order: str
    page_size: int
    seed: int
    inserts: dict[int, int]  # after the n-th request, create that many runs
    requests: int = 0
    first_runs: list[Run] = field(init=False)
    lock: threading.Lock = field(factory=threading.Lock)

    def __attrs_post_init__(self) -> None:
        self.first_runs = list(self.runs)

    def fetch(self, number: int) -> FakePage:
        with self.lock:
            listing = self._ordered()
            start = (number - 1) * self.page_size
            items = listing[start : start + self.page_size]
            faithful = self._newest_first()[start : start + self.page_size]
            self.requests += 1
            newest = max((created for _, created in self.runs), default=0)
            self.runs += [
                (f"new-{self.requests}-{i}", newest + 1 + i) for i in range(self.inserts.get(self.requests, 0))
            ]
            has_next = start + self.page_size < len(listing)
            same = [created for _, created in items] == [created for _, created in faithful]
            return FakePage(items, number, self.page_size, has_next, same)

    def _newest_first(self) -> list[Run]:
        return sorted(self.runs, key=lambda run: (run[1], run[0]), reverse=True)

    def _ordered(self) -> list[Run]:
        newest_first = self._newest_first()
        if self.order == "oldest-first":
            return newest_first[::-1]
        if self.order == "shuffled":
            return sorted(self.runs, key=lambda run: hashlib.sha256(f"{self.seed}{run[0]}".encode()).digest())
        if self.order == "misplaced" and len(self.first_runs) > 1:  # one run, always right below another
            moved = self.first_runs[self.seed % len(self.first_runs)]
            anchor = self.first_runs[
                (self.seed + 1 + self.seed // 7 % (len(self.first_runs) - 1)) % len(self.first_runs)
            ]
            rest = [run for run in newest_first if run != moved]
            rest.insert(rest.index(anchor) + 1, moved)
            return rest
        return newest_first


def _rules(window: int) -> PageRules[Run]:
    return PageRules(
        key=lambda run: run[0], label="test listing", newest_first_by=lambda run: run[1], dedupe_window=window
    )


Read = tuple[list[Run], list[FakePage]]  # what a listing yielded, and the pages it read to do so


def _sync(server: OrderedServer, prefetch: int, window: int) -> Read:
    pages = list(Paginator(server.fetch, _rules(window), prefetch=prefetch).pages())
    return [run for page in pages for run in page.items], [page.raw for page in pages]


def _async(server: OrderedServer, prefetch: int, window: int) -> Read:
    async def fetch(number: int) -> FakePage:
        await asyncio.sleep(0)
        return server.fetch(number)

    async def listing() -> Read:
        pages = [page async for page in AsyncPaginator(fetch, _rules(window), prefetch=prefetch).pages()]
        return [run for page in pages for run in page.items], [page.raw for page in pages]

    return asyncio.run(listing())


@given(
    count=st.integers(0, 60),
    ties=st.booleans(),
    order=st.sampled_from(ORDERS),
    page_size=st.integers(1, 12),
    seed=st.integers(0, 1000),
    inserts=st.dictionaries(st.integers(1, 12), st.integers(1, 15), max_size=3),
    listing=st.sampled_from(["sync sequential", "sync ahead", "async ahead"]),
    window=st.sampled_from([5, 2_000]),  # keys kept while the order holds: 5 makes bursts overflow it
)
def test_each_served_run_is_yielded_once_or_the_listing_raises(
    count: int, ties: bool, order: str, page_size: int, seed: int, inserts: dict[int, int], listing: str, window: int
) -> None:
    runs = [(f"run-{i:03d}", i // 3 if ties else i) for i in range(count)]
    server = OrderedServer(list(runs), order, page_size, seed, inserts)
    try:
        prefetch = 0 if "sequential" in listing else 3
        got, read = _async(server, prefetch, window) if "async" in listing else _sync(server, prefetch, window)
    except PaginationError as error:
        # Loud, saying why: the order broke, or the same full page came three times (a loop, or a
        # burst of exactly one page before each request, which a client cannot tell apart).
        assert "newest first" in str(error) or "server says has_next" in str(error)  # noqa: PT017
        return
    ids = [run_id for run_id, _ in got]
    assert len(ids) == len(set(ids))  # never twice
    served = {run_id for page in read for run_id, _ in page.items}
    assert set(ids) <= served
    assert {run_id for run_id, _ in runs} <= set(ids)  # every run there when the listing began
    if not all(page.faithful for page in read):
        assert set(ids) == served  # and, from a server seen to break the order, every one it served
