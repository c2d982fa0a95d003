"""Where the spec's `format: date-time` and the client's reading of it differ: decided, and pinned.

The client reads what `datetime.fromisoformat` reads and hands out aware UTC datetimes:
* lenient ISO 8601 forms the API might send (naive, space separator, date alone, >6 fraction
  digits) are accepted, naive meaning UTC;
* RFC 3339 forms Python cannot represent (lower-case `t`/`z`, leap second `:60`, instants that
  fall outside year 1..9999 once converted to UTC) are a SchemaMismatchError naming the field,
  never an OverflowError or ValueError from deep inside.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from notte_api_client.api.functions import list_function_runs_by_function_id as endpoint

from notte_ext import SchemaMismatchError
from notte_ext._responses import parse_success
from notte_ext.functions import RunsPage

RUN = {
    "function_id": "fn",
    "function_run_id": "run",
    "created_at": "2026-01-01T00:00:00Z",
    "updated_at": "2026-01-01T00:00:00Z",
    "status": "closed",
    "workflow_id": "fn",
    "workflow_run_id": "run",
}


def _page_with(created_at: str) -> dict[str, Any]:
    item = {**RUN, "created_at": created_at}
    return {"items": [item], "page": 1, "page_size": 10, "has_next": False, "has_previous": False}


@pytest.mark.parametrize("created_at", ["0001-01-01T00:00:00+00:01", "9999-12-31T23:59:59-00:01"])
def test_timestamps_outside_utc_range_are_a_mismatch(created_at: str) -> None:
    """RFC 3339-valid, but not representable as an aware UTC datetime: a typed error naming the field."""
    with pytest.raises(SchemaMismatchError) as caught:
        _parse(_page_with(created_at))
    assert caught.value.field == "items[0].created_at"


@pytest.mark.parametrize(
    "created_at",
    [
        "2026-01-01t00:00:00z",  # RFC 3339 allows lower-case t/z; fromisoformat does not
        "2026-12-31T23:59:60Z",  # leap second: RFC 3339-valid, not a Python datetime
    ],
)
def test_rfc3339_forms_python_cannot_represent_are_a_mismatch(created_at: str) -> None:
    with pytest.raises(SchemaMismatchError) as caught:
        _parse(_page_with(created_at))
    assert caught.value.field == "items[0].created_at"


@pytest.mark.parametrize(
    ("created_at", "expected"),
    [
        ("2026-01-01T00:00:00", "2026-01-01T00:00:00+00:00"),  # naive: UTC (the API's own habit)
        ("2026-01-01 00:00:00+02:00", "2025-12-31T22:00:00+00:00"),  # space separator
        ("2026-01-01", "2026-01-01T00:00:00+00:00"),  # a date alone: midnight UTC
        ("2026-01-01T00:00:00.1234567Z", "2026-01-01T00:00:00.123456+00:00"),  # >6 fraction digits: truncated
    ],
)
def test_lenient_iso_forms_are_accepted_as_utc(created_at: str, expected: str) -> None:
    """Not strict RFC 3339, but unambiguous ISO 8601: accepted (what `datetime.fromisoformat` reads)."""
    page = _parse(_page_with(created_at))
    assert page.items[0].created_at.isoformat() == expected


def _parse(body: Any) -> RunsPage:
    request = httpx.Request("GET", "https://api.notte.cc/functions/fn/runs")
    response = httpx.Response(200, content=json.dumps(body).encode(), request=request)
    return parse_success(endpoint, response, RunsPage, "sk-t")
