"""Query parameters (and headers, and form fields: any text value) read the way the API (FastAPI +
pydantic) reads them, from their declared schemas.

Every parameter the document declares is checked (integer/number bounds, booleans, enums,
string lengths and patterns, required ones), and every failure is reported at once in
FastAPI's 422 shape: ``{"type", "loc": ["query", name], "msg", "input"[, "ctx"]}``.
Absent parameters take the spec's default. Undeclared ones are ignored, as FastAPI does.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from notte_ext.testing.exchange import parse_int
from notte_ext.testing.operation import QueryParameter, RunsOperation

__all__ = ["read_query", "read_values"]

# pydantic's lax boolean words (compared case-insensitively).
_TRUE = {"1", "on", "t", "true", "y", "yes"}
_FALSE = {"0", "off", "f", "false", "n", "no"}
_NUMBER = re.compile(r"\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*|\s*[+-]?(inf|infinity|nan)\s*", re.IGNORECASE)

# JSON-schema bound → pydantic's error type, ctx key and wording; a valid value satisfies `holds(value, bound)`.
_BOUNDS: tuple[tuple[str, str, str, str, Callable[[Any, Any], bool]], ...] = (
    ("minimum", "greater_than_equal", "ge", "greater than or equal to", operator.ge),
    ("exclusiveMinimum", "greater_than", "gt", "greater than", operator.gt),
    ("maximum", "less_than_equal", "le", "less than or equal to", operator.le),
    ("exclusiveMaximum", "less_than", "lt", "less than", operator.lt),
)


class _Invalid(Exception):
    def __init__(self, kind: str, msg: str, **ctx: Any) -> None:
        super().__init__(msg)
        self.kind, self.msg, self.ctx = kind, msg, ctx


def read_query(query: Mapping[str, str], operation: RunsOperation) -> dict[str, Any] | list[dict[str, Any]]:
    """Every declared query parameter's value (given or default), or every validation error."""
    return read_values(query, operation.query_parameters, "query", operation)


def read_values(
    given: Mapping[str, str], parameters: Iterable[QueryParameter], location: str, operation: RunsOperation
) -> dict[str, Any] | list[dict[str, Any]]:
    """Each parameter's value read from the text ``given`` for it (or its default), or every error,
    located in ``location`` ("query", "header", "body")."""
    values: dict[str, Any] = {}
    errors: list[dict[str, Any]] = []
    for parameter in parameters:
        if parameter.name not in given:
            if parameter.required:
                errors.append(
                    {"type": "missing", "loc": [location, parameter.name], "msg": "Field required", "input": None}
                )
            else:
                values[parameter.name] = parameter.default
            continue
        text = given[parameter.name]
        try:
            values[parameter.name] = _read(text, parameter, operation)
        except _Invalid as invalid:
            error: dict[str, Any] = {"type": invalid.kind, "loc": [location, parameter.name], "msg": invalid.msg}
            error["input"] = text
            if invalid.ctx:
                error["ctx"] = invalid.ctx
            errors.append(error)
    return errors or values


def _read(text: str, parameter: QueryParameter, operation: RunsOperation) -> Any:
    schema = operation.non_null(parameter.schema)  # a query string is never null: X | None reads as X
    allowed = operation.enum_values(schema)
    if allowed:
        if text not in [str(value) for value in allowed]:
            expected = _or_list([repr(str(value)) for value in allowed])
            raise _Invalid("enum", f"Input should be {expected}", expected=expected)
        return text
    kind = schema.get("type")
    if kind == "boolean":
        return _boolean(text)
    if kind in ("integer", "number"):
        return _checked_number(_number(text, integer=kind == "integer"), schema)
    if kind == "string":
        return _checked_string(text, schema)
    return text  # a union, an array or an untyped parameter: accepted as sent


def _or_list(words: list[str]) -> str:
    """pydantic's wording of alternatives: 'a', 'b' or 'c'."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def _boolean(text: str) -> bool:
    word = text.strip().lower()
    if word not in _TRUE and word not in _FALSE:
        raise _Invalid("bool_parsing", "Input should be a valid boolean, unable to interpret input")
    return word in _TRUE


def _number(text: str, *, integer: bool) -> int | float:
    if integer:
        value = parse_int(text)
        if value is None:
            raise _Invalid("int_parsing", "Input should be a valid integer, unable to parse string as an integer")
        return value
    if _NUMBER.fullmatch(text) is None:
        raise _Invalid("float_parsing", "Input should be a valid number, unable to parse string as a number")
    return float(text)


def _checked_number(value: int | float, schema: Mapping[str, Any]) -> int | float:
    for keyword, kind, ctx_key, wording, holds in _BOUNDS:
        bound = schema.get(keyword)
        # OpenAPI 3.0 style: exclusiveMinimum/Maximum as a flag on minimum/maximum.
        if isinstance(bound, bool):
            continue
        if bound is not None and not holds(value, bound):
            raise _Invalid(kind, f"Input should be {wording} {bound}", **{ctx_key: bound})
    return value


def _plural(count: int) -> str:
    return "" if count == 1 else "s"


def _checked_string(text: str, schema: Mapping[str, Any]) -> str:
    low, high, pattern = schema.get("minLength"), schema.get("maxLength"), schema.get("pattern")
    if low is not None and len(text) < low:
        raise _Invalid("string_too_short", f"String should have at least {low} character{_plural(low)}", min_length=low)
    if high is not None and len(text) > high:
        raise _Invalid(
            "string_too_long", f"String should have at most {high} character{_plural(high)}", max_length=high
        )
    if pattern is not None and re.search(str(pattern), text) is None:
        raise _Invalid("string_pattern_mismatch", f"String should match pattern '{pattern}'", pattern=pattern)
    return text
