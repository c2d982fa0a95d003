"""The endpoint's behaviour, as API 1.4.40 documents it, without any networking.

GET /functions/{function_id}/runs: bearer auth (401), query validation with FastAPI's
error shape (422), unknown function (404), then a newest-first page.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Collection
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from notte_ext.testing.exchange import IncomingRequest, Reply, parse_int
from notte_ext.testing.store import RunStore, StoredRun

__all__ = ["ListQuery", "bearer_token", "handle", "page_of", "parse_list_query"]

# pydantic's lax boolean words (compared case-insensitively).
_TRUE = {"1", "on", "t", "true", "y", "yes"}
_FALSE = {"0", "off", "f", "false", "n", "no"}


@dataclass(frozen=True)
class ListQuery:
    page: int = 1
    page_size: int = 10
    only_active: bool = True  # the spec's default (a trap for clients that omit it)
    only_current_token: bool = False


def _error(name: str, kind: str, msg: str, value: str, **ctx: int) -> dict[str, Any]:
    error: dict[str, Any] = {"type": kind, "loc": ["query", name], "msg": msg, "input": value}
    if ctx:
        error["ctx"] = ctx
    return error


def _int(query: dict[str, str], name: str, default: int, low: int, high: int | None, errors: list[Any]) -> int:
    if name not in query:
        return default
    text = query[name]
    value = parse_int(text)
    if value is None:
        errors.append(
            _error(name, "int_parsing", "Input should be a valid integer, unable to parse string as an integer", text)
        )
    elif value < low:
        errors.append(
            _error(name, "greater_than_equal", f"Input should be greater than or equal to {low}", text, ge=low)
        )
    elif high is not None and value > high:
        errors.append(_error(name, "less_than_equal", f"Input should be less than or equal to {high}", text, le=high))
    else:
        return value
    return default


def _bool(query: dict[str, str], name: str, default: bool, errors: list[Any]) -> bool:
    if name not in query:
        return default
    word = query[name].strip().lower()
    if word in _TRUE or word in _FALSE:
        return word in _TRUE
    errors.append(
        _error(name, "bool_parsing", "Input should be a valid boolean, unable to interpret input", query[name])
    )
    return default


def parse_list_query(query: dict[str, str]) -> ListQuery | list[dict[str, Any]]:
    """The validated parameters, or every validation error (FastAPI reports them all at once)."""
    errors: list[dict[str, Any]] = []
    parsed = ListQuery(
        page=_int(query, "page", 1, 1, None, errors),
        page_size=_int(query, "page_size", 10, 1, 100, errors),
        only_active=_bool(query, "only_active", True, errors),
        only_current_token=_bool(query, "only_current_token", False, errors),
    )
    return errors or parsed


def bearer_token(request: IncomingRequest) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


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
    request: IncomingRequest, store: RunStore, api_keys: Callable[[], Collection[str]]
) -> tuple[Reply, ListQuery | None]:
    """The spec-faithful reply, and the parsed query when the request got as far as a listing."""
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
    parsed = parse_list_query(dict(request.query))
    if isinstance(parsed, list):
        return Reply(422, {"detail": parsed}), None
    runs = store.listing(
        request.function_id, only_active=parsed.only_active, token=token if parsed.only_current_token else None
    )
    if runs is None:
        return _detail(HTTPStatus.NOT_FOUND, "Function not found"), None
    return Reply(200, page_of(runs, parsed)), parsed
