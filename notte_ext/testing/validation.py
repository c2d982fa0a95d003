"""Check response bodies against the vendored ``openapi.json`` (the documented 200 and 422 schemas).

Used by the server on every documented response it generates, and offered to users:

    validate_response(response.json(), response.status_code)   # raises SpecViolationError
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

__all__ = [
    "DEFAULT_SPEC_PATH",
    "DOCUMENTED_STATUSES",
    "SpecViolationError",
    "load_validators",
    "spec_violations",
    "validate_response",
]

#: The vendored spec (present in a source checkout of notte-ext).
DEFAULT_SPEC_PATH = Path(__file__).resolve().parent.parent / "openapi.json"  # the spec packaged in notte_ext
_OPERATION = ("/functions/{function_id}/runs", "get")
_SPEC_URI = "urn:notte:openapi"
#: The statuses whose bodies the spec documents.
DOCUMENTED_STATUSES = (200, 422)
# RFC 3339 date-time, which OpenAPI's "date-time" format means: the offset is mandatory.
_DATE_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)")


class SpecViolationError(AssertionError):
    """A response body does not match its schema in openapi.json (an AssertionError, so pytest shows it well)."""


def _is_date_time(value: object) -> bool:
    return not isinstance(value, str) or _DATE_TIME.fullmatch(value) is not None


@functools.cache
def _validator(spec_path: Path, status: int) -> Validator:
    # Imported here: jsonschema is the ``testing`` extra, and the pytest plugin loads this package.
    try:
        from jsonschema import Draft202012Validator, FormatChecker
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT202012
    except ImportError as missing:  # pragma: no cover - depends on the environment
        raise ImportError("validating responses needs jsonschema: pip install 'notte-ext[testing]'") from missing

    if not spec_path.is_file():
        raise FileNotFoundError(f"no OpenAPI document at {spec_path}: pass spec_path= (the vendored openapi.json)")
    spec = json.loads(spec_path.read_text())
    path, method = _OPERATION
    responses = spec["paths"][path][method]["responses"]
    if str(status) not in responses:
        raise ValueError(f"openapi.json documents no body for HTTP {status} (documented: {', '.join(responses)})")
    response_schema = responses[str(status)]["content"]["application/json"]["schema"]
    # Register the whole document so "#/components/..." refs resolve inside it.
    registry: Registry[Any] = Registry().with_resource(_SPEC_URI, Resource.from_contents(spec, DRAFT202012))
    formats = FormatChecker(formats=())
    formats.checks("date-time")(_is_date_time)
    schema = {"$ref": _SPEC_URI + response_schema["$ref"]}
    return Draft202012Validator(schema, registry=registry, format_checker=formats)


def load_validators(spec_path: Path = DEFAULT_SPEC_PATH) -> None:
    """Build the validators now (fails fast on a missing spec instead of inside a server thread)."""
    for status in DOCUMENTED_STATUSES:
        _validator(spec_path, status)


def spec_violations(body: Any, status: int = 200, *, spec_path: Path = DEFAULT_SPEC_PATH) -> list[str]:
    """Readable violations of the schema documented for ``status`` (200 or 422); [] when valid."""
    errors = sorted(_validator(spec_path, status).iter_errors(body), key=lambda error: list(error.absolute_path))
    return [f"{'/'.join(map(str, error.absolute_path)) or '<body>'}: {error.message}" for error in errors]


def validate_response(body: Any, status: int = 200, *, spec_path: Path = DEFAULT_SPEC_PATH) -> None:
    """Raise ``SpecViolationError`` listing every way ``body`` breaks the documented schema."""
    violations = spec_violations(body, status, spec_path=spec_path)
    if violations:
        raise SpecViolationError(f"HTTP {status} body does not match openapi.json:\n  " + "\n  ".join(violations))
