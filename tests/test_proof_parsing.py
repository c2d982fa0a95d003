"""Property-based: every page the spec allows parses; every page it forbids is a SchemaMismatchError.

Bodies come from the vendored openapi.json itself (`tests/schema_strategies.py`), so these
properties follow each regeneration. Example counts: hypothesis profile "ci" in `make test`,
"proof" in `make proof` (see tests/conftest.py).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import attrs
import httpx
import pytest
from hypothesis import assume, given, note, settings
from hypothesis import strategies as st

from notte_ext import NotteClient, RetryPolicy, SchemaMismatchError
from notte_ext._openapi import document
from notte_ext._responses import parse_success
from notte_ext.functions import RunsPage
from tests.schema_strategies import (
    SuccessOperation,
    canonical,
    invalid_bodies,
    success_operations,
    utc_representable,
    valid_bodies,
)

OPERATIONS = success_operations()
# The pages are what the client parses most (every listing, every poll): they get the profile's whole
# example budget. Every other model a 200 parses into (a function, one run, a deletion...) gets a
# fifth of it: proved all the same, for a fraction of `make test`'s time.
PAGES = [operation for operation in OPERATIONS if "items" in attrs.fields_dict(operation.model)]
ANSWERS = [operation for operation in OPERATIONS if operation not in PAGES]
answer_budget = settings(max_examples=max(settings().max_examples // 5, 10))  # settings(): the loaded profile
SECRET = "sk-proof-parsing"


def _response(content: bytes, status: int = 200) -> httpx.Response:
    request = httpx.Request("GET", "https://api.notte.cc/functions/fn/runs")
    return httpx.Response(status, content=content, headers={"Content-Type": "application/json"}, request=request)


def _parse(operation: SuccessOperation, body: Any) -> Any:
    return parse_success(operation.endpoint, _response(json.dumps(body).encode()), operation.model, SECRET)


def _datetimes(value: Any) -> list[dt.datetime]:
    """Every datetime in a JSON-like tree (after `canonical`, the body's date-time fields)."""
    if isinstance(value, dt.datetime):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [found for item in value for found in _datetimes(item)]
    return []


def test_the_spec_has_operations_to_prove() -> None:
    """Every model a 200 response parses into is proved, once; the runs listing among them."""
    returned = {
        op["responses"]["200"]["content"]["application/json"]["schema"].get("$ref")
        for item in document()["paths"].values()
        for op in item.values()
        if isinstance(op, dict) and "application/json" in op.get("responses", {}).get("200", {}).get("content", {})
    } - {None}
    assert len(OPERATIONS) == len(returned) > 1
    assert "list_function_runs_by_function_id" in [operation.operation_id for operation in OPERATIONS]


@pytest.mark.parametrize("operation", PAGES, ids=repr)
@given(data=st.data())
def test_every_valid_page_parses_and_round_trips(operation: SuccessOperation, data: st.DataObject) -> None:
    _valid_body_round_trips(operation, data)


@pytest.mark.parametrize("operation", ANSWERS, ids=repr)
@answer_budget
@given(data=st.data())
def test_every_valid_answer_parses_and_round_trips(operation: SuccessOperation, data: st.DataObject) -> None:
    _valid_body_round_trips(operation, data)


def _valid_body_round_trips(operation: SuccessOperation, data: st.DataObject) -> None:
    body = data.draw(valid_bodies(operation), label="body")
    # RFC 3339 allows e.g. 0001-01-01T00:00:00+01:00, which is before datetime.min in UTC; those
    # are refused on purpose (tests/test_spec_timestamps.py).
    assume(utc_representable(body, operation.schema))

    parsed = _parse(operation, body)

    assert isinstance(parsed, operation.model)
    handed_out = _model_datetimes(parsed)
    assert len(handed_out) == len(_datetimes(canonical(body, operation.schema)))  # every date-time became one
    assert all(stamp.tzinfo is dt.UTC for stamp in handed_out)
    assert canonical(parsed.to_dict(), operation.schema) == canonical(body, operation.schema)


def _model_datetimes(model: Any) -> list[dt.datetime]:
    """Every datetime attribute of an attrs model tree."""
    if attrs.has(type(model)):
        return [found for a in attrs.fields(type(model)) for found in _model_datetimes(getattr(model, a.name))]
    if isinstance(model, list):
        return [found for item in model for found in _model_datetimes(item)]
    return [model] if isinstance(model, dt.datetime) else []


@pytest.mark.parametrize("operation", PAGES, ids=repr)
@given(data=st.data())
def test_every_invalid_page_is_a_schema_mismatch(operation: SuccessOperation, data: st.DataObject) -> None:
    _invalid_body_is_a_mismatch(operation, data)


@pytest.mark.parametrize("operation", ANSWERS, ids=repr)
@answer_budget
@given(data=st.data())
def test_every_invalid_answer_is_a_schema_mismatch(operation: SuccessOperation, data: st.DataObject) -> None:
    _invalid_body_is_a_mismatch(operation, data)


def _invalid_body_is_a_mismatch(operation: SuccessOperation, data: st.DataObject) -> None:
    broken, body = data.draw(invalid_bodies(operation), label="invalid body")
    note(f"broken: {broken}")
    with pytest.raises(SchemaMismatchError) as caught:
        _parse(operation, body)
    assert caught.value.operation == operation.operation_id
    assert "does not match API spec" in str(caught.value)


@pytest.mark.parametrize("operation", OPERATIONS, ids=repr)
@given(content=st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_any_bytes_either_parse_or_are_a_schema_mismatch(operation: SuccessOperation, content: bytes) -> None:
    try:
        parsed = parse_success(operation.endpoint, _response(content), operation.model, SECRET)
    except SchemaMismatchError:
        return
    assert isinstance(parsed, operation.model)


@given(data=st.data())
def test_valid_pages_parse_through_the_whole_client(data: st.DataObject) -> None:
    """The same property end to end: NotteClient -> retry transport -> MockTransport -> list_runs_page."""
    (operation,) = [op for op in OPERATIONS if op.model is RunsPage]
    body = data.draw(valid_bodies(operation), label="body")
    assume(utc_representable(body, operation.schema))
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json=body))
    with NotteClient("sk-proof", retry=RetryPolicy(sleep=lambda _: None), transport=transport) as client:
        page = client.functions.list_runs_page("fn-1")
    assert canonical(page.to_dict(), operation.schema) == canonical(body, operation.schema)
