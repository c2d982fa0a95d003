"""NotteClient and AsyncNotteClient: one configured generated client, retries, typed errors.

Requests are built by the generated endpoint modules (`_get_kwargs`) and parsed by them
(`_parse_response`); this module only sends them. Everything that does no I/O lives in
`_responses` and is shared by the sync and async clients.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
import weakref
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from types import ModuleType, TracebackType
from typing import Any, NoReturn, Self, SupportsIndex, TypedDict, TypeVar, Unpack

import httpx
from notte_api_client import AuthenticatedClient

from notte_ext._arguments import check_known, check_seconds
from notte_ext._defaults import MAX_WAIT
from notte_ext._limits import DEADLINE, AsyncLimitedTransport, LimitedTransport, Limits, default_max_response_bytes
from notte_ext._messages import Secret, redact, redact_urls, url_secrets
from notte_ext._proxies import AsyncProxyTransport, ProxyTransport, proxy_of, proxy_routes
from notte_ext._responses import Exchange, M, parse_success, reject_foreign_body, status_error
from notte_ext._retry import (
    NOT_SENT_ERRORS,
    RETRY_STATUSES,
    WRITE_METHODS,
    WRITE_RETRY_STATUSES,
    RetryPolicy,
    async_retry_transport,
    resolve_retry_policy,
    retry_transport,
)
from notte_ext._settings import Settings, is_loopback, resolve_settings
from notte_ext._tls import AsyncHTTPTransport, HTTPTransport
from notte_ext.errors import (
    APIConnectionError,
    APITimeoutError,
    ClientClosedError,
    ClientLoopError,
    ConfigurationError,
    InvalidArgumentError,
    NotteError,
)
from notte_ext.functions import AsyncFunctions, Functions

log = logging.getLogger("notte_ext")
# Why a write that may have reached the API failed without a retry (a read would have been retried).
NOT_RETRIED = "the API may have processed it: not retried, so that it can't happen twice"
T = TypeVar("T")
MAX_REDIRECTS = 5  # a streamed request's hops (runs/start: one, to the runner)
# What sending a request can raise from httpx: its transport errors, and InvalidURL (not one of them)
# for a URL it won't build, e.g. a query value past its 64 KiB limit.
REQUEST_ERRORS = (httpx.HTTPError, httpx.InvalidURL)


class ClientOptions(TypedDict, total=False):
    """Keyword options of NotteClient and AsyncNotteClient.

    base_url: default NOTTE_API_URL, else https://api.notte.cc. timeout: seconds for one attempt,
    connect + headers + whole body (default 30). max_response_bytes: the largest decoded body accepted
    (default: 256 KiB per run of the largest page the spec allows, 25 MiB). max_retries: default 3,
    or pass a full `retry` policy (not both). headers: extra headers. allow_insecure_http: permit
    plain http to a non-loopback host (the key would travel in clear). proxy: send every request
    through this proxy (`http://[user:password@]host:port`; https goes through a CONNECT tunnel).
    trust_env: follow HTTP_PROXY/HTTPS_PROXY/ALL_PROXY/NO_PROXY and SSL_CERT_FILE/SSL_CERT_DIR as
    httpx does (default True).
    """

    base_url: str | None
    timeout: float | None
    max_response_bytes: int | None
    max_retries: int | None
    retry: RetryPolicy | None
    headers: Mapping[str, str] | None
    allow_insecure_http: bool
    proxy: str | None
    trust_env: bool


def same_origin(url: httpx.URL, other: httpx.URL) -> bool:
    """Scheme, host and port alike (a default port is None in both: httpx leaves it out)."""
    return (url.scheme, url.host, url.port) == (other.scheme, other.host, other.port)


class _BaseClient:
    _settings: Settings

    def __init__(self, api_key: str | None, transport: object, options: ClientOptions) -> None:
        check_known(options, ClientOptions.__optional_keys__, error=ConfigurationError)
        self._settings = resolve_settings(
            api_key,
            options.get("base_url"),
            timeout=options.get("timeout"),
            headers=options.get("headers"),
            allow_insecure_http=options.get("allow_insecure_http", False),
            proxy=options.get("proxy"),
            trust_env=options.get("trust_env", True),
        )
        self._proxies = self._proxy_routes(transport)
        # What no message may show, even echoed back by a server or a proxy: the key, and the
        # credentials of the proxies in use (their user, password and Basic token).
        proxies = filter(None, self._proxies.values())
        self._secret = (self._settings.api_key, *(part for proxy in proxies for part in url_secrets(proxy)))
        self._retry = resolve_retry_policy(options.get("retry"), options.get("max_retries"))
        max_bytes = options.get("max_response_bytes")
        self._limits = Limits(
            timeout=self._settings.timeout,
            max_response_bytes=default_max_response_bytes() if max_bytes is None else max_bytes,
            max_wait=self._retry.max_wait,
        )
        self._api = AuthenticatedClient(
            base_url=self._settings.base_url, token=self._settings.api_key, raise_on_unexpected_status=False
        )

    @property
    def api(self) -> AuthenticatedClient:
        """The configured generated client, for operations notte_ext does not wrap yet."""
        return self._api

    @property
    def base_url(self) -> str:
        return self._settings.base_url

    @property
    def secrets(self) -> Secret:
        """What no message built from a response may show: the key, a proxy's credentials."""
        return self._secret

    def _proxy_routes(self, transport: object) -> dict[str, str | None]:
        """URL pattern -> proxy URL, or None to go direct (NO_PROXY). A transport of one's own (tests) is
        never bypassed by environment proxies, as in httpx; an explicit proxy with it is a contradiction."""
        if transport is None:
            return proxy_routes(self._settings.proxy, trust_env=self._settings.trust_env)
        if self._settings.proxy is not None:
            raise ConfigurationError("pass transport=... or proxy=..., not both: a transport replaces the network")
        return {}

    def _httpx_options(
        self,
        transport: T | None,
        layered: Callable[[T], T],
        direct: Callable[..., T],
        proxied: Callable[..., T],
        on_request: Callable[[httpx.Request], Any],
    ) -> dict[str, Any]:
        """The httpx client's options. Its transports: `transport` (else a `direct` one) and a `proxied`
        one mounted per proxy route (NO_PROXY routes mount None: direct), every one `layered` under the
        same retries, deadline and size limit. `on_request` sees each request, each redirect's too."""
        trust_env = self._settings.trust_env
        mounts = {
            pattern: None if proxy is None else layered(proxied(proxy, trust_env=trust_env))
            for pattern, proxy in self._proxies.items()
        }
        return {
            "transport": layered(transport or direct(trust_env=trust_env)),
            "mounts": mounts,
            "base_url": self._settings.base_url,
            "headers": self._settings.default_headers,
            "timeout": httpx.Timeout(self._settings.timeout),
            # httpx drops the Authorization header when a redirect leaves the origin; `on_request`, the
            # extra headers (`_keep_headers_at_home`).
            "follow_redirects": True,
            "event_hooks": {"request": [on_request]},
            "trust_env": self._settings.trust_env,
        }

    def _keep_headers_at_home(self, request: httpx.Request) -> None:
        """Send the extra `headers=` (a gateway's key, a tenant's token...) to the API's origin only: httpx
        drops just Authorization when a redirect leaves it, and sent everything else on to the new host."""
        if self._settings.headers and not same_origin(request.url, httpx.URL(self.base_url)):
            for name in self._settings.headers:
                request.headers.pop(name, None)

    def result(self, exchange: Exchange, expected: type[M]) -> M:
        """The typed model of an exchange's 2xx body, checked against the spec; else the typed error."""
        endpoint, response = exchange.endpoint, exchange.response
        log.debug(
            "%s %s -> %s in %.0f ms",
            response.request.method,
            response.request.url.path,
            response.status_code,
            (time.perf_counter() - exchange.started) * 1000,
        )
        # httpx binds a response and its stream to each other: without this, every body (~300 KB
        # for a page of runs with logs and variables) waits for the cyclic garbage collector, and
        # a long listing held ~30 of them. The body is read and the stream closed: let it go.
        response.stream = httpx.ByteStream(b"")
        if response.is_success:
            reject_foreign_body(endpoint, response, self._secret)
            return parse_success(endpoint, response, expected, self._secret)
        raise self._failure(response)

    def _failure(self, response: httpx.Response) -> NotteError:
        """The typed error of a non-2xx answer; a write's 502/503/504, which a read would have retried, says
        why it wasn't, as a write's dropped connection does."""
        method = response.request.method.upper()
        retried_if_read = response.status_code in RETRY_STATUSES - WRITE_RETRY_STATUSES
        note = NOT_RETRIED if method in WRITE_METHODS and retried_if_read else None
        return status_error(response, self._secret, note=note)

    def _connection_error(
        self, exc: httpx.HTTPError | httpx.InvalidURL, request: dict[str, Any], deadline: float | None = None
    ) -> NotteError:
        """The typed error of a failed exchange; `deadline`: the request's own (a stream's), if it had one."""
        what = f"{request['method'].upper()} {request['url']:.200}"
        reason = redact_urls(redact(str(exc) or type(exc).__name__, self._secret))
        if isinstance(exc, httpx.InvalidURL):
            return InvalidArgumentError(f"{what} not sent: {reason}")
        proxy = proxy_of(exc)
        via = f" through the proxy {proxy}" if proxy else ""
        log.debug("%s failed%s: %s", what, via, reason)
        retried = request["method"].upper() not in WRITE_METHODS or isinstance(exc, NOT_SENT_ERRORS)
        if not retried:
            reason += f"; {NOT_RETRIED}"
        if isinstance(exc, httpx.TimeoutException):
            limit = (
                f"timeout={self._settings.timeout:g} s (connect + headers + whole body, per attempt)"
                if deadline is None
                else f"its {deadline:g} s deadline (the whole streamed answer)"
            )
            retries = f", {self._retry.max_retries} retries allowed" if retried else ""
            kind = type(exc).__name__
            return APITimeoutError(
                f"{what} timed out{via}: no complete response within {limit}{retries}; {kind}: {reason}"
            )
        return APIConnectionError(f"{what} could not complete against {self.base_url}{via}: {reason}")

    @staticmethod
    def _closed_error(request: dict[str, Any]) -> ClientClosedError:
        return ClientClosedError(f"{request['method'].upper()} {request['url']} not sent: the client is closed")

    def _streamed_request(
        self, http: httpx.Client | httpx.AsyncClient, request: dict[str, Any], deadline: float | None
    ) -> httpx.Request:
        """The request of a generated endpoint's kwargs, with its own deadline for a long streamed answer."""
        check_seconds("timeout", deadline, most=MAX_WAIT, allow_none=True)  # nan or inf: no deadline at all
        built = http.build_request(**request)
        if deadline is not None:
            built.extensions[DEADLINE] = deadline
        return built

    def _next_hop(self, response: httpx.Response, hops: int) -> httpx.Request | None:
        """Where a streamed request's redirect leads, checked (None: not a redirect). The request may
        carry the key in another header than Authorization (runs/start's x-notte-api-key, for the
        runner on another origin): it goes on over https, or to this machine, never in clear elsewhere."""
        target = response.next_request
        if target is None:
            return None
        if hops >= MAX_REDIRECTS:
            raise APIConnectionError(
                f"{response.request.method} {response.request.url.path}: more than {MAX_REDIRECTS} redirects"
            )
        at_home = same_origin(target.url, httpx.URL(self.base_url))
        if target.url.scheme != "https" and not at_home and not is_loopback(target.url.host):
            raise APIConnectionError(
                f"{response.request.method} {response.request.url.path}: refused a redirect to plain http "
                f"on {target.url.host}: the request carries the API key"
            )
        return target

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r}, timeout={self._settings.timeout!r})"

    # A copy shared the connection pool: closing either closed both, and the other then failed with
    # httpx's bare RuntimeError. A pickle, if it could be made, would hold the key.
    def __copy__(self) -> NoReturn:
        raise self._not_copied("copied")

    def __deepcopy__(self, memo: object) -> NoReturn:
        raise self._not_copied("copied")

    def __reduce_ex__(self, protocol: SupportsIndex) -> NoReturn:
        raise self._not_copied("pickled")

    def _not_copied(self, what: str) -> TypeError:
        name = type(self).__name__
        return TypeError(f"this {name} can't be {what}: it owns its connections (and the key); create another {name}")


class NotteClient(_BaseClient):
    """The synchronous client. Use it as a context manager, or call `close()`.

    >>> with NotteClient() as client:                      # key from NOTTE_API_KEY
    ...     for run in client.functions.list_runs("fn-id"):
    ...         print(run.function_run_id, run.status)
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        **options: Unpack[ClientOptions],
    ) -> None:
        """`api_key` defaults to NOTTE_API_KEY; `transport` replaces the network (tests); see ClientOptions."""
        super().__init__(api_key, transport, options)

        def layered(inner: httpx.BaseTransport) -> httpx.BaseTransport:
            return retry_transport(self._retry, LimitedTransport(inner, self._limits, self._secret))

        self._http = httpx.Client(
            **self._httpx_options(transport, layered, HTTPTransport, ProxyTransport, self._keep_headers_at_home)
        )
        self._api.set_httpx_client(self._http)
        self.functions = Functions(self)
        self._state = threading.Lock()
        self._in_flight = 0
        self._closing = False

    def send(self, endpoint: ModuleType, expected: type[M], *args: Any, **kwargs: Any) -> M:
        """Call a generated endpoint module with retries, typed errors and spec validation."""
        return self.result(self.exchange(endpoint, *args, **kwargs), expected)

    def exchange(self, endpoint: ModuleType, *args: Any, **kwargs: Any) -> Exchange:
        """Send a generated endpoint's request (retries included) and read the whole response,
        without parsing it (`result` does): page-ahead threads wait for responses, and the
        thread that reads the pages parses them, so the threads don't contend for the GIL."""
        request = endpoint._get_kwargs(*args, **kwargs)
        with self._state:
            if self._closing:
                raise self._closed_error(request)
            self._in_flight += 1
        started = time.perf_counter()
        try:
            response = self._http.request(**request)
        except REQUEST_ERRORS as exc:
            raise self._connection_error(exc, request) from exc
        finally:
            self._left()
        return Exchange(endpoint, response, started)

    @contextmanager
    def stream(
        self, endpoint: ModuleType, *args: Any, deadline: float | None = None, **kwargs: Any
    ) -> Iterator[httpx.Response]:
        """Send a generated endpoint's request and hand over its 2xx response unread (a streamed body,
        read within `deadline` seconds, default the client's timeout); a typed error otherwise.
        Closed when the block ends, read or not."""
        request = endpoint._get_kwargs(*args, **kwargs)
        with self._state:
            if self._closing:
                raise self._closed_error(request)
            self._in_flight += 1
        try:
            try:
                response = self._http.send(
                    self._streamed_request(self._http, request, deadline), stream=True, follow_redirects=False
                )
                hops = 0
                while (hop := self._next_hop(response, hops)) is not None:
                    response.close()
                    response, hops = self._http.send(hop, stream=True, follow_redirects=False), hops + 1
            except REQUEST_ERRORS as exc:
                raise self._connection_error(exc, request, deadline) from exc
            try:
                if not response.is_success:
                    response.read()
                    raise self._failure(response)  # its body, bounded by the limits, was read
                yield response
            except REQUEST_ERRORS as exc:
                raise self._connection_error(exc, request, deadline) from exc
            finally:
                response.close()
        finally:
            self._left()

    def close(self) -> None:
        """No more requests; the connections close now, or once the requests still on the wire in
        other threads are answered (e.g. pages a listing asked for ahead): closing them under a
        request in flight would break it mid-read, and waiting would make every listing's end wait."""
        with self._state:
            self._closing = True
            idle = not self._in_flight
        if idle:
            self._http.close()

    def _left(self) -> None:
        """A request ended: the last one out after close() closes the connections."""
        with self._state:
            self._in_flight -= 1
            last = self._closing and not self._in_flight
        if last:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncNotteClient(_BaseClient):
    """The asyncio client: the same surface as NotteClient, awaited."""

    def __init__(
        self,
        api_key: str | None = None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        **options: Unpack[ClientOptions],
    ) -> None:
        """`api_key` defaults to NOTTE_API_KEY; `transport` replaces the network (tests); see ClientOptions."""
        super().__init__(api_key, transport, options)

        def layered(inner: httpx.AsyncBaseTransport) -> httpx.AsyncBaseTransport:
            return async_retry_transport(self._retry, AsyncLimitedTransport(inner, self._limits, self._secret))

        async def on_request(request: httpx.Request) -> None:  # an async client's hooks are awaited
            self._keep_headers_at_home(request)

        self._http = httpx.AsyncClient(
            **self._httpx_options(transport, layered, AsyncHTTPTransport, AsyncProxyTransport, on_request)
        )
        self._api.set_async_httpx_client(self._http)
        self.functions = AsyncFunctions(self)
        # The asyncio loop of the first request: the pooled connections belong to it (weakly held: a
        # client must not keep a finished loop alive). `_closed`: aclose() without httpx's own close,
        # whose connections went with their loop.
        self._loop: weakref.ref[asyncio.AbstractEventLoop] | None = None
        self._closed = False

    def _check_usable(self, request: dict[str, Any]) -> None:
        """Before anything is sent: a closed client, or one used in another event loop than its
        connections', is a typed error rather than httpx's `RuntimeError: Event loop is closed`."""
        if self._closed or self._http.is_closed:
            raise self._closed_error(request)
        loop = _running_asyncio_loop()
        if loop is None:
            return  # not asyncio (trio, through anyio): httpx's own rules apply
        if self._loop is None:
            self._loop = weakref.ref(loop)
        elif self._loop() is not loop:
            raise ClientLoopError(
                f"{request['method'].upper()} {request['url']} not sent: this AsyncNotteClient was first used in "
                "another event loop, which its connections belong to (each asyncio.run is a new loop); "
                "create the client inside the loop that uses it"
            )

    async def send(self, endpoint: ModuleType, expected: type[M], *args: Any, **kwargs: Any) -> M:
        """Call a generated endpoint module with retries, typed errors and spec validation."""
        return self.result(await self.exchange(endpoint, *args, **kwargs), expected)

    async def exchange(self, endpoint: ModuleType, *args: Any, **kwargs: Any) -> Exchange:
        """Send a generated endpoint's request (retries included) and read the whole response,
        without parsing it (`result` does)."""
        request = endpoint._get_kwargs(*args, **kwargs)
        self._check_usable(request)
        started = time.perf_counter()
        try:
            response = await self._http.request(**request)
        except REQUEST_ERRORS as exc:
            raise self._connection_error(exc, request) from exc
        return Exchange(endpoint, response, started)

    @asynccontextmanager
    async def stream(
        self, endpoint: ModuleType, *args: Any, deadline: float | None = None, **kwargs: Any
    ) -> AsyncIterator[httpx.Response]:
        """Like `NotteClient.stream`, awaited: `async with client.stream(...) as response`."""
        request = endpoint._get_kwargs(*args, **kwargs)
        self._check_usable(request)
        try:
            response = await self._http.send(
                self._streamed_request(self._http, request, deadline), stream=True, follow_redirects=False
            )
            hops = 0
            while (hop := self._next_hop(response, hops)) is not None:
                await response.aclose()
                response, hops = await self._http.send(hop, stream=True, follow_redirects=False), hops + 1
        except REQUEST_ERRORS as exc:
            raise self._connection_error(exc, request, deadline) from exc
        try:
            if not response.is_success:
                await response.aread()
                raise self._failure(response)  # its body, bounded by the limits, was read
            yield response
        except REQUEST_ERRORS as exc:
            raise self._connection_error(exc, request, deadline) from exc
        finally:
            await response.aclose()

    async def aclose(self) -> None:
        """Close the connections. In another event loop than theirs: if that loop is closed they went
        with it (asyncio frees their sockets), so the client is only marked closed; if it still runs,
        a `ClientLoopError` (close it there)."""
        bound = None if self._loop is None else self._loop()
        elsewhere = self._loop is not None and bound is not _running_asyncio_loop()
        if elsewhere and bound is not None and not bound.is_closed():
            raise ClientLoopError(
                "AsyncNotteClient.aclose() in another event loop than the one its connections belong to, "
                "which is still open: close it there"
            )
        self._closed = True
        if not elsewhere:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()


def _running_asyncio_loop() -> asyncio.AbstractEventLoop | None:
    """The running asyncio loop; None under another async library (trio, through anyio)."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None
