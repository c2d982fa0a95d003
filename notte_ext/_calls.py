"""One call of a bound operation, validated before any request. No I/O: shared by the sync and async clients.

An operation is bound by its operationId (notte_ext/_bindings.py, written by `make generate`): its
generated endpoint module, the model its 200 parses into, and the table of its query parameters.
`Bound.call` checks the path segments (never `.`/`..`, which would leave the path), the query
parameters (against the spec) and hands back what `client.send` needs, so each method of
`Functions` is one line of configuration.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from types import ModuleType
from typing import Any, Generic
from urllib.parse import quote

from attrs import frozen

from notte_ext import _bindings
from notte_ext._arguments import is_text
from notte_ext._parameters import caller_parameters, check_parameters
from notte_ext._responses import M
from notte_ext.errors import InvalidArgumentError

# A segment's length once percent-encoded (as sent): far beyond any id the API hands out (a UUID is 36),
# within what servers take in a request line (8 KiB is common), far below httpx's own 64 KiB limit.
MAX_SEGMENT_CHARS = 8 * 1024


def check_segment(name: str, value: object) -> str:
    """Reject values that can't be one path segment: "." and ".." would be resolved away by the
    URL (`/functions/../runs` is `/runs`), sending an authenticated request elsewhere."""
    if not isinstance(value, str):
        raise InvalidArgumentError(f"{name} must be a string, got {type(value).__name__}")
    if len(value) > MAX_SEGMENT_CHARS or len(quote(value, safe="")) > MAX_SEGMENT_CHARS:
        raise InvalidArgumentError(f"{name} is too long: at most {MAX_SEGMENT_CHARS:,} characters once percent-encoded")
    if not is_text(value):
        raise InvalidArgumentError(f"{name} {value!r:.40} is not UTF-8 text (it holds bytes that were not UTF-8)")
    if value.strip() in {"", ".", ".."}:
        raise InvalidArgumentError(f"{name} {value!r} is not a valid {name.replace('_', ' ')}")
    return value


@frozen
class Call(Generic[M]):
    """What `client.send(endpoint, expected, **arguments)` needs for one request."""

    endpoint: ModuleType
    expected: type[M]
    arguments: dict[str, Any]


@frozen
class Bound(Generic[M]):
    """An operation of the vendored spec and the model its 200 parses into (a bound name)."""

    operation_id: str
    result: type[M]

    @property
    def endpoint(self) -> ModuleType:
        module: ModuleType = getattr(_bindings, self.operation_id)
        return module

    @property
    def query_table(self) -> Mapping[str, tuple[str, type[Enum] | None]]:
        table: Mapping[str, tuple[str, type[Enum] | None]] = getattr(_bindings, f"{self.operation_id.upper()}_QUERY")
        return table

    def parameters(self) -> dict[str, dict[str, Any]]:
        """The query parameters a caller may set, by generated name, with their spec schema."""
        return caller_parameters(self.operation_id, self.query_table)

    def call(self, path: Mapping[str, object], query: Mapping[str, Any] | None = None, **more: Any) -> Call[M]:
        """The checked arguments: path segments by name, query parameters, and `more` (a body...)."""
        arguments = {name: check_segment(name, value) for name, value in path.items()}
        arguments |= check_parameters(self.operation_id, self.query_table, query or {})
        return Call(self.endpoint, self.result, arguments | more)
