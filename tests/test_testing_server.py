"""The local Notte server behaves like its OpenAPI document says GET /functions/{function_id}/runs does:
API 1.4.40 (the vendored spec) by default, or any revision document it is given."""

from __future__ import annotations

import json
import random
import socket
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator
from notte_api_client import AuthenticatedClient
from notte_api_client.api.functions import list_function_runs_by_function_id as op

from notte_ext.functions import RunsPage
from notte_ext.testing import (
    RUN_STATUSES,
    SAMPLE_DAYS,
    SYSTEM_TOKEN,
    NoFault,
    NotteTestServer,
    RunsOperation,
    SpecViolationError,
    generate_runs,
    make_run,
    sample_clock,
    spec_violations,
    validate_response,
)
from notte_ext.testing.schema_values import value_for_schema
from tests.conftest import FUNCTION_ID, RUN_COUNT, SAMPLE_NOW
from tests.revision import QUERY_PARAMETERS, only_on, spec_run_statuses, validation_error_item_ref


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
            assert isinstance(response.parsed, RunsPage)
            assert (response.parsed.page, response.parsed.has_previous) == (page, page > 1)
            run_ids += [item.function_run_id for item in response.parsed.items]
            created += [item.created_at for item in response.parsed.items]
            if not response.parsed.has_next:
                break
    assert page == 3
    assert len(run_ids) == len(set(run_ids)) == RUN_COUNT
    assert created == sorted(created, reverse=True)  # newest first, like the real API
    assert all(moment.tzinfo is not None for moment in created)


def test_the_spec_default_of_only_active_decides_whether_finished_runs_show(
    server: NotteTestServer, http: httpx.Client
) -> None:
    everything = {item["status"] for item in _runs(http, page_size=100, only_active="false").json()["items"]}
    assert everything == spec_run_statuses()
    by_default = {item["status"] for item in _runs(http, page_size=100).json()["items"]}
    hides_finished = QUERY_PARAMETERS["only_active"]["schema"].get("default", False)  # true in 1.4.40
    assert by_default == ({"active"} if hides_finished else everything)


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
    assert http.get("/sessions").status_code == 404  # a path the document does not declare
    assert http.get("/functions/fn-1/runs/start").json() == {"detail": "Function run not found"}
    assert http.post("/functions/fn-1/runs").status_code == 405  # declared, not with this method


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
    assert isinstance(response.parsed, RunsPage)
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
    runs = generate_runs("fn-1", 250, now=SAMPLE_NOW)
    assert runs == generate_runs("fn-1", 250, now=SAMPLE_NOW)
    assert runs != generate_runs("fn-1", 250, seed=1, now=SAMPLE_NOW)
    assert len({run["function_run_id"] for run in runs}) == 250
    assert {run["status"] for run in runs} == set(RUN_STATUSES)  # every status of the vendored enum
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
    ways: list[dict[str, Any]] = [{"spec": tmp_path / "openapi.json"}, {"spec_path": tmp_path / "openapi.json"}]
    for where in ways:
        with pytest.raises(FileNotFoundError, match=r"no OpenAPI document at .*openapi\.json: pass spec="):
            spec_violations({}, 200, **where)


def test_the_server_records_responses_it_generates_that_break_the_spec() -> None:
    with NotteTestServer() as server:
        server.add_run("fn-x", status="queued")
        response = httpx.get(
            f"{server.url}/functions/fn-x/runs?only_active=false", headers={"Authorization": f"Bearer {server.api_key}"}
        )
    assert response.status_code == 200
    assert server.violations == [
        f"list_function_runs_by_function_id: items/0/status: 'queued' is not one of {list(RUN_STATUSES)}"
    ]


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


# -- sample data relative to a clock --------------------------------------------------------------


def _created(runs: list[dict[str, Any]]) -> list[datetime]:
    return [datetime.fromisoformat(run["created_at"]) for run in runs]


def test_generated_runs_end_at_the_clocks_minute_and_span_the_sample_days() -> None:
    clock = datetime(2026, 3, 4, 5, 6, 7, 890, tzinfo=UTC)
    runs = generate_runs("fn-1", 250, now=clock)
    created = _created(runs)
    assert created[0] == sample_clock(clock) == datetime(2026, 3, 4, 5, 6, tzinfo=UTC)
    assert created == sorted(set(created), reverse=True)  # strictly newest first
    assert timedelta(days=SAMPLE_DAYS - 2) < created[0] - created[-1] <= timedelta(days=SAMPLE_DAYS)
    assert max(datetime.fromisoformat(run["updated_at"]) for run in runs) <= created[0]
    assert all(datetime.fromisoformat(run["updated_at"]) >= moment for run, moment in zip(runs, created, strict=True))
    # Denser towards now, like real traffic: "the last 2 hours" and "today" are never empty.
    assert sum(moment > created[0] - timedelta(hours=2) for moment in created) >= 5
    assert sum(moment >= created[0].replace(hour=0) for moment in created) >= 5


def test_the_clock_moves_the_runs_but_not_their_ids() -> None:
    before = generate_runs("fn-1", 40, now=SAMPLE_NOW)
    later = generate_runs("fn-1", 40, now=SAMPLE_NOW + timedelta(days=300, minutes=7))
    assert [run["function_run_id"] for run in later] == [run["function_run_id"] for run in before]
    shifts = {b - a for a, b in zip(_created(before), _created(later), strict=True)}
    assert shifts == {timedelta(days=300, minutes=7)}


def test_without_a_clock_sample_data_ends_at_the_current_minute(notte_server: NotteTestServer) -> None:
    start = sample_clock()
    notte_server.add_function("fn-now", runs=30)
    end = datetime.now(UTC)
    with httpx.Client(base_url=notte_server.url, headers={"Authorization": f"Bearer {notte_server.api_key}"}) as http:
        recent = _runs(http, "fn-now", only_active="false", page_size=100).json()["items"]
    newest = _created(recent)[0]
    assert start <= newest <= end
    assert newest == newest.replace(second=0, microsecond=0)


def test_serve_then_runs_list_since_2h_lists_runs() -> None:
    cli = str(Path(sys.executable).with_name("notte-ext"))
    with subprocess.Popen(
        [cli, "serve", "--port", "0", "--api-key", "sk-serve-test"], stdout=subprocess.PIPE, text=True
    ) as serving:
        try:
            assert serving.stdout is not None
            url = serving.stdout.readline().split(" on ")[-1].strip()
            listing = subprocess.run(
                [cli, "--base-url", url, "--api-key", "sk-serve-test", "runs", "list", "fn-sample", "--since", "2h"],
                capture_output=True,
                text=True,
                timeout=60,
            )
        finally:
            serving.terminate()
            serving.wait(timeout=10)
    assert listing.returncode == 0, listing.stderr
    listed = [json.loads(line) for line in listing.stdout.splitlines()]
    assert len(listed) >= 5
    two_hours_ago = datetime.now(UTC) - timedelta(hours=2)
    assert all(datetime.fromisoformat(run["created_at"]) >= two_hours_ago for run in listed)


# -- following the document it serves --------------------------------------------------------------

_RUNS_PATH = "/functions/{function_id}/runs"
UPSTREAM_1_10_ITEM_FIELDS = {
    "function_id",
    "function_run_id",
    "created_at",
    "updated_at",
    "status",
    "session_id",
    "local",
    "workflow_id",
    "workflow_run_id",
}
UPSTREAM_1_10 = Path(__file__).parent / "revisions/upstream-1.10.json"


def revision_1_10() -> dict[str, Any]:
    """Upstream 1.10's shape (issue 11's facts): the bump rehearsal's fixture, whatever openapi.json holds."""
    document: dict[str, Any] = json.loads(UPSTREAM_1_10.read_text(encoding="utf-8"))
    return document


@pytest.fixture
def revision() -> dict[str, Any]:
    return revision_1_10()


@pytest.fixture
def revision_http(revision: dict[str, Any]) -> Iterator[httpx.Client]:
    """A raw client on a server following ``revision``, with 60 runs of ``fn-1``; fails on any violation."""
    with NotteTestServer(spec=revision) as server:
        server.add_function(FUNCTION_ID, runs=60, now=SAMPLE_NOW)
        with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {server.api_key}"}) as http:
            yield http
    assert server.violations == []


def test_the_derived_revision_has_the_upstream_shape(revision: dict[str, Any]) -> None:
    operation = RunsOperation.load(revision)
    assert set(operation.item_fields) == UPSTREAM_1_10_ITEM_FIELDS
    assert [p.name for p in operation.query_parameters] == [
        "page",
        "page_size",
        "only_active",
        "only_current_token",
        "include_system",
        "source",
    ]
    # The listing's item is another component than the one a single run still reads as.
    assert "GetFunctionRunResponse" not in json.dumps(operation.response_schema(200)) + json.dumps(
        operation.item_schema
    )


def test_against_1_10_runs_carry_exactly_its_item_fields_and_validate(
    revision: dict[str, Any], revision_http: httpx.Client
) -> None:
    body = _runs(revision_http, page_size=100).json()
    assert len(body["items"]) == 60  # only_active defaults to false in 1.10: every run
    assert {item["status"] for item in body["items"]} == {"active", "closed", "failed"}
    assert all(set(item) == UPSTREAM_1_10_ITEM_FIELDS for item in body["items"])
    validate_response(body, 200, spec=revision)
    with pytest.raises(SpecViolationError, match="'has_previous' is a required property"):
        validate_response({k: v for k, v in body.items() if k != "has_previous"}, 200, spec=revision)
    assert {item["status"] for item in _runs(revision_http, only_active="true", page_size=100).json()["items"]} == {
        "active"
    }


def test_make_run_follows_the_document_it_is_given(revision: dict[str, Any]) -> None:
    assert set(make_run("fn", spec=revision)) == UPSTREAM_1_10_ITEM_FIELDS
    assert set(make_run("fn")) == set(RunsOperation.load().item_fields)
    explicit = make_run("fn", logs=["kept"], spec=revision)  # asked for: written, like any extra field
    assert explicit["logs"] == ["kept"]


def test_against_1_10_a_bad_boolean_is_a_422_naming_it(revision: dict[str, Any], revision_http: httpx.Client) -> None:
    response = _runs(revision_http, include_system="maybe")
    assert response.status_code == 422
    validate_response(response.json(), 422, spec=revision)
    (error,) = response.json()["detail"]
    assert (error["loc"], error["type"], error["input"]) == (["query", "include_system"], "bool_parsing", "maybe")


def test_against_1_10_an_unknown_source_is_a_422_listing_the_allowed_values(revision_http: httpx.Client) -> None:
    response = _runs(revision_http, source="bogus")
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    expected = "'console', 'anything', 'cli', 'node-sdk', 'python-sdk' or 'rest-api'"
    assert error == {
        "type": "enum",
        "loc": ["query", "source"],
        "msg": f"Input should be {expected}",
        "input": "bogus",
        "ctx": {"expected": expected},
    }
    accepted = _runs(revision_http, source="python-sdk", page_size=100)
    assert (accepted.status_code, len(accepted.json()["items"])) == (200, 60)  # accepted, not a filter


def test_include_system_false_hides_the_runs_notte_itself_started(revision: dict[str, Any]) -> None:
    with NotteTestServer(spec=revision) as server:
        server.add_function("fn", runs=5, now=SAMPLE_NOW)
        system = server.add_run("fn", token=SYSTEM_TOKEN, created_at=SAMPLE_NOW)
        with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {server.api_key}"}) as http:
            default = [item["function_run_id"] for item in _runs(http, "fn").json()["items"]]
            without = [item["function_run_id"] for item in _runs(http, "fn", include_system="false").json()["items"]]
    assert server.violations == []
    assert system["function_run_id"] in default
    assert without == [run_id for run_id in default if run_id != system["function_run_id"]]
    assert len(without) == 5


@only_on("1.4.40")  # include_system/source are undeclared in 1.4.40 only
def test_undeclared_parameters_are_ignored_as_fastapi_does(server: NotteTestServer, http: httpx.Client) -> None:
    server.add_run(FUNCTION_ID, token=SYSTEM_TOKEN, status="active")
    with_system = _runs(http, page_size=100).json()["items"]
    for query in ({"include_system": "false"}, {"include_system": "maybe"}, {"source": "bogus"}):
        response = _runs(http, page_size=100, **query)  # 1.4.40 declares neither parameter
        assert (response.status_code, response.json()["items"]) == (200, with_system)


def _with_parameter(document: dict[str, Any], name: str, schema: dict[str, Any], *, required: bool = False) -> None:
    document["paths"][_RUNS_PATH]["get"]["parameters"].append(
        {"name": name, "in": "query", "required": required, "schema": schema}
    )


@pytest.mark.parametrize(
    ("schema", "required", "value", "error"),
    [
        ({"type": "integer", "minimum": 0, "maximum": 5}, False, "6", ("less_than_equal", {"le": 5})),
        ({"type": "integer", "exclusiveMinimum": 0}, False, "0", ("greater_than", {"gt": 0})),
        ({"type": "number", "exclusiveMaximum": 1.5}, False, "2.5", ("less_than", {"lt": 1.5})),
        ({"type": "number"}, False, "fast", ("float_parsing", None)),
        ({"type": "string", "minLength": 3}, False, "ab", ("string_too_short", {"min_length": 3})),
        ({"type": "string", "maxLength": 1}, False, "ab", ("string_too_long", {"max_length": 1})),
        ({"type": "string", "pattern": "^v\\d$"}, False, "x", ("string_pattern_mismatch", {"pattern": "^v\\d$"})),
        ({"anyOf": [{"type": "integer"}, {"type": "null"}]}, False, "one", ("int_parsing", None)),
        ({"type": "string"}, True, None, ("missing", None)),
    ],
)
def test_any_declared_parameter_is_validated_like_the_api(
    revision: dict[str, Any], schema: dict[str, Any], required: bool, value: str | None, error: tuple[str, Any]
) -> None:
    _with_parameter(revision, "knob", schema, required=required)
    with NotteTestServer(spec=revision) as server:
        server.add_function("fn", runs=3, now=SAMPLE_NOW)
        with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {server.api_key}"}) as http:
            response = _runs(http, "fn", **({} if value is None else {"knob": value}))
    assert server.violations == []
    assert response.status_code == 422
    (detail,) = response.json()["detail"]
    kind, ctx = error
    assert (detail["loc"], detail["type"], detail["input"], detail.get("ctx")) == (["query", "knob"], kind, value, ctx)
    assert detail["msg"]


def test_declared_defaults_of_the_document_are_used(revision: dict[str, Any]) -> None:
    page_size = next(p for p in revision["paths"][_RUNS_PATH]["get"]["parameters"] if p["name"] == "page_size")
    page_size["schema"]["default"] = 7
    with NotteTestServer(spec=revision) as server:
        server.add_function("fn", runs=20, now=SAMPLE_NOW)
        with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {server.api_key}"}) as http:
            body = _runs(http, "fn").json()
    assert (body["page_size"], len(body["items"]), body["has_next"]) == (7, 7, True)


def test_fields_and_statuses_only_a_newer_document_knows_are_generated_from_their_schemas(
    revision: dict[str, Any],
) -> None:
    schemas = revision["components"]["schemas"]
    item = schemas["FunctionRunListItemResponse"]
    item["properties"]["status"]["enum"].append("queued")
    item["properties"].update(
        {
            "priority": {"anyOf": [{"$ref": "#/components/schemas/Priority"}, {"type": "null"}]},
            "attempts": {"type": "integer", "minimum": 1, "maximum": 3},
            "finished_at": {"anyOf": [{"type": "string", "format": "date-time"}, {"type": "null"}]},
            "tags": {"type": "array", "items": {"type": "string", "maxLength": 5}},
            "cost": {"type": "object", "properties": {"credits": {"type": "number", "minimum": 0}}},
        }
    )
    item["required"].append("attempts")
    schemas["Priority"] = {"type": "string", "enum": ["low", "high"]}
    runs = generate_runs("fn", 250, now=SAMPLE_NOW, spec=revision)
    page = {"items": runs, "page": 1, "page_size": 250, "has_next": False, "has_previous": False}
    assert spec_violations(page, 200, spec=revision) == []
    assert all(set(run) == set(item["properties"]) for run in runs)
    assert {run["status"] for run in runs} == {"active", "closed", "failed", "queued"}
    assert {run["priority"] for run in runs} == {"low", "high"}
    assert {run["attempts"] for run in runs} == {1, 2, 3}
    assert all(datetime.fromisoformat(run["finished_at"]).tzinfo is not None for run in runs)
    # The ids follow the seed alone, whatever document shaped the runs.
    assert [run["function_run_id"] for run in runs] == [
        run["function_run_id"] for run in generate_runs("fn", 250, now=SAMPLE_NOW)
    ]


def test_a_document_without_the_operation_is_refused_clearly() -> None:
    with pytest.raises(ValueError, match="declares no operation 'list_function_runs_by_function_id'"):
        NotteTestServer(spec={"openapi": "3.1.0", "paths": {}})


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 3},
        {"type": "number", "exclusiveMaximum": 1.5},
        {"type": "number", "minimum": 2, "maximum": 2.5},
        {"type": "string", "format": "uuid"},
        {"type": ["string", "null"], "minLength": 20, "maxLength": 30},
        {"type": "string", "format": "date-time"},
        {"type": "array", "items": {"type": "boolean"}, "minItems": 2},
        {"type": "object", "properties": {"n": {"const": 4}, "e": {"enum": [None, "x"]}}, "required": ["n", "e"]},
        {"anyOf": [{"type": "null"}, {"$ref": validation_error_item_ref()}]},
    ],
)
def test_a_value_generated_from_a_schema_is_valid_for_it(schema: dict[str, Any]) -> None:
    operation = RunsOperation.load()
    checker = Draft202012Validator.FORMAT_CHECKER
    resolvable = {**schema, "components": operation.document["components"]}
    for rng in (None, random.Random(3), random.Random(4)):  # noqa: S311 - reproducible choices
        value = value_for_schema(schema, operation, rng=rng)
        Draft202012Validator(resolvable, format_checker=checker).validate(value)
        assert value is not None


def test_a_body_nested_past_200_levels_is_a_422_not_a_dropped_connection(notte_server: NotteTestServer) -> None:
    """Past pydantic's parser depth the server answers json_invalid; before, copying the run exhausted its
    recursion and the connection dropped (the client saw a server that hung up on a start)."""
    notte_server.add_function("fn-deep")
    deep = "[" * 600 + "]" * 600
    response = httpx.post(
        f"{notte_server.url}/functions/fn-deep/runs/start",
        content='{"variables": {"a": ' + deep + '}, "stream": false}',
        headers={
            "Authorization": f"Bearer {notte_server.api_key}",
            "x-notte-api-key": notte_server.api_key,
            "Content-Type": "application/json",
        },
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "json_invalid"


def test_a_chunked_request_body_is_read_and_the_connection_stays_usable(server: NotteTestServer) -> None:
    """A client streaming its body (httpx sends an iterator chunked) is not sending an empty one; and
    the chunks, left unread, would be parsed as the next request on the keep-alive connection."""
    body = json.dumps({"workflow_id": FUNCTION_ID, "variables": {"a": 1}, "stream": False}).encode()
    headers = {"Authorization": f"Bearer {server.api_key}", "x-notte-api-key": server.api_key}
    with httpx.Client(base_url=server.url, headers=headers) as http:
        started = http.post(f"/functions/{FUNCTION_ID}/runs/start", content=iter([body[:10], body[10:]]))
        assert started.request.headers["Transfer-Encoding"] == "chunked"
        assert started.status_code == 307, started.text
        assert http.get(f"/functions/{FUNCTION_ID}/runs", params={"page_size": 1}).status_code == 200
    assert [request.status for request in server.requests] == [307, 200]


@pytest.mark.parametrize(
    "framing",
    [
        b"Content-Length: abc\r\n",
        b"Content-Length: -5\r\n",
        b"Content-Length: +2\r\n",
        b"Content-Length: 2\r\nContent-Length: 5\r\n",
        b"Transfer-Encoding: chunked\r\n\r\nzz\r\n",
        b"Transfer-Encoding: chunked\r\n\r\n5\r\n{}\r\n0\r\n",
    ],
)
def test_a_body_framed_wrongly_gets_a_400_not_a_dropped_connection(server: NotteTestServer, framing: bytes) -> None:
    request = (
        (
            f"POST /functions/{FUNCTION_ID}/runs/start HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
            f"Authorization: Bearer {server.api_key}\r\nContent-Type: application/json\r\n"
        ).encode()
        + framing
        + (b"" if b"chunked" in framing else b"\r\n{}")
    )
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(request)
        connection.shutdown(socket.SHUT_WR)
        answer = b"".join(iter(lambda: connection.recv(65536), b""))
    assert answer.startswith(b"HTTP/1.1 400 "), answer
    assert b'"detail":"Invalid HTTP request: ' in answer
