"""What a broken or hostile server meets on every request: bounded time, bounded memory, no absurd waits.

An httpx transport placed *inside* the retry transport, so each attempt (generated calls through
`client.api` included) gets its own:

* **deadline**: `timeout` seconds for connect + headers + the whole body (a request may carry its
  own in the `DEADLINE` extension: following a run's streamed log takes as long as the run). httpx's own timeouts are
  per socket operation, so a server trickling a header line or a body byte every half second never
  trips them. Here, until the headers are in, async requests run under an anyio cancel scope and every
  socket operation of a sync one gets at most what is left of the budget (see `_BoundedBackend`); the
  body is then read with what is left and checked between chunks. Running out raises
  `ResponseDeadlineExceeded`, an `httpx.ReadTimeout`: retried like any timeout.
* **size limit**: `max_response_bytes` of *decoded* body. gzip/deflate are inflated here in bounded
  steps just to count (httpx decodes again for the caller), so a compression bomb stops at the
  limit; a chunk that would cross it is never handed on, and the connection is closed.
* **Retry-After cap**: a retryable status whose `Retry-After` exceeds the policy's `max_wait` is
  not worth retrying; its typed error (`RateLimitError` with `retry_after`) is raised at once.
"""

from __future__ import annotations

import math
import ssl
import time
import zlib
from collections.abc import AsyncIterator, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from typing import Any

import anyio
import httpcore
import httpx
from attrs import define, field

from notte_ext._arguments import check_count
from notte_ext._messages import Secret
from notte_ext._openapi import document
from notte_ext._responses import status_error
from notte_ext._retry import RETRY_STATUSES, retry_after_seconds
from notte_ext.errors import APIStatusError, ConfigurationError, ResponseTooLargeError

# Room for one run in a page: a sample run is ~400 bytes of JSON; logs/variables/result can grow it.
RUN_ALLOWANCE_BYTES = 256 * 1024
# A request's own deadline in seconds (request.extensions[DEADLINE]), instead of the client's timeout.
DEADLINE = "notte_ext.deadline"
_INFLATE_STEP = 64 * 1024  # how much decoded output the counter materializes at a time


@cache
def default_max_response_bytes() -> int:
    """`RUN_ALLOWANCE_BYTES` for each run of the largest page the vendored spec allows (25 MiB at page_size <= 100)."""
    maxima = [
        parameter["schema"]["maximum"]
        for item in document()["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict)
        for parameter in operation.get("parameters", [])
        if parameter.get("name") == "page_size" and "maximum" in parameter.get("schema", {})
    ]
    return int(max(maxima, default=100)) * RUN_ALLOWANCE_BYTES


@define(frozen=True)
class Limits:
    timeout: float  # seconds per attempt: connect + headers + whole body
    max_response_bytes: int
    max_wait: float  # the retry policy's cap on one wait: a longer Retry-After is not waited for

    def __attrs_post_init__(self) -> None:
        check_count("max_response_bytes", self.max_response_bytes, least=1, error=ConfigurationError)


class ResponseDeadlineExceeded(httpx.ReadTimeout):
    """The attempt's total deadline passed (a trickling server); retried like other timeouts."""


def describe_bytes(count: float) -> str:
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if count >= size:
            return f"{count / size:.3g} {unit}"
    return f"{count:g} bytes"


class _Inflater:
    """Counts what one content-coding decodes to, materializing at most `_INFLATE_STEP` bytes at a time.

    Mirrors httpx's decoders (gzip; deflate with or without the zlib header): if the data does not
    decode, counting stops here and httpx reports the `DecodingError` when it decodes.
    """

    def __init__(self, coding: str) -> None:
        self._may_fall_back_to_raw = coding == "deflate"  # as httpx: only on the first chunk
        self._object = zlib.decompressobj(zlib.MAX_WBITS | (0 if coding == "deflate" else 16))
        self.broken = False

    def pieces(self, data: bytes) -> Iterator[bytes]:
        while not self.broken:
            try:
                out = self._object.decompress(data, _INFLATE_STEP)
            except zlib.error:
                if self._may_fall_back_to_raw:  # "deflate" sent without the zlib header
                    self._may_fall_back_to_raw = False
                    self._object = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                self.broken = True
                return
            self._may_fall_back_to_raw = False
            if out:
                yield out
            data = self._object.unconsumed_tail
            if not data and len(out) < _INFLATE_STEP:
                return


_COUNTABLE_CODINGS = {"gzip": "gzip", "x-gzip": "gzip", "deflate": "deflate"}
# A body is compressed once, twice through a proxy that compresses again. Each coding is one more
# inflater here and in httpx: a server stacking a thousand of them made the count recurse past
# Python's stack (a bare RecursionError from every call).
MAX_CONTENT_CODINGS = 4


class _DecodedSize:
    """The decoded size of a body fed raw chunk by chunk, for the codings httpx will decode."""

    def __init__(self, content_encoding: str) -> None:
        codings = [coding.strip().lower() for coding in content_encoding.split(",") if coding.strip()]
        # Applied in order, so decoded last-first. Codings we can't count (br/zstd: the client never
        # asks for them) count raw, which is what httpx delivers when it can't decode them either.
        self._inflaters = [_Inflater(_COUNTABLE_CODINGS[c]) for c in reversed(codings) if c in _COUNTABLE_CODINGS]
        self.total = 0

    def add(self, chunk: bytes, budget: int) -> bool:
        """Count `chunk`; False as soon as the total passes `budget` (the rest is not inflated)."""
        for size in self._sizes(chunk, 0):
            self.total += size
            if self.total > budget:
                return False
        return True

    def _sizes(self, data: bytes, depth: int) -> Iterator[int]:
        if depth == len(self._inflaters) or self._inflaters[depth].broken:
            yield len(data)
            return
        for piece in self._inflaters[depth].pieces(data):
            yield from self._sizes(piece, depth + 1)


@define
class _Attempt:
    """One attempt's budget; no I/O, shared by the sync and async transports and streams."""

    request: httpx.Request
    limits: Limits
    secret: Secret = field(repr=False)
    timeout: float  # this attempt's budget: the request's own DEADLINE, else the client's timeout
    deadline: float
    content_length: int | None = None
    size: _DecodedSize = field(factory=lambda: _DecodedSize(""))

    @classmethod
    def start(cls, request: httpx.Request, limits: Limits, secret: Secret) -> _Attempt:
        timeout = float(request.extensions.get(DEADLINE) or limits.timeout)
        attempt = cls(request, limits, secret, timeout, time.monotonic() + timeout)
        # httpcore reads these per phase (connect, headers, body): none may outlast the whole budget.
        phases = dict(request.extensions.get("timeout") or {})
        for phase in ("connect", "read", "write", "pool"):
            phases[phase] = min(phases.get(phase) or math.inf, timeout)
        if DEADLINE in request.extensions:  # a run's log may be quiet for long: its own deadline bounds it
            phases["read"] = timeout
        request.extensions["timeout"] = phases
        return attempt

    def body_starts(self, response_headers: httpx.Headers) -> None:
        """Before the first body byte is read: the deadline, the announced length, the read budget."""
        self.check_deadline()
        length = response_headers.get("Content-Length", "")
        self.content_length = int(length) if length.isdigit() else None
        if self.content_length is not None and self.content_length > self.limits.max_response_bytes:
            raise self._too_large(f"Content-Length announces {self.content_length:,} bytes")
        content_encoding = response_headers.get("Content-Encoding", "")
        codings = len([coding for coding in content_encoding.split(",") if coding.strip()])
        if codings > MAX_CONTENT_CODINGS:
            raise httpx.DecodingError(
                f"the response stacks {codings:,} content codings (at most {MAX_CONTENT_CODINGS} are decoded)",
                request=self.request,
            )
        self.size = _DecodedSize(content_encoding)
        # httpcore takes the body's per-read timeout when the body is first iterated: what is left.
        self.request.extensions["timeout"]["read"] = max(self.deadline - time.monotonic(), 0.001)

    def check(self, chunk: bytes) -> None:
        self.check_deadline()
        if not self.size.add(chunk, self.limits.max_response_bytes):
            announced = "no" if self.content_length is None else f"{self.content_length:,} bytes in"
            raise self._too_large(
                f"{self.size.total:,} bytes decoded when reading stopped ({announced} Content-Length)"
            )

    def check_deadline(self, phase: str = "while the body streamed") -> None:
        if time.monotonic() >= self.deadline:
            raise self.exceeded(phase)

    def left(self) -> float:
        """Seconds left of the budget before the headers are in; the deadline error if none are."""
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise self.exceeded(_BEFORE_HEADERS)
        return left

    def exceeded(self, phase: str) -> ResponseDeadlineExceeded:
        return ResponseDeadlineExceeded(f"the {self.timeout:g} s deadline passed {phase}", request=self.request)

    def retry_after_beyond_cap(self, response: httpx.Response) -> float | None:
        """A retryable status's Retry-After longer than the retry cap: not worth waiting for."""
        if response.status_code not in RETRY_STATUSES:
            return None
        hint = retry_after_seconds(response)
        return hint if hint is not None and hint > self.limits.max_wait else None

    def give_up(self, response: httpx.Response, hint: float) -> APIStatusError:
        """The typed error for a (read) response whose Retry-After is beyond the cap."""
        note = f"Retry-After {hint:g} s exceeds the {self.limits.max_wait:g} s retry cap: not retried"
        return status_error(response, self.secret, note=note)

    def _too_large(self, seen: str) -> ResponseTooLargeError:
        limit = self.limits.max_response_bytes
        return ResponseTooLargeError(
            f"{self.request.method} {self.request.url.path}: the response body exceeds the "
            f"{describe_bytes(limit)} limit (max_response_bytes={limit:,}): {seen}; the connection was closed",
            limit=limit,
            content_length=self.content_length,
        )


_BEFORE_HEADERS = "before the response headers arrived"

# The attempt whose response headers this thread is waiting for: set by LimitedTransport around the
# inner transport's call, read by each socket operation under it (`_BoundedStream`). Unset while the
# body is read: that is bounded between chunks (`_GuardedStream`).
_AWAITING_HEADERS: ContextVar[_Attempt | None] = ContextVar("notte_ext.awaiting_headers", default=None)


@contextmanager
def _within_budget(timeout: float | None) -> Iterator[float | None]:
    """A socket operation's timeout, cut to what is left of the attempt awaiting its headers (if any);
    when it is the budget that ran out, the deadline error rather than httpcore's bare "timed out"."""
    attempt = _AWAITING_HEADERS.get()
    if attempt is None:
        yield timeout
        return
    left = attempt.left()
    try:
        yield left if timeout is None else min(timeout, left)
    except httpcore.TimeoutException:
        attempt.check_deadline(_BEFORE_HEADERS)
        raise


class _BoundedStream(httpcore.NetworkStream):
    """httpcore's socket stream whose reads and writes, while an attempt awaits its headers, each get at
    most what is left of its budget: a server dripping a header line every half second would otherwise
    reset httpcore's per-read timeout forever (h11 accepts 100 KiB of headers)."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        with _within_budget(timeout) as bounded:
            return self._inner.read(max_bytes, bounded)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        with _within_budget(timeout) as bounded:
            self._inner.write(buffer, bounded)

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        # The handshake keeps its connect timeout (at most the budget, see _Attempt.start) and its
        # ConnectTimeout: that tells the retry layer the request was never sent.
        return _BoundedStream(self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _BoundedBackend(httpcore.NetworkBackend):
    """httpcore's network backend, its streams `_BoundedStream`s."""

    def __init__(self, inner: httpcore.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        return _BoundedStream(self._inner.connect_tcp(host, port, timeout, local_address, socket_options))

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None
    ) -> httpcore.NetworkStream:
        return _BoundedStream(self._inner.connect_unix_socket(path, timeout, socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def bound_header_wait(transport: httpx.BaseTransport) -> bool:
    """Put `_BoundedBackend` under httpx's own sync transport (direct or proxied); False if there is
    none to reach (a test's MockTransport, or an httpx whose internals moved).

    A sync request can't be interrupted from outside once its socket read blocks, and a thread per
    request to wait on would cost page-ahead; bounding each read by what is left costs a clock read.
    httpcore documents network backends as public API, but httpx 0.28 builds its httpcore pool itself
    and takes none (encode/httpx discussion 3180; PR 3749 still open). The pool reads its
    `_network_backend` whenever it opens a connection (HTTPProxy and SOCKSProxy too), so replacing it
    after construction is enough. Both attributes are private: if either is missing, the transport is
    left as it was (headers bounded per read only, as before) and
    tests/test_limits.py::test_httpcore_s_network_backends_are_wrapped fails.
    """
    return _wrap_backend(transport, httpcore.ConnectionPool, httpcore.NetworkBackend, _BoundedBackend)


def close_cancelled_handshakes(transport: httpx.AsyncBaseTransport) -> bool:
    """Put `_HandshakeClosingBackend` under httpx's own async transport (direct or proxied), as
    `bound_header_wait` does for sync; False if there is none to reach."""
    return _wrap_backend(
        transport, httpcore.AsyncConnectionPool, httpcore.AsyncNetworkBackend, _HandshakeClosingBackend
    )


def _wrap_backend(transport: object, pool_type: type, backend_type: type, wrapper: type) -> bool:
    pool = getattr(transport, "_pool", None)
    backend = getattr(pool, "_network_backend", None)
    if not isinstance(pool, pool_type) or not isinstance(backend, backend_type):
        return False
    if not isinstance(backend, wrapper):
        pool._network_backend = wrapper(backend)  # type: ignore[attr-defined]
    return True


class _HandshakeClosingStream(httpcore.AsyncNetworkStream):
    """httpcore's async socket stream, closed when its TLS handshake is cancelled.

    httpcore (1.0.9) closes the socket when the handshake fails with an `Exception`, but a
    cancellation is a `BaseException`: the header deadline's cancel scope (or the caller's own
    timeout) firing mid-handshake left the socket open until the garbage collector found it, a
    ResourceWarning each time and one file descriptor per timed-out attempt in between.
    """

    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._inner.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.AsyncNetworkStream:
        try:
            # Wrapped again: a tunnel through an https proxy starts TLS on the TLS stream.
            return _HandshakeClosingStream(await self._inner.start_tls(ssl_context, server_hostname, timeout))
        except BaseException:
            with anyio.CancelScope(shield=True):  # closing a socket that never spoke TLS sends nothing
                await self._inner.aclose()
            raise

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _HandshakeClosingBackend(httpcore.AsyncNetworkBackend):
    """httpcore's async network backend, its streams `_HandshakeClosingStream`s."""

    def __init__(self, inner: httpcore.AsyncNetworkBackend) -> None:
        self._inner = inner

    async def connect_tcp(self, host: str, port: int, *args: Any, **kwargs: Any) -> httpcore.AsyncNetworkStream:
        # The rest as httpcore passes it (timeout, local_address, socket_options): only the stream changes.
        return _HandshakeClosingStream(await self._inner.connect_tcp(host, port, *args, **kwargs))

    async def connect_unix_socket(self, path: str, *args: Any, **kwargs: Any) -> httpcore.AsyncNetworkStream:
        return _HandshakeClosingStream(await self._inner.connect_unix_socket(path, *args, **kwargs))

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class _GuardedStream(httpx.SyncByteStream):
    def __init__(self, inner: httpx.SyncByteStream, attempt: _Attempt, headers: httpx.Headers) -> None:
        self._inner, self._attempt, self._headers = inner, attempt, headers

    def __iter__(self) -> Iterator[bytes]:
        try:
            self._attempt.body_starts(self._headers)
        except BaseException:
            self._inner.close()
            raise
        for chunk in self._inner:
            try:
                self._attempt.check(chunk)
            except BaseException:
                self._inner.close()  # drop the connection: the rest of this body is never read
                raise
            yield chunk

    def close(self) -> None:
        self._inner.close()


class _AsyncGuardedStream(httpx.AsyncByteStream):
    def __init__(self, inner: httpx.AsyncByteStream, attempt: _Attempt, headers: httpx.Headers) -> None:
        self._inner, self._attempt, self._headers = inner, attempt, headers

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            self._attempt.body_starts(self._headers)
        except BaseException:
            await self._inner.aclose()
            raise
        async for chunk in self._inner:
            try:
                self._attempt.check(chunk)
            except BaseException:
                await self._inner.aclose()
                raise
            yield chunk

    async def aclose(self) -> None:
        await self._inner.aclose()


class LimitedTransport(httpx.BaseTransport):
    def __init__(self, inner: httpx.BaseTransport, limits: Limits, secret: Secret) -> None:
        self._inner, self._limits, self._secret = inner, limits, secret
        bound_header_wait(inner)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        attempt = _Attempt.start(request, self._limits, self._secret)
        awaiting = _AWAITING_HEADERS.set(attempt)
        try:
            response = self._inner.handle_request(request)
        finally:
            _AWAITING_HEADERS.reset(awaiting)
        assert isinstance(response.stream, httpx.SyncByteStream)
        response.stream = _GuardedStream(response.stream, attempt, response.headers)
        if (hint := attempt.retry_after_beyond_cap(response)) is not None:
            response.request = request
            response.read()
            raise attempt.give_up(response, hint)
        return response

    def close(self) -> None:
        self._inner.close()


class AsyncLimitedTransport(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport, limits: Limits, secret: Secret) -> None:
        self._inner, self._limits, self._secret = inner, limits, secret
        close_cancelled_handshakes(inner)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        attempt = _Attempt.start(request, self._limits, self._secret)
        # A cancel scope (asyncio or trio) bounds the whole wait for the headers at once; cancelled,
        # httpcore closes the half-read connection and the pool goes on without it.
        response: httpx.Response | None = None
        with anyio.move_on_after(attempt.left()):
            response = await self._inner.handle_async_request(request)
        if response is None:
            raise attempt.exceeded(_BEFORE_HEADERS)
        assert isinstance(response.stream, httpx.AsyncByteStream)
        response.stream = _AsyncGuardedStream(response.stream, attempt, response.headers)
        if (hint := attempt.retry_after_beyond_cap(response)) is not None:
            response.request = request
            await response.aread()
            raise attempt.give_up(response, hint)
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()
