"""NotteClient against the local server over real HTTP: success, typed errors, retries, drift."""

from __future__ import annotations

import asyncio
import copy
import datetime as dt
import gc
import logging
import pickle
import weakref
from collections.abc import Callable, Iterator

import httpx
import pytest
from notte_api_client.api.functions import list_function_runs_by_function_id as list_runs_endpoint

from notte_ext import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AsyncNotteClient,
    AuthenticationError,
    ClientClosedError,
    FunctionRun,
    InvalidArgumentError,
    NotFoundError,
    NotteClient,
    NotteError,
    RateLimitError,
    RequestValidationError,
    RetryPolicy,
    RunsPage,
    SchemaMismatchError,
    ServerError,
)
from notte_ext._responses import parse_success
from notte_ext.functions import run_query
from notte_ext.testing import (
    Latency,
    MalformedJSON,
    Match,
    NaiveTimestamps,
    NotteTestServer,
    Status,
    TruncatedJSON,
    UnknownEnumValue,
)
from tests.revision import VERSION, listing_query

FUNCTION_ID = "fn-1"


@pytest.fixture
def waits() -> list[float]:
    """The delays the retry policy chose; test mode records them instead of sleeping."""
    return []


@pytest.fixture
def client(server: NotteTestServer, waits: list[float]) -> Iterator[NotteClient]:
    with NotteClient(server.api_key, base_url=server.url, retry=RetryPolicy(sleep=waits.append)) as client:
        yield client


def test_success_returns_generated_models_with_aware_timestamps(client: NotteClient, server: NotteTestServer) -> None:
    page = client.functions.list_runs_page(FUNCTION_ID, page_size=5)
    assert len(page.items) == 5
    assert page.has_next
    assert all(run.created_at.tzinfo is dt.UTC for run in page.items)
    (request,) = server.requests
    assert request.query == listing_query(1, page_size=5)
    assert request.headers["user-agent"].startswith("notte-ext/")


def test_wrong_key_is_an_authentication_error(server: NotteTestServer) -> None:
    with (
        NotteClient("sk-wrong-key", base_url=server.url) as client,
        pytest.raises(AuthenticationError, match="HTTP 401") as caught,
    ):
        client.functions.list_runs_page(FUNCTION_ID)
    assert caught.value.status_code == 401
    assert "sk-wrong-key" not in str(caught.value)


def test_unknown_function_is_not_found(client: NotteClient) -> None:
    with pytest.raises(NotFoundError, match=r"GET /functions/nope/runs failed: HTTP 404 Not Found: Function not found"):
        client.functions.list_runs_page("nope")


def test_422_surfaces_the_servers_field_details(client: NotteClient, server: NotteTestServer) -> None:
    with pytest.raises(InvalidArgumentError, match="page must be an integer >= 1, got 0"):
        client.functions.list_runs_page(FUNCTION_ID, page=0)  # refused before any request...
    assert server.requests == []
    with pytest.raises(RequestValidationError) as caught:  # ...so the generated call sends it
        client.send(list_runs_endpoint, RunsPage, function_id=FUNCTION_ID, page=0, only_active=False)
    error = caught.value
    assert error.status_code == 422
    assert [(tuple(e.loc), e.type_) for e in error.errors] == [(("query", "page"), "greater_than_equal")]
    assert "page: Input should be greater than or equal to 1" in str(error)


def test_429_with_retry_after_is_waited_then_succeeds(
    client: NotteClient, server: NotteTestServer, waits: list[float]
) -> None:
    server.faults.add(Status(429, retry_after=1))
    assert len(client.functions.list_runs_page(FUNCTION_ID).items) == 100
    assert [r.status for r in server.requests] == [429, 200]
    assert waits == [1.0]


def test_retry_after_as_http_date_is_honoured(client: NotteClient, server: NotteTestServer, waits: list[float]) -> None:
    server.faults.add(Status(503, retry_after=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=20)))
    client.functions.list_runs_page(FUNCTION_ID)
    assert len(waits) == 1
    assert 15 <= waits[0] <= 20


def test_persistent_429_becomes_rate_limit_error(
    client: NotteClient, server: NotteTestServer, waits: list[float]
) -> None:
    server.faults.add(Status(429, retry_after=2), times=None)
    with pytest.raises(RateLimitError) as caught:
        client.functions.list_runs_page(FUNCTION_ID)
    assert caught.value.retry_after == 2.0
    assert len(server.requests) == 4  # the first try and max_retries=3 retries
    assert waits == [2.0, 2.0, 2.0]


def test_503_is_retried_with_jittered_backoff(client: NotteClient, server: NotteTestServer, waits: list[float]) -> None:
    server.faults.add(Status(503))
    server.faults.add(Status(502))
    client.functions.list_runs_page(FUNCTION_ID)
    assert [r.status for r in server.requests] == [503, 502, 200]
    assert len(waits) == 2
    assert all(0 <= wait <= 30 for wait in waits)


def test_500_is_not_retried(client: NotteClient, server: NotteTestServer, waits: list[float]) -> None:
    server.faults.add(Status(500), times=None)
    with pytest.raises(ServerError, match="HTTP 500 Internal Server Error"):
        client.functions.list_runs_page(FUNCTION_ID)
    assert len(server.requests) == 1
    assert waits == []


def test_read_timeout_is_retried_for_get(server: NotteTestServer, waits: list[float]) -> None:
    # The retried request must answer within the timeout on a loaded machine too: 0.25 s was missed
    # (3 waits instead of 1) while a 100-run page was built and validated under a load of 11.
    server.faults.add(Latency(4.0))
    retry = RetryPolicy(sleep=waits.append)
    with NotteClient(server.api_key, base_url=server.url, timeout=1.5, retry=retry) as client:
        assert len(client.functions.list_runs_page(FUNCTION_ID).items) == 100
    assert len(waits) == 1


def test_timeouts_that_persist_raise_a_timeout_error(server: NotteTestServer) -> None:
    server.faults.add(Latency(0.5), times=None)
    retry = RetryPolicy(max_retries=1, sleep=lambda _delay: None)
    with (
        NotteClient(server.api_key, base_url=server.url, timeout=0.1, retry=retry) as client,
        pytest.raises(APITimeoutError, match="timed out"),
    ):
        client.functions.list_runs_page(FUNCTION_ID)


def test_a_body_cut_short_is_retried_because_the_body_is_read_inside_the_retry_loop(
    client: NotteClient, server: NotteTestServer
) -> None:
    server.faults.add(TruncatedJSON())
    assert len(client.functions.list_runs_page(FUNCTION_ID).items) == 100
    assert len(server.requests) == 2


def test_a_body_always_cut_short_is_a_connection_error(client: NotteClient, server: NotteTestServer) -> None:
    server.faults.add(TruncatedJSON(), times=None)
    with pytest.raises(APIConnectionError, match="could not complete"):
        client.functions.list_runs_page(FUNCTION_ID)


def test_malformed_json_is_a_schema_mismatch(client: NotteClient, server: NotteTestServer) -> None:
    server.faults.add(MalformedJSON())
    with pytest.raises(SchemaMismatchError, match="body is not valid JSON") as caught:
        client.functions.list_runs_page(FUNCTION_ID)
    assert caught.value.spec_version == VERSION


@pytest.mark.parametrize(
    "body", [b"[" * 100_000 + b"]" * 100_000, b'{"items": ' + b"9" * 5000 + b"}"], ids=["deep", "long int"]
)
@pytest.mark.parametrize("status", [200, 400])
def test_json_past_what_python_reads_is_a_typed_error(
    client: NotteClient, server: NotteTestServer, body: bytes, status: int
) -> None:
    """Valid JSON nested deeper than Python's recursion limit, or with an int of more than 4,300 digits:
    a one-line NotteError (not RecursionError or ValueError), in a page and in an error's body alike."""
    server.faults.add(*([Status(status)] if status != 200 else []), MalformedJSON(body), times=None)
    expected = SchemaMismatchError if status == 200 else APIStatusError
    with pytest.raises(expected) as caught:
        client.functions.list_runs_page(FUNCTION_ID)
    if status == 200:
        assert "nested too deep or with too long a number" in caught.value.message
    assert "\n" not in caught.value.message

    async def awaited() -> None:
        async with AsyncNotteClient(server.api_key, base_url=server.url, max_retries=0) as client:
            await client.functions.list_runs_page(FUNCTION_ID)

    with pytest.raises(expected):
        asyncio.run(awaited())


def test_json_nested_hundreds_deep_but_readable_is_a_typed_error_too(
    client: NotteClient, server: NotteTestServer
) -> None:
    """600 deep: Python decodes it, but walking it (the key's redaction, the schema check, a repr) would
    not end: an error's body keeps 32 levels, and a page that can't be checked is a mismatch."""
    deep = b"[" * 600 + b"]" * 600
    server.faults.add(Status(404), MalformedJSON(b'{"detail": ' + deep + b"}"))
    with pytest.raises(NotFoundError) as not_found:
        client.functions.list_runs_page(FUNCTION_ID)
    assert str(not_found.value.body).count("[") == 31  # the body's object is the first of 32 levels, then "…"
    assert "'…'" in str(not_found.value.body)
    page = b'{"items": [' + deep + b'], "page": 1, "page_size": 100, "has_next": false, "has_previous": false}'
    server.faults.add(MalformedJSON(page))
    with pytest.raises(SchemaMismatchError, match="it can't be checked"):
        client.functions.list_runs_page(FUNCTION_ID)


def test_a_servers_control_characters_are_escaped_in_error_messages(
    client: NotteClient, server: NotteTestServer
) -> None:
    server.faults.add(Status(404, detail="gone\x1b]0;PWNED\x07\x1b[2J"))
    with pytest.raises(NotFoundError) as caught:
        client.functions.list_runs_page(FUNCTION_ID)
    assert "\x1b" not in str(caught.value)
    assert "gone\\x1b]0;PWNED\\x07\\x1b[2J" in str(caught.value)


def test_unknown_status_names_the_field_value_and_spec_version(client: NotteClient, server: NotteTestServer) -> None:
    server.faults.add(UnknownEnumValue("queued"), match=Match(page=2))
    runs = client.functions.list_runs(FUNCTION_ID, page_size=10)
    seen: list[FunctionRun] = []
    with pytest.raises(SchemaMismatchError) as caught:
        seen.extend(runs)
    assert len(seen) == 10  # page 1 was valid and was handed out first
    error = caught.value
    assert error.field == "items[0].status"
    assert error.value == "queued"
    message = str(error)
    assert "'items[0].status'" in message
    assert "'queued'" in message
    assert f"API spec {VERSION} " in message
    assert "notte-ext spec drift" in message


def test_naive_timestamps_become_aware_utc(client: NotteClient, server: NotteTestServer) -> None:
    server.faults.add(NaiveTimestamps())
    page = client.functions.list_runs_page(FUNCTION_ID, page_size=3)
    for run in page.items:
        assert run.created_at.tzinfo is dt.UTC
        assert run.updated_at.tzinfo is dt.UTC
        assert run.created_at < dt.datetime.now(dt.UTC)


FAILURES: dict[str, Callable[[NotteTestServer], object]] = {
    "401": lambda server: server.faults.add(Status(401, detail="bad key"), times=None),
    "404": lambda server: server.faults.add(Status(404), times=None),
    "422": lambda server: server.faults.add(Status(422, detail=[{"loc": ["query", "x"], "msg": "m", "type": "t"}])),
    "429": lambda server: server.faults.add(Status(429, retry_after=0), times=None),
    "500 echoing the key": lambda server: server.faults.add(
        Status(500, detail=f"upstream said: key {server.api_key} invalid"), times=None
    ),
    "503": lambda server: server.faults.add(Status(503), times=None),
    "truncated": lambda server: server.faults.add(TruncatedJSON(), times=None),
    "malformed": lambda server: server.faults.add(MalformedJSON()),
    "unknown enum": lambda server: server.faults.add(UnknownEnumValue()),
}


@pytest.mark.parametrize("scenario", FAILURES)
def test_the_key_is_in_no_log_record_and_no_error_text(
    scenario: str, server: NotteTestServer, caplog: pytest.LogCaptureFixture
) -> None:
    FAILURES[scenario](server)
    caplog.set_level(logging.DEBUG)
    with (
        NotteClient(server.api_key, base_url=server.url, retry=RetryPolicy(sleep=lambda _d: None)) as client,
        pytest.raises(NotteError) as caught,
    ):
        client.functions.list_runs(FUNCTION_ID, prefetch=0).to_list()  # a one-shot fault hits page 1
    texts = [str(caught.value), repr(caught.value), *map(str, caught.value.args), caplog.text]
    assert caplog.records  # DEBUG logging really was captured
    for text in texts:
        assert server.api_key not in text
    assert "\n" not in str(caught.value)


def test_validation_does_not_write_spec_defaults_into_the_data() -> None:
    """fastjsonschema fills defaults by default; a run without `local` must stay without it."""
    run = {
        "function_id": "f",
        "function_run_id": "r",
        "created_at": "2026-01-01T00:00:00Z",
        "updated_at": "2026-01-01T00:00:00Z",
        "status": "closed",
        "workflow_id": "w",
        "workflow_run_id": "wr",
    }
    body = {"items": [run], "page": 1, "page_size": 1, "has_next": False, "has_previous": False}
    response = httpx.Response(200, json=body, request=httpx.Request("GET", "https://api.example/functions/f/runs"))
    page = parse_success(list_runs_endpoint, response, RunsPage, "sk-unused")
    assert "local" not in page.items[0].to_dict()


def test_a_call_after_close_is_a_typed_error_and_sends_nothing(server: NotteTestServer) -> None:
    client = NotteClient(server.api_key, base_url=server.url)
    client.close()
    with pytest.raises(ClientClosedError, match=r"GET /functions/fn-1/runs not sent: the client is closed"):
        client.functions.list_runs_page("fn-1")

    async def after_aclose() -> None:
        async_client = AsyncNotteClient(server.api_key, base_url=server.url)
        await async_client.aclose()
        await async_client.functions.list_runs_page("fn-1")

    with pytest.raises(ClientClosedError, match="not sent: the client is closed"):
        asyncio.run(after_aclose())
    assert isinstance(ClientClosedError("x"), RuntimeError)  # what httpx raised before: code catching it still does
    assert server.requests == []


@pytest.mark.parametrize("copier", [copy.copy, copy.deepcopy, pickle.dumps])
@pytest.mark.parametrize("kind", [NotteClient, AsyncNotteClient])
def test_a_client_is_neither_copied_nor_pickled(
    kind: type[NotteClient | AsyncNotteClient], copier: Callable[[object], object], server: NotteTestServer
) -> None:
    """copy.copy shared the connection pool: closing the copy broke the original with httpx's bare
    RuntimeError. A pickle would hold the key."""
    client = kind("sk-copy-test-key", base_url=server.url)
    with pytest.raises(TypeError, match=f"this {kind.__name__} can't be (copied|pickled): it owns its connections"):
        copier(client)


def test_a_parsed_response_is_freed_by_reference_counting_alone(client: NotteClient, server: NotteTestServer) -> None:
    """httpx binds a response and its stream to each other; left so, every page body (~300 KB with
    rich runs) waits for the cyclic GC, and a long listing held dozens of them (bench/memory.py)."""
    server.add_function("fn-freed", runs=5)
    exchange = client.exchange(list_runs_endpoint, **run_query("fn-freed").request(1))
    response = weakref.ref(exchange.response)
    automatic = gc.isenabled()
    gc.disable()
    try:
        assert len(client.result(exchange, RunsPage).items) == 5
        del exchange
        assert response() is None
    finally:
        if automatic:
            gc.enable()
