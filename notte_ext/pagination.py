"""Iterate every item of a page-number paginated operation, sync or async.

Works for any `PaginatedResponse_*` model of the spec (items, page, page_size, has_next,
has_previous). The API has no cursor and no total, so the bookkeeping here:

* deduplicates by a key: items created while you page shift older items onto the next page;
* stops with `PaginationError` (after yielding everything valid) when `has_next` stays true
  but a page brings nothing new, or when more than `max_pages` pages were needed;
* applies client-side filters and a `limit` after deduplication.

`Paginator` and `AsyncPaginator` share `_Bookkeeping`, which does no I/O.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Awaitable, Callable, Hashable, Iterator
from contextlib import aclosing
from typing import Any, Generic, Protocol, TypeVar

from attrs import define, field

from notte_ext.errors import PaginationError

T = TypeVar("T")
DEFAULT_MAX_PAGES = 10_000


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
    """How to page one listing: dedupe key, client-side filter, limit, page cap, label for errors."""

    key: Callable[[T], Hashable]
    label: str
    accept: Callable[[T], bool] = lambda _item: True
    limit: int | None = None
    max_pages: int = DEFAULT_MAX_PAGES


@define
class _Bookkeeping(Generic[T]):
    """The state of one pass over a listing."""

    rules: PageRules[T]
    seen: set[Hashable] = field(factory=set)
    yielded: int = 0
    pages: int = 0
    pending_error: PaginationError | None = None

    @property
    def satisfied(self) -> bool:
        return self.rules.limit is not None and self.yielded >= self.rules.limit

    def take(self, number: int, model: PageModel[T]) -> Page[T]:
        """Record a fetched page and return what of it to yield."""
        self.pages += 1
        fresh = []
        for item in model.items:
            item_key = self.rules.key(item)
            if item_key not in self.seen:
                self.seen.add(item_key)
                fresh.append(item)
        matching = [item for item in fresh if self.rules.accept(item)]
        if self.rules.limit is not None:
            matching = matching[: self.rules.limit - self.yielded]
        self.yielded += len(matching)
        page = Page(number=number, items=matching, has_next=bool(model.has_next) and not self.satisfied, raw=model)
        if page.has_next and not fresh:
            self.pending_error = PaginationError(
                f"{self.rules.label}: page {number} brought no new items but the server says has_next; "
                "stopped to avoid looping forever"
            )
        elif page.has_next and self.pages >= self.rules.max_pages:
            self.pending_error = PaginationError(
                f"{self.rules.label}: stopped after {self.rules.max_pages} pages (max_pages); "
                "narrow the query or raise the cap"
            )
        return page

    def raise_pending(self) -> None:
        """Raised only after the page's valid items were handed out."""
        if self.pending_error is not None:
            raise self.pending_error


class Paginator(Generic[T]):
    """Lazy: nothing is fetched until you iterate. Iterate for items, `.pages()` for pages."""

    def __init__(self, fetch: Callable[[int], PageModel[T]], rules: PageRules[T]) -> None:
        self._fetch = fetch
        self._rules = rules

    def pages(self) -> Iterator[Page[T]]:
        book, number = _Bookkeeping(self._rules), 1
        while not book.satisfied:
            page = book.take(number, self._fetch(number))
            yield page
            book.raise_pending()
            if not page.has_next:
                return
            number += 1

    def __iter__(self) -> Iterator[T]:
        for page in self.pages():
            yield from page.items

    def first(self) -> T | None:
        return next(iter(self), None)

    def to_list(self) -> list[T]:
        return list(self)


class AsyncPaginator(Generic[T]):
    """The async twin of Paginator; `prefetch` pages are requested concurrently ahead of you.

    Order is preserved (pages are consumed in number order). Requests speculatively sent past
    the last page are cancelled, or cost one cheap empty page each.
    """

    def __init__(self, fetch: Callable[[int], Awaitable[PageModel[T]]], rules: PageRules[T], prefetch: int = 0) -> None:
        self._fetch = fetch
        self._rules = rules
        self._prefetch = prefetch

    async def pages(self) -> AsyncGenerator[Page[T], None]:
        book = _Bookkeeping(self._rules)
        window: dict[int, asyncio.Task[PageModel[T]]] = {}
        number = 1
        try:
            while not book.satisfied:
                # Keep pages number .. number+prefetch in flight.
                for ahead in range(number, number + self._prefetch + 1):
                    if ahead not in window:
                        window[ahead] = asyncio.ensure_future(self._fetch(ahead))
                page = book.take(number, await window.pop(number))
                yield page
                book.raise_pending()
                if not page.has_next:
                    return
                number += 1
        finally:
            for task in window.values():
                task.cancel()
            await asyncio.gather(*window.values(), return_exceptions=True)

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
