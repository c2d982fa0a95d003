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


@define
class OrderedServer:
    runs: list[Run]
    order: str
    page_size: int
    seed: int
    inserts: dict[int, int]  # after the n-th request, create that many runs
    requests: int = 0
    served: set[str] = field(factory=set)
    first_runs: list[Run] = field(init=False)
    lock: threading.Lock = field(factory=threading.Lock)

    def __attrs_post_init__(self) -> None:
        self.first_runs = list(self.runs)

    def fetch(self, number: int) -> FakePage:
        with self.lock:
            listing = self._ordered()
            start = (number - 1) * self.page_size
            items = listing[start : start + self.page_size]
            self.served.update(run_id for run_id, _ in items)
            self.requests += 1
            newest = max((created for _, created in self.runs), default=0)
            self.runs += [
                (f"new-{self.requests}-{i}", newest + 1 + i) for i in range(self.inserts.get(self.requests, 0))
            ]
            return FakePage(items, number, self.page_size, start + self.page_size < len(listing))

    def _ordered(self) -> list[Run]:
        newest_first = sorted(self.runs, key=lambda run: (run[1], run[0]), reverse=True)
        if self.order == "oldest-first":
            return newest_first[::-1]
        if self.order == "shuffled":
            return sorted(self.runs, key=lambda run: hashlib.sha256(f"{self.seed}{run[0]}".encode()).digest())
        if self.order == "misplaced" and self.runs:
            moved = self.first_runs[self.seed % len(self.first_runs)]  # there at the start, always misplaced
            rest = [run for run in newest_first if run != moved]
            rest.insert(self.seed // 7 % (len(rest) + 1), moved)
            return rest
        return newest_first


RULES: PageRules[Run] = PageRules(key=lambda run: run[0], label="test listing", newest_first_by=lambda run: run[1])


def _sync(server: OrderedServer, prefetch: int) -> list[Run]:
    return Paginator(server.fetch, RULES, prefetch=prefetch).to_list()


def _async(server: OrderedServer, prefetch: int) -> list[Run]:
    async def fetch(number: int) -> FakePage:
        await asyncio.sleep(0)
        return server.fetch(number)

    async def listing() -> list[Run]:
        return await AsyncPaginator(fetch, RULES, prefetch=prefetch).to_list()

    return asyncio.run(listing())


@given(
    count=st.integers(0, 60),
    ties=st.booleans(),
    order=st.sampled_from(ORDERS),
    page_size=st.integers(1, 12),
    seed=st.integers(0, 1000),
    inserts=st.dictionaries(st.integers(1, 12), st.integers(1, 15), max_size=3),
    listing=st.sampled_from(["sync sequential", "sync ahead", "async ahead"]),
)
def test_each_served_run_is_yielded_once_or_the_listing_raises(
    count: int, ties: bool, order: str, page_size: int, seed: int, inserts: dict[int, int], listing: str
) -> None:
    runs = [(f"run-{i:03d}", i // 3 if ties else i) for i in range(count)]
    server = OrderedServer(list(runs), order, page_size, seed, inserts)
    try:
        got = _async(server, 3) if listing == "async ahead" else _sync(server, 0 if "sequential" in listing else 3)
    except PaginationError as error:
        assert "newest first" in str(error)  # noqa: PT017 - loud, and saying why
        return
    ids = [run_id for run_id, _ in got]
    assert len(ids) == len(set(ids))  # never twice
    assert set(ids) <= server.served
    assert {run_id for run_id, _ in runs} <= set(ids)  # every run there when the listing began
    if order != "newest-first":
        assert set(ids) == server.served  # and, on a server with no order, every one it served
