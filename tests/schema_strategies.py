"""Hypothesis strategies derived from the vendored openapi.json, so they follow every regeneration.

* `success_operations()`: for each generated model a JSON 200 response parses into, the first
  operation returning it, with its generated endpoint module, the model class and the response
  schema with every `$ref` inlined (operations sharing a model parse the same bodies the same way).
* `valid_bodies(op)`: `hypothesis_jsonschema.from_schema` of that schema.
* `invalid_bodies(op)`: a valid body with one spec violation the schema itself names (a required
  field removed, a typed field given another JSON type, an enum given an unknown value, a
  date-time made unparseable), or a body that is not an object at all.
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import hypothesis.strategies as st
import notte_api_client.api
import notte_api_client.models
from hypothesis_jsonschema import from_schema

from notte_ext._oas import HTTP_METHODS
from notte_ext._openapi import document
from notte_ext._timestamps import aware_utc

JSON = Any
REF_PREFIX = "#/components/schemas/"


def inline_refs(node: JSON, schemas: dict[str, JSON]) -> JSON:
    """The schema with every local `$ref` replaced by (a copy of) its target. The spec has no cycles."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(REF_PREFIX):
            return inline_refs(schemas[ref.removeprefix(REF_PREFIX)], schemas)
        return {key: inline_refs(value, schemas) for key, value in node.items()}
    if isinstance(node, list):
        return [inline_refs(value, schemas) for value in node]
    return node


@dataclass(frozen=True)
class SuccessOperation:
    operation_id: str
    endpoint: ModuleType  # the generated module: _get_kwargs / _parse_response
    model: type[Any]  # the generated class of the 200 body
    schema: dict[str, JSON]  # the 200 body schema, refs inlined

    def __repr__(self) -> str:  # readable pytest ids and hypothesis reports
        return self.operation_id


def _endpoint_module(operation_id: str) -> ModuleType:
    for info in pkgutil.walk_packages(notte_api_client.api.__path__, "notte_api_client.api."):
        if info.name.rsplit(".", 1)[-1] == operation_id:
            return importlib.import_module(info.name)
    raise LookupError(f"no generated module for operation {operation_id!r}")


def _model_class(ref: str) -> type[Any]:
    # openapi-python-client's class naming: the schema's title (else its name) without its non-alphanumerics.
    key = ref.removeprefix(REF_PREFIX)
    name = re.sub(r"[^0-9A-Za-z]", "", document()["components"]["schemas"][key].get("title") or key)
    model: type[Any] = getattr(notte_api_client.models, name)
    return model


def success_operations() -> list[SuccessOperation]:
    spec = document()
    schemas = spec.get("components", {}).get("schemas", {})
    found: list[SuccessOperation] = []
    for item in spec["paths"].values():
        for method in HTTP_METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            media = operation.get("responses", {}).get("200", {}).get("content", {}).get("application/json", {})
            ref = media.get("schema", {}).get("$ref")
            if ref is None or any(op.model is _model_class(ref) for op in found):
                continue
            found.append(
                SuccessOperation(
                    operation["operationId"],
                    _endpoint_module(operation["operationId"]),
                    _model_class(ref),
                    inline_refs(media["schema"], schemas),
                )
            )
    return found


def valid_bodies(operation: SuccessOperation) -> st.SearchStrategy[JSON]:
    return from_schema(operation.schema)


# -- normalization for round trips ----------------------------------------------------------------


def _single_type(schema: JSON) -> str | None:
    kind = schema.get("type") if isinstance(schema, dict) else None
    return kind if isinstance(kind, str) else None


def canonical(value: JSON, schema: JSON) -> JSON:
    """`value` with each date-time string (where the schema says so) replaced by its aware-UTC datetime.

    Two bodies that differ only in how they write the same instant become equal.
    """
    if not isinstance(schema, dict):
        return value
    if schema.get("format") == "date-time" and isinstance(value, str):
        return aware_utc(dt.datetime.fromisoformat(value))
    for alternative in schema.get("anyOf", []):
        if _single_type(alternative) == _json_type(value):
            return canonical(value, alternative)
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        return {key: canonical(item, properties.get(key)) for key, item in value.items()}
    if isinstance(value, list):
        return [canonical(item, schema.get("items")) for item in value]
    return value


def _json_type(value: JSON) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def utc_representable(value: JSON, schema: JSON) -> bool:
    """Whether every date-time in `value` converts to UTC within datetime's range (year 1..9999)."""
    try:
        canonical(value, schema)
    except OverflowError:
        return False
    return True


# -- one-violation mutations ------------------------------------------------------------------------

# A value of another JSON type than the one the schema asks for.
OTHER_TYPE_VALUES: dict[str, list[JSON]] = {
    "string": [0, 1.5, True, None, [], {}],
    "integer": ["1", 1.5, True, None, [], {}],
    "number": ["1.5", True, None, [], {}],
    "boolean": [0, 1, "true", None, [], {}],
    "array": ["[]", 0, None, {}],
    "object": ["{}", 0, None, []],
}
NOT_ISO_TIMESTAMPS = ["yesterday", "2026-13-01T00:00:00Z", "2026-01-01T25:00:00Z", "", "1767225600"]
NON_OBJECT_BODIES: list[JSON] = [None, True, 0, 1.5, "", "page", [], [{}]]


@dataclass(frozen=True)
class Violation:
    """One way to break a valid body at one location; `apply` edits the (copied) body in place."""

    description: str
    apply: Callable[[JSON], None]


def _violations(value: JSON, schema: JSON, where: str) -> Iterator[tuple[str, Callable[[JSON], None]]]:
    """Every (description, edit) this schema allows at this location, then below it."""
    if not isinstance(schema, dict) or not isinstance(value, dict | list):
        return
    if isinstance(value, dict):
        for name in schema.get("required", []):
            if name in value:
                yield f"{where}.{name} missing", _remover(name)
        for name, child in schema.get("properties", {}).items():
            if name not in value:
                continue
            kind = _single_type(child)
            for other in OTHER_TYPE_VALUES.get(kind or "", []):
                yield f"{where}.{name}: {kind} -> {other!r}", _setter(name, other)
            if "enum" in child:
                yield f"{where}.{name}: unknown enum", _setter(name, "not-" + "-".join(map(str, child["enum"])))
            if child.get("format") == "date-time":
                for text in NOT_ISO_TIMESTAMPS:
                    yield f"{where}.{name}: date-time -> {text!r}", _setter(name, text)
            for description, edit in _violations(value[name], child, f"{where}.{name}"):
                yield description, _within(name, edit)
    else:
        for index, item in enumerate(value):
            for description, edit in _violations(item, schema.get("items"), f"{where}[{index}]"):
                yield description, _within(index, edit)


def _remover(key: str) -> Callable[[JSON], None]:
    def edit(body: JSON) -> None:
        del body[key]

    return edit


def _setter(key: str, replacement: JSON) -> Callable[[JSON], None]:
    def edit(body: JSON) -> None:
        body[key] = replacement

    return edit


def _within(key: str | int, edit: Callable[[JSON], None]) -> Callable[[JSON], None]:
    def edit_inside(body: JSON) -> None:
        edit(body[key])

    return edit_inside


def violations(body: JSON, schema: JSON) -> list[Violation]:
    return [Violation(description, edit) for description, edit in _violations(body, schema, "body")]


@st.composite
def invalid_bodies(draw: st.DrawFn, operation: SuccessOperation) -> tuple[str, JSON]:
    """(what was broken, the broken body)."""
    if draw(st.integers(0, 9)) == 0:
        body = draw(st.sampled_from(NON_OBJECT_BODIES))
        return f"non-object body {body!r}", body
    body = draw(valid_bodies(operation))
    options = violations(body, operation.schema)
    violation = draw(st.sampled_from(options))
    violation.apply(body)
    return violation.description, body
