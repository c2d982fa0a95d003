"""The drift engine's error contract: on any malformed document its public functions raise
``SpecError`` (one line) and nothing else.

Property-based: hypothesis puts an arbitrary JSON value under a keyword the engine reads
(``maximum: "x"``, ``required: 7``, ``properties: []``, ``$ref: {}``...) at any mapping of a
valid document, then diffs, drifts and slices it in both directions.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from notte_ext.drift import SpecError, diff_documents, drift, load_document, slice_document, vendored_keys
from tests.drift.builders import ours, pets
from tests.drift.test_oasdiff_cases import PAIRS

# Keywords the engine looks at, in schemas, operations and components.
KEYWORDS = [
    *("type", "format", "enum", "const", "default", "pattern", "nullable", "readOnly", "writeOnly"),
    *("maximum", "minimum", "exclusiveMaximum", "exclusiveMinimum", "maxLength", "minLength", "maxItems"),
    *("minItems", "properties", "required", "items", "additionalProperties", "allOf", "anyOf", "oneOf"),
    *("discriminator", "mapping", "propertyName", "$ref", "title", "description", "x-sunset", "deprecated"),
    *("parameters", "requestBody", "responses", "content", "schema", "headers", "security", "in", "name"),
    *("operationId", "securitySchemes", "flows", "scopes", "scheme", "tokenUrl", "paths", "components"),
]
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=6),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(KEYWORDS) | st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=6,
)
DOCUMENTS = [
    ours(),
    pets(),
    pets("3.0.3"),
    *(PAIRS[f"no_change_{name}"].base for name in ("shared_schema", "discriminated_union", "headers", "params")),
]


def mappings(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """The path of every mapping in a document."""
    if isinstance(node, dict):
        yield path
        for key, value in node.items():
            yield from mappings(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from mappings(value, (*path, index))


def at(document: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        document = document[step]
    return document


@st.composite
def malformed(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    base = copy.deepcopy(draw(st.sampled_from(DOCUMENTS)))
    revision = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(list(mappings(revision))))
        at(revision, path)[draw(st.sampled_from(KEYWORDS))] = draw(JSON_VALUES)
    return base, revision


def only_spec_errors(call: Any, *args: Any, **kwargs: Any) -> None:
    """Returns or raises SpecError with a one-line message; any other exception fails the test."""
    message = "no error"
    try:
        call(*args, **kwargs)
    except SpecError as exc:
        message = str(exc)
    assert message.strip()
    assert "\n" not in message


@given(malformed())
def test_public_functions_raise_only_spec_error_on_malformed_documents(
    documents: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    base, revision = documents
    only_spec_errors(diff_documents, base, revision)
    only_spec_errors(diff_documents, revision, base)
    only_spec_errors(diff_documents, revision, revision, include_docs=True)
    only_spec_errors(drift, base, revision)
    only_spec_errors(drift, revision, base)
    only_spec_errors(vendored_keys, revision)
    only_spec_errors(slice_document, revision, [("get", "/functions/{}/runs"), ("get", "/pets")])
    only_spec_errors(load_document, json.dumps(revision))


@pytest.mark.parametrize(
    ("where", "value"),
    [
        ("maximum", "x"),  # the case issue 14 found: a TypeError from comparing str and int
        ("required", 7),
        ("properties", []),
        ("discriminator", "kind"),
        ("enum", {"a": 1}),
    ],
)
def test_known_malformed_values_are_spec_errors_naming_the_keyword(where: str, value: Any) -> None:
    base = ours()
    revision = ours()
    schema = revision["components"]["schemas"]["GetFunctionRunResponse"]
    target = schema["properties"]["function_run_id"] if where in ("maximum", "enum") else schema
    target[where] = value
    with pytest.raises(SpecError) as caught:
        diff_documents(base, revision)
    # the operation, the innermost component, then what is wrong with which keyword
    prefix = "GET /functions/{function_id}/runs: GetFunctionRunResponse: malformed schema: "
    assert str(caught.value).startswith(f"{prefix}{where} must be a ")
