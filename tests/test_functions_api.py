"""`client.functions` over real HTTP, sync and async: every operation of the functions tag against the
local server, arguments refused before any request, a run started and followed to its end."""

from __future__ import annotations

import asyncio
import io
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import httpx
import pytest

from notte_ext import AsyncNotteClient, NotteClient, RetryPolicy, spec_version
from notte_ext._run_start import RunFinished, RunLogLine, RunSessionStarted, RunStarted
from notte_ext.errors import (
    APITimeoutError,
    ForeignResponseError,
    InvalidArgumentError,
    NotFoundError,
    RunLogError,
    SchemaMismatchError,
)
from notte_ext.testing import Match, NotteTestServer, ProxyPage, RunPlan, Status, TrickledBody
from notte_ext.testing.exchange import Reply
from notte_ext.testing.faults import FaultContext
from notte_ext.testing.forms import parse_form
from notte_ext.watch import RunFailedError, RunTimeoutError, WatchTimeoutError

FUNCTION_ID = "fn-sample"
WORKFLOW = b"def run(url: str) -> str:\n    return url\n"


@pytest.fixture
def server(notte_server: NotteTestServer) -> NotteTestServer:
    notte_server.add_function(FUNCTION_ID, runs=5)
    notte_server.run_plan = RunPlan(duration=0.2, outcome="closed", log_interval=0.5)
    return notte_server


@pytest.fixture
def client(server: NotteTestServer) -> Any:
    with NotteClient(server.api_key, base_url=server.url, retry=RetryPolicy(sleep=lambda _: None)) as client:
        yield client


def _post_count(server: NotteTestServer, path_end: str) -> int:
    return sum(1 for request in server.requests if request.method == "POST" and request.path.endswith(path_end))


def test_functions_list_every_function_across_pages_inactive_ones_included(
    server: NotteTestServer, client: NotteClient
) -> None:
    for index in range(150):
        server.add_function(f"fn-{index:03}")
    listed = client.functions.list(prefetch=0).to_list()
    assert len(listed) == 151
    assert len({function.function_id for function in listed}) == 151
    queries = [r.query for r in server.requests if r.path == "/functions"]
    assert [q["page"] for q in queries] == ["1", "2"]
    assert {q["only_active"] for q in queries} == {"false"}  # the API's default (true) never applies
    assert {q["page_size"] for q in queries} == {"100"}
    assert client.functions.list(limit=3).to_list() == listed[:3]
    assert client.functions.list().to_list() == listed  # paging ahead: the same, in the same order
    with pytest.raises(InvalidArgumentError, match="page_size must be an integer from 1 to 100"):
        client.functions.list(page_size=0)


def test_a_function_is_created_updated_read_forked_scheduled_and_deleted(
    tmp_path: Path, server: NotteTestServer, client: NotteClient
) -> None:
    path = tmp_path / "scraper.py"
    path.write_bytes(WORKFLOW)
    created = client.functions.create(path, name="scraper", shared=True)
    assert (created.name, created.shared, created.versions) == ("scraper", True, ["1"])
    function_id = created.function_id
    stored = server.functions.get(function_id)
    assert stored is not None
    assert stored.files == {"1": WORKFLOW}

    updated = client.functions.update(function_id, io.BytesIO(b"print(2)\n"), version="v2")
    assert (updated.latest_version, updated.versions) == ("v2", ["1", "v2"])
    read = client.functions.get(function_id)
    assert httpx.get(read.url).content == b"print(2)\n"
    assert httpx.get(client.functions.get(function_id, version="1").url).content == WORKFLOW

    forked = client.functions.fork(function_id)
    assert forked.reference_workflow_id == function_id
    assert client.functions.schedule(function_id, "*/5 * * * *", {"url": "https://example.com"}).status == "success"
    scheduled = server.functions.get(function_id)
    assert scheduled is not None
    assert scheduled.schedule == {"cron": "*/5 * * * *", "variables": {"url": "https://example.com"}}
    assert client.functions.unschedule(function_id).status == "success"

    assert client.functions.delete(function_id).status.value == "success"
    with pytest.raises(NotFoundError):
        client.functions.get(function_id)


@pytest.mark.parametrize("shared", [True, False])
def test_a_boolean_form_field_travels_as_json_true_or_false(
    server: NotteTestServer, client: NotteClient, shared: bool
) -> None:
    """`shared` went as Python's `True`: FastAPI reads it, but a server that reads the field by its
    schema (Prism, the spec's mock) answered 422 "shared must be boolean" to every `create(shared=True)`."""
    server.clear()
    client.functions.create(WORKFLOW, name="flag", shared=shared)
    (upload,) = [request for request in server.requests if request.method == "POST"]
    form = parse_form(upload.headers["content-type"], upload.body)
    assert form["shared"].text == ("true" if shared else "false")


def test_a_workflow_may_be_any_bytes_like_object(server: NotteTestServer, client: NotteClient) -> None:
    for workflow in (bytearray(WORKFLOW), memoryview(WORKFLOW)):
        created = client.functions.create(workflow, name="bytes-like")
        stored = server.functions.get(created.function_id)
        assert stored is not None
        assert stored.files == {"1": WORKFLOW}


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: c.functions.get(".."), "function_id '..' is not a valid function id"),
        (lambda c: c.functions.get_run("fn", "."), "run_id '.' is not a valid run id"),
        (lambda c: c.functions.create(b""), "the workflow file is empty"),
        (lambda c: c.functions.create("/no/such/workflow.py"), "cannot read the workflow file"),
        (lambda c: c.functions.create(b"x" * (10 * 1024 * 1024 + 1)), "larger than"),
        (lambda c: c.functions.create(b"x", nope=1), "unknown option 'nope'"),
        (lambda c: c.functions.update_run("fn", "run", status="paused"), "status"),
        (lambda c: c.functions.schedule("fn", 5), "cron"),
        (lambda c: c.functions.start_run("fn", {"a": 1}, surprise=True), "unknown field surprise"),
        (lambda c: c.functions.start_run("fn", variables=["a"]), "variables"),
        (lambda c: c.functions.start_run("fn", workflow_id="other"), "workflow_id 'other' differs from function_id"),
        (lambda c: c.functions.run("fn", workflow_id="other"), "workflow_id 'other' differs from function_id"),
    ],
)
def test_arguments_that_cant_make_a_valid_request_are_refused_before_any(
    server: NotteTestServer, client: NotteClient, call: Any, message: str
) -> None:
    server.clear()
    with pytest.raises(InvalidArgumentError, match=message):
        call(client)
    assert server.requests == []


def test_start_run_returns_the_run_as_soon_as_the_api_names_it(server: NotteTestServer, client: NotteClient) -> None:
    server.run_plan = RunPlan(duration=60)
    started = client.functions.start_run(FUNCTION_ID, {"url": "https://example.com"})
    assert (started.status, started.finished) == (None, False)  # running; only its id came back
    run = client.functions.get_run(FUNCTION_ID, started.function_run_id)
    assert (run.status.value, run.variables.to_dict()) == ("active", {"url": "https://example.com"})  # type: ignore[union-attr]
    (start, runner) = [r for r in server.requests if r.method == "POST"]
    assert (start.path, start.status, runner.path.startswith("/runner/")) == (
        f"/functions/{FUNCTION_ID}/runs/start",
        307,
        True,
    )
    assert start.headers["x-notte-api-key"] == "***"  # sent (redacted in the log), as the spec requires


def test_an_older_api_answers_start_with_the_outcome(server: NotteTestServer, client: NotteClient) -> None:
    server.start_redirects = False
    started = client.functions.start_run(FUNCTION_ID)
    assert (started.status.value, started.result, started.finished) == ("closed", "ok", True)  # type: ignore[union-attr]


@pytest.mark.parametrize("redirects", [True, False])
def test_stream_run_follows_the_streamed_log_to_the_outcome(
    server: NotteTestServer, client: NotteClient, redirects: bool
) -> None:
    server.start_redirects = redirects
    events = list(client.functions.stream_run(FUNCTION_ID, {"url": "https://example.com"}))
    kinds = [type(event) for event in events]
    assert kinds[: 2 if redirects else 1] == ([RunStarted] if redirects else []) + [RunSessionStarted]
    assert RunLogLine in kinds
    assert isinstance(events[-1], RunFinished)
    assert events[-1].run.status.value == "closed"  # type: ignore[union-attr]
    held = list(client.functions.stream_run(FUNCTION_ID, stream=False))  # no log: the outcome once it ended
    assert [type(event) for event in held] == ([RunStarted] if redirects else []) + [RunFinished]


def test_run_starts_a_run_and_returns_the_final_run(server: NotteTestServer, client: NotteClient) -> None:
    final = client.functions.run(FUNCTION_ID, {"url": "https://example.com"}, interval=0.5)
    assert (final.status.value, final.result) == ("closed", "ok")
    assert final.logs[-1] == "run closed"  # type: ignore[index]
    assert _post_count(server, "/runs/start") == 1


def test_run_raises_a_typed_error_on_failure_when_asked(server: NotteTestServer, client: NotteClient) -> None:
    server.run_plan = RunPlan(duration=0.1, outcome="failed")
    assert client.functions.run(FUNCTION_ID, interval=0.5).status.value == "failed"
    with pytest.raises(RunFailedError, match="failed") as caught:
        client.functions.run(FUNCTION_ID, interval=0.5, raise_on_failure=True)
    assert caught.value.run.status.value == "failed"


def test_run_raises_a_typed_error_when_its_timeout_passes(server: NotteTestServer, client: NotteClient) -> None:
    server.run_plan = RunPlan(duration=60)
    with pytest.raises(RunTimeoutError, match=r"still active after the 0\.3 s timeout \(the run goes on\)") as caught:
        client.functions.run(FUNCTION_ID, timeout=0.3, interval=0.5)
    assert isinstance(caught.value, WatchTimeoutError)
    assert caught.value.run is not None
    assert caught.value.run.status.value == "active"


@pytest.mark.parametrize("redirects", [True, False])
def test_run_waits_for_a_start_answered_at_the_end_within_its_own_timeout_not_the_clients(
    server: NotteTestServer, redirects: bool
) -> None:
    """With `stream=False`, or from an API that names the run only with its outcome, the start's answer
    comes once the run ended: `run(timeout=...)` bounds that wait, not the client's per-request timeout."""
    server.start_redirects = redirects
    server.run_plan = RunPlan(duration=1.5, outcome="closed")
    with NotteClient(server.api_key, base_url=server.url, timeout=0.5) as client:
        assert client.functions.run(FUNCTION_ID, stream=False, timeout=30, interval=0.5).status.value == "closed"
        assert client.functions.start_run(FUNCTION_ID, stream=False, timeout=30).function_run_id
        with pytest.raises(APITimeoutError, match=r"within timeout=0\.5 s"):  # start_run's own default: the client's
            client.functions.start_run(FUNCTION_ID, stream=False)

    async def awaited() -> str:
        async with AsyncNotteClient(server.api_key, base_url=server.url, timeout=0.5) as client:
            return (await client.functions.run(FUNCTION_ID, stream=False, timeout=30, interval=0.5)).status.value

    assert asyncio.run(awaited()) == "closed"


def test_a_start_unanswered_within_runs_timeout_is_its_timeout_error(
    server: NotteTestServer, client: NotteClient
) -> None:
    server.start_redirects = False  # the answer (and the run's id) comes only once the run ended
    server.run_plan = RunPlan(duration=60)
    began = time.monotonic()
    with pytest.raises(
        RunTimeoutError, match=r"no answer to the start of a run of function 'fn-sample' within the 0\.5 s"
    ) as caught:
        client.functions.run(FUNCTION_ID, timeout=0.5)
    assert (caught.value.run, time.monotonic() - began < 10) == (None, True)

    async def awaited() -> None:
        async with AsyncNotteClient(server.api_key, base_url=server.url) as client:
            await client.functions.run(FUNCTION_ID, timeout=0.5)

    with pytest.raises(RunTimeoutError, match="no answer to the start"):
        asyncio.run(awaited())


def test_follow_run_reports_status_changes_and_new_log_lines(server: NotteTestServer, client: NotteClient) -> None:
    started = client.functions.start_run(FUNCTION_ID)
    progress = list(client.functions.follow_run(FUNCTION_ID, started.function_run_id, interval=0.5))
    assert progress[0].old_status is None
    assert [p.status.value for p in progress][-1] == "closed"
    assert progress[-1].finished
    assert progress[-1].new_logs[-1] == "run closed"


def test_follow_run_backs_off_after_a_failed_poll_and_goes_on(
    server: NotteTestServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    waits: list[float] = []
    real_sleep = time.sleep

    def recorded(seconds: float) -> None:
        if threading.current_thread() is threading.main_thread():  # the follow's, not the server's threads
            waits.append(seconds)
        real_sleep(seconds)

    with NotteClient(server.api_key, base_url=server.url, max_retries=0) as client:
        started = client.functions.start_run(FUNCTION_ID)
        monkeypatch.setattr("notte_ext.watch.time.sleep", recorded)
        follow = iter(client.functions.follow_run(FUNCTION_ID, started.function_run_id, interval=0.5))
        assert next(follow).status.value == "active"  # the first poll went through
        server.faults.add(Status(503), times=2, match=Match(operation_id="function_run_get_metadata"))
        progress = list(follow)
    assert progress[-1].status.value == "closed"
    assert 0.45 <= waits[0] <= 0.55  # the interval
    assert 0.5 <= waits[1] <= 1.0  # after the first failed poll: 1-2 intervals
    assert 1.0 <= waits[2] <= 2.0  # after the second in a row: 2-4


def test_stop_and_update_a_run(server: NotteTestServer, client: NotteClient) -> None:
    server.run_plan = RunPlan(duration=60)
    started = client.functions.start_run(FUNCTION_ID)
    stopped = client.functions.stop_run(FUNCTION_ID, started.function_run_id)
    assert stopped.status.value == "stopped"  # type: ignore[union-attr]
    assert client.functions.get_run(FUNCTION_ID, started.function_run_id).status.value == "closed"
    updated = client.functions.update_run(FUNCTION_ID, started.function_run_id, status="failed", result="by hand")
    assert updated.status.value == "updated"  # type: ignore[union-attr]
    assert client.functions.get_run(FUNCTION_ID, started.function_run_id).result == "by hand"


def test_a_nullable_field_given_as_none_is_sent_as_null(server: NotteTestServer, client: NotteClient) -> None:
    """`update_run(..., result=None)` was dropped from the body: the run kept its result, silently."""
    started = client.functions.start_run(FUNCTION_ID)
    run_id = started.function_run_id
    client.functions.update_run(FUNCTION_ID, run_id, status="closed", result="first", session_id="s-1")
    client.functions.update_run(FUNCTION_ID, run_id, status="closed", result=None, session_id=None)
    run = client.functions.get_run(FUNCTION_ID, run_id)
    assert (run.result, run.session_id) == (None, None)
    with pytest.raises(InvalidArgumentError, match="stream"):  # not nullable in the spec: refused, not dropped
        client.functions.start_run(FUNCTION_ID, stream=None)


def test_an_outcome_that_breaks_its_rules_is_a_schema_mismatch(server: NotteTestServer, client: NotteClient) -> None:
    from notte_ext._run_start import outcome

    with pytest.raises(SchemaMismatchError, match="status"):
        outcome(FUNCTION_ID, {"function_run_id": "r", "status": "paused"}, "sk")
    with pytest.raises(SchemaMismatchError, match="no run id"):
        outcome(FUNCTION_ID, {"status": "closed"}, "sk")


def test_what_is_not_the_apis_answer_to_a_start_is_a_typed_error(server: NotteTestServer, client: NotteClient) -> None:
    server.start_redirects = False
    server.faults.add(ProxyPage(), match=Match(operation_id="function_run_start"))
    with pytest.raises(ForeignResponseError, match="text/html"):
        client.functions.start_run(FUNCTION_ID)
    server.faults.add(TrickledBody(interval=0.3, chunk_bytes=8), match=Match(operation_id="function_run_start"))
    with pytest.raises(APITimeoutError, match=r"its 0\.5 s deadline \(the whole streamed answer\)"):
        list(client.functions.stream_run(FUNCTION_ID, stream=False, timeout=0.5))  # the outcome, trickled


def test_a_runs_log_is_read_within_bounds() -> None:
    from notte_ext._run_start import MAX_EVENTS, MAX_LINE_CHARS, EventReader

    reader = EventReader(FUNCTION_ID, "sk")
    assert reader.feed(": keep-alive") is None
    assert reader.feed('data: {"type": "log", "message": "hello"}') == RunLogLine("hello")
    assert reader.feed("data: plain text") == RunLogLine("plain text")
    with pytest.raises(RunLogError, match="longer than"):
        reader.feed("data: " + "x" * MAX_LINE_CHARS)
    for _ in range(MAX_EVENTS - 2):
        reader.feed("data: {}")
    with pytest.raises(RunLogError, match="more than"):
        reader.feed("data: {}")


def test_the_async_client_has_the_same_surface(server: NotteTestServer) -> None:
    async def scenario() -> None:
        async with AsyncNotteClient(server.api_key, base_url=server.url) as client:
            assert [f.function_id for f in await client.functions.list().to_list()] == [FUNCTION_ID]
            created = await client.functions.create(WORKFLOW, name="async")
            assert (await client.functions.get(created.function_id)).name == "async"
            assert (await client.functions.run(FUNCTION_ID, {"url": "x"}, interval=0.5)).status.value == "closed"
            events = [event async for event in client.functions.stream_run(FUNCTION_ID)]
            assert isinstance(events[0], RunStarted)
            assert isinstance(events[-1], RunFinished)
            started = await client.functions.start_run(FUNCTION_ID)
            progress = [
                p async for p in client.functions.follow_run(FUNCTION_ID, started.function_run_id, interval=0.5)
            ]
            assert progress[-1].finished
            assert (await client.functions.stop_run(FUNCTION_ID, started.function_run_id)).function_run_id == (
                started.function_run_id
            )
            assert (await client.functions.delete(created.function_id)).status.value == "success"

    asyncio.run(scenario())


@dataclass(frozen=True)
class StartAnsweredWith:
    """runs/start answered 200 with `body` (the spec declares its answer as anything: `{}`)."""

    body: Any
    answers_instead: ClassVar[bool] = True

    def apply(self, reply: Reply, context: FaultContext) -> None:
        reply.status, reply.body, reply.headers = 200, self.body, {}


@pytest.mark.parametrize(
    ("body", "problem"),
    [({"random": 1}, "the run's outcome has no run id"), ([1, 2], "the run's outcome is not an object")],
)
def test_a_start_answer_without_a_run_says_the_api_not_the_spec_was_missed(
    server: NotteTestServer, client: NotteClient, body: Any, problem: str
) -> None:
    """The spec leaves runs/start's answer free-form ({}): an answer the client can't read a run from is
    not "does not match API spec" (Prism, mocking the spec, sends any JSON there)."""
    server.faults.add(StartAnsweredWith(body), match=Match(operation_id="function_run_start"))
    with pytest.raises(SchemaMismatchError) as caught:
        client.functions.start_run(FUNCTION_ID)
    message = str(caught.value)
    assert f"is not what the API sends (API spec {spec_version()} leaves this answer free-form) ({problem}" in message
    assert "does not match" not in message
