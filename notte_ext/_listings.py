"""Listing queries, validated before any request: a function's runs (`list_runs`) and the functions
(`functions.list`). No I/O.

The API's `only_active` defaults to true (1.4.40) for both listings, which hides every finished and
failed run, and every inactive function. We always send it, default false, under a name that says
what it does: `running_only`, `active_only`. Every other query parameter, the models and the status
enum come from the operations' bindings (notte_ext/_bindings.py, written by `make generate`),
never from a component name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, Unpack

from attrs import define, field

from notte_ext import _bindings
from notte_ext._arguments import check_count, check_flag
from notte_ext._calls import check_segment
from notte_ext._openapi import operation
from notte_ext._parameters import caller_parameters, check_parameters
from notte_ext._timestamps import aware_utc, parse_instant
from notte_ext.errors import InvalidArgumentError
from notte_ext.pagination import DEFAULT_MAX_PAGES, PageRules

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
    """The query parameters of `list_runs` a caller may set, by generated name, with their spec schema."""
    return caller_parameters(_OPERATION_ID, _bindings.LIST_FUNCTION_RUNS_BY_FUNCTION_ID_QUERY)


def check_function_id(function_id: object) -> str:
    """A function id that is one path segment (see `check_segment`)."""
    return check_segment("function_id", function_id)


def _statuses(status: str | Iterable[str] | None) -> frozenset[RunStatus] | None:
    if status is None:
        return None
    if not isinstance(status, str | Iterable):
        raise InvalidArgumentError(f"status must be a run status or several, got {status!r:.40}")
    names = [status] if isinstance(status, str) else list(status)
    try:
        return frozenset(RunStatus(name) for name in names)
    except (TypeError, ValueError):
        valid = ", ".join(member.value for member in RunStatus)
        raise InvalidArgumentError(f"unknown run status in {names!r}; valid: {valid}") from None


def _instant(value: dt.datetime | str | None, name: str) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return None if value is None else aware_utc(value)
    try:
        return parse_instant(value)
    except (TypeError, ValueError, OverflowError):  # OverflowError: '9999-12-31T23:59:59-14:00' in UTC
        raise InvalidArgumentError(f"{name} must be a datetime or an ISO 8601 string, got {value!r}") from None


def _check_paging(limit: object, max_pages: object) -> None:
    check_count("limit", limit, allow_none=True)
    check_count("max_pages", max_pages, least=1)


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
        check_flag("running_only", self.running_only)
        _check_paging(self.limit, self.max_pages)
        after, before = self.created_after, self.created_before
        if after is not None and before is not None and before <= after:
            # Bounds given the wrong way round: an empty listing that looks like "no runs" (the CLI's
            # --since/--until refuse it too).
            raise InvalidArgumentError(
                f"created_before {before.isoformat()} is not after created_after {after.isoformat()}: no run could match"
            )

    def request(self, page: int) -> dict[str, Any]:
        """Arguments for the generated call. `only_active` is always sent (never the server default)."""
        check_count("page", page, least=1)  # list_runs_page(page=1.0) would reach the API as "1.0"
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


def listing_parameters(
    operation_id: str, table: Mapping[str, Any], options: Mapping[str, Any], own: type, parameters: type
) -> dict[str, Any]:
    """The query parameters among `options` (the keywords `own` adds to `parameters` left out), checked
    against the spec. Unset, `page_size` is the spec's maximum. An unknown keyword lists the valid ones of `own`."""
    keywords = frozenset(own.__annotations__) - frozenset(parameters.__annotations__)
    given = {name: value for name, value in options.items() if name not in keywords}
    largest = operation(operation_id).parameter_schema("page_size")["maximum"]
    return {"page_size": largest, **check_parameters(operation_id, table, given, also_valid=keywords)}


def _query_parameters(options: ListRunsOptions | PageOptions, own: type) -> dict[str, Any]:
    table = _bindings.LIST_FUNCTION_RUNS_BY_FUNCTION_ID_QUERY
    return listing_parameters(_OPERATION_ID, table, options, own, RunsQueryParameters)


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


# -- the functions listing --------------------------------------------------------------------------

Function = _bindings.ListFunctionsItem
FunctionsPage = _bindings.ListFunctionsPage
FunctionsQueryParameters = _bindings.ListFunctionsQuery
_FUNCTIONS = "list_functions"
FUNCTIONS_MAX_PAGE_SIZE: int = operation(_FUNCTIONS).parameter_schema("page_size")["maximum"]


def functions_query_parameters() -> dict[str, dict[str, Any]]:
    """The query parameters of `functions.list` a caller may set, by generated name, with their spec schema."""
    return caller_parameters(_FUNCTIONS, _bindings.LIST_FUNCTIONS_QUERY)


class ListFunctionsOptions(FunctionsQueryParameters, total=False):
    """The keywords of `functions.list`: the operation's query parameters, plus notte_ext's own.

    `active_only` is the API's `only_active` (always sent, default False: every function); `limit`
    stops early; `max_pages` caps the pages fetched.
    """

    active_only: bool
    limit: int | None
    max_pages: int


@define(frozen=True)
class FunctionsQuery:
    """One validated `functions.list` call: what to send, and how to page. No I/O."""

    active_only: bool = False
    parameters: dict[str, Any] = field(factory=dict)
    limit: int | None = None
    max_pages: int = DEFAULT_MAX_PAGES

    def __attrs_post_init__(self) -> None:
        check_flag("active_only", self.active_only)
        _check_paging(self.limit, self.max_pages)

    def request(self, page: int) -> dict[str, Any]:
        """Arguments for the generated call. `only_active` is always sent (never the server default)."""
        return {"page": page, **self.parameters, "only_active": self.active_only}

    def rules(self) -> PageRules[Function]:
        # The spec promises no order for functions: dedupe by id only, no newest-first shortcut.
        return PageRules(
            key=lambda function: function.function_id,
            label="listing functions",
            limit=self.limit,
            max_pages=self.max_pages,
        )


def functions_query(**options: Unpack[ListFunctionsOptions]) -> FunctionsQuery:
    """Validate a functions listing before any request."""
    table = _bindings.LIST_FUNCTIONS_QUERY
    return FunctionsQuery(
        active_only=options.get("active_only", False),
        parameters=listing_parameters(_FUNCTIONS, table, options, ListFunctionsOptions, FunctionsQueryParameters),
        limit=options.get("limit"),
        max_pages=options.get("max_pages", DEFAULT_MAX_PAGES),
    )
