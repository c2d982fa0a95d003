"""Each fault the local server can inject, as a raw httpx client observes it."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
import pytest

from notte_ext.testing import (
    DropConnection,
    EndlessPages,
    ExtraFields,
    FaultContext,
    InsertRuns,
    Latency,
    MalformedJSON,
    Match,
    MissingField,
    NaiveTimestamps,
    NoFault,
    NotteTestServer,
    RandomFaults,
    Reply,
    Status,
    TruncatedJSON,
    UnknownEnumValue,
    spec_violations,
    validate_response,
)
from tests.conftest import FUNCTION_ID, RUN_COUNT

RUNS = f"/functions/{FUNCTION_ID}/runs"


def _page(http: httpx.Client, page: int = 1, page_size: int = 10) -> httpx.Response:
    return http.get(RUNS, params={"page": page, "page_size": page_size, "only_active": "false"})


def test_status_with_retry_after_seconds_applies_once(server: NotteTestServer, http: httpx.Client) -> None:
    fault = Status(503, retry_after=1)
    server.faults.add(fault)
    first, second = _page(http), _page(http)
    assert (first.status_code, first.headers["retry-after"], first.json()) == (
        503,
        "1",
        {"detail": "Service Unavailable"},
    )
    assert second.status_code == 200
    assert [record.faults for record in server.requests] == [(fault,), ()]
    assert [record.status for record in server.requests] == [503, 200]
    assert server.faults.pending == []


def test_status_with_retry_after_as_http_date_and_a_detail(server: NotteTestServer, http: httpx.Client) -> None:
    when = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
    server.faults.add(Status(429, detail="slow down", retry_after=when))
    response = _page(http)
    assert response.status_code == 429
    assert response.headers["retry-after"] == "Wed, 02 Jan 2030 03:04:05 GMT"
    assert parsedate_to_datetime(response.headers["retry-after"]) == when
    assert response.json() == {"detail": "slow down"}


def test_match_limits_a_fault_to_one_page_and_times_counts_uses(server: NotteTestServer, http: httpx.Client) -> None:
    server.faults.add(Status(502), times=2, match=Match(function_id=FUNCTION_ID, page=2))
    statuses = [_page(http, page).status_code for page in (1, 2, 3, 2, 2)]
    assert statuses == [200, 502, 200, 502, 200]


def test_no_fault_lets_requests_through_before_a_later_rule(server: NotteTestServer, http: httpx.Client) -> None:
    server.faults.add(NoFault(), times=2)
    server.faults.add(Status(500), times=None)  # forever
    assert [_page(http).status_code for _ in range(4)] == [200, 200, 500, 500]


def test_latency_delays_the_response(server: NotteTestServer, http: httpx.Client) -> None:
    server.faults.add(Latency(0.2))
    started = time.perf_counter()
    assert _page(http).status_code == 200
    assert time.perf_counter() - started >= 0.2


def test_malformed_json_is_a_200_that_does_not_decode(server: NotteTestServer, http: httpx.Client) -> None:
    server.faults.add(MalformedJSON())
    response = _page(http)
    assert (response.status_code, response.headers["content-type"]) == (200, "application/json")
    with pytest.raises(json.JSONDecodeError):
        response.json()


def test_truncated_json_breaks_the_announced_length(server: NotteTestServer, http: httpx.Client) -> None:
    server.faults.add(TruncatedJSON())
    with pytest.raises(httpx.RemoteProtocolError, match=r"without sending complete message body"):
        _page(http)
    assert _page(http).status_code == 200  # the client recovers on a fresh connection


@pytest.mark.parametrize(("fault", "status"), [(DropConnection(), None), (DropConnection(after_body_bytes=20), 200)])
def test_dropped_connections_are_transport_errors(
    server: NotteTestServer, http: httpx.Client, fault: DropConnection, status: int | None
) -> None:
    server.faults.add(fault)
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        _page(http)
    assert server.requests[-1].status == status
    assert _page(http).status_code == 200


def test_runs_inserted_while_paginating_shift_older_runs_to_later_pages(
    server: NotteTestServer, http: httpx.Client
) -> None:
    server.faults.add(InsertRuns(3), match=Match(page=1))
    first = _page(http, 1).json()["items"]
    second = _page(http, 2).json()["items"]
    assert [run["function_run_id"] for run in second[:3]] == [run["function_run_id"] for run in first[-3:]]
    newest = _page(http, 1).json()["items"]
    assert [run["status"] for run in newest[:3]] == ["active"] * 3
    assert newest[3] == first[0]


@pytest.mark.parametrize("repeat_last", [False, True])
def test_endless_pages_always_say_has_next(server: NotteTestServer, http: httpx.Client, repeat_last: bool) -> None:
    server.faults.add(EndlessPages(repeat_last=repeat_last), times=None)
    last_page = RUN_COUNT // 10
    last = _page(http, last_page).json()
    beyond = _page(http, last_page + 5).json()
    assert last["has_next"] is beyond["has_next"] is True
    assert beyond["items"] == (last["items"] if repeat_last else [])
    validate_response(beyond, 200)  # still shaped like the spec: the lie is in the semantics


def _items_with(server: NotteTestServer, http: httpx.Client, fault: Any) -> tuple[list[dict[str, Any]], list[str]]:
    server.faults.add(fault)
    body = _page(http).json()
    return body["items"], spec_violations(body, 200)


def test_naive_timestamps_drop_the_timezone(server: NotteTestServer, http: httpx.Client) -> None:
    items, violations = _items_with(server, http, NaiveTimestamps())
    assert datetime.fromisoformat(items[0]["created_at"]).tzinfo is None
    assert datetime.fromisoformat(items[0]["updated_at"]).tzinfo is None
    assert "items/0/created_at" in violations[0]


def test_unknown_enum_value(server: NotteTestServer, http: httpx.Client) -> None:
    items, violations = _items_with(server, http, UnknownEnumValue("paused"))
    assert {item["status"] for item in items} == {"paused"}
    assert "items/0/status: 'paused' is not one of" in violations[0]


def test_extra_fields_are_added_and_still_match_the_spec(server: NotteTestServer, http: httpx.Client) -> None:
    items, violations = _items_with(server, http, ExtraFields({"cost_usd": 0.25}))
    assert all(item["cost_usd"] == 0.25 for item in items)
    assert violations == []


def test_missing_required_field(server: NotteTestServer, http: httpx.Client) -> None:
    items, violations = _items_with(server, http, MissingField("workflow_run_id"))
    assert all("workflow_run_id" not in item for item in items)
    assert "'workflow_run_id' is a required property" in violations[0]


def test_item_faults_leave_error_responses_alone(server: NotteTestServer, http: httpx.Client) -> None:
    server.faults.add(Status(404, detail="gone"), MissingField(), UnknownEnumValue())
    assert _page(http).json() == {"detail": "gone"}


def _soak(seed: int, requests: int = 100) -> list[Any]:
    with NotteTestServer() as server:
        server.add_function(FUNCTION_ID, runs=20)
        server.faults.random = RandomFaults(seed=seed, rate=0.2, effects=[Status(429), Status(503), DropConnection()])
        with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {server.api_key}"}) as http:
            for _ in range(requests):
                with contextlib.suppress(httpx.TransportError):  # dropped connections are part of the soak
                    _page(http)
        return [record.faults for record in server.requests]


def test_a_seeded_random_schedule_is_reproducible_and_near_its_rate() -> None:
    faults = _soak(seed=1)
    assert faults == _soak(seed=1)
    assert faults != _soak(seed=2)
    assert 10 <= sum(1 for applied in faults if applied) <= 30
    assert {type(effect) for applied in faults for effect in applied} == {Status, DropConnection}


def test_scripted_rules_take_precedence_over_the_random_schedule(server: NotteTestServer, http: httpx.Client) -> None:
    server.faults.random = RandomFaults(seed=0, rate=1.0, effects=[Status(503)])
    server.faults.add(Status(418))
    assert [_page(http).status_code for _ in range(2)] == [418, 503]
    server.faults.clear()
    assert _page(http).status_code == 200


def test_a_rule_needs_an_effect(server: NotteTestServer) -> None:
    with pytest.raises(ValueError, match="at least one effect"):
        server.faults.add()


@dataclass
class HeldUntilReleased:
    """An effect that holds its request until the test releases it: a request in flight, on cue."""

    arrived: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    def apply(self, reply: Reply, context: FaultContext) -> None:
        self.arrived.set()
        assert self.release.wait(10), "never released"


def test_a_request_in_flight_when_the_log_is_cleared_stays_out_of_the_new_log(
    server: NotteTestServer, http: httpx.Client
) -> None:
    held = HeldUntilReleased()
    server.faults.add(held)
    with ThreadPoolExecutor(1) as pool:
        answer = pool.submit(_page, http)
        assert held.arrived.wait(10)
        server.clear()  # e.g. the next test starting while the previous one's page-ahead is answered
        held.release.set()
        assert answer.result().status_code == 200
    assert server.requests == []
    assert _page(http).status_code == 200
    assert [request.status for request in server.requests] == [200]
