"""``NotteTestServer``: a real HTTP server on 127.0.0.1 that behaves like the Notte API::

with NotteTestServer() as server:
    server.add_function("fn-1", runs=250)
    server.faults.add(Status(503, retry_after=1), match=Match(page=2))
    client = server.client()                 # the generated AuthenticatedClient
    ...
    assert server.requests[1].status == 503
"""

from __future__ import annotations

import contextlib
import re
import socket
import struct
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

from notte_ext.testing import api
from notte_ext.testing.data import SAMPLE_DAYS, generate_runs, make_function, make_run, sample_clock
from notte_ext.testing.exchange import IncomingRequest, Reply
from notte_ext.testing.faults import Effect, FaultPlan
from notte_ext.testing.function_store import FunctionStore
from notte_ext.testing.operation import RunsOperation, SpecSource
from notte_ext.testing.ordering import RunOrder
from notte_ext.testing.request_log import RecordedRequest, RequestLog
from notte_ext.testing.routes import Routes
from notte_ext.testing.state import ApiState, RunPlan
from notte_ext.testing.store import RunStore
from notte_ext.testing.validation import DOCUMENTED_STATUSES, load_validators, spec_violations

if TYPE_CHECKING:
    from notte_api_client import AuthenticatedClient

__all__ = ["DEFAULT_API_KEY", "NotteTestServer"]

#: Not a secret: the key the local server accepts unless told otherwise.
DEFAULT_API_KEY = "sk-notte-local-test-key"
#: The workflow file of a function added with ``add_function`` (what its download link serves).
SAMPLE_WORKFLOW = b"def run(url: str) -> str:\n    return f'visited {url}'\n"
#: The largest request body read (an uploaded workflow file included); a larger one gets 413.
MAX_REQUEST_BYTES = 16 * 1024 * 1024


@dataclass
class _Context:
    """The ``FaultContext`` effects see for one request."""

    server: NotteTestServer
    request: IncomingRequest
    query: api.ListQuery | None

    @property
    def token(self) -> str:
        return api.bearer_token(self.request) or self.server.api_key

    def insert_runs(self, count: int, status: str) -> None:
        if self.request.function_id is not None:
            self.server.store.add_newest(self.request.function_id, count, self.token, status)

    def last_page(self) -> dict[str, Any] | None:
        if self.query is None or self.request.function_id is None:
            return None
        runs = api.matching_runs(self.server.store, self.request.function_id, self.query, self.token)
        if runs is None:
            return None
        return api.page_of(runs, self.query.on_page(api.last_page_number(runs, self.query.page_size)))


# A request body's framing: ASCII digits only (int() would take "-5", "+5", "5_0" or other scripts'
# digits), a chunk's size in hex with optional extensions, lines and trailers bounded as http.server
# bounds headers.
_DIGITS = re.compile(r"[0-9]+")
_CHUNK_SIZE = re.compile(rb"([0-9A-Fa-f]{1,16})[ \t]*(?:;.*)?", re.DOTALL)
_MAX_LINE_BYTES = 65536
_MAX_TRAILER_LINES = 100


def acceptable_key(key: object) -> str:
    """A key a client can present: a bearer token is printable ASCII (what a header carries, and all
    notte_ext's client sends), without space around it (the server strips the token it reads). Any
    other key would make a server that answers every request 401."""
    if not isinstance(key, str):
        raise TypeError(f"api_key must be a string, got {type(key).__name__}")
    if not key.strip():
        raise ValueError("the API key is empty: no request could present it")
    bad = next((index for index, char in enumerate(key) if not " " <= char <= "~"), None)
    if bad is not None:
        what = "a line break" if key[bad] in "\r\n" else f"U+{ord(key[bad]):04X}"
        raise ValueError(f"the API key has {what} at position {bad}: a bearer token is printable ASCII")
    if key != key.strip():
        raise ValueError("the API key has spaces around it: no request could present it")
    return key


def _bad_request(why: str) -> Reply:
    return Reply(400, {"detail": f"Invalid HTTP request: {why}"})


def _too_large() -> Reply:
    return Reply(413, {"detail": f"Request body larger than {MAX_REQUEST_BYTES} bytes"})


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like the real API behind its load balancer
    # Headers and body go out in separate writes: with Nagle on, each keep-alive response
    # stalls ~40 ms on the client's delayed ACK.
    disable_nagle_algorithm = True
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        self.server.connections.add(self.connection)

    def finish(self) -> None:
        self.server.connections.discard(self.connection)
        with contextlib.suppress(OSError):  # the connection may have been deliberately reset
            super().finish()

    def _any_method(self) -> None:
        body = self._body()
        if isinstance(body, Reply):
            self.close_connection = True  # the rest of the body is never read: this connection is done
            self.send(body)
            return
        self.server.owner.dispatch(self, body)

    def _body(self) -> bytes | Reply:
        """The whole body, read as RFC 9112 frames it (the next request on this keep-alive connection
        starts after it): chunked, else one Content-Length of digits; else a 400, as uvicorn answers
        (a client that streams its body sends it chunked: it is not a missing body)."""
        if self.headers.get("Transfer-Encoding", "").strip().lower() == "chunked":
            return self._chunked_body()
        lengths = {value.strip() for value in self.headers.get_all("Content-Length") or []}
        if not lengths:
            return b""
        length = lengths.pop()
        if lengths or not _DIGITS.fullmatch(length):
            return _bad_request("the Content-Length is not one number")
        if int(length) > MAX_REQUEST_BYTES:
            return _too_large()
        return self.rfile.read(int(length))

    def _chunked_body(self) -> bytes | Reply:
        body = bytearray()
        while True:
            size = _CHUNK_SIZE.fullmatch(self.rfile.readline(_MAX_LINE_BYTES).rstrip(b"\r\n"))
            if size is None:
                return _bad_request("a chunk's size line is not hexadecimal")
            length = int(size[1], 16)
            if length == 0:
                break
            if len(body) + length > MAX_REQUEST_BYTES:
                return _too_large()
            body += self.rfile.read(length)
            if self.rfile.read(2) != b"\r\n":
                return _bad_request("a chunk is not the size its line says")
        for _ in range(_MAX_TRAILER_LINES):  # trailer fields until the empty line: read, ignored
            if self.rfile.readline(_MAX_LINE_BYTES) in (b"\r\n", b"\n", b""):
                return bytes(body)
        return _bad_request("too many trailer fields")

    def __getattr__(self, name: str) -> Callable[[], None]:
        # http.server calls do_<METHOD> and answers 501 with an HTML page when it is missing. Every
        # method goes to the API instead, as behind a real server: 405 with Allow, HEAD as GET.
        if name.startswith("do_"):
            return self._any_method
        raise AttributeError(name)

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: ``server.requests`` is the log."""

    def send(self, reply: Reply) -> None:
        if reply.delay:
            time.sleep(reply.delay)
        if reply.silent:
            self._reset()
            return
        payload = reply.payload()
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        if reply.stream is not None and reply.stream_length is None:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(len(payload) if reply.stream is None else reply.stream_length))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command == "HEAD":  # GET's headers (Content-Length included), no body
            return
        if reply.stream is not None:
            self._write_stream(reply.stream(payload), chunked=reply.stream_length is None)
            return
        self.wfile.write(payload if reply.send_body_bytes is None else payload[: reply.send_body_bytes])
        if reply.send_body_bytes is not None:
            self.close_connection = True  # the framing is broken: this connection is done
            if reply.reset:
                self._reset()

    def _write_stream(self, pieces: Iterator[bytes], *, chunked: bool) -> None:
        """One write per piece (a trickle stays a trickle); stops when the client hangs up."""
        for piece in pieces:
            if not piece:  # an empty chunk would end a chunked body
                continue
            self.wfile.write(b"%x\r\n%b\r\n" % (len(piece), piece) if chunked else piece)
        if chunked:
            self.wfile.write(b"0\r\n\r\n")

    def _reset(self) -> None:
        """Close with a TCP reset (SO_LINGER 0), as a crashed proxy or server does."""
        self.close_connection = True
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, owner: NotteTestServer, address: tuple[str, int]) -> None:
        self.owner = owner
        self.connections: set[socket.socket] = set()
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up mid-response (a cancelled prefetch, a timeout) is normal traffic.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class NotteTestServer:
    """A spec-faithful local Notte API (every operation of the functions tag) with fault injection.

    Args:
        api_key: the bearer key it accepts (``add_api_key`` accepts more).
        host, port: where to listen; port 0 (default) picks a free port.
        validate_responses: check every 200/422 body it generates against openapi.json before
            faults apply; violations are collected in ``violations`` (the pytest fixture fails on them).
        spec: the OpenAPI document to follow (a path or the parsed JSON; default: the vendored
            openapi.json): its operations, query parameters, bodies, run fields, statuses and
            response schemas.
        run_plan: how started runs behave (``RunPlan``: how long they run, how they end).
        order: the order the runs listing serves (``RunOrder``: newest first, as the API, by default;
            oldest first, shuffled or with one run misplaced, seeded); settable later as ``order``.

    Use it as a context manager, or ``start()``/``stop()``. Thread-safe throughout.
    """

    def __init__(
        self,
        api_key: str = DEFAULT_API_KEY,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        validate_responses: bool = True,
        spec: SpecSource = None,
        run_plan: RunPlan | None = None,
        order: RunOrder | None = None,
    ) -> None:
        self.api_key = acceptable_key(api_key)
        self.spec = RunsOperation.load(spec)
        self.validate_responses = validate_responses
        self.store = RunStore()
        self.functions = FunctionStore()
        self.run_plan = run_plan or RunPlan()
        #: runs/start redirects to the run's runner, as the API does; False answers from runs/start itself.
        self.start_redirects = True
        self.order = order or RunOrder()
        self.faults = FaultPlan()
        self._routes = Routes(self.spec)
        self.violations: list[str] = []
        self._api_keys = {api_key}
        self._log = RequestLog()
        self._lock = threading.Lock()
        self._address = (host, port)
        self._http: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self) -> NotteTestServer:
        if self._http is not None:
            raise RuntimeError("the server is already running")
        if self.validate_responses:
            load_validators(self.spec)
        self._http = _HTTPServer(self, self._address)
        self._thread = threading.Thread(
            target=self._http.serve_forever, args=(0.05,), name="notte-test-server", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        http, thread = self._http, self._thread
        if http is None or thread is None:
            return
        http.shutdown()
        for connection in list(http.connections):  # idle keep-alive connections would block their threads
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        http.server_close()
        thread.join()
        self._http = self._thread = None

    def __enter__(self) -> NotteTestServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._http is None:
            raise RuntimeError("the server is not running")
        return int(self._http.server_address[1])

    @property
    def url(self) -> str:
        """The base URL, e.g. ``http://127.0.0.1:54321`` (no trailing slash)."""
        return f"http://{self._address[0]}:{self.port}"

    def client(self, **kwargs: Any) -> AuthenticatedClient:
        """A generated ``AuthenticatedClient`` pointed at this server with its key."""
        from notte_api_client import AuthenticatedClient

        return AuthenticatedClient(base_url=self.url, token=self.api_key, **kwargs)

    # -- data ----------------------------------------------------------------------------------

    def add_api_key(self, key: str) -> None:
        """Accept another key too (for ``only_current_token``)."""
        key = acceptable_key(key)
        with self._lock:
            self._api_keys.add(key)

    def _keys(self) -> frozenset[str]:
        with self._lock:
            return frozenset(self._api_keys)

    def add_function(
        self,
        function_id: str,
        runs: int = 0,
        *,
        seed: int = 0,
        token: str | None = None,
        now: datetime | None = None,
    ) -> None:
        """Register a function with ``runs`` deterministic generated runs (see ``generate_runs``),
        the newest at ``now``'s minute (default: the current one). The function itself is listed
        (``GET /functions``) with one version, ``SAMPLE_WORKFLOW``, unless it exists already."""
        if self.functions.get(function_id) is None:
            created = sample_clock(now) - timedelta(days=SAMPLE_DAYS + 1)  # before its oldest sample run
            record = make_function(function_id, name=function_id, created_at=created, spec=self.spec)
            self.functions.add(record, token or self.api_key, {str(record["latest_version"]): SAMPLE_WORKFLOW})
        self.store.add_function(function_id)
        generated = generate_runs(function_id, runs, seed=seed, now=now, spec=self.spec)
        self.store.add(function_id, generated, token or self.api_key)

    def add_run(
        self,
        function_id: str,
        *,
        token: str | None = None,
        finishes_after: float | None = None,
        final_status: str = "closed",
        **fields: Any,
    ) -> dict[str, Any]:
        """Add one run built by ``make_run(function_id, spec=self.spec, **fields)``; returns it as stored.

        ``finishes_after``: seconds (of ``store.clock``) after which the run's status becomes
        ``final_status``, as a real run finishes; it starts ``active`` unless ``status`` says otherwise.
        """
        if finishes_after is not None:
            fields.setdefault("status", "active")
        (run,) = self.store.add(function_id, [make_run(function_id, spec=self.spec, **fields)], token or self.api_key)
        if finishes_after is not None:
            self.store.schedule(function_id, run["function_run_id"], final_status, finishes_after)
        return run

    def update_run(self, function_id: str, run_id: str, *, status: str) -> dict[str, Any]:
        """Change a stored run's status now (``updated_at`` follows); returns the run as stored."""
        return self.store.update(function_id, run_id, status)

    def add_runs(
        self, function_id: str, runs: Iterable[Mapping[str, Any]], *, token: str | None = None
    ) -> list[dict[str, Any]]:
        """Add runs given as ``make_run`` keyword dicts (missing fields get its defaults), or full run dicts.

        ``token``: the API key that "created" them (default: the server's key).
        """
        built = []
        for fields in runs:
            own = dict(fields)
            if own.pop("function_id", function_id) != function_id:
                raise ValueError(f"run {fields!r} belongs to another function than {function_id!r}")
            built.append(make_run(function_id, spec=self.spec, **own))
        return self.store.add(function_id, built, token or self.api_key)

    # -- observation ---------------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request so far, oldest first (a snapshot)."""
        return self._log.snapshot()

    def clear(self) -> None:
        """Forget the request log and recorded violations (data and faults stay); a request in flight
        now, answered later, is not logged."""
        self._log.clear()
        self.violations.clear()

    def reset(self) -> None:
        """Back to empty: no data, no faults, no log, only the primary key."""
        self.clear()
        self.faults.clear()
        self.store.clear()
        self.functions.clear()
        with self._lock:
            self._api_keys = {self.api_key}

    # -- serving -------------------------------------------------------------------------------

    def dispatch(self, handler: _Handler, body: bytes = b"") -> None:
        epoch, arrived = self._log.epoch, time.monotonic()
        request = IncomingRequest.parse(
            handler.command, handler.path, dict(handler.headers.items()), body, self._routes
        )
        effects: tuple[Effect, ...] = self.faults.pick(request)
        if any(getattr(effect, "answers_instead", False) for effect in effects):
            # Answered before the API saw the request (a 429, a gateway's 503, a proxy's page): nothing
            # was processed, so nothing changed, which is what makes retrying a write safe.
            reply, query = Reply(200, {}), None
        else:
            reply, query = api.handle(request, self._state())
            if self.validate_responses and reply.status in DOCUMENTED_STATUSES:
                self._check(reply, request)
        context = _Context(self, request, query)
        for effect in effects:
            effect.apply(reply, context)
        self._log.append(RecordedRequest.of(request, None if reply.silent else reply.status, effects, arrived), epoch)
        handler.send(reply)

    def _state(self) -> ApiState:
        return ApiState(
            self.store, self.functions, self._keys, self.spec, self.run_plan, self.url, self.start_redirects, self.order
        )

    def _check(self, reply: Reply, request: IncomingRequest) -> None:
        """Check a JSON body the served document describes for this operation and status."""
        operation = self.spec.of(request.operation_id) if request.operation_id else None
        responses = operation.operation.get("responses", {}) if operation else {}
        documented = responses.get(str(reply.status), {}).get("content", {}).get("application/json", {})
        if operation is None or "schema" not in documented or reply.content_type != "application/json":
            return
        found = spec_violations(reply.body, reply.status, spec=self.spec, operation_id=operation.operation_id)
        if found:
            with self._lock:
                self.violations.extend(f"{operation.operation_id}: {violation}" for violation in found)
