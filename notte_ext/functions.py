"""`client.functions`: every operation of the functions tag, sync (`Functions`) and async (`AsyncFunctions`).

Each method is configuration: the operation it binds (`notte_ext._calls.Bound`, by operationId), its
path segments, its query parameters (typed keywords from the bindings, checked against the spec),
its body (built and checked by `notte_ext._bodies`). Retries, limits, typed errors and response
validation come with `client.send`. What needs more than one request lives beside it, without I/O:
listings (`notte_ext._listings`: pages, dedupe, `only_active` always sent), what runs/start answers
(`notte_ext._run_start`), following a run to its end (`notte_ext.watch`).
"""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator, AsyncIterator, Generator, Iterator, Mapping
from types import ModuleType
from typing import TYPE_CHECKING, Any, Literal, Protocol, Unpack

from notte_api_client import AuthenticatedClient

from notte_ext import _bindings
from notte_ext._arguments import check_flag, check_seconds
from notte_ext._bodies import Workflow, body_fields, json_body, required_fields, split_form, upload_body
from notte_ext._calls import Bound, Call, check_segment
from notte_ext._defaults import MAX_INTERVAL, MAX_WAIT, MIN_INTERVAL
from notte_ext._listings import (
    CLIENT_SIDE_OPTIONS,
    FUNCTIONS_MAX_PAGE_SIZE,
    MAX_PAGE_SIZE,
    Function,
    FunctionRun,
    FunctionsPage,
    FunctionsQuery,
    ListFunctionsOptions,
    ListRunsOptions,
    PageOptions,
    RunQuery,
    RunsPage,
    RunsQueryParameters,
    RunStatus,
    check_function_id,
    functions_query,
    functions_query_parameters,
    list_runs_endpoint,
    page_query,
    query_parameters,
    run_query,
)
from notte_ext._messages import Secret
from notte_ext._openapi import mismatch
from notte_ext._responses import Exchange, M
from notte_ext._run_start import (
    EventReader,
    FunctionRunDetails,
    RunDetailsStatus,
    RunEvent,
    RunFinished,
    RunLogLine,
    RunSessionStarted,
    RunStarted,
    StartedRun,
    answered_outcome,
    is_event_stream,
    started_by_redirect,
)
from notte_ext.errors import APITimeoutError, InvalidArgumentError, RunFailedError, RunTimeoutError, WatchTimeoutError
from notte_ext.pagination import DEFAULT_PREFETCH, AsyncPaginator, Paginator

if TYPE_CHECKING:  # notte_ext.watch is imported when a method needs it: a listing doesn't pay for it
    from notte_ext.watch import RunProgress, WatchEvent, WatchOptions, WatchSettings

__all__ = [
    "CLIENT_SIDE_OPTIONS",
    "DEFAULT_RUN_TIMEOUT",
    "FUNCTIONS_MAX_PAGE_SIZE",
    "MAX_PAGE_SIZE",
    "AsyncFunctions",
    "Function",
    "FunctionDeletion",
    "FunctionRun",
    "FunctionRunDetails",
    "FunctionWithLink",
    "Functions",
    "FunctionsPage",
    "ListFunctionsOptions",
    "ListRunsOptions",
    "PageOptions",
    "RunDetailsStatus",
    "RunEvent",
    "RunFinished",
    "RunLogLine",
    "RunQuery",
    "RunSessionStarted",
    "RunStarted",
    "RunStatus",
    "RunUpdate",
    "RunsPage",
    "RunsQueryParameters",
    "ScheduleChange",
    "StartedRun",
    "check_function_id",
    "functions_query_parameters",
    "query_parameters",
    "run_query",
    "update_run_fields",
    "upload_options",
]

# Stable names of what the operations return, whatever upstream calls the components (bound by operation).
FunctionWithLink = _bindings.FunctionDownloadUrlResult
FunctionDeletion = _bindings.FunctionDeleteResult
ScheduleChange = _bindings.FunctionScheduleSetResult
RunUpdate = _bindings.FunctionRunStopResult

# How long following a run's streamed log may take, unless told: what the official SDK allows a run.
DEFAULT_RUN_TIMEOUT = 300.0


_LIST_FUNCTIONS = Bound("list_functions", FunctionsPage)
_GET = Bound("function_download_url", FunctionWithLink)
_CREATE = Bound("function_create", _bindings.FunctionCreateResult)
_UPDATE = Bound("function_update", _bindings.FunctionUpdateResult)
_DELETE = Bound("function_delete", FunctionDeletion)
_FORK = Bound("function_fork", _bindings.FunctionForkResult)
_SCHEDULE = Bound("function_schedule_set", ScheduleChange)
_UNSCHEDULE = Bound("function_schedule_delete", _bindings.FunctionScheduleDeleteResult)
_GET_RUN = Bound("function_run_get_metadata", FunctionRunDetails)
_STOP_RUN = Bound("function_run_stop", RunUpdate)
_UPDATE_RUN = Bound("function_run_update_metadata", _bindings.FunctionRunUpdateMetadataResult)
_START_RUN = "function_run_start"
_start_endpoint = _bindings.function_run_start


def _run_path(function_id: str, run_id: str) -> dict[str, object]:
    return {"function_id": function_id, "run_id": run_id}


def start_arguments(
    function_id: str, variables: Mapping[str, Any] | None, key: str, stream: bool, **options: Any
) -> dict[str, Any]:
    """runs/start's checked arguments: the body (`workflow_id` is the function, `variables` default {},
    `options` any other field the spec declares) and the key again in `x-notte-api-key` (the spec
    requires it: the runner, on another origin, does not get Authorization)."""
    values = {"workflow_id": check_function_id(function_id), "variables": _variables(variables), "stream": stream}
    if options.get("workflow_id", function_id) != function_id:
        # The body's workflow_id names the function to run, as the path does: two different ones make a
        # request whose run depends on which one the API reads.
        raise InvalidArgumentError(
            f"workflow_id {options['workflow_id']!r:.60} differs from function_id {function_id!r:.60}: "
            "the function to run is function_id"
        )
    body = json_body(_START_RUN, values | options)
    return {"function_id": function_id, "body": body, "x_notte_api_key": key}


def _variables(variables: Mapping[str, Any] | None) -> dict[str, Any]:
    if variables is not None and not isinstance(variables, Mapping):
        raise InvalidArgumentError(f"variables must be a mapping of names to values, got {type(variables).__name__}")
    return dict(variables or {})


def _timed_out(error: WatchTimeoutError, function_id: str, run_id: str, timeout: float) -> RunTimeoutError:
    """`run()`'s timeout error, naming the timeout it was given (not what was left of it for waiting)."""
    return RunTimeoutError(
        f"run {run_id} of function {function_id!r} still active after the {timeout:g} s timeout (the run goes on)",
        run=getattr(error, "run", None),
    )


def _upload_call(
    bound: Bound[M], path: Mapping[str, object], workflow: Workflow, options: Mapping[str, Any]
) -> Call[M]:
    """A workflow upload (create, update): the `options` that name a field of the operation's multipart body
    go in it, the others are query parameters; so a form field a bump adds is a keyword, as in `update_run`."""
    form, query = split_form(bound.operation_id, options)
    return bound.call(path, query, body=upload_body(bound.operation_id, workflow, form))


def upload_options(method: Literal["create", "update"]) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """What `create` or `update` takes besides the workflow, read from the vendored spec: its multipart body's
    form fields and its query parameters, each by keyword with its schema (the CLI's options follow a bump)."""
    bound: Bound[Any] = {"create": _CREATE, "update": _UPDATE}[method]
    return body_fields(bound.operation_id), bound.parameters()


def _create_call(
    workflow: Workflow, name: str | None, description: str | None, shared: bool | None, query: Mapping[str, Any]
) -> Call[_bindings.FunctionCreateResult]:
    return _upload_call(_CREATE, {}, workflow, {"name": name, "description": description, "shared": shared, **query})


def update_run_fields() -> tuple[dict[str, dict[str, Any]], frozenset[str]]:
    """What `update_run` takes, read from the vendored spec: its body's fields by keyword with their schema
    (`status` among them), and those the spec requires; so a field or status a bump adds is a CLI option or
    choice without an edit."""
    return body_fields(_UPDATE_RUN.operation_id), required_fields(_UPDATE_RUN.operation_id)


def _update_run_call(
    function_id: str, run_id: str, status: str, fields: Mapping[str, Any]
) -> Call[_bindings.FunctionRunUpdateMetadataResult]:
    body = json_body(_UPDATE_RUN.operation_id, {"status": status, **fields})
    return _UPDATE_RUN.call(_run_path(function_id, run_id), body=body)


def _follow_settings(function_id: str, run_id: str, interval: float | None, timeout: float | None) -> WatchSettings:
    """How to poll one run: `interval` (None: the watch's default) and `timeout` seconds."""
    from notte_ext.watch import WatchSettings

    check_segment("run_id", run_id)
    if interval is None:
        return WatchSettings(function_id, timeout=timeout)
    return WatchSettings(function_id, interval=interval, timeout=timeout)


def _check_run_options(timeout: object, interval: object, raise_on_failure: object) -> None:
    """`run()`'s own options, checked before the run starts (not once it runs, as following it would)."""
    check_seconds("timeout", timeout, most=MAX_WAIT, allow_none=True)
    check_seconds("interval", interval, least=MIN_INTERVAL, most=MAX_INTERVAL, allow_none=True)
    check_flag("raise_on_failure", raise_on_failure)


def run_start_timeout(timeout: float | None) -> float:
    """How long `run()` waits for the start's answer: its whole `timeout`, not the client's per-request
    one, since an API may answer only once the run ended (the start of a run without a limit: bounded too)."""
    return DEFAULT_RUN_TIMEOUT if timeout is None else timeout


def start_timed_out(error: APITimeoutError, function_id: str, timeout: float) -> RunTimeoutError:
    """A start whose answer didn't come within the run's timeout: the run's timeout error, as once started."""
    return RunTimeoutError(
        f"no answer to the start of a run of function {function_id!r} within the {timeout:g} s timeout "
        f"(it may have started, and goes on): {error.message}",
        run=None,
    )


def _left(timeout: float | None, begun: float) -> float | None:
    """What is left of `timeout` seconds since `begun` (monotonic), for waiting (None: no limit)."""
    return None if timeout is None else max(timeout - (time.monotonic() - begun), 0.001)


def _finished(run: FunctionRunDetails | None, function_id: str, raise_on_failure: bool) -> FunctionRunDetails:
    assert run is not None, "following a run yields its state at least once"
    if raise_on_failure and run.status == RunDetailsStatus("failed"):
        raise RunFailedError(f"run {run.function_run_id} of function {function_id!r} failed", run=run)
    return run


class Sender(Protocol):
    """What `Functions` needs of its client (NotteClient): send one generated-endpoint call, or
    its two halves (the request and its whole response; then the parse) for page-ahead, or stream
    an answer (a run's log)."""

    @property
    def api(self) -> AuthenticatedClient: ...

    @property
    def secrets(self) -> Secret: ...

    def send(self, endpoint: ModuleType, expected: type[M], *args: Any, **kwargs: Any) -> M: ...

    def exchange(self, endpoint: ModuleType, *args: Any, **kwargs: Any) -> Exchange: ...

    def result(self, exchange: Exchange, expected: type[M]) -> M: ...

    def stream(self, endpoint: ModuleType, *args: Any, deadline: float | None = None, **kwargs: Any) -> Any: ...


class AsyncSender(Protocol):
    """What `AsyncFunctions` needs of its client (AsyncNotteClient)."""

    @property
    def api(self) -> AuthenticatedClient: ...

    @property
    def secrets(self) -> Secret: ...

    async def send(self, endpoint: ModuleType, expected: type[M], *args: Any, **kwargs: Any) -> M: ...

    def stream(self, endpoint: ModuleType, *args: Any, deadline: float | None = None, **kwargs: Any) -> Any: ...


class Functions:
    """`client.functions`: serverless function operations."""

    def __init__(self, client: Sender) -> None:
        self._client = client

    def _send(self, call: Call[M]) -> M:
        return self._client.send(call.endpoint, call.expected, **call.arguments)

    # -- functions ------------------------------------------------------------------------------

    def list(self, *, prefetch: int = DEFAULT_PREFETCH, **options: Unpack[ListFunctionsOptions]) -> Paginator[Function]:
        """Every function, across every page (lazy), inactive ones included (`active_only=True` for the
        others). Pages ahead like `list_runs`; never lists one twice. Options: `ListFunctionsOptions`."""
        query = functions_query(**options)
        return Paginator(
            lambda page: self._client.exchange(_LIST_FUNCTIONS.endpoint, **query.request(page)),
            query.rules(),
            prefetch=prefetch,
            parse=lambda exchange: self._client.result(exchange, FunctionsPage),
        )

    def get(self, function_id: str, **query: Unpack[_bindings.FunctionDownloadUrlQuery]) -> FunctionWithLink:
        """One function, with a link to download its workflow file (`version=`: another than the latest)."""
        return self._send(_GET.call({"function_id": function_id}, query))

    def create(
        self,
        workflow: Workflow,
        *,
        name: str | None = None,
        description: str | None = None,
        shared: bool | None = None,
        **query: Unpack[_bindings.FunctionCreateQuery],
    ) -> _bindings.FunctionCreateResult:
        """A new function from a workflow file (a path, its bytes, or a binary file object). A keyword naming
        another field of the spec's multipart body goes in the body (`body_fields("function_create")`)."""
        return self._send(_create_call(workflow, name, description, shared, query))

    def update(
        self, function_id: str, workflow: Workflow, **query: Unpack[_bindings.FunctionUpdateQuery]
    ) -> _bindings.FunctionUpdateResult:
        """A new version of a function's workflow file (`version=` names it)."""
        return self._send(_upload_call(_UPDATE, {"function_id": function_id}, workflow, query))

    def delete(self, function_id: str) -> FunctionDeletion:
        return self._send(_DELETE.call({"function_id": function_id}))

    def fork(self, function_id: str) -> _bindings.FunctionForkResult:
        """A copy of a function, yours (its `reference_workflow_id` names the original)."""
        return self._send(_FORK.call({"function_id": function_id}))

    def schedule(self, function_id: str, cron: str, variables: Mapping[str, Any] | None = None) -> ScheduleChange:
        """Run a function on a cron schedule, with these variables."""
        body = json_body(_SCHEDULE.operation_id, {"cron": cron, "variables": _variables(variables)})
        return self._send(_SCHEDULE.call({"function_id": function_id}, body=body))

    def unschedule(self, function_id: str) -> _bindings.FunctionScheduleDeleteResult:
        return self._send(_UNSCHEDULE.call({"function_id": function_id}))

    # -- runs -----------------------------------------------------------------------------------

    def list_runs(
        self, function_id: str, *, prefetch: int = DEFAULT_PREFETCH, **options: Unpack[ListRunsOptions]
    ) -> Paginator[FunctionRun]:
        """All runs of a function, newest first, across every page (lazy). Options: `ListRunsOptions`.

        Up to `prefetch` (0-16) pages are requested ahead on worker threads, order kept, the
        window growing by slow start and halved on 429/503 (`notte_ext._pace`): a long listing
        that waits on round trips is 3-4x faster; a short one costs at most one request past
        its last page. 0: one request at a time, no threads.
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
        `timeout` (then `WatchTimeoutError`, also mid-poll), `max_pages`, `max_tracked_runs` (active
        runs, 100,000 at most; then `TooManyActiveRunsError`), and `clock`/`sleep` for tests.
        """
        from notte_ext.watch import WatchSettings, watch

        settings = WatchSettings.of(function_id, options)
        return watch(
            lambda running_only, page: self.list_runs_page(function_id, page=page, running_only=running_only), settings
        )

    def get_run(self, function_id: str, run_id: str) -> FunctionRunDetails:
        return self._send(_GET_RUN.call(_run_path(function_id, run_id)))

    def stop_run(self, function_id: str, run_id: str) -> RunUpdate:
        """Stop a run (it ends `closed`; the answer's status says `stopped`)."""
        return self._send(_STOP_RUN.call(_run_path(function_id, run_id)))

    def update_run(
        self, function_id: str, run_id: str, *, status: str, **fields: Any
    ) -> _bindings.FunctionRunUpdateMetadataResult:
        """Set a run's status and any other field the spec's update body declares (`logs`, `result`...)."""
        return self._send(_update_run_call(function_id, run_id, status, fields))

    def stream_run(
        self,
        function_id: str,
        variables: Mapping[str, Any] | None = None,
        *,
        stream: bool = True,
        timeout: float | None = DEFAULT_RUN_TIMEOUT,
        **options: Any,
    ) -> Generator[RunEvent, None, None]:
        """Start a run and read what the API answers, as it comes: `RunStarted` (its id, as soon as the
        API gives it), then with `stream=True` its `RunSessionStarted` and `RunLogLine`s, and last
        `RunFinished` (its outcome), within `timeout` seconds (None: the client's). `options`: other fields of the spec's
        run request. The start is never retried once it may have reached the API: a run never starts twice."""
        arguments = start_arguments(function_id, variables, self._client.api.token, stream, **options)
        with self._client.stream(_start_endpoint, deadline=timeout, **arguments) as response:
            started = started_by_redirect(function_id, response)
            if started is not None:
                yield RunStarted(started)
            if not is_event_stream(response):
                response.read()
                yield RunFinished(answered_outcome(function_id, response, self._client.secrets))
                return
            reader = EventReader(function_id, self._client.secrets)
            for line in response.iter_lines():
                event = reader.feed(line)
                if event is not None:
                    yield event
                if isinstance(event, RunFinished):
                    return
        raise _no_outcome(function_id)

    def start_run(
        self,
        function_id: str,
        variables: Mapping[str, Any] | None = None,
        *,
        timeout: float | None = None,
        **options: Any,
    ) -> StartedRun:
        """Start a run; returns once the API answers which run it started: as soon as it started with
        `stream=True` (the default), but only once it ended (then with its outcome) with `stream=False`
        or from an API that gives the run's id only with its outcome. `timeout`: seconds to wait for that
        answer (None: the client's timeout). `options`: see `stream_run`."""
        events = self.stream_run(function_id, variables, timeout=timeout, **options)
        try:
            return next(e.run for e in events if isinstance(e, RunStarted | RunFinished))
        finally:
            events.close()  # closes the stream: the run goes on without us reading its log

    def follow_run(
        self, function_id: str, run_id: str, *, interval: float | None = None, timeout: float | None = None
    ) -> Iterator[RunProgress]:
        """A run's progress until it ends (polling `get_run` every `interval` s, jittered): when first
        read, on each status change and new log lines. `timeout` seconds: then `RunTimeoutError`."""
        from notte_ext.watch import follow

        return follow(
            lambda: self.get_run(function_id, run_id), _follow_settings(function_id, run_id, interval, timeout), run_id
        )

    def run(
        self,
        function_id: str,
        variables: Mapping[str, Any] | None = None,
        *,
        timeout: float | None = None,
        interval: float | None = None,
        raise_on_failure: bool = False,
        **options: Any,
    ) -> FunctionRunDetails:
        """Start a run and wait for its end (`follow_run`): the final run. `timeout` seconds for all of
        it, its start included (then `RunTimeoutError`; the run goes on; None: no limit once started, and
        `DEFAULT_RUN_TIMEOUT` for an API that answers the start only once the run ended);
        `raise_on_failure`: `RunFailedError` if it failed."""
        _check_run_options(timeout, interval, raise_on_failure)
        begun = time.monotonic()
        start_timeout = run_start_timeout(timeout)
        try:
            started = self.start_run(function_id, variables, timeout=start_timeout, **options)
        except APITimeoutError as error:
            raise start_timed_out(error, function_id, start_timeout) from None
        remaining = _left(timeout, begun)
        last = None
        try:
            for progress in self.follow_run(function_id, started.function_run_id, interval=interval, timeout=remaining):
                last = progress.run
        except WatchTimeoutError as error:
            raise _timed_out(error, function_id, started.function_run_id, timeout or 0) from None
        return _finished(last, function_id, raise_on_failure)


class AsyncFunctions:
    """`client.functions` of AsyncNotteClient: the same surface, awaited."""

    def __init__(self, client: AsyncSender) -> None:
        self._client = client

    async def _send(self, call: Call[M]) -> M:
        return await self._client.send(call.endpoint, call.expected, **call.arguments)

    # -- functions ------------------------------------------------------------------------------

    def list(
        self, *, prefetch: int = DEFAULT_PREFETCH, **options: Unpack[ListFunctionsOptions]
    ) -> AsyncPaginator[Function]:
        """Like `Functions.list`."""
        query = functions_query(**options)
        return AsyncPaginator(lambda page: self._functions_page(query, page), query.rules(), prefetch=prefetch)

    async def _functions_page(self, query: FunctionsQuery, page: int) -> FunctionsPage:
        return await self._client.send(_LIST_FUNCTIONS.endpoint, FunctionsPage, **query.request(page))

    async def get(self, function_id: str, **query: Unpack[_bindings.FunctionDownloadUrlQuery]) -> FunctionWithLink:
        """Like `Functions.get`."""
        return await self._send(_GET.call({"function_id": function_id}, query))

    async def create(
        self,
        workflow: Workflow,
        *,
        name: str | None = None,
        description: str | None = None,
        shared: bool | None = None,
        **query: Unpack[_bindings.FunctionCreateQuery],
    ) -> _bindings.FunctionCreateResult:
        """Like `Functions.create`."""
        return await self._send(_create_call(workflow, name, description, shared, query))

    async def update(
        self, function_id: str, workflow: Workflow, **query: Unpack[_bindings.FunctionUpdateQuery]
    ) -> _bindings.FunctionUpdateResult:
        """Like `Functions.update`."""
        return await self._send(_upload_call(_UPDATE, {"function_id": function_id}, workflow, query))

    async def delete(self, function_id: str) -> FunctionDeletion:
        return await self._send(_DELETE.call({"function_id": function_id}))

    async def fork(self, function_id: str) -> _bindings.FunctionForkResult:
        """Like `Functions.fork`."""
        return await self._send(_FORK.call({"function_id": function_id}))

    async def schedule(self, function_id: str, cron: str, variables: Mapping[str, Any] | None = None) -> ScheduleChange:
        """Like `Functions.schedule`."""
        body = json_body(_SCHEDULE.operation_id, {"cron": cron, "variables": _variables(variables)})
        return await self._send(_SCHEDULE.call({"function_id": function_id}, body=body))

    async def unschedule(self, function_id: str) -> _bindings.FunctionScheduleDeleteResult:
        return await self._send(_UNSCHEDULE.call({"function_id": function_id}))

    # -- runs -----------------------------------------------------------------------------------

    def list_runs(
        self, function_id: str, *, prefetch: int = DEFAULT_PREFETCH, **options: Unpack[ListRunsOptions]
    ) -> AsyncPaginator[FunctionRun]:
        """Like `Functions.list_runs`; `prefetch=N` keeps up to N more pages in flight, order kept."""
        query = run_query(function_id, **options)
        # Each task parses its page as its response arrives (one thread: nothing to contend for),
        # so the pages a round brings are ready when read, and the next requests go out sooner.
        return AsyncPaginator(lambda page: self._page(query, page), query.rules(), prefetch=prefetch)

    async def list_runs_page(self, function_id: str, *, page: int = 1, **options: Unpack[PageOptions]) -> RunsPage:
        """Like `Functions.list_runs_page`."""
        return await self._page(page_query(function_id, **options), page)

    async def _page(self, query: RunQuery, page: int) -> RunsPage:
        return await self._client.send(list_runs_endpoint, RunsPage, **query.request(page))

    def watch_runs(self, function_id: str, **options: Unpack[WatchOptions]) -> AsyncIterator[WatchEvent]:
        """Like `Functions.watch_runs`: `async for event in client.functions.watch_runs(...)`."""
        from notte_ext.watch import WatchSettings, awatch

        settings = WatchSettings.of(function_id, options)
        return awatch(
            lambda running_only, page: self.list_runs_page(function_id, page=page, running_only=running_only), settings
        )

    async def get_run(self, function_id: str, run_id: str) -> FunctionRunDetails:
        return await self._send(_GET_RUN.call(_run_path(function_id, run_id)))

    async def stop_run(self, function_id: str, run_id: str) -> RunUpdate:
        """Like `Functions.stop_run`."""
        return await self._send(_STOP_RUN.call(_run_path(function_id, run_id)))

    async def update_run(
        self, function_id: str, run_id: str, *, status: str, **fields: Any
    ) -> _bindings.FunctionRunUpdateMetadataResult:
        """Like `Functions.update_run`."""
        return await self._send(_update_run_call(function_id, run_id, status, fields))

    async def stream_run(
        self,
        function_id: str,
        variables: Mapping[str, Any] | None = None,
        *,
        stream: bool = True,
        timeout: float | None = DEFAULT_RUN_TIMEOUT,
        **options: Any,
    ) -> AsyncGenerator[RunEvent, None]:
        """Like `Functions.stream_run`: `async for event in client.functions.stream_run(...)`."""
        arguments = start_arguments(function_id, variables, self._client.api.token, stream, **options)
        async with self._client.stream(_start_endpoint, deadline=timeout, **arguments) as response:
            started = started_by_redirect(function_id, response)
            if started is not None:
                yield RunStarted(started)
            if not is_event_stream(response):
                await response.aread()
                yield RunFinished(answered_outcome(function_id, response, self._client.secrets))
                return
            reader = EventReader(function_id, self._client.secrets)
            async for line in response.aiter_lines():
                event = reader.feed(line)
                if event is not None:
                    yield event
                if isinstance(event, RunFinished):
                    return
        raise _no_outcome(function_id)

    async def start_run(
        self,
        function_id: str,
        variables: Mapping[str, Any] | None = None,
        *,
        timeout: float | None = None,
        **options: Any,
    ) -> StartedRun:
        """Like `Functions.start_run`."""
        events = self.stream_run(function_id, variables, timeout=timeout, **options)
        try:
            async for event in events:
                if isinstance(event, RunStarted | RunFinished):
                    return event.run
        finally:
            await events.aclose()  # closes the stream: the run goes on without us reading its log
        raise _no_outcome(function_id)

    def follow_run(
        self, function_id: str, run_id: str, *, interval: float | None = None, timeout: float | None = None
    ) -> AsyncIterator[RunProgress]:
        """Like `Functions.follow_run`."""
        from notte_ext.watch import afollow

        settings = _follow_settings(function_id, run_id, interval, timeout)
        return afollow(lambda: self.get_run(function_id, run_id), settings, run_id)

    async def run(
        self,
        function_id: str,
        variables: Mapping[str, Any] | None = None,
        *,
        timeout: float | None = None,
        interval: float | None = None,
        raise_on_failure: bool = False,
        **options: Any,
    ) -> FunctionRunDetails:
        """Like `Functions.run`."""
        _check_run_options(timeout, interval, raise_on_failure)
        begun = time.monotonic()
        start_timeout = run_start_timeout(timeout)
        try:
            started = await self.start_run(function_id, variables, timeout=start_timeout, **options)
        except APITimeoutError as error:
            raise start_timed_out(error, function_id, start_timeout) from None
        remaining = _left(timeout, begun)
        last = None
        try:
            async for progress in self.follow_run(
                function_id, started.function_run_id, interval=interval, timeout=remaining
            ):
                last = progress.run
        except WatchTimeoutError as error:
            raise _timed_out(error, function_id, started.function_run_id, timeout or 0) from None
        return _finished(last, function_id, raise_on_failure)


def _no_outcome(function_id: str) -> Exception:
    return mismatch(_START_RUN, None, None, f"the run of {function_id!r} ended its answer without an outcome")
