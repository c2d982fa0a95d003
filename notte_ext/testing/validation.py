"""Check bodies against an OpenAPI document (the documented 200 and 422 schemas of an operation,
by default the runs listing; and request bodies), by default the vendored ``openapi.json``.

Used by the server on every documented response it generates, and offered to users:

    validate_response(response.json(), response.status_code)   # raises SpecViolationError
    validate_response(body, 200, spec=Path("revision.json"))    # against another revision
    validate_response(body, 200, operation_id="list_functions") # another operation's response
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from notte_ext.testing.operation import DEFAULT_SPEC_PATH, RunsOperation, SpecSource

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

__all__ = [
    "DEFAULT_SPEC_PATH",
    "DOCUMENTED_STATUSES",
    "SpecViolationError",
    "load_validators",
    "schema_validator",
    "spec_violations",
    "validate_response",
]

_SPEC_URI = "urn:notte:openapi"
#: The statuses whose bodies the spec documents.
DOCUMENTED_STATUSES = (200, 422)
# RFC 3339 date-time, which OpenAPI's "date-time" format means: the offset is mandatory.
_DATE_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)")


class SpecViolationError(AssertionError):
    """A response body does not match its schema in openapi.json (an AssertionError, so pytest shows it well)."""


def _is_date_time(value: object) -> bool:
    return not isinstance(value, str) or _DATE_TIME.fullmatch(value) is not None


def _validator(operation: RunsOperation, status: int) -> Validator:
    return schema_validator(operation, operation.response_pointer(status))


# Keyed by the operation object: one per path (cached by RunsOperation.load), one per server given a document.
@functools.lru_cache(maxsize=512)
def schema_validator(operation: RunsOperation, pointer: str) -> Validator:
    """A validator of the schema at ``pointer`` (``#/paths/...``) in the operation's document."""
    # Imported here: jsonschema is the ``testing`` extra, and the pytest plugin loads this package.
    try:
        from jsonschema import Draft202012Validator, FormatChecker
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT202012
    except ImportError as missing:  # pragma: no cover - depends on the environment
        raise ImportError("validating responses needs jsonschema: pip install 'notte-ext[testing]'") from missing

    # Register the whole document so "#/components/..." refs resolve inside it.
    registry: Registry[Any] = Registry().with_resource(
        _SPEC_URI, Resource.from_contents(dict(operation.document), DRAFT202012)
    )
    formats = FormatChecker(formats=())
    formats.checks("date-time")(_is_date_time)
    return Draft202012Validator({"$ref": _SPEC_URI + pointer}, registry=registry, format_checker=formats)


def _operation(spec: SpecSource, spec_path: Path | None) -> RunsOperation:
    return RunsOperation.load(spec_path if spec is None else spec)


def load_validators(spec: SpecSource = None) -> None:
    """Build the validators now (fails fast on a missing spec instead of inside a server thread)."""
    listing = RunsOperation.load(spec)
    for _method, _path, declared in listing.operations():
        operation = listing.of(str(declared["operationId"]))
        for status in DOCUMENTED_STATUSES:
            if "application/json" in operation.operation.get("responses", {}).get(str(status), {}).get("content", {}):
                _validator(operation, status)


def spec_violations(
    body: Any,
    status: int = 200,
    *,
    spec: SpecSource = None,
    spec_path: Path | None = None,
    operation_id: str | None = None,
) -> list[str]:
    """Readable violations of the schema documented for ``status`` (200 or 422); [] when valid.

    ``spec``: the document (a path, the parsed JSON, or a ``RunsOperation``; default: the vendored
    spec). ``spec_path`` is its older name. ``operation_id``: whose response (default: the runs listing).
    """
    operation = _operation(spec, spec_path)
    validator = _validator(operation.of(operation_id) if operation_id else operation, status)
    return violations_of(validator, body)


def violations_of(validator: Validator, body: Any) -> list[str]:
    """Each way ``body`` breaks the validator's schema, as ``path: message``, in path order."""
    errors = sorted(validator.iter_errors(body), key=lambda error: list(error.absolute_path))
    return [f"{'/'.join(map(str, error.absolute_path)) or '<body>'}: {error.message}" for error in errors]


def validate_response(
    body: Any,
    status: int = 200,
    *,
    spec: SpecSource = None,
    spec_path: Path | None = None,
    operation_id: str | None = None,
) -> None:
    """Raise ``SpecViolationError`` listing every way ``body`` breaks the documented schema."""
    violations = spec_violations(body, status, spec=spec, spec_path=spec_path, operation_id=operation_id)
    if violations:
        raise SpecViolationError(f"HTTP {status} body does not match openapi.json:\n  " + "\n  ".join(violations))
