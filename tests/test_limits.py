"""The per-attempt limits: the size counter behind max_response_bytes (decoded sizes as httpx would
decode, in bounded steps), and the deadline while the response headers are still arriving."""

from __future__ import annotations

import asyncio
import gzip
import random
import time
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from notte_ext import APITimeoutError, AsyncNotteClient, NotteClient, RetryPolicy
from notte_ext._limits import (
    _BoundedBackend,
    _DecodedSize,
    _HandshakeClosingBackend,
    bound_header_wait,
    close_cancelled_handshakes,
    default_max_response_bytes,
    describe_bytes,
)
from notte_ext._proxies import AsyncProxyTransport, ProxyTransport
from notte_ext._tls import AsyncHTTPTransport, HTTPTransport
from tests.conftest import FUNCTION_ID
from tests.local_http import HeaderDrip, running

BODY = random.Random(0).randbytes(50_000) + b"A" * 3_000_000  # noqa: S311 - test data: incompressible head, long run

ENCODERS: dict[str, Callable[[bytes], bytes]] = {
    "": lambda data: data,
    "gzip": gzip.compress,
    "x-gzip": gzip.compress,
    "deflate": zlib.compress,  # with the zlib header (RFC 9110)
    "Deflate ": lambda data: zlib.compress(data)[2:-4],  # raw deflate, as some servers send it; case and spaces
    "gzip, deflate": lambda data: zlib.compress(gzip.compress(data)),  # applied in order
}


def _count(encoding: str, wire: bytes, budget: int, chunk: int = 65_536) -> tuple[bool, int]:
    size = _DecodedSize(encoding)
    within = all(size.add(wire[start : start + chunk], budget) for start in range(0, len(wire), chunk))
    return within, size.total


@pytest.mark.parametrize("encoding", ENCODERS)
def test_the_count_is_the_decoded_size(encoding: str) -> None:
    assert _count(encoding, ENCODERS[encoding](BODY), budget=10**9) == (True, len(BODY))


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_a_bomb_is_counted_only_up_to_one_step_past_the_budget(encoding: str) -> None:
    wire = ENCODERS[encoding](b"\0" * 50_000_000)
    within, total = _count(encoding, wire, budget=1_000_000, chunk=len(wire))  # one chunk inflating to 50 MB
    assert not within
    assert 1_000_000 < total <= 1_000_000 + 64 * 1024


def test_undecodable_codings_count_as_sent() -> None:
    """br/zstd are never asked for (Accept-Encoding: gzip, deflate); httpx without their libraries hands them on raw."""
    assert _count("br", b"\x1b\x00" * 10, budget=10**9) == (True, 20)


def test_the_default_limit_is_far_above_a_full_page(http: httpx.Client) -> None:
    full_page = http.get(f"/functions/{FUNCTION_ID}/runs", params={"page_size": 100, "only_active": "false"})
    assert len(full_page.json()["items"]) == 100
    assert default_max_response_bytes() > 100 * len(full_page.content)
    assert describe_bytes(default_max_response_bytes()) == "25 MiB"  # 256 KiB x the spec's page_size maximum


# -- the deadline while headers drip in --------------------------------------------------------------

KEY = "sk-drip-test"
STREAM_DEADLINE = 2.5  # a start's own deadline, longer than the client's timeout=1


@pytest.fixture
def drip() -> Iterator[HeaderDrip]:
    """Its first two requests drip header lines forever; the third gets an empty page."""
    with running(HeaderDrip(drips=2)) as server:
        yield server


def _fail_then_list(kind: str, url: str, call: str, **options: Any) -> tuple[APITimeoutError, float, int]:
    """On one client, `call` ("list": a listing's first run; "start": `stream_run` with its own deadline)
    fails: its error and how long it took; then the same client's next listing: how many runs it got."""

    def attempt(call_it: Callable[[], object]) -> tuple[APITimeoutError, float]:
        started = time.monotonic()
        with pytest.raises(APITimeoutError) as caught:
            call_it()
        return caught.value, time.monotonic() - started

    if kind == "sync":
        with NotteClient(KEY, base_url=url, **options) as client:
            functions = client.functions
            error, elapsed = attempt(
                (lambda: functions.list_runs(FUNCTION_ID).first())
                if call == "list"
                else (lambda: list(functions.stream_run(FUNCTION_ID, stream=False, timeout=STREAM_DEADLINE)))
            )
            return error, elapsed, len(functions.list_runs_page(FUNCTION_ID).items)

    async def in_async() -> tuple[APITimeoutError, float, int]:
        async with AsyncNotteClient(KEY, base_url=url, **options) as client:
            functions = client.functions

            async def first_run() -> object:
                return await functions.list_runs(FUNCTION_ID).first()

            async def start() -> object:
                return [
                    event async for event in functions.stream_run(FUNCTION_ID, stream=False, timeout=STREAM_DEADLINE)
                ]

            started = time.monotonic()
            with pytest.raises(APITimeoutError) as caught:
                await (first_run() if call == "list" else start())
            elapsed = time.monotonic() - started
            return caught.value, elapsed, len((await functions.list_runs_page(FUNCTION_ID)).items)

    return asyncio.run(in_async())


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_dripped_headers_time_out_at_the_deadline_and_a_read_is_retried(drip: HeaderDrip, kind: str) -> None:
    """A header line every 0.2 s: each attempt (timeout=1) ends at its deadline, the GET is retried once,
    the listing fails in about 2 s (it hung forever before), and the client's next request works."""
    waits: list[float] = []
    error, elapsed, runs = _fail_then_list(
        kind, drip.url, "list", timeout=1, retry=RetryPolicy(max_retries=1, sleep=waits.append)
    )
    assert 2 <= elapsed < 5, elapsed
    assert "timeout=1 s (connect + headers + whole body, per attempt), 1 retries allowed" in str(error)
    assert "the 1 s deadline passed before the response headers arrived" in str(error)
    assert len(waits) == 1
    assert [request.split("?")[0] for request in drip.requests] == [f"GET /functions/{FUNCTION_ID}/runs"] * 3
    assert runs == 0  # the third request: an empty page, on the same client


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_dripped_headers_of_a_start_time_out_at_its_own_deadline_not_retried(drip: HeaderDrip, kind: str) -> None:
    """runs/start carries its own deadline (2.5 s) instead of the client's timeout (1 s); a POST that may
    have arrived is not retried (3 retries allowed), and the client's next request works."""
    error, elapsed, runs = _fail_then_list(kind, drip.url, "start", timeout=1)
    assert STREAM_DEADLINE <= elapsed < 5, elapsed
    assert f"within its {STREAM_DEADLINE:g} s deadline (the whole streamed answer)" in str(error)
    assert "not retried" in str(error)
    assert [request.split("?")[0] for request in drip.requests] == [
        f"POST /functions/{FUNCTION_ID}/runs/start",
        f"GET /functions/{FUNCTION_ID}/runs",  # the next request: dripped too, and retried
        f"GET /functions/{FUNCTION_ID}/runs",
    ]
    assert runs == 0


@pytest.mark.parametrize(
    ("transport", "wrap", "backend"),
    [
        (HTTPTransport, bound_header_wait, _BoundedBackend),
        (lambda: ProxyTransport("http://127.0.0.1:9", trust_env=False), bound_header_wait, _BoundedBackend),
        (AsyncHTTPTransport, close_cancelled_handshakes, _HandshakeClosingBackend),
        (
            lambda: AsyncProxyTransport("http://127.0.0.1:9", trust_env=False),
            close_cancelled_handshakes,
            _HandshakeClosingBackend,
        ),
    ],
    ids=["sync-direct", "sync-proxied", "async-direct", "async-proxied"],
)
def test_httpcore_s_network_backends_are_wrapped(
    transport: Callable[[], Any], wrap: Callable[[Any], bool], backend: type
) -> None:
    """The sync header deadline and the async handshake close rest on httpx's private `_pool` and
    httpcore's `_network_backend` (`bound_header_wait`, `close_cancelled_handshakes`): if an httpx
    or httpcore release moves them, this says so."""
    built = transport()
    assert wrap(built)
    wrapped: Any = built._pool._network_backend
    assert isinstance(wrapped, backend)
    assert wrap(built)
    assert built._pool._network_backend is wrapped  # wrapped once
    mock = httpx.MockTransport(lambda request: httpx.Response(200))
    assert not wrap(mock)
