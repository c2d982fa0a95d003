"""The local Notte server behaves like API 1.4.40 documents GET /functions/{function_id}/runs."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from notte_api_client import AuthenticatedClient
from notte_api_client.api.functions import list_function_runs_by_function_id as op
from notte_api_client.models import PaginatedResponseGetFunctionRunResponse

from notte_ext.testing import (
    NoFault,
    NotteTestServer,
    SpecViolationError,
    generate_runs,
    make_run,
    spec_violations,
    validate_response,
)
from tests.conftest import FUNCTION_ID, RUN_COUNT


def _runs(http: httpx.Client, function_id: str = FUNCTION_ID, **params: Any) -> httpx.Response:
    return http.get(f"/functions/{function_id}/runs", params=params)


def test_the_generated_client_pages_through_every_run_and_every_page_matches_the_spec(
    server: NotteTestServer,
) -> None:
    run_ids: list[str] = []
    created: list[datetime] = []
    with server.client() as client:
        for page in range(1, 10):
            response = op.sync_detailed(FUNCTION_ID, client=client, page=page, page_size=100, only_active=False)
            assert response.status_code == 200
            body = json.loads(response.content)
            validate_response(body, 200)
            assert isinstance(response.parsed, PaginatedResponseGetFunctionRunResponse)
            assert (response.parsed.page, response.parsed.has_previous) == (page, page > 1)
            run_ids += [item.function_run_id for item in response.parsed.items]
            created += [item.created_at for item in response.parsed.items]
            if not response.parsed.has_next:
                break
    assert page == 3
    assert len(run_ids) == len(set(run_ids)) == RUN_COUNT
    assert created == sorted(created, reverse=True)  # newest first, like the real API
    assert all(moment.tzinfo is not None for moment in created)


def test_the_spec_default_only_active_true_hides_finished_runs(server: NotteTestServer, http: httpx.Client) -> None:
    body = _runs(http, page_size=100).json()
    assert body["items"]
    assert {item["status"] for item in body["items"]} == {"active"}
    everything = _runs(http, page_size=100, only_active="false").json()
    assert {item["status"] for item in everything["items"]} == {"active", "closed", "failed"}


def test_only_current_token_keeps_the_runs_the_requesting_key_created(server: NotteTestServer) -> None:
    server.add_api_key("sk-other")
    mine = server.add_run(FUNCTION_ID, token="sk-other", status="closed")
    with httpx.Client(base_url=server.url, headers={"Authorization": "Bearer sk-other"}) as other:
        only_mine = _runs(other, only_active="false", only_current_token="true").json()
        everyone = _runs(other, only_active="false", only_current_token="false", page_size=100).json()
    assert [item["function_run_id"] for item in only_mine["items"]] == [mine["function_run_id"]]
    assert len(everyone["items"]) == 100


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer sk-wrong"}, {"Authorization": "Basic abc"}])
def test_requests_without_the_right_bearer_key_get_401(server: NotteTestServer, headers: dict[str, str]) -> None:
    response = httpx.get(f"{server.url}/functions/{FUNCTION_ID}/runs", headers=headers)
    assert response.status_code == 401
    assert isinstance(response.json()["detail"], str)
    assert response.headers["www-authenticate"] == "Bearer"


def test_the_generated_client_with_a_wrong_key_gets_401(server: NotteTestServer) -> None:
    with AuthenticatedClient(base_url=server.url, token="sk-wrong") as client:
        assert op.sync_detailed(FUNCTION_ID, client=client).status_code == 401


def test_unknown_functions_and_paths_get_404(http: httpx.Client) -> None:
    assert _runs(http, "no-such-fn").status_code == 404
    assert _runs(http, "no-such-fn").json() == {"detail": "Function not found"}
    assert http.get("/functions").status_code == 404


@pytest.mark.parametrize(
    ("name", "value", "error_type"),
    [
        ("page_size", "0", "greater_than_equal"),
        ("page_size", "101", "less_than_equal"),
        ("page", "0", "greater_than_equal"),
        ("page", "two", "int_parsing"),
        ("page_size", "1.5", "int_parsing"),
        ("only_active", "maybe", "bool_parsing"),
        ("only_current_token", "", "bool_parsing"),
    ],
)
def test_invalid_query_values_get_a_fastapi_shaped_422(
    http: httpx.Client, name: str, value: str, error_type: str
) -> None:
    response = _runs(http, **{name: value})
    assert response.status_code == 422
    body = response.json()
    validate_response(body, 422)
    (error,) = body["detail"]
    assert (error["loc"], error["type"], error["input"]) == (["query", name], error_type, value)


def test_all_invalid_parameters_are_reported_at_once(http: httpx.Client) -> None:
    body = _runs(http, page="0", page_size="500").json()
    assert [error["loc"][1] for error in body["detail"]] == ["page", "page_size"]


def test_boundary_values_are_accepted(http: httpx.Client) -> None:
    assert _runs(http, page=1, page_size=1).status_code == 200
    assert len(_runs(http, page_size=100, only_active="0").json()["items"]) == 100


def test_an_encoded_slash_stays_inside_the_function_id(notte_server: NotteTestServer) -> None:
    notte_server.add_function("a/b", runs=3)
    with notte_server.client() as client:
        response = op.sync_detailed("a/b", client=client, only_active=False)
    assert response.status_code == 200
    assert isinstance(response.parsed, PaginatedResponseGetFunctionRunResponse)
    assert {item.function_id for item in response.parsed.items} == {"a/b"}
    (record,) = notte_server.requests
    assert (record.raw_path, record.path, record.function_id) == ("/functions/a%2Fb/runs", "/functions/a/b/runs", "a/b")


def test_explicit_runs_are_served_newest_first_whatever_the_insertion_order(notte_server: NotteTestServer) -> None:
    start = datetime(2025, 5, 1, tzinfo=UTC)
    notte_server.add_runs(
        "fn-x",
        [
            {"function_run_id": "old", "created_at": start, "status": "failed"},
            {"function_run_id": "new", "created_at": start + timedelta(days=2)},
            {"function_run_id": "mid", "created_at": "2025-05-02T00:00:00+00:00", "status": "active"},
        ],
    )
    with httpx.Client(base_url=notte_server.url, headers={"Authorization": f"Bearer {notte_server.api_key}"}) as http:
        items = _runs(http, "fn-x", only_active="false").json()["items"]
    assert [item["function_run_id"] for item in items] == ["new", "mid", "old"]
    assert items[2]["status"] == "failed"
    assert items[0]["created_at"] == "2025-05-03T00:00:00Z"


def test_add_runs_refuses_a_run_of_another_function(notte_server: NotteTestServer) -> None:
    with pytest.raises(ValueError, match="another function"):
        notte_server.add_runs("fn-x", [{"function_id": "fn-y"}])


def test_concurrent_page_fetches_see_every_run_once(server: NotteTestServer, http: httpx.Client) -> None:
    def page(number: int) -> list[str]:
        response = _runs(http, page=number, page_size=10, only_active="false")
        return [item["function_run_id"] for item in response.json()["items"]]

    with ThreadPoolExecutor(max_workers=8) as pool:
        pages = list(pool.map(page, range(1, 26)))
    run_ids = [run_id for ids in pages for run_id in ids]
    assert len(run_ids) == len(set(run_ids)) == RUN_COUNT
    assert len(server.requests) == 25


def test_the_request_log_records_queries_and_redacts_the_key(server: NotteTestServer, http: httpx.Client) -> None:
    _runs(http, page=2, only_active="false")
    (record,) = server.requests
    assert (record.method, record.function_id, record.status, record.faults) == ("GET", FUNCTION_ID, 200, ())
    assert record.query == {"page": "2", "only_active": "false"}
    assert record.headers["authorization"] == "Bearer ***"
    assert server.api_key not in repr(server.requests)
    server.clear()
    assert server.requests == []


def test_reset_forgets_data_faults_and_extra_keys(server: NotteTestServer, http: httpx.Client) -> None:
    server.add_api_key("sk-other")
    server.faults.add(NoFault(), times=None)
    _runs(http)
    server.reset()
    assert (server.faults.rules, server.requests) == ([], [])
    assert _runs(http).status_code == 404
    assert httpx.get(f"{server.url}/functions/x/runs", headers={"Authorization": "Bearer sk-other"}).status_code == 401


def test_generated_runs_are_deterministic_unique_and_varied() -> None:
    runs = generate_runs("fn-1", 250)
    assert runs == generate_runs("fn-1", 250)
    assert runs != generate_runs("fn-1", 250, seed=1)
    assert len({run["function_run_id"] for run in runs}) == 250
    assert {run["status"] for run in runs} == {"active", "closed", "failed"}
    created = [datetime.fromisoformat(run["created_at"]) for run in runs]
    assert created == sorted(created, reverse=True)
    assert created[0] - created[-1] > timedelta(days=30)


def test_validate_response_names_what_is_wrong() -> None:
    page = {"items": [make_run("fn", status="queued")], "page": 1, "page_size": 10, "has_next": False}
    with pytest.raises(SpecViolationError) as raised:
        validate_response(page, 200)
    message = str(raised.value)
    assert "'has_previous' is a required property" in message
    assert "items/0/status: 'queued' is not one of" in message
    naive = make_run("fn", created_at="2026-01-01T00:00:00")
    assert spec_violations({**page, "has_previous": False, "items": [naive]}) == [
        "items/0/created_at: '2026-01-01T00:00:00' is not a 'date-time'",
        "items/0/updated_at: '2026-01-01T00:00:00' is not a 'date-time'",
    ]
    with pytest.raises(ValueError, match="documents no body for HTTP 404"):
        validate_response({"detail": "x"}, 404)


def test_a_missing_spec_is_reported_clearly(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="pass spec_path="):
        spec_violations({}, 200, spec_path=tmp_path / "openapi.json")


def test_the_server_records_responses_it_generates_that_break_the_spec() -> None:
    with NotteTestServer() as server:
        server.add_run("fn-x", status="queued")
        response = httpx.get(
            f"{server.url}/functions/fn-x/runs?only_active=false", headers={"Authorization": f"Bearer {server.api_key}"}
        )
    assert response.status_code == 200
    assert server.violations == ["items/0/status: 'queued' is not one of ['closed', 'active', 'failed']"]


def test_the_fixture_fails_a_test_whose_server_broke_the_spec(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import httpx

        def test_odd_data(notte_server):
            notte_server.add_run("fn", status="queued")
            httpx.get(notte_server.url + "/functions/fn/runs?only_active=false",
                      headers={"Authorization": "Bearer " + notte_server.api_key})
        """
    )
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*break openapi.json*", "*'queued' is not one of*"])
