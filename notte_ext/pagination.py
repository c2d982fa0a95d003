"""Iterate every item of a page-number paginated operation, sync or async, optionally paging ahead.

Works for any `PaginatedResponse_*` model of the spec (items, page, page_size, has_next,
has_previous). The API has no cursor and no total, and items created while you page push older
ones onto later pages. The bookkeeping here, in constant memory:

* dedupes by a key (`notte_ext._dedupe`): with a newest-first sort key
  (`PageRules.newest_first_by`), in constant memory, an item newer than the first one yielded
  set aside as created after the listing began; every page is checked against that order, and
  a server that breaks it gets an exact dedupe by key (bounded) or a loud `PaginationError`,
  never a quiet loss;
* stops with `PaginationError` (after yielding everything valid) when `has_next` stays true
  but the server serves the same page again (or a short/empty page with nothing new), or when
  more than `max_pages` pages were needed;
* applies client-side filters and a `limit` after deduplication.

Page-ahead (`prefetch=N`: threads for `Paginator`, tasks for `AsyncPaginator`) keeps up to the
next N pages in flight, the window growing by slow start and halved on 429/503 (`notte_ext._pace`),
and hands pages out in number order. So that no item can fall between two
pages answered out of order while items are being created, every page in flight when a page
shows the listing shifted is dropped and requested again (computed after that page). Page 1
always goes alone: it defines the history the listing gives, and a page sent with it may be
answered before it, with items created in between then on page 1 though they came after the
listing began. Requests sent past the last page are dropped without surfacing their errors.

`Paginator` and `AsyncPaginator` share `_Bookkeeping`, which does no I/O.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncGenerator, Awaitable, Callable, Container, Generator, Hashable, Iterator
from concurrent.futures import Future
from contextlib import aclosing
from functools import partial
from typing import Any, Generic, Protocol, TypeVar

from attrs import define, field

from notte_ext._dedupe import DEFAULT_DEDUPE_WINDOW, Dedupe
from notte_ext._pace import LISTING_STOPPED, SPECULATIVE, Pace, is_throttled
from notte_ext._workers import Workers
from notte_ext.errors import InvalidArgumentError, NotteError, PaginationError

T = TypeVar("T")
DEFAULT_MAX_PAGES = 10_000
# Pages in flight beyond the one being read, at most: a listing spends nearly all its time waiting
# for round trips. Slow start reaches this window only on long listings (a short one costs at most
# one request past its end), so the ramp-up eats into it: 6 makes 2,000 runs 3.6-3.9x faster than one
# page at a time, sync (docs/benchmarks.md; 4 gave 3.3x), with the pages in flight in memory. 0 turns
# it off: one request at a time, no threads.
DEFAULT_PREFETCH = 6
# Past a few pages in flight a listing gains nothing (it waits on the client's own work), while
# each one is a thread and a connection: a bound, so that no argument fans out without limit.
MAX_PREFETCH = 16


def check_prefetch(prefetch: object) -> int:
    """`prefetch` must be an integer from 0 to MAX_PREFETCH (bool is not an integer here)."""
    if isinstance(prefetch, bool) or not isinstance(prefetch, int) or not 0 <= prefetch <= MAX_PREFETCH:
        raise InvalidArgumentError(f"prefetch must be an integer from 0 to {MAX_PREFETCH}, got {prefetch!r}")
    return prefetch


class PageModel(Protocol[T]):
    """What every generated PaginatedResponse_* model has."""

    items: list[T]
    page: int
    page_size: int
    has_next: bool


@define(frozen=True)
class Page(Generic[T]):
    """One page as the paginator saw it: `items` are the new, matching items it yields."""

    number: int
    items: list[T]
    has_next: bool
    raw: Any = field(repr=False)


@define(frozen=True)
class PageRules(Generic[T]):
    """How to page one listing: dedupe key, client-side filter, limit, page cap, label for errors.

    `newest_first_by`: the sort key of the server's order (newest first), if it has one; it
    lets dedupe stay exact for any burst of new items, however large.
    """

    key: Callable[[T], Hashable]
    label: str
    accept: Callable[[T], bool] = lambda _item: True
    limit: int | None = None
    max_pages: int = DEFAULT_MAX_PAGES
    newest_first_by: Callable[[T], Any] | None = None
    dedupe_window: int = DEFAULT_DEDUPE_WINDOW


@define
class _Bookkeeping(Generic[T]):
    """The state of one pass over a listing: bounded, whatever the listing's length."""

    rules: PageRules[T]
    prefetch: int
    dedupe: Dedupe[T] = field(init=False)
    pace: Pace = field(init=False)
    ahead: dict[int, int] = field(factory=dict)  # page asked for ahead -> the back-off epoch it was sent in
    epoch: int = 0  # back-offs so far: pages sent before the last one don't halve the window again
    yielded: int = 0
    pages: int = 0
    shifted: bool = False  # the last page showed items pushed down since the page before
    last_signature: tuple[Hashable, Hashable, int] | None = None  # first key, last key, length
    repeats: int = 0
    pending_error: PaginationError | None = None

    def __attrs_post_init__(self) -> None:
        rules = self.rules
        self.dedupe = Dedupe(rules.key, rules.label, rules.newest_first_by, rules.dedupe_window)
        self.pace = Pace(limit=self.prefetch + 1)

    @property
    def satisfied(self) -> bool:
        return self.rules.limit is not None and self.yielded >= self.rules.limit

    def to_send(self, number: int, in_flight: Container[int]) -> list[int]:
        """The pages to ask for now, page `number` being the next to read: those of the window
        (`notte_ext._pace`) not in flight yet; while the listing backs off, only page `number`.
        Page 1 goes alone: a page sent with it can be answered first (threads and connections
        race), and items created in between would be on page 1, indistinguishable from those
        that existed when the listing began. Once the server's order is known not newest first,
        pages go one at a time: a run created mid-listing can then land anywhere, and only pages
        read in order are sure to serve every run pushed down by it."""
        wanted = range(number, number + 1) if self.dedupe.is_exact else self.pace.wanted(number)
        pages = [page for page in wanted if page not in in_flight and (page == number or not self.pace.pause())]
        for page in pages:  # page `number` sent now is not ahead: the transport retries it as usual
            self.ahead[page] = self.epoch
        if number in pages:
            del self.ahead[number]
        return pages

    def backs_off(self, error: BaseException, number: int) -> bool:
        """Whether page `number`'s error is the server asking a page sent ahead to wait (429,
        503): then the window halves (once per back-off) and the page is asked for again."""
        epoch = self.ahead.pop(number, None)
        if epoch is None or not is_throttled(error):
            return False
        if epoch == self.epoch:
            self.pace.back_off(error, number)
            self.epoch += 1
        return True

    def take(self, number: int, model: PageModel[T]) -> Page[T]:
        """Record a fetched page and return what of it to yield."""
        self.pages += 1
        self.pace.read(number, bool(model.has_next))
        was_exact = self.dedupe.is_exact
        fresh, count = self.dedupe.fresh(model.items, last_page=not model.has_next)
        # Pages in flight may predate a shift (or, once the order broke, be out of turn): ask again.
        self.shifted = bool(count.duplicates or count.set_aside) or self.dedupe.is_exact != was_exact
        matching = [item for item in fresh if self.rules.accept(item)]
        if self.rules.limit is not None:
            matching = matching[: self.rules.limit - self.yielded]
        self.yielded += len(matching)
        page = Page(number=number, items=matching, has_next=bool(model.has_next) and not self.satisfied, raw=model)
        repeated = self._count_repeats(model)
        if page.has_next and not fresh and (len(model.items) < model.page_size or repeated >= 2):
            # Nothing new, yet has_next. A burst of new items can push already-yielded items onto
            # a full page (the very same page again, for a burst of exactly one page), so only a
            # short page, or a full one served three times in a row, means the server loops.
            self.pending_error = PaginationError(
                f"{self.rules.label}: page {number} {count.describe()} but the server says has_next; "
                "stopped to avoid looping forever"
            )
        elif page.has_next and self.pages >= self.rules.max_pages:
            self.pending_error = PaginationError(
                f"{self.rules.label}: stopped after {self.rules.max_pages} pages (max_pages); "
                "narrow the query or raise the cap"
            )
        return page

    def _count_repeats(self, model: PageModel[T]) -> int:
        """How many times in a row before this one the same page content was served."""
        items = model.items
        signature = (self.rules.key(items[0]), self.rules.key(items[-1]), len(items)) if items else None
        self.repeats = self.repeats + 1 if signature is not None and signature == self.last_signature else 0
        self.last_signature = signature
        return self.repeats

    def go_on_after(self, page: Page[T]) -> bool:
        """Once `page` was handed out: raise what it revealed (only after its valid items were
        yielded), else say whether there is a next page to read."""
        if self.pending_error is not None:
            raise self.pending_error
        return page.has_next


def _as_is(fetched: Any) -> Any:
    """The default `parse`: `fetch` already returns the page model."""
    return fetched


def _fetched_now(fetch: Callable[[int], Any], number: int) -> Future[Any]:
    """Fetch in this thread (prefetch=0: no pool), as a done Future like the prefetched ones."""
    future: Future[Any] = Future()
    try:
        future.set_result(fetch(number))
    except Exception as exc:  # handed to the caller by .result(), exactly as a pool would
        future.set_exception(exc)
    return future


class Paginator(Generic[T]):
    """Lazy: nothing is fetched until you iterate. Iterate for items, `.pages()` for pages.

    `fetch(number)` gets a page (the worker threads run it: the client's httpx connection pool
    is thread-safe); `parse` (default: none) turns what it got into the page model, in the thread
    that iterates, in page order: threads that only wait on sockets don't fight it for the GIL.
    `prefetch=N` keeps up to N more pages in flight, handing pages out in order. Stopping (the
    last page, break, `first()`, `limit`, closing or dropping the iterator) cancels the pages not
    yet sent and returns at once: those already on the wire are answered to daemon threads that
    then end, unread (see `notte_ext._workers`).
    """

    def __init__(
        self,
        fetch: Callable[[int], Any],
        rules: PageRules[T],
        prefetch: int = 0,
        parse: Callable[[Any], PageModel[T]] = _as_is,
    ) -> None:
        self._fetch = fetch
        self._rules = rules
        self._prefetch = check_prefetch(prefetch)
        self._parse = parse

    def pages(self) -> Iterator[Page[T]]:
        book = _Bookkeeping(self._rules, self._prefetch)
        window: dict[int, Future[Any]] = {}
        stopped = threading.Event()  # set when this listing ends: its requests still out are not retried
        fetch = partial(self._fetch_marked, stopped)
        pool = Workers(fetch, self._prefetch + 1, "notte-prefetch") if self._prefetch else None
        number = 1
        try:
            while not book.satisfied:
                for ahead in book.to_send(number, window):
                    if ahead == number:
                        time.sleep(book.pace.pause())
                    window[ahead] = pool.submit((ahead, ahead != number)) if pool else _fetched_now(self._fetch, ahead)
                try:
                    model = self._parse(window.pop(number).result())
                except NotteError as error:
                    if book.backs_off(error, number):
                        continue  # asked for again as the page needed now, with the usual retries
                    raise
                page = book.take(number, model)
                if book.shifted:  # pages in flight may predate the shift: ask for them again
                    _drop(window)
                yield page
                if not book.go_on_after(page):
                    return
                number += 1
        finally:
            stopped.set()
            _drop(window)  # their results and errors are never looked at
            if pool is not None:
                pool.stop()

    def _fetch_marked(self, stopped: threading.Event, job: tuple[int, bool]) -> Any:
        """Fetch page `number` on a worker thread, marked for the retry transport: as asked for ahead
        (`speculative`), and with the listing's end (`stopped`). Each job runs in its own copy of the
        context (`notte_ext._workers`): the marks stay with it."""
        number, speculative = job
        SPECULATIVE.set(speculative)
        LISTING_STOPPED.set(stopped)
        return self._fetch(number)

    def __iter__(self) -> Generator[T, None, None]:
        for page in self.pages():
            yield from page.items

    def first(self) -> T | None:
        items = iter(self)
        try:
            return next(items, None)
        finally:
            items.close()  # now, not when garbage collected: stops the page-ahead

    def to_list(self) -> list[T]:
        return list(self)


def _drop(window: dict[int, Future[Any]]) -> None:
    for future in window.values():
        future.cancel()
    window.clear()


class AsyncPaginator(Generic[T]):
    """The async twin of Paginator; `prefetch` pages are requested concurrently ahead of you.

    Order is preserved (pages are consumed in number order). Requests speculatively sent past
    the last page are cancelled, or cost one cheap empty page each.
    """

    def __init__(self, fetch: Callable[[int], Awaitable[PageModel[T]]], rules: PageRules[T], prefetch: int = 0) -> None:
        self._fetch = fetch
        self._rules = rules
        self._prefetch = check_prefetch(prefetch)

    async def pages(self) -> AsyncGenerator[Page[T], None]:
        book = _Bookkeeping(self._rules, self._prefetch)
        window: dict[int, asyncio.Task[PageModel[T]]] = {}
        number = 1
        try:
            while not book.satisfied:
                for ahead in book.to_send(number, window):
                    if ahead == number:
                        await asyncio.sleep(book.pace.pause())
                    window[ahead] = asyncio.ensure_future(_fetch_marked(self._fetch, ahead, ahead != number))
                await asyncio.sleep(0)  # let the new requests go out before waiting on one
                try:
                    model = await window.pop(number)
                except NotteError as error:
                    if book.backs_off(error, number):
                        continue  # asked for again as the page needed now, with the usual retries
                    raise
                page = book.take(number, model)
                if book.shifted:  # pages in flight may predate the shift: ask for them again
                    await _cancel(window)
                yield page
                if not book.go_on_after(page):
                    return
                number += 1
        finally:
            await _cancel(window)

    async def __aiter__(self) -> AsyncGenerator[T, None]:
        async with aclosing(self.pages()) as pages:  # cancel prefetched pages as soon as we stop
            async for page in pages:
                for item in page.items:
                    yield item

    async def first(self) -> T | None:
        async with aclosing(self.__aiter__()) as items:
            return await anext(items, None)

    async def to_list(self) -> list[T]:
        return [item async for item in self]


async def _fetch_marked(
    fetch: Callable[[int], Awaitable[PageModel[T]]], number: int, speculative: bool
) -> PageModel[T]:
    """Fetch page `number` in its own task, marked as asked for ahead for the retry transport."""
    SPECULATIVE.set(speculative)  # the task runs in a copy of the context: this stays in it
    return await fetch(number)


async def _cancel(window: dict[int, asyncio.Task[Any]]) -> None:
    tasks = list(window.values())
    window.clear()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)  # their results and errors are never looked at
