"""The local server serves every operation of the functions tag, with state, as its document says:
functions created from an uploaded file, updated, read with a download link, forked, scheduled and
deleted; runs started (a redirect to the runner, then a log stream or the held outcome), read,
stopped and updated. Every response it generates is checked against the spec (the fixture fails
on a violation); faults that answer instead of the API change nothing."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from notte_ext.testing import DropConnection, Match, NotteTestServer, RunPlan, Status, validate_response
from tests.conftest import FUNCTION_ID

WORKFLOW = b"def run(url: str) -> str:\n    return url\n"
FRESH = "fn-fresh"  # a function without runs: what a test starts is all there is


@pytest.fixture
def quick(server: NotteTestServer) -> NotteTestServer:
    """Started runs end after 0.3 s, closed."""
    server.add_function(FRESH)
    server.run_plan = RunPlan(duration=0.3, outcome="closed", log_interval=0.1)
    return server


def _create(http: httpx.Client, content: bytes = WORKFLOW, **form: str) -> httpx.Response:
    return http.post("/functions", files={"file": ("workflow.py", content)}, data=form)


def _start(http: httpx.Client, key: str, function_id: str = FUNCTION_ID, **body: Any) -> httpx.Response:
    payload = {"workflow_id": function_id, "variables": {"url": "https://example.com"}, **body}
    return http.post(f"/functions/{function_id}/runs/start", json=payload, headers={"x-notte-api-key": key})


def _listed_functions(http: httpx.Client, **params: Any) -> list[dict[str, Any]]:
    body = http.get("/functions", params={"page_size": 100, **params}).json()
    validate_response(body, 200, operation_id="list_functions")
    items: list[dict[str, Any]] = body["items"]
    return items


def test_functions_are_listed_created_updated_read_forked_and_deleted(
    server: NotteTestServer, http: httpx.Client
) -> None:
    assert [f["function_id"] for f in _listed_functions(http)] == [FUNCTION_ID]  # add_function lists it

    created = _create(http, name="scraper", description="visits a page", shared="true")
    assert created.status_code == 200, created.text
    function = created.json()
    assert (function["name"], function["shared"], function["versions"], function["status"]) == (
        "scraper",
        True,
        ["1"],
        "active",
    )
    function_id = function["function_id"]
    assert [f["function_id"] for f in _listed_functions(http)] == [function_id, FUNCTION_ID]  # newest first

    updated = http.post(f"/functions/{function_id}", files={"file": ("workflow.py", b"print(2)\n")})
    assert updated.json()["versions"] == ["1", "2"]
    assert updated.json()["latest_version"] == "2"

    read = http.get(f"/functions/{function_id}").json()
    assert read["latest_version"] == "2"
    assert httpx.get(read["url"]).content == b"print(2)\n"  # the download link serves the file (no key)
    first = http.get(f"/functions/{function_id}", params={"version": "1"}).json()
    assert httpx.get(first["url"]).content == WORKFLOW
    assert http.get(f"/functions/{function_id}", params={"version": "9"}).status_code == 404

    forked = http.post(f"/functions/{function_id}/fork").json()
    assert forked["reference_workflow_id"] == function_id
    assert forked["function_id"] not in (function_id, FUNCTION_ID)

    deleted = http.delete(f"/functions/{function_id}")
    assert deleted.json() == {"status": "success", "message": f"Function {function_id} deleted"}
    assert http.get(f"/functions/{function_id}").status_code == 404
    assert http.delete(f"/functions/{function_id}").status_code == 404
    assert function_id not in [f["function_id"] for f in _listed_functions(http)]


def test_deleting_a_function_forgets_its_runs(http: httpx.Client) -> None:
    assert http.delete(f"/functions/{FUNCTION_ID}").status_code == 200
    assert http.get(f"/functions/{FUNCTION_ID}/runs").status_code == 404


def test_an_upload_needs_a_file_part(http: httpx.Client) -> None:
    missing = http.post("/functions", data={"name": "x"}, files={"other": ("a.py", b"")})
    assert missing.status_code == 422
    assert missing.json()["detail"][0]["loc"] == ["body", "file"]
    as_text = http.post("/functions", files={"file": (None, b"print(1)")})  # a text field, no file name
    assert as_text.status_code == 422
    assert "Expected UploadFile" in as_text.json()["detail"][0]["msg"]
    bad_flag = _create(http, shared="maybe")
    assert (bad_flag.status_code, bad_flag.json()["detail"][0]["loc"]) == (422, ["body", "shared"])


def test_an_upload_that_is_not_multipart_is_read_as_fastapi_reads_a_form(http: httpx.Client) -> None:
    """Starlette reads no form field from a JSON (or no) body and text fields from an urlencoded one, so
    FastAPI answers field by field; the server answered one error at ["body"] of its own wording."""
    missing = {"type": "missing", "loc": ["body", "file"], "msg": "Field required", "input": None}
    assert http.post("/functions", json={"file": "print(1)"}).json() == {"detail": [missing]}
    assert http.post("/functions").json() == {"detail": [missing]}
    urlencoded = http.post("/functions", data={"file": "print(1)", "shared": "maybe"}).json()["detail"]
    assert [(error["loc"], error["input"]) for error in urlencoded] == [
        (["body", "file"], "print(1)"),  # "Expected UploadFile", as for a text part
        (["body", "shared"], "maybe"),
    ]


def _nested_upload(depth: int) -> tuple[str, bytes]:
    """A form whose file part is itself a multipart body, and so on `depth` times."""
    content_type, body = "", b"print(1)"
    for level in range(depth):
        boundary = f"b{level}"
        inner = f"Content-Type: {content_type}\r\n" if content_type else ""
        body = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.py"\r\n{inner}\r\n'.encode()
            + body
            + f"\r\n--{boundary}--\r\n".encode()
        )
        content_type = f"multipart/form-data; boundary={boundary}"
    return content_type, body


@pytest.mark.parametrize(
    ("content_type", "body", "message"),
    [
        (*_nested_upload(3000), "multipart parts nested too deep"),
        (
            "multipart/form-data; boundary=B",
            b"".join(b'--B\r\nContent-Disposition: form-data; name="f%d"\r\n\r\nv\r\n' % i for i in range(2001))
            + b"--B--\r\n",
            "more than 2,000 parts",
        ),
    ],
    ids=["nested 3,000 deep", "2,001 parts"],
)
def test_a_hostile_upload_is_a_422_not_a_dropped_connection_or_a_hang(
    http: httpx.Client, content_type: str, body: bytes, message: str
) -> None:
    """Parts nested in parts crashed the handler (RecursionError: no answer, a traceback on the server's
    stderr); 200,000 small parts took 30 s to parse. Starlette reads at most 1,000 files and 1,000 fields."""
    started = time.monotonic()
    answer = http.post("/functions", content=body, headers={"Content-Type": content_type})
    assert (answer.status_code, answer.json()["detail"][0]["msg"]) == (422, f"Value error, {message}")
    assert time.monotonic() - started < 5


def test_schedules_are_set_and_removed(server: NotteTestServer, http: httpx.Client) -> None:
    body = {"cron": "0 * * * *", "variables": {"url": "https://example.com"}}
    assert http.post(f"/functions/{FUNCTION_ID}/schedule", json=body).json() == {"status": "success"}
    stored = server.functions.get(FUNCTION_ID)
    assert stored is not None
    assert stored.schedule == body
    assert http.delete(f"/functions/{FUNCTION_ID}/schedule").json() == {"status": "success"}
    assert server.functions.get(FUNCTION_ID).schedule is None  # type: ignore[union-attr]
    missing = http.post(f"/functions/{FUNCTION_ID}/schedule", json={"variables": None})
    assert missing.status_code == 422
    assert missing.json()["detail"] == [
        {"type": "missing", "loc": ["body", "cron"], "msg": "Field required", "input": {"variables": None}}
    ]
    assert http.post("/functions/no-such-fn/schedule", json=body).status_code == 404


def test_starting_a_run_needs_the_key_header_and_a_valid_body(server: NotteTestServer, http: httpx.Client) -> None:
    no_header = http.post(f"/functions/{FUNCTION_ID}/runs/start", json={"workflow_id": FUNCTION_ID, "variables": {}})
    assert no_header.status_code == 422
    assert no_header.json()["detail"][0]["loc"] == ["header", "x-notte-api-key"]
    wrong = _start(http, "sk-wrong")
    assert wrong.status_code == 401
    extra = _start(http, server.api_key, surprise=1)
    assert extra.status_code == 422
    assert extra.json()["detail"][0] | {"input": None} == {
        "type": "extra_forbidden",
        "loc": ["body", "surprise"],
        "msg": "Extra inputs are not permitted",
        "input": None,
    }
    not_json = http.post(
        f"/functions/{FUNCTION_ID}/runs/start", content=b"{", headers={"x-notte-api-key": server.api_key}
    )
    assert (not_json.status_code, not_json.json()["detail"][0]["type"]) == (422, "json_invalid")
    assert _start(http, server.api_key, function_id="no-such-fn").status_code == 404


def _events(response: httpx.Response) -> Iterator[dict[str, Any]]:
    for line in response.iter_lines():
        if line.startswith("data: "):
            yield json.loads(line.removeprefix("data: "))


def test_a_started_run_redirects_to_its_runner_which_streams_its_log_and_outcome(
    quick: NotteTestServer, http: httpx.Client
) -> None:
    started = _start(http, quick.api_key, FRESH)
    assert started.status_code == 307
    run_id = httpx.URL(started.headers["Location"]).params["function_run_id"]
    listed = http.get(f"/functions/{FRESH}/runs", params={"only_active": "true"}).json()["items"]
    assert [run["function_run_id"] for run in listed] == [run_id]  # active at once

    body = {"workflow_id": FRESH, "variables": {}, "stream": True}
    with http.stream(
        "POST", started.headers["Location"], json=body, headers={"x-notte-api-key": quick.api_key}
    ) as stream:
        assert stream.headers["content-type"] == "text/event-stream"
        events = list(_events(stream))
    assert events[0]["type"] == "session_start"
    assert {event["type"] for event in events[1:-1]} == {"log"}
    outcome = json.loads(events[-1]["message"])
    assert events[-1]["type"] == "result"
    assert (outcome["function_run_id"], outcome["status"], outcome["result"]) == (run_id, "closed", "ok")
    run = http.get(f"/functions/{FRESH}/runs/{run_id}").json()
    validate_response(run, 200, operation_id="function_run_get_metadata")
    assert (run["status"], run["variables"]) == ("closed", {"url": "https://example.com"})
    assert run["logs"][-1] == "run closed"


def test_without_a_stream_the_runner_holds_the_answer_until_the_run_ends(
    quick: NotteTestServer, http: httpx.Client
) -> None:
    quick.start_redirects = False  # as older servers: runs/start answers itself
    quick.run_plan = RunPlan(duration=0.3, outcome="failed")
    begun = time.monotonic()
    answer = _start(http, quick.api_key, stream=False)
    assert time.monotonic() - begun >= 0.3
    assert answer.headers["content-type"] == "application/json"
    outcome = answer.json()
    assert (outcome["status"], outcome["result"]) == ("failed", "error: the workflow raised")


def test_run_outcomes_follow_the_seeded_plan(server: NotteTestServer, http: httpx.Client) -> None:
    def outcomes(seed: int) -> list[str]:
        server.run_plan = RunPlan(duration=0, failure_rate=0.5, seed=seed)
        started = [_start(http, server.api_key) for _ in range(8)]
        ids = [httpx.URL(s.headers["Location"]).params["function_run_id"] for s in started]
        return [http.get(f"/functions/{FUNCTION_ID}/runs/{run_id}").json()["status"] for run_id in ids]

    first = outcomes(seed=3)
    assert first == outcomes(seed=3)
    assert set(first) == {"closed", "failed"}


def test_stopping_a_run_closes_it_and_reports_stopped(server: NotteTestServer, http: httpx.Client) -> None:
    server.run_plan = RunPlan(duration=60)
    run_id = httpx.URL(_start(http, server.api_key).headers["Location"]).params["function_run_id"]
    stopped = http.delete(f"/functions/{FUNCTION_ID}/runs/{run_id}").json()
    validate_response(stopped, 200, operation_id="function_run_stop")
    assert (stopped["status"], stopped["function_run_id"]) == ("stopped", run_id)
    assert http.get(f"/functions/{FUNCTION_ID}/runs/{run_id}").json()["status"] == "closed"
    assert http.delete(f"/functions/{FUNCTION_ID}/runs/{run_id}").json()["status"] == "stopped"  # again: the same
    assert http.delete(f"/functions/{FUNCTION_ID}/runs/no-such-run").status_code == 404


def test_a_run_is_updated_by_hand(server: NotteTestServer, http: httpx.Client) -> None:
    server.run_plan = RunPlan(duration=60)
    run_id = httpx.URL(_start(http, server.api_key).headers["Location"]).params["function_run_id"]
    patch = {"status": "failed", "result": "gave up", "logs": ["one", "two"]}
    updated = http.patch(f"/functions/{FUNCTION_ID}/runs/{run_id}", json=patch)
    assert updated.json()["status"] == "updated"
    run = http.get(f"/functions/{FUNCTION_ID}/runs/{run_id}").json()
    assert (run["status"], run["result"], run["logs"]) == ("failed", "gave up", ["one", "two"])
    bad = http.patch(f"/functions/{FUNCTION_ID}/runs/{run_id}", json={"status": "paused"})
    assert (bad.status_code, bad.json()["detail"][0]["loc"]) == (422, ["body", "status"])


def test_a_run_updated_with_a_result_of_any_json_is_served_as_its_schema_declares(
    server: NotteTestServer, http: httpx.Client
) -> None:
    """The update body takes any JSON as the result; a run is served with a string or null. The object
    was served as it came: every answer showing the run broke the spec (a violation, SchemaMismatchError)."""
    server.run_plan = RunPlan(duration=60)
    run_id = httpx.URL(_start(http, server.api_key).headers["Location"]).params["function_run_id"]
    for result, served in [({"price": 3}, '{"price": 3}'), ([1, "é"], '[1, "é"]'), (7, "7"), (None, None)]:
        patch = {"status": "closed", "result": result}
        assert http.patch(f"/functions/{FUNCTION_ID}/runs/{run_id}", json=patch).status_code == 200
        run = http.get(f"/functions/{FUNCTION_ID}/runs/{run_id}").json()
        validate_response(run, 200, operation_id="function_run_get_metadata")
        listed = http.get(f"/functions/{FUNCTION_ID}/runs", params={"only_active": "false"}).json()
        validate_response(listed, 200)
        assert run["result"] == served
    assert server.violations == []


def test_a_429_answers_before_the_api_so_no_run_starts_but_a_dropped_answer_does(
    quick: NotteTestServer, http: httpx.Client
) -> None:
    runs = f"/functions/{FRESH}/runs"
    quick.faults.add(Status(429, retry_after=0), match=Match(operation_id="function_run_start"))
    assert _start(http, quick.api_key, FRESH).status_code == 429
    assert http.get(runs).json()["items"] == []
    quick.faults.add(DropConnection(), match=Match(operation_id="function_run_start"))
    with pytest.raises(httpx.TransportError):  # reset after the body arrived: a ReadError, here
        _start(http, quick.api_key, FRESH)
    assert len(http.get(runs).json()["items"]) == 1
    assert [r.status for r in quick.requests if r.method == "POST"] == [429, None]


def test_every_operation_it_serves_is_declared_by_the_document(server: NotteTestServer) -> None:
    from notte_ext.testing.api import HANDLERS

    declared = {op["operationId"] for _, _, op in server.spec.operations()}
    assert set(HANDLERS) == declared
