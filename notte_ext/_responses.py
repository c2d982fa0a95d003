"""Turn an HTTP response into a generated model or a typed error. No I/O: shared by sync and async."""

from __future__ import annotations

import json
from collections.abc import Mapping
from http import HTTPStatus
from types import ModuleType
from typing import Any, Protocol, Self, TypeVar

import httpx
from notte_api_client.models import HTTPValidationError, ValidationError

from notte_ext._openapi import check_response, mismatch
from notte_ext._retry import retry_after_seconds
from notte_ext._timestamps import normalize_timestamps
from notte_ext.errors import (
    APIStatusError,
    AuthenticationError,
    NotFoundError,
    RateLimitError,
    RequestValidationError,
    ServerError,
    one_line,
    redact,
    redact_json,
)

# What the generated models (and UTC normalization) raise on data they don't expect: a missing
# key, a bad enum, a malformed date, an instant out of datetime's range once in UTC...
_MODEL_ERRORS = (KeyError, ValueError, TypeError, AttributeError, OverflowError)


class Model(Protocol):
    """What every generated model class has."""

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self: ...


M = TypeVar("M", bound=Model)


def parse_success(endpoint: ModuleType, response: httpx.Response, expected: type[M], secret: str) -> M:
    """Validate a 2xx body against the vendored spec, then build the generated model from it.

    A mismatch quotes what the server sent, with the client's key (`secret`) scrubbed: a server may echo it.
    """
    operation_id = endpoint.__name__.rsplit(".", 1)[-1]
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise mismatch(operation_id, None, response.text, "body is not valid JSON", secret=secret) from None
    check_response(operation_id, response.status_code, body, secret=secret)
    try:
        # The body is already decoded and checked: build the model directly rather than through the
        # endpoint's _parse_response, which would decode the JSON a second time.
        return normalize_timestamps(expected.from_dict(body))
    except _MODEL_ERRORS as exc:
        # Most likely a value only the format check catches (a malformed date-time): name its field.
        check_response(operation_id, response.status_code, body, secret=secret, check_formats=True)
        problem = f"the generated model rejected it: {type(exc).__name__}"
        raise mismatch(operation_id, None, str(exc), problem, secret=secret) from None


def status_error(response: httpx.Response, api_key: str) -> APIStatusError:
    """The typed error for a non-2xx response; the key is scrubbed from anything the server echoed."""
    status = response.status_code
    body = redact_json(_body(response), api_key)
    request = response.request
    what = f"{request.method} {request.url.raw_path.decode('ascii').partition('?')[0]}"  # as sent: a/b stays a%2Fb
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "error"
    common: dict[str, Any] = {
        "status_code": status,
        "request_id": response.headers.get("x-request-id"),
        "body": body,
    }
    field_errors = _field_errors(body) if status == 422 else []
    detail = "; ".join(map(describe_field_error, field_errors)) or _detail(body)
    message = redact(one_line(f"{what} failed: HTTP {status} {phrase}" + (f": {detail}" if detail else "")), api_key)
    if status in (401, 403):
        return AuthenticationError(message, **common)
    if status == 404:
        return NotFoundError(message, **common)
    if status == 422:
        return RequestValidationError(message, errors=field_errors, **common)
    if status == 429:
        return RateLimitError(message, retry_after=retry_after_seconds(response), **common)
    if status >= 500:
        return ServerError(message, **common)
    return APIStatusError(message, **common)


def _body(response: httpx.Response) -> Any:
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return response.text


def _detail(body: Any) -> str:
    detail = body.get("detail", body) if isinstance(body, dict) else body
    return one_line(str(detail), 200) if detail else ""


def _field_errors(body: Any) -> list[ValidationError]:
    """The spec's HTTPValidationError, parsed by the generated model; [] if the body isn't one."""
    try:
        parsed = HTTPValidationError.from_dict(body)
    except _MODEL_ERRORS:
        return []
    return list(parsed.detail) if isinstance(parsed.detail, list) else []


def describe_field_error(error: ValidationError) -> str:
    """'page_size: Input should be <= 100', without FastAPI's location prefix (query/path/body)."""
    parts = [str(part) for part in error.loc]
    if len(parts) > 1 and parts[0] in {"query", "path", "header", "body", "cookie"}:
        parts = parts[1:]
    return f"{'.'.join(parts)}: {error.msg}"
