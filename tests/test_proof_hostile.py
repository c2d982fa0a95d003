"""Broken and hostile servers: bounded time, bounded memory, no absurd waits, honest messages.

Each fault comes from the local server's own fault kinds (what users get for their tests), hits
page 2 of a listing, and is met sync and async with page-ahead on (`prefetch=4`).
"""

from __future__ import annotations

import asyncio
import gzip
import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from notte_ext import (
    APIConnectionError,
    APITimeoutError,
    AsyncNotteClient,
    ConfigurationError,
    ForeignResponseError,
    FunctionRun,
    NotteClient,
    RateLimitError,
    ResponseTooLargeError,
    RetryPolicy,
    SchemaMismatchError,
)
from notte_ext._openapi import DRIFT_HINT
from notte_ext._responses import describe_wait
from notte_ext.testing import (
    CompressedOversizedBody,
    Effect,
    FaultContext,
    HugeRetryAfter,
    Latency,
    Match,
    NotteTestServer,
    OversizedBody,
    ProxyPage,
    Reply,
    TrickledBody,
)
from tests.conftest import FUNCTION_ID, RUN_COUNT

MiB = 1024 * 1024
PROBE = Path(__file__).with_name("rss_probe.py")
CLI = str(Path(sys.executable).with_name("notte-ext"))


def _sync_listing(server: NotteTestServer, prefetch: int = 0, **options: Any) -> list[FunctionRun]:
    with NotteClient(server.api_key, base_url=server.url, **options) as client:
        return client.functions.list_runs(FUNCTION_ID, page_size=10, prefetch=prefetch).to_list()


def _sync_prefetch_listing(server: NotteTestServer, **options: Any) -> list[FunctionRun]:
    return _sync_listing(server, prefetch=4, **options)


def _async_listing(server: NotteTestServer, **options: Any) -> list[FunctionRun]:
    async def listing() -> list[FunctionRun]:
        async with AsyncNotteClient(server.api_key, base_url=server.url, **options) as client:
            return await client.functions.list_runs(FUNCTION_ID, page_size=10, prefetch=4).to_list()

    return asyncio.run(listing())


LISTINGS: dict[str, Callable[..., list[FunctionRun]]] = {
    "sync": _sync_listing,
    "sync-prefetch-4": _sync_prefetch_listing,
    "async-prefetch-4": _async_listing,
}


def _raised(listing: str, server: NotteTestServer, expected: type[Exception], **options: Any) -> tuple[Any, float]:
    started = time.monotonic()
    with pytest.raises(expected) as caught:
        LISTINGS[listing](server, **options)
    return caught.value, time.monotonic() - started


# -- time ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("listing", LISTINGS)
def test_a_trickled_body_times_out_at_the_total_deadline(server: NotteTestServer, listing: str) -> None:
    """A valid page sent a byte every 0.5 s (~60 s in all): with timeout=2 and no retries, done in <= 3 s."""
    server.faults.add(TrickledBody(interval=0.5), match=Match(page=2), times=None)
    error, elapsed = _raised(listing, server, APITimeoutError, timeout=2, max_retries=0)
    assert elapsed <= 3, elapsed
    assert "timeout=2 s (connect + headers + whole body, per attempt)" in str(error)


@pytest.mark.parametrize("listing", LISTINGS)
def test_a_body_that_stalls_late_waits_only_for_what_is_left_of_the_budget(
    server: NotteTestServer, listing: str
) -> None:
    """Headers after 1.5 s, a first piece, then silence: the stalled read gets the 0.5 s left, not another 2 s."""
    server.faults.add(Latency(1.5), TrickledBody(interval=30, chunk_bytes=50), match=Match(page=2), times=None)
    error, elapsed = _raised(listing, server, APITimeoutError, timeout=2, max_retries=0)
    assert elapsed <= 2.8, elapsed
    assert "timeout=2 s" in str(error)


@pytest.mark.parametrize("listing", LISTINGS)
def test_a_trickled_body_is_retried_like_any_timeout(server: NotteTestServer, listing: str) -> None:
    server.faults.add(TrickledBody(interval=0.2), match=Match(page=2), times=1)
    waits: list[float] = []
    runs = LISTINGS[listing](server, timeout=1, retry=RetryPolicy(max_retries=2, sleep=waits.append))
    assert len(runs) == RUN_COUNT
    assert len(waits) == 1  # the trickled attempt, then a clean one
    assert [r.status for r in server.requests if r.query.get("page") == "2"] == [200, 200]


# -- memory ----------------------------------------------------------------------------------------


def _probe(server: NotteTestServer, mode: str) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, str(PROBE), server.url, server.api_key, FUNCTION_ID, mode],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    outcome: dict[str, Any] = json.loads(result.stdout)
    return outcome


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(
    "fault",
    [OversizedBody(size=200 * MiB), CompressedOversizedBody(size=300 * MiB, encoding="gzip")],
    ids=["200MiB-chunked", "gzip-to-300MiB"],
)
def test_an_oversized_body_is_refused_within_bounded_memory(server: NotteTestServer, fault: Effect, mode: str) -> None:
    """Peak RSS growth measured in a separate process (VmHWM): well under 100 MB for bodies of 200-300 MiB."""
    server.faults.add(fault, match=Match(page=2), times=None)
    outcome = _probe(server, mode)
    print(f"{type(fault).__name__} {mode}: peak RSS growth {outcome['peak_growth_bytes'] / MiB:.1f} MiB")
    assert outcome["error"] == "ResponseTooLargeError", outcome
    assert "25 MiB limit (max_response_bytes=26,214,400)" in outcome["message"]
    assert "no Content-Length" in outcome["message"]
    assert outcome["peak_growth_bytes"] < 100 * 1000 * 1000, outcome


@pytest.mark.parametrize("listing", LISTINGS)
def test_an_announced_oversized_body_is_refused_before_reading_it(server: NotteTestServer, listing: str) -> None:
    server.faults.add(OversizedBody(size=200 * MiB, announce_length=True), match=Match(page=2), times=None)
    error, elapsed = _raised(listing, server, ResponseTooLargeError)
    assert (error.limit, error.content_length) == (25 * MiB, 200 * MiB)
    assert "Content-Length announces 209,715,200 bytes" in str(error)
    assert elapsed < 2  # nothing of the body was read


@pytest.mark.parametrize("listing", LISTINGS)
@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_a_compression_bomb_is_stopped_at_the_decoded_limit(
    server: NotteTestServer, listing: str, encoding: str
) -> None:
    server.faults.add(CompressedOversizedBody(size=300 * MiB, encoding=encoding), match=Match(page=2), times=None)
    error, _ = _raised(listing, server, ResponseTooLargeError, max_response_bytes=MiB)
    assert error.limit == MiB
    assert error.content_length is None
    assert "1 MiB limit" in str(error)


@pytest.mark.parametrize("listing", LISTINGS)
def test_the_size_limit_is_a_client_option(server: NotteTestServer, http: httpx.Client, listing: str) -> None:
    pages = [
        http.get(f"/functions/{FUNCTION_ID}/runs", params={"page": n, "page_size": 10, "only_active": "false"})
        for n in (1, 2)
    ]
    page_bytes = max(len(page.content) for page in pages)
    assert len(LISTINGS[listing](server, max_response_bytes=2 * page_bytes)) == RUN_COUNT
    error, _ = _raised(listing, server, ResponseTooLargeError, max_response_bytes=page_bytes // 2)
    assert error.limit == page_bytes // 2


class GzipEveryPage:
    """What a compressing API or proxy does (written as users write their own effects)."""

    def apply(self, reply: Reply, context: FaultContext) -> None:
        reply.headers["Content-Encoding"] = "gzip"
        reply.stream = lambda payload: iter([gzip.compress(payload)])


class StackedGzip:
    """A page gzipped `layers` times over, each coding declared: valid, if absurd past two."""

    def __init__(self, layers: int) -> None:
        self.layers = layers

    def apply(self, reply: Reply, context: FaultContext) -> None:
        reply.headers["Content-Encoding"] = ", ".join(["gzip"] * self.layers)

        def stacked(payload: bytes) -> Iterator[bytes]:
            for _ in range(self.layers):
                payload = gzip.compress(payload, mtime=0)
            yield payload

        reply.stream = stacked


@pytest.mark.parametrize("layers", [5, 1_200])
@pytest.mark.parametrize("listing", LISTINGS)
def test_a_page_stacking_content_codings_is_refused_not_a_recursion_error(
    server: NotteTestServer, listing: str, layers: int
) -> None:
    """1,200 nested gzips (a 12 KB header) made the decoded-size count recurse past Python's stack: a
    bare RecursionError from the listing. A real body is compressed once, twice through a proxy."""
    server.faults.add(StackedGzip(layers), match=Match(page=2), times=None)
    error, _ = _raised(listing, server, APIConnectionError, max_retries=0)
    assert f"the response stacks {layers:,} content codings (at most 4 are decoded)" in str(error)


@pytest.mark.parametrize("listing", LISTINGS)
def test_compressed_valid_pages_still_parse_under_the_limit(server: NotteTestServer, listing: str) -> None:
    server.faults.add(GzipEveryPage(), times=None)
    assert len(LISTINGS[listing](server)) == RUN_COUNT
    assert all(request.faults for request in server.requests)


# -- waits -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("listing", LISTINGS)
def test_a_retry_after_beyond_the_cap_is_a_rate_limit_error_at_once(server: NotteTestServer, listing: str) -> None:
    server.faults.add(HugeRetryAfter(seconds=3600), match=Match(page=2), times=None)
    waits: list[float] = []
    error, elapsed = _raised(listing, server, RateLimitError, retry=RetryPolicy(max_retries=3, sleep=waits.append))
    assert error.retry_after == 3600
    assert waits == []
    assert [r.status for r in server.requests if r.query.get("page") == "2"] == [429]
    assert "retry after 1 h" in str(error)
    assert elapsed < 2


@pytest.mark.parametrize("retry_after", ["9" * 400, "Fri, 31 Dec 9999 23:59:59 GMT"])
def test_an_absurd_retry_after_is_a_year_not_an_overflow(retry_after: str) -> None:
    """400 digits parse as inf: the wait, and the message saying it, were an OverflowError from deep inside."""
    transport = httpx.MockTransport(lambda request: httpx.Response(429, json={}, headers={"Retry-After": retry_after}))
    waits: list[float] = []
    with (
        NotteClient("sk-test", transport=transport, retry=RetryPolicy(max_retries=3, sleep=waits.append)) as client,
        pytest.raises(RateLimitError) as caught,
    ):
        client.functions.list_runs_page("fn")
    assert caught.value.retry_after == 365 * 24 * 3600
    assert str(caught.value).endswith("retry after 8760 h")
    assert waits == []


def test_a_retry_after_within_the_cap_is_still_waited_for(server: NotteTestServer) -> None:
    server.faults.add(HugeRetryAfter(seconds=20), match=Match(page=2), times=1)
    waits: list[float] = []
    assert len(_sync_listing(server, retry=RetryPolicy(max_retries=3, sleep=waits.append))) == RUN_COUNT
    assert waits == [20]


@pytest.mark.parametrize(
    ("seconds", "said"), [(3600, "1 h"), (5400, "1 h 30 min"), (90, "1 min 30 s"), (0.2, "1 s"), (0, "0 s")]
)
def test_waits_are_said_the_way_people_read_them(seconds: float, said: str) -> None:
    assert describe_wait(seconds) == said


def test_the_cli_says_when_to_try_again(server: NotteTestServer) -> None:
    server.faults.add(HugeRetryAfter(seconds=3600), times=None)
    started = time.monotonic()
    result = subprocess.run(
        [CLI, "--api-key", server.api_key, "--base-url", server.url, "runs", "list", FUNCTION_ID],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": ""},
    )
    assert result.returncode == 1, result.stderr
    assert "HTTP 429" in result.stderr
    assert "retry after 1 h" in result.stderr
    assert time.monotonic() - started < 10  # no 30 s waits
    pages = [request.query.get("page") for request in server.requests]  # the CLI pages ahead by default
    assert len(pages) == len(set(pages))  # every page asked once: nothing retried
    assert {request.status for request in server.requests} == {429}


# -- messages --------------------------------------------------------------------------------------


@pytest.mark.parametrize("listing", LISTINGS)
def test_an_html_page_from_a_proxy_is_named_not_blamed_on_drift(server: NotteTestServer, listing: str) -> None:
    server.faults.add(ProxyPage(), match=Match(page=2), times=None)
    error, _ = _raised(listing, server, ForeignResponseError)
    message = str(error)
    assert "HTTP 200 with Content-Type text/html" in message
    assert "not the Notte API speaking" in message
    assert "Sign in - Example Corp" in message  # an excerpt of what arrived
    assert DRIFT_HINT not in message
    assert "spec drift" not in message
    assert isinstance(error, SchemaMismatchError)  # code catching the older, broader error still does
    assert isinstance(error, ForeignResponseError)
    assert error.content_type == "text/html; charset=utf-8"


def test_json_that_breaks_the_schema_keeps_the_drift_hint(server: NotteTestServer) -> None:
    class WrongType:
        def apply(self, reply: Reply, context: FaultContext) -> None:
            reply.body["has_next"] = "yes"

    server.faults.add(WrongType(), times=None)
    with pytest.raises(SchemaMismatchError) as caught:
        _sync_listing(server)
    assert not isinstance(caught.value, ForeignResponseError)
    assert DRIFT_HINT in str(caught.value)


# -- configuration ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [
        {"retry": RetryPolicy(), "max_retries": 2},
        {"max_response_bytes": 0},
        {"max_response_bytes": -1},
    ],
)
def test_contradictory_or_impossible_limits_are_configuration_errors(options: dict[str, Any]) -> None:
    with pytest.raises(ConfigurationError):
        NotteClient("sk-x", base_url="http://127.0.0.1:9", **options)


@pytest.mark.parametrize("field", ["max_retries", "backoff_factor", "max_wait"])
def test_an_impossible_retry_policy_is_a_configuration_error(field: str) -> None:
    with pytest.raises(ConfigurationError, match=f"{field}=-1"):
        RetryPolicy(**{field: -1})  # type: ignore[arg-type]


def test_a_proxy_page_echoing_the_key_does_not_leak_it(server: NotteTestServer) -> None:
    echo = f"<html>Denied for Authorization: Bearer {server.api_key}</html>".encode()
    server.faults.add(ProxyPage(status=200, body=echo), times=None)
    with pytest.raises(ForeignResponseError) as caught:
        _sync_listing(server)
    assert server.api_key not in str(caught.value)
    assert server.api_key not in repr(caught.value.value)
    assert "Bearer ***" in str(caught.value)


def test_the_limits_hold_for_generated_calls_through_client_api_too(server: NotteTestServer) -> None:
    """`client.api` (the generated client) shares the client's httpx client, so its transport too."""
    server.faults.add(OversizedBody(size=50 * MiB), times=1)
    server.faults.add(HugeRetryAfter(), times=1)
    with NotteClient(server.api_key, base_url=server.url) as client:
        http = client.api.get_httpx_client()
        with pytest.raises(ResponseTooLargeError):
            http.get(f"/functions/{FUNCTION_ID}/runs")
        with pytest.raises(RateLimitError):
            http.get(f"/functions/{FUNCTION_ID}/runs")
        # The oversized body's connection was closed, not returned to the pool half-read: the next call is clean.
        assert client.functions.list_runs_page(FUNCTION_ID, page_size=5).page_size == 5
    assert [request.status for request in server.requests] == [200, 429, 200]
