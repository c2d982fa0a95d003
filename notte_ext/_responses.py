"""Turn an HTTP response into a generated model or a typed error. No I/O: shared by sync and async."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from http import HTTPStatus
from types import ModuleType
from typing import Any, NamedTuple, Protocol, Self, TypeVar

import httpx
import jiter

from notte_ext._bindings import ValidationErrorBody, ValidationErrorItem
from notte_ext._messages import MESSAGE_LIMIT, Secret, each_secret, one_line, redact, redact_json
from notte_ext._openapi import check_response, mismatch, operation, spec_version
from notte_ext._retry import retry_after_seconds
from notte_ext.errors import (
    APIStatusError,
    AuthenticationError,
    ForeignResponseError,
    NotFoundError,
    RateLimitError,
    RequestValidationError,
    ServerError,
)

# What the generated models raise on data they don't expect: a missing key, a bad enum, a malformed
# date, an instant out of datetime's range once in UTC (their from_dict hands out aware UTC: the
# codegen/templates override of the date-time property)...
_MODEL_ERRORS = (KeyError, ValueError, TypeError, AttributeError, OverflowError)


class Exchange(NamedTuple):
    """A request sent and its whole response read, not yet parsed (`NotteClient.result` parses)."""

    endpoint: ModuleType
    response: httpx.Response
    started: float  # time.perf_counter() when sent, for the debug log


class Model(Protocol):
    """What every generated model class has."""

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self: ...


M = TypeVar("M", bound=Model)

# What a JSON document can start with (after a BOM and whitespace): an HTML page or a plain-text error can't.
_JSON_FIRST_BYTES = frozenset(b'{["-0123456789tfn')
_FIRST_SIGNIFICANT_BYTE = re.compile(rb"(?:\xef\xbb\xbf)?[ \t\r\n]*(.)", re.DOTALL)


def _is_json_media_type(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


def reject_foreign_body(endpoint: ModuleType, response: httpx.Response, secret: Secret) -> None:
    """Raise `ForeignResponseError` for a 2xx that is plainly not the API's JSON, before any parsing.

    Called ahead of `parse_success`; cheap (headers and the first byte). A missing Content-Type is
    judged by the body alone.
    """
    content_type = response.headers.get("Content-Type", "")
    first = _FIRST_SIGNIFICANT_BYTE.match(response.content)  # no copy of the body
    if (not content_type or _is_json_media_type(content_type)) and first and first[1][0] in _JSON_FIRST_BYTES:
        return
    raise foreign_body_error(endpoint.__name__.rsplit(".", 1)[-1], response, secret)


# What decoding a body can raise: invalid JSON (JSONDecodeError and UnicodeDecodeError are ValueErrors),
# and valid JSON past what Python reads: nesting deeper than its recursion limit (RecursionError), an
# integer of more than 4,300 digits (ValueError). A server sending either is not the API either.
UNREADABLE_JSON = (ValueError, RecursionError)


def foreign_body_error(
    operation_id: str, response: httpx.Response, secret: Secret, cause: BaseException | None = None
) -> ForeignResponseError:
    """Say what arrived instead of the API's JSON (status, content type, the start of the body);
    `cause`: the decoding error, when the body was JSON-typed."""
    content_type = shown_header(response, "Content-Type", secret)
    what = f"Content-Type {content_type}" if content_type else "no Content-Type"
    # Redacted before it is cut: a key cut in two would no longer match, and half of it would show.
    longest = max(map(len, each_secret(secret)), default=0)
    head = response.content[: 200 + longest].decode("utf-8", "replace")
    excerpt = one_line(redact(head, secret), 80)
    problem = "body is not valid JSON" if _is_json_media_type(content_type) else "not the JSON the API sends"
    if cause is not None and not isinstance(cause, json.JSONDecodeError | UnicodeDecodeError):  # valid, too big
        problem = "body is JSON nested too deep or with too long a number for Python to read"
    return ForeignResponseError(
        f"{operation(operation_id).label}: HTTP {response.status_code} with {what}, {problem}: this is not "
        f"the Notte API speaking (a proxy, gateway or login page in between?); the body starts {excerpt!r}",
        operation=operation_id,
        content_type=content_type,
        value=excerpt,
        spec_version=spec_version(),
    )


def shown_header(response: httpx.Response, name: str, secret: Secret, limit: int = 100) -> str:
    """A response header as an error shows it: the key scrubbed (a server, or a proxy, may echo it in
    any header it sets, as in its body), on one line, cut ("" when absent)."""
    return one_line(redact(response.headers.get(name, ""), secret), limit)


def decode_json(content: bytes) -> Any:
    """`json.loads(content)`, about twice as fast on a page of runs.

    jiter (pydantic's parser, in Rust) takes about half the instructions of json.loads on a page of
    runs and allocates fewer objects the garbage collector counts; where it accepts a document it
    returns what json.loads does (ints of any size, the same floats, the last of duplicate keys).
    What it refuses (invalid JSON, but also what json.loads takes: NaN, a lone surrogate escape, a
    BOM, UTF-16) goes to json.loads, which decides as it always did.
    """
    try:
        return jiter.from_json(content)
    except ValueError:
        return json.loads(content)


def parse_success(endpoint: ModuleType, response: httpx.Response, expected: type[M], secret: Secret) -> M:
    """Validate a 2xx body against the vendored spec, then build the generated model from it.

    A mismatch quotes what the server sent, with the client's key (`secret`, and a proxy's credentials)
    scrubbed: a server may echo them.
    """
    operation_id = endpoint.__name__.rsplit(".", 1)[-1]
    try:
        body = decode_json(response.content)
    except UNREADABLE_JSON as exc:
        raise foreign_body_error(operation_id, response, secret, exc) from None
    check_response(operation_id, response.status_code, body, secret=secret)
    try:
        # The body is already decoded and checked: build the model directly rather than through the
        # endpoint's _parse_response, which would decode the JSON a second time.
        return expected.from_dict(body)
    except _MODEL_ERRORS as exc:
        # Most likely a value only the format check catches (a malformed date-time): name its field.
        check_response(operation_id, response.status_code, body, secret=secret, check_formats=True)
        problem = f"the generated model rejected it: {type(exc).__name__}"
        raise mismatch(operation_id, None, str(exc), problem, secret=secret) from None


def status_error(response: httpx.Response, api_key: Secret, *, note: str | None = None) -> APIStatusError:
    """The typed error for a non-2xx response; the key (and a proxy's credentials: `api_key` may be a
    tuple) is scrubbed from anything the server, or a proxy, echoed.

    A `Retry-After` becomes "retry after 1 h" at the end of the message (the CLI prints it as is);
    `note` says more (e.g. why it was not retried).
    """
    status = response.status_code
    retry_after = retry_after_seconds(response)
    body = redact_json(_body(response), api_key)
    request = response.request
    what = f"{request.method} {request.url.raw_path.decode('ascii').partition('?')[0]}"  # as sent: a/b stays a%2Fb
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "error"
    request_id = shown_header(response, "x-request-id", api_key, 64) or None
    common: dict[str, Any] = {"status_code": status, "request_id": request_id, "body": body}
    field_errors = _field_errors(body) if status == 422 else []
    detail = "; ".join(map(describe_field_error, field_errors)) or _detail(body)
    advice = [note] if note else []
    if retry_after is not None:
        advice.append(f"retry after {describe_wait(retry_after)}")
    head = f"{one_line(what, 120)} failed: HTTP {status} {phrase}"
    tail = "".join(f"; {a}" for a in advice)
    # NotteError cuts every message at MESSAGE_LIMIT: the server's detail gives way, so that what to do
    # next (retry after, not retried) and the request id APIStatusError appends are never cut off.
    suffix = f" (request id {request_id})" if request_id else ""
    room = MESSAGE_LIMIT - len(head) - len(": ") - len(tail) - len(suffix)
    shown = one_line(redact(detail, api_key), max(room, 20)) if detail else ""
    message = one_line(redact(head, api_key) + (f": {shown}" if shown else "") + tail)
    if status in (401, 403):
        return AuthenticationError(message, **common)
    if status == 404:
        return NotFoundError(message, **common)
    if status == 422:
        return RequestValidationError(message, errors=field_errors, **common)
    if status == 429:
        return RateLimitError(message, retry_after=retry_after, **common)
    if status >= 500:
        return ServerError(message, retry_after=retry_after, **common)
    return APIStatusError(message, **common)


def _body(response: httpx.Response) -> Any:
    try:
        return response.json()
    except UNREADABLE_JSON:
        return response.text


def describe_wait(seconds: float) -> str:
    """3600 -> '1 h', 5400 -> '1 h 30 min', 90 -> '1 min 30 s', 0.5 -> '1 s' (rounded up: never too early)."""
    whole = math.ceil(seconds)
    if whole == 0:
        return "0 s"
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return " ".join(f"{value} {unit}" for value, unit in ((hours, "h"), (minutes, "min"), (secs, "s")) if value)


def _detail(body: Any) -> str:
    detail = body.get("detail", body) if isinstance(body, dict) else body
    return one_line(str(detail), 200) if detail else ""


def _field_errors(body: Any) -> list[ValidationErrorItem]:
    """The spec's 422 body (FastAPI's HTTPValidationError), parsed by the generated model; [] if the body isn't one."""
    try:
        parsed = ValidationErrorBody.from_dict(body)
    except _MODEL_ERRORS:
        return []
    return list(parsed.detail) if isinstance(parsed.detail, list) else []


def describe_field_error(error: ValidationErrorItem) -> str:
    """'page_size: Input should be <= 100', without FastAPI's location prefix (query/path/body)."""
    parts = [str(part) for part in error.loc]
    if len(parts) > 1 and parts[0] in {"query", "path", "header", "body", "cookie"}:
        parts = parts[1:]
    return f"{'.'.join(parts)}: {error.msg}"
