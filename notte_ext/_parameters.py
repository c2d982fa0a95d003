"""An operation's query parameters, checked against the vendored spec before any request. No I/O.

The names and generated enums come from the operation's bindings (notte_ext/_bindings.py); the
rules (type, enum, bounds, nullability) from its parameter schemas in openapi.json, so a bump
that adds a parameter or an enum value needs no edit here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import Enum
from functools import cache
from typing import Any

import jsonschema_rs

from notte_ext._arguments import check_known, is_text
from notte_ext._openapi import document, operation
from notte_ext.errors import InvalidArgumentError

# generated argument name -> (spec parameter name, generated enum or None): `<OPERATION>_QUERY`
ParameterTable = Mapping[str, tuple[str, type[Enum] | None]]


def parameter_schema(operation_id: str, spec_name: str) -> dict[str, Any]:
    """The parameter's schema with one level of `$ref`/`anyOf` resolved (for messages and the CLI)."""
    return resolve_schema(operation(operation_id).parameter_schema(spec_name))


def caller_parameters(operation_id: str, table: ParameterTable) -> dict[str, dict[str, Any]]:
    """The query parameters a caller may set, by generated name, with their spec schema (refs resolved)."""
    return {name: parameter_schema(operation_id, spec_name) for name, (spec_name, _enum) in table.items()}


def resolve_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` with one level of `$ref` followed and a nullable `anyOf` read as its one type (`nullable`)."""
    if "$ref" in schema:
        target: dict[str, Any] = document()
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        return {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
    branches = [resolve_schema(branch) for branch in schema.get("anyOf", []) if branch.get("type") != "null"]
    if len(branches) == 1:
        nullable = len(schema["anyOf"]) > 1
        return {**branches[0], **{k: v for k, v in schema.items() if k != "anyOf"}, "nullable": nullable}
    return schema


def allowed(schema: dict[str, Any]) -> str:
    """What a parameter accepts, in words: 'an integer from 1 to 100', 'one of: a, b'."""
    if "enum" in schema:
        return "one of: " + ", ".join(str(value) for value in schema["enum"])
    kind = schema.get("type")
    if kind == "integer" and "minimum" in schema and "maximum" in schema:
        return f"an integer from {schema['minimum']} to {schema['maximum']}"
    if kind == "integer" and "minimum" in schema:
        return f"an integer >= {schema['minimum']}"
    return {"boolean": "True or False", "integer": "an integer", "string": "a string"}.get(str(kind), f"a {kind}")


@cache
def _validator(operation_id: str, spec_name: str) -> jsonschema_rs.Validator:
    schema = {**operation(operation_id).parameter_schema(spec_name), "components": document().get("components", {})}
    return jsonschema_rs.validator_for(schema, offline=True)


def _is_valid(operation_id: str, spec_name: str, value: object) -> bool:
    if not isinstance(value, str | int | float | None):  # a query value is a scalar (the validator raises on others)
        return False
    if isinstance(value, str) and not is_text(value):
        return False
    # JSON Schema counts 50.0 as an integer; the API does not (it reads the query text "50.0": a 422).
    if isinstance(value, float) and parameter_schema(operation_id, spec_name).get("type") == "integer":
        return False
    try:
        return _validator(operation_id, spec_name).is_valid(value)
    except (ValueError, OverflowError):  # what jsonschema_rs can't read as JSON (an int past 64 bits...)
        return False


def check_parameters(
    operation_id: str, table: ParameterTable, given: Mapping[str, Any], *, also_valid: Iterable[str] = ()
) -> dict[str, Any]:
    """`given` validated against the spec, enum values as the generated enums; InvalidArgumentError otherwise.

    An unknown name lists the valid ones (`also_valid`: the caller's own keywords) rather than a TypeError.
    """
    check_known(given, {*table, *also_valid})
    checked: dict[str, Any] = {}
    for name, value in given.items():
        spec_name, generated_enum = table[name]
        if not _is_valid(operation_id, spec_name, value.value if isinstance(value, Enum) else value):
            schema = parameter_schema(operation_id, spec_name)
            raise InvalidArgumentError(f"{name} must be {allowed(schema)}, got {value!r}")
        checked[name] = generated_enum(value) if generated_enum is not None and value is not None else value
    return checked
