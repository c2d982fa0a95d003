"""Writes are never duplicated by a retry: a POST or PATCH that may have reached the API is not sent
again; one that surely did not (no connection made, or a 429 from the rate limiter) is. Through the
fault-injecting server: a connection dropped after the runs/start body was sent never starts two runs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from notte_ext import NotteClient, RetryPolicy
from notte_ext.errors import APIConnectionError, APITimeoutError, RateLimitError, ServerError
from notte_ext.testing import DropConnection, Match, NotteTestServer, RunPlan, Status

FUNCTION_ID = "fn-writes"
START = Match(operation_id="function_run_start")


@pytest.fixture
def server(notte_server: NotteTestServer) -> NotteTestServer:
    notte_server.add_function(FUNCTION_ID)
    notte_server.run_plan = RunPlan(duration=60)
    return notte_server


@pytest.fixture
def client(server: NotteTestServer) -> Any:
    waits: list[float] = []
    with NotteClient(server.api_key, base_url=server.url, retry=RetryPolicy(sleep=waits.append)) as client:
        yield client


def _runs(server: NotteTestServer) -> int:
    return len(server.store.listing(FUNCTION_ID, only_active=False, token=None) or [])


def _starts(server: NotteTestServer) -> list[int | None]:
    return [r.status for r in server.requests if r.path == f"/functions/{FUNCTION_ID}/runs/start"]


RUNNER = Match(predicate=lambda request: request.path.startswith("/runner/"))


@pytest.mark.parametrize(("where", "answered"), [(START, [None]), (RUNNER, [307])], ids=["start", "runner"])
def test_a_dropped_connection_after_the_start_body_was_sent_never_starts_two_runs(
    server: NotteTestServer, client: NotteClient, where: Match, answered: list[int | None]
) -> None:
    """Reset before any answer, by runs/start or by the runner it redirects to: the run started, the
    client can't know, and sends nothing again."""
    server.faults.add(DropConnection(), match=where)
    with pytest.raises(APIConnectionError, match="may have processed it: not retried"):
        client.functions.start_run(FUNCTION_ID, {"url": "https://example.com"})
    assert _starts(server) == answered  # sent once
    assert len([r for r in server.requests if r.path.startswith("/runner/")]) == (where is RUNNER)
    assert _runs(server) == 1  # the API processed it: exactly one run


def test_a_429_means_not_processed_so_the_start_is_retried_and_one_run_starts(
    server: NotteTestServer, client: NotteClient
) -> None:
    server.faults.add(Status(429, retry_after=0), times=2, match=START)
    started = client.functions.start_run(FUNCTION_ID)
    assert _starts(server) == [429, 429, 307]
    assert _runs(server) == 1
    assert started.function_run_id == server.store.listing(FUNCTION_ID, only_active=True, token=None)[0].run_id  # type: ignore[index]


def test_a_429_that_persists_is_a_rate_limit_error_and_nothing_started(
    server: NotteTestServer, client: NotteClient
) -> None:
    server.faults.add(Status(429, retry_after=0), times=None, match=START)
    with pytest.raises(RateLimitError):
        client.functions.start_run(FUNCTION_ID)
    assert len(_starts(server)) == 4  # the request and the policy's 3 retries
    assert _runs(server) == 0


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_a_5xx_on_a_write_is_not_retried(server: NotteTestServer, client: NotteClient, status: int) -> None:
    """A gateway's 502/503/504 may come after the API processed the request: once is all it is sent."""
    server.faults.add(Status(status), times=None, match=START)
    with pytest.raises(ServerError) as caught:
        client.functions.start_run(FUNCTION_ID)
    assert _starts(server) == [status]
    # A read would have been retried on 502-504 (not on 500): the message says why this write wasn't.
    assert ("may have processed it: not retried" in caught.value.message) == (status != 500)


def test_a_503_on_an_update_is_sent_once_and_says_why(server: NotteTestServer, client: NotteClient) -> None:
    run = client.functions.start_run(FUNCTION_ID)
    update = Match(operation_id="function_run_update_metadata")
    server.faults.add(Status(503), times=None, match=update)
    with pytest.raises(
        ServerError, match=r"HTTP 503 Service Unavailable.*; the API may have processed it: not retried"
    ):
        client.functions.update_run(FUNCTION_ID, run.function_run_id, status="failed")
    assert [r.status for r in server.requests if r.method == "PATCH"] == [503]


def test_the_other_writes_follow_the_same_rule(server: NotteTestServer, client: NotteClient) -> None:
    server.faults.add(Status(429, retry_after=0), match=Match(operation_id="function_create"))
    created = client.functions.create(b"print(1)\n")  # the upload is sent again, whole
    assert [r.status for r in server.requests if r.path == "/functions" and r.method == "POST"] == [429, 200]
    stored = server.functions.get(created.function_id)
    assert stored is not None
    assert stored.files == {"1": b"print(1)\n"}
    assert len(server.functions.listing(only_active=False, token=None)) == 2  # fn-writes and this one
    run = client.functions.start_run(FUNCTION_ID)
    server.faults.add(DropConnection(), match=Match(operation_id="function_run_update_metadata"))
    with pytest.raises(APIConnectionError, match="not retried"):
        client.functions.update_run(FUNCTION_ID, run.function_run_id, status="failed")
    assert [r.method for r in server.requests].count("PATCH") == 1


def test_reads_and_deletes_are_still_retried_after_a_drop(server: NotteTestServer, client: NotteClient) -> None:
    run = client.functions.start_run(FUNCTION_ID)
    server.faults.add(DropConnection(), match=Match(operation_id="function_run_get_metadata"))
    server.faults.add(DropConnection(), match=Match(operation_id="function_run_stop"))
    assert client.functions.get_run(FUNCTION_ID, run.function_run_id).function_run_id == run.function_run_id
    assert client.functions.stop_run(FUNCTION_ID, run.function_run_id).status.value == "stopped"  # type: ignore[union-attr]
    assert [r.status for r in server.requests if r.method in ("GET", "DELETE") and "/runs/" in r.path] == [
        None,
        200,
        None,
        200,
    ]


def _scripted(*answers: Callable[[httpx.Request], httpx.Response]) -> tuple[httpx.MockTransport, list[httpx.Request]]:
    """A transport answering each request with the next of `answers` (an exception raised is a failure)."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return answers[len(seen) - 1](request)

    return httpx.MockTransport(handler), seen


def _fail(error: type[httpx.TransportError]) -> Callable[[httpx.Request], httpx.Response]:
    def raise_it(request: httpx.Request) -> httpx.Response:
        raise error("scripted", request=request)

    return raise_it


def _started(request: httpx.Request) -> httpx.Response:
    body = {"function_id": "fn", "function_run_id": "run-1", "status": "closed", "session_id": None, "result": "ok"}
    return httpx.Response(200, json=body)


@pytest.mark.parametrize("error", [httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout])
def test_a_write_that_never_left_is_retried(error: type[httpx.TransportError]) -> None:
    transport, seen = _scripted(_fail(error), _started)
    with NotteClient(
        "sk-test", base_url="https://api.example", transport=transport, retry=RetryPolicy(sleep=lambda _: None)
    ) as client:
        assert client.functions.start_run("fn").function_run_id == "run-1"
    assert [request.method for request in seen] == ["POST", "POST"]


@pytest.mark.parametrize("error", [httpx.ReadError, httpx.ReadTimeout, httpx.RemoteProtocolError, httpx.WriteError])
def test_a_write_that_may_have_arrived_is_not_retried(error: type[httpx.TransportError]) -> None:
    transport, seen = _scripted(_fail(error), _started)
    with (
        NotteClient(
            "sk-test", base_url="https://api.example", transport=transport, retry=RetryPolicy(sleep=lambda _: None)
        ) as client,
        pytest.raises(APIConnectionError, match="not retried, so that it can't happen twice"),
    ):
        client.functions.start_run("fn")
    assert len(seen) == 1


def test_a_write_that_timed_out_is_not_said_to_have_retries_left() -> None:
    transport, _ = _scripted(_fail(httpx.ReadTimeout), _started)
    with (
        NotteClient("sk-test", base_url="https://api.example", transport=transport) as client,
        pytest.raises(APITimeoutError) as caught,
    ):
        client.functions.start_run("fn")
    assert "not retried" in caught.value.message
    assert "retries allowed" not in caught.value.message


def test_the_start_redirect_never_carries_the_key_in_clear_to_another_host() -> None:
    def redirect(request: httpx.Request) -> httpx.Response:
        return httpx.Response(307, headers={"Location": "http://runner.example/run?function_run_id=run-1"})

    transport, seen = _scripted(redirect, _started)
    refused = pytest.raises(APIConnectionError, match=r"refused a redirect to plain http on runner\.example")
    with NotteClient("sk-test", base_url="https://api.example", transport=transport) as client, refused:
        client.functions.start_run("fn")
    assert len(seen) == 1


def test_the_start_redirect_to_an_https_runner_keeps_the_key_header_only() -> None:
    def redirect(request: httpx.Request) -> httpx.Response:
        return httpx.Response(307, headers={"Location": "https://runner.example/run?function_run_id=run-1"})

    def runner(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Type": "text/event-stream"}, content=b"")

    transport, seen = _scripted(redirect, runner)
    with NotteClient("sk-test", base_url="https://api.example", transport=transport) as client:
        assert client.functions.start_run("fn").function_run_id == "run-1"
    start, follow = seen
    assert follow.url.host == "runner.example"
    assert follow.content == start.content  # the same body (a 307 keeps it)
    assert follow.headers["x-notte-api-key"] == "sk-test"  # what the runner authenticates with
    assert "authorization" not in follow.headers  # never sent to another origin
