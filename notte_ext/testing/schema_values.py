"""A plausible JSON value for a JSON schema: what a sample run holds in a field the server has no rule for.

Upstream adds fields to runs over time; the server fills such a field from its schema (``const``,
``enum``, ``default``, ``type``, ``format``, bounds, nullable ``anyOf``) so every sample run
carries every declared field and still validates. With an ``rng`` the choice varies, reproducibly.
"""

from __future__ import annotations

import math
import random
import uuid
from collections.abc import Mapping
from typing import Any

from notte_ext.testing.operation import RunsOperation

__all__ = ["value_for_schema"]

# Deep enough for any real response schema; stops a self-referencing one from recursing forever.
_MAX_DEPTH = 8

_STRING_FORMATS = {
    "email": "someone@example.com",
    "uri": "https://example.com/",
    "url": "https://example.com/",
    "hostname": "example.com",
    "ipv4": "127.0.0.1",
    "ipv6": "::1",
}


def value_for_schema(
    schema: Mapping[str, Any],
    operation: RunsOperation,
    *,
    name: str = "value",
    moment: str = "2026-01-01T00:00:00Z",
    rng: random.Random | None = None,
    depth: int = 0,
) -> Any:
    """A value valid for ``schema`` (refs resolved in ``operation``'s document).

    ``name`` words a free-text string, ``moment`` (an RFC 3339 timestamp) fills date-time and date
    fields; without ``rng`` the choice is the first/smallest one.
    """
    schema = operation.non_null(schema)
    branches = [
        b for key in ("anyOf", "oneOf") for b in schema.get(key, []) if operation.resolve(b).get("type") != "null"
    ]
    if branches:  # a union: any branch will do, the first is the simplest
        return value_for_schema(branches[0], operation, name=name, moment=moment, rng=rng, depth=depth + 1)
    if "const" in schema:
        return schema["const"]
    choices = [value for value in schema.get("enum", []) if value is not None]
    if choices:
        return rng.choice(choices) if rng else choices[0]
    if schema.get("default") is not None:
        return schema["default"]
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if depth >= _MAX_DEPTH:
        return None
    if kind == "string":
        return _string(schema, name, moment, rng)
    if kind in ("integer", "number"):
        return _number(schema, kind, rng)
    if kind == "boolean":
        return rng.random() < 0.5 if rng else False
    if kind == "array":
        count = max(1, int(schema.get("minItems", 1))) if "items" in schema else 0
        return [
            value_for_schema(schema["items"], operation, name=name, moment=moment, rng=rng, depth=depth + 1)
            for _ in range(count)
        ]
    if kind == "object" or "properties" in schema:
        return {
            key: value_for_schema(sub, operation, name=key, moment=moment, rng=rng, depth=depth + 1)
            for key, sub in schema.get("properties", {}).items()
        }
    return None  # "null", or a schema that says nothing (anything goes)


def _string(schema: Mapping[str, Any], name: str, moment: str, rng: random.Random | None) -> str:
    text_format = schema.get("format")
    if text_format == "date-time":
        return moment
    if text_format == "date":
        return moment[:10]
    if text_format == "uuid":
        return str(uuid.UUID(int=rng.getrandbits(128), version=4) if rng else uuid.UUID(int=0, version=4))
    if text_format in _STRING_FORMATS:
        return _STRING_FORMATS[text_format]
    text = f"sample {name}"
    low, high = int(schema.get("minLength", 0)), schema.get("maxLength")
    text = text.ljust(low, "x")
    return text if high is None else text[: int(high)]


def _number(schema: Mapping[str, Any], kind: str, rng: random.Random | None) -> int | float:
    integer = kind == "integer"
    # Exclusive bounds: an integer steps inside; a number takes the middle of its range.
    step = 1 if integer else 0
    low = schema.get("minimum", schema["exclusiveMinimum"] + step if "exclusiveMinimum" in schema else None)
    high = schema.get("maximum", schema["exclusiveMaximum"] - step if "exclusiveMaximum" in schema else None)
    low = low if low is not None else (high - 100 if high is not None else 0)
    high = high if high is not None else low + 100
    if integer:
        return rng.randint(math.ceil(low), math.floor(high)) if rng else math.ceil(low)
    if rng:
        return rng.uniform(float(low), float(high))
    exclusive = "exclusiveMinimum" in schema or "exclusiveMaximum" in schema
    return (low + high) / 2 if exclusive else float(low)
