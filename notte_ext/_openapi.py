"""The vendored OpenAPI document (openapi.json, packaged in notte_ext) at run time: its version,
operations and response validators.

The generated models trust what they are given (a string field accepts an int, an unknown
enum value dies in a bare ValueError). Validating each documented response against the
vendored schema first turns any drift into one `SchemaMismatchError` naming the field.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from importlib.resources import files
from typing import Any

import jsonschema_rs
from attrs import define

from notte_ext._messages import Secret, one_line, redact, redact_json
from notte_ext._oas import HTTP_METHODS
from notte_ext._timestamps import aware_utc
from notte_ext.errors import SchemaMismatchError

DRIFT_HINT = "run `notte-ext spec drift` to compare the vendored spec with upstream"


@cache
def document() -> dict[str, Any]:
    text = files("notte_ext").joinpath("openapi.json").read_text(encoding="utf-8")
    parsed: dict[str, Any] = json.loads(text)
    return parsed


def spec_version() -> str:
    return str(document()["info"]["version"])


@define(frozen=True)
class OperationInfo:
    operation_id: str
    method: str
    path: str
    responses: dict[str, Any]
    parameters: list[dict[str, Any]]
    request_body: dict[str, Any]  # {} when the operation takes none

    def parameter_schema(self, name: str) -> dict[str, Any]:
        return next(p.get("schema", {}) for p in self.parameters if p.get("name") == name)

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"


@cache
def operation(operation_id: str) -> OperationInfo:
    for path, item in document()["paths"].items():
        for method in HTTP_METHODS:
            if item.get(method, {}).get("operationId") == operation_id:
                spec_op = item[method]
                return OperationInfo(
                    operation_id,
                    method,
                    path,
                    spec_op.get("responses", {}),
                    spec_op.get("parameters", []),
                    spec_op.get("requestBody", {}),
                )
    raise KeyError(f"operation {operation_id!r} is not in the vendored spec")


def _is_datetime(value: str) -> bool:
    # Naive timestamps are tolerated here: the client normalizes them to UTC. An instant that
    # RFC 3339 allows but UTC can't hold (0001-01-01T00:00:00+01:00) is refused here, by field.
    try:
        aware_utc(dt.datetime.fromisoformat(value))
    except (ValueError, OverflowError):
        return False
    return True


@cache
def _validator(operation_id: str, status: int, check_formats: bool) -> jsonschema_rs.Validator | None:
    info = operation(operation_id)
    media = info.responses.get(str(status), {}).get("content", {}).get("application/json")
    if media is None or "schema" not in media:
        return None
    schema = {**media["schema"], "components": document().get("components", {})}
    # jsonschema-rs validates in native code (~0.3 µs per run; fastjsonschema's generated Python took
    # ~4 µs) and never writes defaults into the body it checks. offline: every $ref is local, a remote
    # one must fail rather than be fetched. mask: its messages say "the value" instead of dumping the
    # instance (a whole page when the body has the wrong shape); the error quotes the value itself.
    return jsonschema_rs.validator_for(
        schema,
        formats={"date-time": _is_datetime},
        validate_formats=check_formats,
        offline=True,
        mask="the value",
    )


def check_response(
    operation_id: str, status: int, body: Any, *, secret: Secret = None, check_formats: bool = False
) -> None:
    """Raise SchemaMismatchError unless `body` matches the spec's schema for this status.

    Without `check_formats` (the hot path) string formats such as date-time are not checked: the
    generated models parse those anyway, and a failure there is re-checked with formats to name
    the field. `secret` (the API key) is scrubbed from the offending value the error quotes."""
    validator = _validator(operation_id, status, check_formats)
    if validator is None:
        return
    try:
        validator.validate(body)
    except jsonschema_rs.ValidationError as exc:
        path, problem, value = list(exc.instance_path), exc.message, exc.instance
        if isinstance(exc.kind, jsonschema_rs.ValidationErrorKind.Required):
            path, problem, value = [*path, exc.kind.property], "required but missing", MISSING
        raise mismatch(operation_id, _render_path(path), value, problem, secret=secret) from None
    except ValueError as exc:  # not a ValidationError: JSON nested past what jsonschema-rs walks
        raise mismatch(operation_id, None, MISSING, f"it can't be checked: {exc}", secret=secret) from None


MISSING: Any = object()


def mismatch(
    operation_id: str, field: str | None, value: Any, problem: str, *, secret: Secret = None, free_form: bool = False
) -> SchemaMismatchError:
    """`free_form`: the spec declares this answer as anything (`{}`: runs/start), so what was missed is
    what the API sends and the client reads (as the official SDK does), not the spec."""
    value = value if value is MISSING else redact_json(value, secret)
    where = f"field {field!r}" if field else "the response"
    got = "" if value is MISSING else f"; got {one_line(repr(value), 80)}"
    expected = (
        f"is not what the API sends (API spec {spec_version()} leaves this answer free-form)"
        if free_form
        else f"does not match API spec {spec_version()}"
    )
    message = f"{operation(operation_id).label}: {where} {expected} ({problem}{got})"
    return SchemaMismatchError(
        f"{redact(message, secret)}; {DRIFT_HINT}",
        operation=operation_id,
        field=field,
        value=value,
        spec_version=spec_version(),
    )


def _render_path(path: list[str | int]) -> str | None:
    """['items', 3, 'status'] -> 'items[3].status' (array indexes are ints, property names strs)."""
    rendered = ""
    for part in path:
        rendered += f"[{part}]" if isinstance(part, int) else f".{part}" if rendered else part
    return rendered or None
