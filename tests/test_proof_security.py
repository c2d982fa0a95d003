"""Security: the API key never shows, hostile ids stay in their path segment, the key stays home.

* The key is absent from repr/str of every public object, from DEBUG logs of every library
  involved, from every exception (str, repr, args, attributes, the chained causes) across
  failure scenarios, including a server that echoes the key back, and from CLI output.
* Hostile `function_id`s are one encoded path segment, or refused before any request.
* No Authorization header follows a redirect to another origin; plain http only to loopback.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from notte_ext import (
    APIConnectionError,
    APITimeoutError,
    AsyncNotteClient,
    AuthenticationError,
    ConfigurationError,
    InvalidArgumentError,
    NotFoundError,
    NotteClient,
    NotteError,
    RateLimitError,
    RequestValidationError,
    RetryPolicy,
    SchemaMismatchError,
    ServerError,
)
from notte_ext.testing import (
    FaultContext,
    Latency,
    MalformedJSON,
    Match,
    NotteTestServer,
    Reply,
    Status,
    TruncatedJSON,
    UnknownEnumValue,
)

KEY = "sk-proof-SECRET-7f3a9c1e5b"
FUNCTION_ID = "fn-1"
CLI = Path(sys.executable).with_name("notte-ext")


@pytest.fixture
def keyed_server() -> Iterator[NotteTestServer]:
    """A server that accepts KEY, with 250 runs of fn-1."""
    with NotteTestServer(KEY) as server:
        server.add_function(FUNCTION_ID, runs=250)
        yield server
    assert not server.violations


def _client(server: NotteTestServer | str, **options: Any) -> NotteClient:
    url = server if isinstance(server, str) else server.url
    return NotteClient(KEY, base_url=url, retry=RetryPolicy(max_retries=2, sleep=lambda _: None), **options)


def _texts(value: object) -> list[str]:
    """Every way a value usually gets printed: str, repr, and for exceptions their args,
    attributes and the chain a traceback shows (the cause, and the context unless suppressed)."""
    texts = [str(value), repr(value)]
    if isinstance(value, BaseException):
        texts += [repr(value.args), repr(vars(value))]
        shown = value.__cause__ or (None if value.__suppress_context__ else value.__context__)
        if shown is not None:
            texts += _texts(shown)
    return texts


def _assert_no_key(*values: object) -> None:
    for value in values:
        for text in _texts(value):
            assert KEY not in text, f"the key leaked through {type(value).__name__}: {text[:200]}"


# -- objects -------------------------------------------------------------------------------------


def test_no_public_object_prints_the_key(keyed_server: NotteTestServer) -> None:
    with _client(keyed_server) as client:
        paginator = client.functions.list_runs(FUNCTION_ID)
        pages = list(paginator.pages())
        raw_page = client.functions.list_runs_page(FUNCTION_ID)
        _assert_no_key(client, client.api, client.api.get_httpx_client(), client.functions, paginator)
        _assert_no_key(pages[0], raw_page, raw_page.items[0], RetryPolicy(sleep=print))

    async def async_objects() -> list[object]:
        async with AsyncNotteClient(KEY, base_url=keyed_server.url) as client:
            paginator = client.functions.list_runs(FUNCTION_ID, prefetch=2)
            first = await paginator.first()
            return [client, client.api, client.api.get_async_httpx_client(), client.functions, paginator, first]

    _assert_no_key(*asyncio.run(async_objects()))


# -- failures: exceptions and DEBUG logs -----------------------------------------------------------


@dataclass(frozen=True)
class EchoAuthorization:
    """A careless server: answers `status` with the request's Authorization header in its detail."""

    status: int = 401

    def apply(self, reply: Reply, context: FaultContext) -> None:
        reply.status = self.status
        reply.headers = {}
        reply.body = {"detail": f"rejected credentials {context.request.headers.get('authorization')!r}"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# name -> (arrange the server, the error expected). Faults apply to every request (times=None).
SCENARIOS: dict[str, tuple[Callable[[NotteTestServer], object], type[NotteError]]] = {
    "401": (lambda s: s.faults.add(Status(401), times=None), AuthenticationError),
    "401 echoing the key": (lambda s: s.faults.add(EchoAuthorization(401), times=None), AuthenticationError),
    "404": (lambda s: s.store.clear(), NotFoundError),
    "422 echoing the key": (
        lambda s: s.faults.add(
            Status(422, detail=[{"loc": ["header", "authorization"], "msg": f"bad {KEY}", "type": "x", "input": KEY}]),
            times=None,
        ),
        RequestValidationError,
    ),
    "429 exhausted": (lambda s: s.faults.add(Status(429, retry_after=0), times=None), RateLimitError),
    "500 echoing the key": (lambda s: s.faults.add(EchoAuthorization(500), times=None), ServerError),
    "503 exhausted, echoing the key": (lambda s: s.faults.add(EchoAuthorization(503), times=None), ServerError),
    "timeout": (lambda s: s.faults.add(Latency(0.5), times=None), APITimeoutError),
    "truncated body": (lambda s: s.faults.add(TruncatedJSON(), times=None), APIConnectionError),
    "malformed body echoing the key": (
        lambda s: s.faults.add(MalformedJSON(f"<html>token={KEY}</html>".encode()), times=None),
        SchemaMismatchError,
    ),
    "schema mismatch echoing the key": (lambda s: s.faults.add(UnknownEnumValue(KEY), times=None), SchemaMismatchError),
}


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_no_failure_leaks_the_key_in_errors_or_debug_logs(
    keyed_server: NotteTestServer, scenario: str, caplog: pytest.LogCaptureFixture
) -> None:
    arrange, expected = SCENARIOS[scenario]
    arrange(keyed_server)
    keyed_server.validate_responses = False  # some scenarios make the server itself misbehave
    caplog.set_level(logging.DEBUG, logger="")
    with _client(keyed_server, timeout=0.2) as client, pytest.raises(expected) as caught:
        client.functions.list_runs(FUNCTION_ID).to_list()
    _assert_no_key(caught.value)
    _assert_debug_logs_are_clean(caplog)


def test_connection_refused_leaks_nothing(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="")
    with _client(f"http://127.0.0.1:{_free_port()}") as client, pytest.raises(APIConnectionError) as caught:
        client.functions.list_runs_page(FUNCTION_ID)
    _assert_no_key(caught.value)
    _assert_debug_logs_are_clean(caplog)


def test_debug_logs_of_a_successful_listing_are_clean(
    keyed_server: NotteTestServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="")
    keyed_server.faults.add(Status(503, retry_after=0))  # a retry too: httpx-retries logs it
    with _client(keyed_server) as client:
        assert len(client.functions.list_runs(FUNCTION_ID).to_list()) == 250
    _assert_debug_logs_are_clean(caplog)


def _assert_debug_logs_are_clean(caplog: pytest.LogCaptureFixture) -> None:
    loggers = {record.name.split(".")[0] for record in caplog.records}
    assert {"httpcore", "httpx_retries", "notte_ext"} <= loggers  # DEBUG capture really saw the stack
    for record in caplog.records:
        assert KEY not in record.getMessage(), record.name
        assert KEY not in repr(record.args), record.name
    assert KEY not in caplog.text


# -- CLI ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scenario", "exit_code"),
    [("success", 0), ("401 echoing the key", 1), ("404", 1), ("500 echoing the key", 1), ("debug traceback", 1)],
)
def test_cli_output_never_shows_the_key(keyed_server: NotteTestServer, scenario: str, exit_code: int) -> None:
    keyed_server.validate_responses = False
    debug = []
    if scenario == "debug traceback":
        keyed_server.faults.add(EchoAuthorization(401), times=None)
        debug = ["--debug"]
    elif scenario != "success":
        SCENARIOS[scenario][0](keyed_server)
    result = subprocess.run(
        [
            str(CLI),
            "--api-key",
            KEY,
            "--base-url",
            keyed_server.url,
            *debug,
            "runs",
            "list",
            "--format",
            "jsonl",
            FUNCTION_ID,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == exit_code, result.stderr
    assert KEY not in result.stdout + result.stderr
    if scenario == "success":
        assert len(result.stdout.splitlines()) == 250
    else:
        assert "Error" in result.stderr or "Traceback" in result.stderr


# -- hostile function ids ------------------------------------------------------------------------------

HOSTILE_IDS = [
    ".",
    "..",
    "../x",
    "../../runs",
    "a/b",
    "?q=1",
    "#f",
    "%2F",
    "%2e%2e",
    "\r\nX-Injected: 1",
    "a b",
    "x" * 5_000,
    "fonction-é-函数-🙂",
    "",
    " ",
    "...",
    ";",
    "\x00",
]


@pytest.mark.parametrize("function_id", HOSTILE_IDS, ids=lambda value: repr(value)[:30])
def test_hostile_function_ids_are_one_segment_or_refused(keyed_server: NotteTestServer, function_id: str) -> None:
    keyed_server.add_function(function_id, runs=3)
    with _client(keyed_server) as client:
        try:
            runs = client.functions.list_runs(function_id).to_list()
        except InvalidArgumentError:
            assert keyed_server.requests == []  # refused before any request
            assert function_id.strip() in {"", ".", ".."}
            return
    requests = keyed_server.requests
    assert [request.query["page"] for request in requests].count("1") == 1  # others: page-ahead past the end
    for request in requests:
        assert request.function_id == function_id
        assert request.raw_path == f"/functions/{quote(function_id, safe='')}/runs"
    assert [run.function_id for run in runs] == [function_id] * 3


# -- redirects and plain http ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Redirect:
    location: str

    def apply(self, reply: Reply, context: FaultContext) -> None:
        reply.status, reply.body, reply.headers = 307, {}, {"Location": self.location}


def test_no_authorization_header_after_a_cross_origin_redirect(keyed_server: NotteTestServer) -> None:
    with NotteTestServer(KEY) as elsewhere:
        elsewhere.add_function(FUNCTION_ID, runs=1)
        keyed_server.faults.add(Redirect(f"{elsewhere.url}/functions/{FUNCTION_ID}/runs"))
        with _client(keyed_server) as client, pytest.raises(AuthenticationError):
            client.functions.list_runs_page(FUNCTION_ID)
        (request,) = elsewhere.requests
    assert "authorization" not in request.headers
    assert request.status == 401


GATEWAY = {"X-Gateway-Key": "gw-SECRET-41d9"}


@pytest.mark.parametrize("sync", [True, False], ids=["sync", "async"])
def test_extra_headers_stay_with_the_api_origin_across_redirects(keyed_server: NotteTestServer, sync: bool) -> None:
    """httpx drops only Authorization when a redirect leaves the origin: `headers=` (a gateway's key) went on."""
    keyed_server.add_function("fn-2", runs=1)
    with NotteTestServer(KEY) as elsewhere:
        elsewhere.add_function(FUNCTION_ID, runs=1)
        keyed_server.faults.add(Redirect(f"{keyed_server.url}/functions/fn-2/runs"), match=Match(function_id="fn-1"))
        keyed_server.faults.add(
            Redirect(f"{elsewhere.url}/functions/{FUNCTION_ID}/runs"), match=Match(function_id="fn-2")
        )
        retry = RetryPolicy(max_retries=0)
        if sync:
            with (
                NotteClient(KEY, base_url=keyed_server.url, headers=GATEWAY, retry=retry) as client,
                pytest.raises(AuthenticationError),
            ):
                client.functions.list_runs_page(FUNCTION_ID)
        else:

            async def listed() -> None:
                async with AsyncNotteClient(KEY, base_url=keyed_server.url, headers=GATEWAY, retry=retry) as client:
                    await client.functions.list_runs_page(FUNCTION_ID)

            with pytest.raises(AuthenticationError):
                asyncio.run(listed())
        (request,) = elsewhere.requests
    assert [home.headers.get("x-gateway-key") for home in keyed_server.requests] == ["gw-SECRET-41d9"] * 2
    assert "x-gateway-key" not in request.headers


def test_localhost_and_127_0_0_1_are_different_origins(keyed_server: NotteTestServer) -> None:
    keyed_server.faults.add(Redirect(f"http://localhost:{keyed_server.port}/functions/{FUNCTION_ID}/runs"))
    with _client(keyed_server) as client, pytest.raises(AuthenticationError):
        client.functions.list_runs_page(FUNCTION_ID)
    assert [request.status for request in keyed_server.requests] == [307, 401]
    assert "authorization" not in keyed_server.requests[1].headers


def test_a_same_origin_redirect_keeps_the_authorization_header(keyed_server: NotteTestServer) -> None:
    keyed_server.add_function("fn-2", runs=5)
    keyed_server.faults.add(Redirect(f"{keyed_server.url}/functions/fn-2/runs?only_active=false&page_size=100"))
    with _client(keyed_server) as client:
        page = client.functions.list_runs_page(FUNCTION_ID)
    assert len(page.items) == 5
    assert [request.headers.get("authorization") for request in keyed_server.requests] == ["Bearer ***"] * 2


@pytest.mark.parametrize(
    "base_url",
    [
        "http://api.notte.cc",
        "http://10.0.0.5:8000",
        "http://0.0.0.0:8000",
        "http://localhost.example.com",
        "http://127.0.0.1.nip.io",
        "http://[::ffff:7f00:1]:8000",
    ],
)
def test_plain_http_to_another_host_is_refused_without_connecting(
    base_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network touched: {args!r}")

    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    for client_class in (NotteClient, AsyncNotteClient):
        with pytest.raises(ConfigurationError, match="refusing plain http") as caught:
            client_class(KEY, base_url=base_url)
        _assert_no_key(caught.value)


@pytest.mark.parametrize(
    "base_url",
    [
        "http://127.0.0.1@evil.example",
        "http://evil.example#@127.0.0.1",
        "http://evil.example?@127.0.0.1",
        "http://evil.example\\@127.0.0.1",
        "http://127.0.0.1:80@evil.example",
        "http://evil.example/127.0.0.1",
    ],
)
def test_url_tricks_cannot_point_plain_http_elsewhere(base_url: str) -> None:
    """The check reads the host with httpx's own parser, so it judges where httpx will connect."""
    try:
        client = NotteClient(KEY, base_url=base_url)
    except ConfigurationError:
        return
    with client:
        host = client.api.get_httpx_client().base_url.host
    assert host == "127.0.0.1"  # e.g. "evil.example\\@127.0.0.1": httpx reads userinfo + loopback host
