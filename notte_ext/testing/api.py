"""The endpoint's behaviour, as the served OpenAPI document declares it, without any networking.

GET /functions/{function_id}/runs: bearer auth (401), validation of every declared query
parameter with FastAPI's error shape (422), unknown function (404), then a newest-first page.
Declared filters the server can honour are honoured (``only_active``, ``only_current_token``,
``include_system``); any other declared parameter is validated and accepted.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, replace
from http import HTTPStatus
from typing import Any

from notte_ext.testing.exchange import IncomingRequest, Reply
from notte_ext.testing.operation import RunsOperation
from notte_ext.testing.query import read_query
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
    start = (query.page - 1) * query.page_size
    return {
        "items": [copy.deepcopy(dict(run.body)) for run in runs[start : start + query.page_size]],
        "page": query.page,
        "page_size": query.page_size,
        "has_next": start + query.page_size < len(runs),
        "has_previous": query.page > 1,
    }


def last_page_number(runs: list[StoredRun], page_size: int) -> int:
    return max(1, math.ceil(len(runs) / page_size))


def _detail(status: HTTPStatus, detail: str | None = None) -> Reply:
    return Reply(int(status), {"detail": detail or status.phrase})


def handle(
    request: IncomingRequest,
    store: RunStore,
    api_keys: Callable[[], Collection[str]],
    operation: RunsOperation | None = None,
) -> tuple[Reply, ListQuery | None]:
    """The spec-faithful reply, and the parsed query when the request got as far as a listing.

    ``operation``: the served document's (default: the vendored spec)."""
    if request.function_id is None:
        return _detail(HTTPStatus.NOT_FOUND), None
    if request.method != "GET":
        return _detail(HTTPStatus.METHOD_NOT_ALLOWED), None
    # FastAPI resolves the OAuth2 dependency before it validates the query: 401 wins over 422.
    token = bearer_token(request)
    if token is None:
        return Reply(401, {"detail": "Not authenticated"}, {"WWW-Authenticate": "Bearer"}), None
    if token not in api_keys():
        return Reply(401, {"detail": "Invalid API key"}, {"WWW-Authenticate": "Bearer"}), None
    parsed = parse_list_query(request.query, operation)
    if isinstance(parsed, list):
        return Reply(422, {"detail": parsed}), None
    runs = matching_runs(store, request.function_id, parsed, token)
    if runs is None:
        return _detail(HTTPStatus.NOT_FOUND, "Function not found"), None
    return Reply(200, page_of(runs, parsed)), parsed
