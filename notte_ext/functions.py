"""Function runs: `client.functions.list_runs(...)` pages through a function's whole history.

The API's `only_active` defaulted to true (1.4.40), which hides every finished and failed run. We
always send it, default false, under a name that says what it does: `running_only`. Every other
query parameter, the models and the status enum come from the operation's bindings
(notte_ext/_bindings.py, written by `make generate`), never from a component name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Iterable, Iterator
from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol, Unpack

from attrs import define, field

from notte_ext import _bindings
from notte_ext._openapi import operation
from notte_ext._parameters import check_parameters, parameter_schema
from notte_ext._responses import Exchange, M
from notte_ext._timestamps import aware_utc, parse_instant
from notte_ext.errors import InvalidArgumentError
from notte_ext.pagination import DEFAULT_MAX_PAGES, DEFAULT_PREFETCH, AsyncPaginator, PageRules, Paginator

if TYPE_CHECKING:
    from notte_ext.watch import WatchEvent, WatchOptions

# Stable names, whatever upstream calls the components: bound by operation (make generate).
FunctionRun = _bindings.ListFunctionRunsByFunctionIdItem
RunStatus = _bindings.ListFunctionRunsByFunctionIdItemStatus
RunsPage = _bindings.ListFunctionRunsByFunctionIdPage
# The operation's query parameters, under the generated argument names (`page_size`, ...).
RunsQueryParameters = _bindings.ListFunctionRunsByFunctionIdQuery
list_runs_endpoint = _bindings.list_function_runs_by_function_id

_OPERATION_ID = "list_function_runs_by_function_id"
_PAGE_SIZE = operation(_OPERATION_ID).parameter_schema("page_size")
MAX_PAGE_SIZE: int = _PAGE_SIZE["maximum"]
# The keywords of list_runs that are not query parameters: notte_ext's own.
CLIENT_SIDE_OPTIONS = ("status", "created_after", "created_before", "limit", "max_pages")


def query_parameters() -> dict[str, dict[str, Any]]:
    """The query parameters a caller may set, by generated name, with their spec schema (refs resolved)."""
    return {
        name: parameter_schema(_OPERATION_ID, spec_name)
        for name, (spec_name, _enum) in _bindings.LIST_FUNCTION_RUNS_BY_FUNCTION_ID_QUERY.items()
    }


def check_function_id(function_id: object) -> str:
    """Reject ids that can't be one path segment: "." and ".." would be resolved away by the
    URL (`/functions/../runs` is `/runs`), sending an authenticated request elsewhere."""
    if not isinstance(function_id, str):
        raise InvalidArgumentError(f"function_id must be a string, got {type(function_id).__name__}")
    if function_id.strip() in {"", ".", ".."}:
        raise InvalidArgumentError(f"function_id {function_id!r} is not a valid function id")
    return function_id


def _statuses(status: str | Iterable[str] | None) -> frozenset[RunStatus] | None:
    if status is None:
        return None
    names = [status] if isinstance(status, str) else list(status)
    try:
        return frozenset(RunStatus(name) for name in names)
    except ValueError:
        valid = ", ".join(member.value for member in RunStatus)
        raise InvalidArgumentError(f"unknown run status in {names!r}; valid: {valid}") from None


def _instant(value: dt.datetime | str | None, name: str) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return None if value is None else aware_utc(value)
    try:
        return parse_instant(value)
    except (TypeError, ValueError):
        raise InvalidArgumentError(f"{name} must be a datetime or an ISO 8601 string, got {value!r}") from None


@define(frozen=True)
class RunQuery:
    """One validated `list_runs` call: what to send, and what to keep of the answers. No I/O."""

    function_id: str = field(converter=check_function_id)
    running_only: bool = False
    # Query parameters of the operation, as checked against the spec by run_query/page_query.
    parameters: dict[str, Any] = field(factory=lambda: {"page_size": MAX_PAGE_SIZE})
    status: frozenset[RunStatus] | None = None
    created_after: dt.datetime | None = None
    created_before: dt.datetime | None = None
    limit: int | None = None
    max_pages: int = DEFAULT_MAX_PAGES

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.running_only, bool):
            raise InvalidArgumentError(f"running_only must be True or False, got {self.running_only!r}")
        if self.limit is not None and self.limit < 0:
            raise InvalidArgumentError(f"limit must be >= 0, got {self.limit}")
        if self.max_pages < 1:
            raise InvalidArgumentError(f"max_pages must be >= 1, got {self.max_pages}")

    def request(self, page: int) -> dict[str, Any]:
        """Arguments for the generated call. `only_active` is always sent (never the server default)."""
        return {
            "function_id": self.function_id,
            "page": page,
            **self.parameters,
            "only_active": self.running_only,
        }

    def accepts(self, run: FunctionRun) -> bool:
        """The client-side filters (the API has no status or date parameters)."""
        return (
            (self.status is None or run.status in self.status)
            and (self.created_after is None or run.created_at >= self.created_after)
            and (self.created_before is None or run.created_at < self.created_before)
        )

    def rules(self) -> PageRules[FunctionRun]:
        return PageRules(
            key=lambda run: run.function_run_id,
            newest_first_by=lambda run: run.created_at,  # the API lists runs newest first
            accept=self.accepts,
            limit=self.limit,
            max_pages=self.max_pages,
            label=f"listing runs of function {self.function_id!r}",
        )


class ListRunsOptions(RunsQueryParameters, total=False):
    """The keywords of `list_runs`: the operation's query parameters, plus notte_ext's own.

    `running_only` is the API's `only_active` (always sent, default False: finished and failed runs
    included); `status` (a status or several), `created_after` (inclusive), `created_before`
    (exclusive) and `limit` filter client-side; `max_pages` caps the pages fetched.
    """

    running_only: bool
    status: str | Iterable[str] | None
    created_after: dt.datetime | str | None
    created_before: dt.datetime | str | None
    limit: int | None
    max_pages: int


class PageOptions(RunsQueryParameters, total=False):
    """The keywords of `list_runs_page`: the operation's query parameters and `running_only`."""

    running_only: bool


def _query_parameters(options: ListRunsOptions | PageOptions, own: type) -> dict[str, Any]:
    """The query parameters among `options` (the keywords `own` adds left out), checked against the spec.

    Unset, `page_size` is the maximum. An unknown keyword lists the valid ones of `own`."""
    keywords = frozenset(own.__annotations__) - frozenset(RunsQueryParameters.__annotations__)
    given = {name: value for name, value in options.items() if name not in keywords}
    table = _bindings.LIST_FUNCTION_RUNS_BY_FUNCTION_ID_QUERY
    return {"page_size": MAX_PAGE_SIZE, **check_parameters(_OPERATION_ID, table, given, also_valid=keywords)}


def run_query(function_id: str, **options: Unpack[ListRunsOptions]) -> RunQuery:
    """Validate a listing before any request: query parameters against the spec, then the client-side filters."""
    return RunQuery(
        function_id=function_id,
        running_only=options.get("running_only", False),
        parameters=_query_parameters(options, ListRunsOptions),
        status=_statuses(options.get("status")),
        created_after=_instant(options.get("created_after"), "created_after"),
        created_before=_instant(options.get("created_before"), "created_before"),
        limit=options.get("limit"),
        max_pages=options.get("max_pages", DEFAULT_MAX_PAGES),
    )


def page_query(function_id: str, **options: Unpack[PageOptions]) -> RunQuery:
    """`list_runs_page`: one page as the API returns it, so the client-side filters are refused, not ignored."""
    refused = sorted(set(options) & set(CLIENT_SIDE_OPTIONS))
    if refused:
        raise InvalidArgumentError(
            f"list_runs_page does not filter (one page as the API sends it): use list_runs for {', '.join(refused)}"
        )
    parameters = _query_parameters(options, PageOptions)
    return RunQuery(function_id=function_id, running_only=options.get("running_only", False), parameters=parameters)


class Sender(Protocol):
    """What `Functions` needs of its client (NotteClient): send one generated-endpoint call, or
    its two halves (the request and its whole response; then the parse) for page-ahead."""

    def send(self, endpoint: ModuleType, expected: type[M], *args: Any, **kwargs: Any) -> M: ...

    def exchange(self, endpoint: ModuleType, *args: Any, **kwargs: Any) -> Exchange: ...

    def result(self, exchange: Exchange, expected: type[M]) -> M: ...


class AsyncSender(Protocol):
    """What `AsyncFunctions` needs of its client (AsyncNotteClient)."""

    async def send(self, endpoint: ModuleType, expected: type[M], *args: Any, **kwargs: Any) -> M: ...


class Functions:
    """`client.functions`: serverless function operations."""

    def __init__(self, client: Sender) -> None:
        self._client = client

    def list_runs(
        self, function_id: str, *, prefetch: int = DEFAULT_PREFETCH, **options: Unpack[ListRunsOptions]
    ) -> Paginator[FunctionRun]:
        """All runs of a function, newest first, across every page (lazy). Options: `ListRunsOptions`.

        `prefetch` (default 4) pages are requested ahead on worker threads, order kept: a
        listing that waits on round trips is 3-4x faster, for at most 4 cheap requests past
        the last page. 0: one request at a time, no threads (e.g. under a tight rate limit).
        Runs created while you page are not listed twice, and none that existed when you
        started is missed.
        """
        query = run_query(function_id, **options)
        return Paginator(
            lambda page: self._client.exchange(list_runs_endpoint, **query.request(page)),
            query.rules(),
            prefetch=prefetch,
            parse=lambda exchange: self._client.result(exchange, RunsPage),
        )

    def list_runs_page(self, function_id: str, *, page: int = 1, **options: Unpack[PageOptions]) -> RunsPage:
        """One page, as the API returns it (no dedupe; the client-side filters are refused)."""
        return self._page(page_query(function_id, **options), page)

    def _page(self, query: RunQuery, page: int) -> RunsPage:
        return self._client.send(list_runs_endpoint, RunsPage, **query.request(page))

    def watch_runs(self, function_id: str, **options: Unpack[WatchOptions]) -> Iterator[WatchEvent]:
        """Events as runs of a function appear and change status, polling (see `notte_ext.watch`).

        Options: `interval` (seconds, default 2, jittered), `running_only`, `until_idle`,
        `timeout` (then `WatchTimeoutError`), `max_pages`, and `clock`/`sleep` for tests.
        """
        from notte_ext.watch import WatchSettings, watch  # here: notte_ext.watch imports this module

        settings = WatchSettings(function_id, **options)
        return watch(
            lambda running_only, page: self.list_runs_page(function_id, page=page, running_only=running_only), settings
        )


class AsyncFunctions:
    """`client.functions` of AsyncNotteClient: the same surface, awaited."""

    def __init__(self, client: AsyncSender) -> None:
        self._client = client

    def list_runs(
        self, function_id: str, *, prefetch: int = DEFAULT_PREFETCH, **options: Unpack[ListRunsOptions]
    ) -> AsyncPaginator[FunctionRun]:
        """Like `Functions.list_runs`; `prefetch=N` keeps up to N more pages in flight, order kept."""
        query = run_query(function_id, **options)
        # Each task parses its page as its response arrives (one thread: nothing to contend for),
        # so the pages a round brings are ready when read, and the next requests go out sooner.
        return AsyncPaginator(lambda page: self._page(query, page), query.rules(), prefetch=prefetch)

    async def list_runs_page(self, function_id: str, *, page: int = 1, **options: Unpack[PageOptions]) -> RunsPage:
        return await self._page(page_query(function_id, **options), page)

    async def _page(self, query: RunQuery, page: int) -> RunsPage:
        return await self._client.send(list_runs_endpoint, RunsPage, **query.request(page))

    def watch_runs(self, function_id: str, **options: Unpack[WatchOptions]) -> AsyncIterator[WatchEvent]:
        """Like `Functions.watch_runs`: `async for event in client.functions.watch_runs(...)`."""
        from notte_ext.watch import WatchSettings, awatch  # here: notte_ext.watch imports this module

        settings = WatchSettings(function_id, **options)
        return awatch(
            lambda running_only, page: self.list_runs_page(function_id, page=page, running_only=running_only), settings
        )
