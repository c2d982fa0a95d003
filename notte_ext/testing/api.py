"""The API's behaviour, as the served OpenAPI document declares it, without any networking.

Every request is routed to the document's operation by method and path (404, or 405 with ``Allow``
for any other method, HEAD served as GET), then bearer auth (401: FastAPI resolves the OAuth2
dependency before anything else, so 401 wins over 422), then the operation's handler: the runs listing here, the functions' operations in
``functions_api``, a run's in ``runs_api``. The runs listing validates every declared query
parameter with FastAPI's error shape (422), answers 404 for an unknown function, then a newest-first
page. Declared filters the server can honour are honoured (``only_active``, ``only_current_token``,
``include_system``); any other declared parameter is validated and accepted.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from http import HTTPStatus
from typing import Any

from notte_ext.testing import functions_api, runs_api
from notte_ext.testing.exchange import IncomingRequest, Reply
from notte_ext.testing.operation import OPERATION_ID, RunsOperation
from notte_ext.testing.query import read_query
from notte_ext.testing.state import ApiState, detail, validation_error
from notte_ext.testing.store import RunStore, StoredRun

__all__ = [
    "SYSTEM_TOKEN",
    "ListQuery",
    "bearer_token",
    "handle",
    "last_page_number",
    "matching_runs",
    "page_of",
    "parse_list_query",
    "records_page",
]

#: The token of runs Notte itself started (not any API key): ``add_run(..., token=SYSTEM_TOKEN)``.
#: ``include_system=false`` hides them, where the spec declares that parameter.
SYSTEM_TOKEN = "notte-system"  # noqa: S105 - a marker for runs no key created, not a credential


@dataclass(frozen=True)
class ListQuery:
    """A listing's query after validation. ``parse_list_query`` fills in the spec's defaults; the
    class defaults filter nothing. ``values`` holds every declared parameter, honoured or not."""

    page: int = 1
    page_size: int = 10
    only_active: bool = False
    only_current_token: bool = False
    include_system: bool = True
    values: Mapping[str, Any] = field(default_factory=dict)

    def on_page(self, page: int) -> ListQuery:
        return replace(self, page=page)


def parse_list_query(
    query: Mapping[str, str], operation: RunsOperation | None = None
) -> ListQuery | list[dict[str, Any]]:
    """The validated parameters, or every validation error (FastAPI reports them all at once).

    ``operation``: the served document's (default: the vendored spec). A filter the document
    does not declare is not applied.
    """
    values = read_query(query, operation or RunsOperation.load())
    if isinstance(values, list):
        return values
    return ListQuery(
        page=int(values.get("page") or 1),
        page_size=int(values.get("page_size") or 10),
        only_active=bool(values.get("only_active", False)),
        only_current_token=bool(values.get("only_current_token", False)),
        include_system=bool(values.get("include_system", True)),
        values=values,
    )


def bearer_token(request: IncomingRequest) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def matching_runs(store: RunStore, function_id: str, query: ListQuery, token: str) -> list[StoredRun] | None:
    """The runs ``query`` lists for the caller with ``token``, newest first; None for an unknown function."""
    runs = store.listing(function_id, only_active=query.only_active, token=token if query.only_current_token else None)
    if runs is None or query.include_system:
        return runs
    return [run for run in runs if run.token != SYSTEM_TOKEN]


def page_of(runs: list[StoredRun], query: ListQuery) -> dict[str, Any]:
    return records_page([run.body for run in runs], query)


def records_page(records: Sequence[Mapping[str, Any]], query: ListQuery) -> dict[str, Any]:
    """One page of any listing (``PaginatedResponse_*``): copies of the records on ``query.page``."""
    start = (query.page - 1) * query.page_size
    return {
        "items": [copy.deepcopy(dict(record)) for record in records[start : start + query.page_size]],
        "page": query.page,
        "page_size": query.page_size,
        "has_next": start + query.page_size < len(records),
        "has_previous": query.page > 1,
    }


def last_page_number(records: Sequence[object], page_size: int) -> int:
    return max(1, math.ceil(len(records) / page_size))


Handled = tuple[Reply, ListQuery | None]
Handler = Callable[[IncomingRequest, ApiState, str], Handled]


def list_runs(request: IncomingRequest, state: ApiState, token: str) -> Handled:
    parsed = parse_list_query(request.query, state.spec)
    if isinstance(parsed, list):
        return validation_error(parsed), None
    runs = matching_runs(state.runs, str(request.function_id), parsed, token)
    if runs is None:
        return detail(HTTPStatus.NOT_FOUND, "Function not found"), None
    return Reply(200, page_of(state.order.apply(runs), parsed)), parsed


def list_functions(request: IncomingRequest, state: ApiState, token: str) -> Handled:
    parsed = parse_list_query(request.query, state.spec.of(functions_api.LIST_FUNCTIONS))
    if isinstance(parsed, list):
        return validation_error(parsed), None
    functions = functions_api.listing(state, parsed.only_active, token if parsed.only_current_token else None)
    return Reply(200, records_page(functions, parsed)), parsed


def _with_no_query(handler: Callable[[IncomingRequest, ApiState, str], Reply]) -> Handler:
    return lambda request, state, token: (handler(request, state, token), None)


# Every operation the server knows, by operationId; one the served document declares and this
# table lacks answers 501.
HANDLERS: dict[str, Handler] = {
    OPERATION_ID: list_runs,
    functions_api.LIST_FUNCTIONS: list_functions,
    **{operation_id: _with_no_query(handler) for operation_id, handler in functions_api.HANDLERS.items()},
    **{operation_id: _with_no_query(handler) for operation_id, handler in runs_api.HANDLERS.items()},
}


def handle(request: IncomingRequest, state: ApiState) -> Handled:
    """The spec-faithful reply, and the parsed query when the request got as far as a listing."""
    own = runs_api.serve_runner(request, state) or functions_api.serve_download(request, state)
    if own is not None:  # the API's own links, outside the document: the run's runner, a file download
        return own, None
    if request.operation_id is None and request.route_status == HTTPStatus.METHOD_NOT_ALLOWED:
        return detail(HTTPStatus.METHOD_NOT_ALLOWED, Allow=", ".join(request.allowed_methods)), None
    if request.operation_id is None:  # no such path
        return detail(HTTPStatus.NOT_FOUND), None
    token = bearer_token(request)
    if token is None:
        return Reply(401, {"detail": "Not authenticated"}, {"WWW-Authenticate": "Bearer"}), None
    if token not in state.api_keys():
        return Reply(401, {"detail": "Invalid API key"}, {"WWW-Authenticate": "Bearer"}), None
    handler = HANDLERS.get(request.operation_id)
    if handler is None:
        return detail(HTTPStatus.NOT_IMPLEMENTED, f"the local server does not serve {request.operation_id}"), None
    return handler(request, state, token)
