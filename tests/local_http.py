"""What the suite's small stdlib HTTP servers share: a quiet handler that answers in one call,
running a server on a thread for the length of a `with` block, a server that drips its headers, and a
forwarder that trickles what a server answers."""

from __future__ import annotations

import contextlib
import json
import socket
import ssl
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TypeVar

S = TypeVar("S", bound=ThreadingHTTPServer)
EMPTY_PAGE = json.dumps({"items": [], "page": 1, "page_size": 100, "has_next": False, "has_previous": False}).encode()


class QuietHandler(BaseHTTPRequestHandler):
    def answer(
        self, status: int, body: bytes, content_type: str | None = "application/json", headers: Mapping[str, str] = {}
    ) -> None:
        self.send_response(status)
        for name, value in {**({"Content-Type": content_type} if content_type else {}), **headers}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Silent: each server records what the tests need."""


@contextmanager
def running(server: S) -> Iterator[S]:
    """Serve on a daemon thread until the block ends, then shut down and close."""
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class HeaderDrip(ThreadingHTTPServer):
    """Answers its first `drips` requests (any method) with a status line and then one header line every
    `interval` seconds, never ending the headers, so every client read brings something and per-read
    timeouts never trip; later requests get an empty listing page. `tls`: serve https with it.

    A drip gives up (closes the connection) after `longest` seconds, so a client that waits for it
    makes its test fail rather than hang the suite."""

    daemon_threads = True

    def __init__(
        self, drips: int, interval: float = 0.2, tls: ssl.SSLContext | None = None, longest: float = 10.0
    ) -> None:
        super().__init__(("127.0.0.1", 0), _DripHandler)
        if tls is not None:
            self.socket = tls.wrap_socket(self.socket, server_side=True)
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.server_address[1]}"
        self.drips, self.interval, self.longest = drips, interval, longest
        self.requests: list[str] = []  # "METHOD path" of each request, in order
        self.stopped = threading.Event()  # set when the test's block ends: every drip stops
        self._lock = threading.Lock()

    def take_drip(self, request: str) -> bool:
        with self._lock:
            self.requests.append(request)
            dripping, self.drips = self.drips > 0, max(self.drips - 1, 0)
        return dripping

    def server_close(self) -> None:
        self.stopped.set()
        super().server_close()


class _DripHandler(QuietHandler):
    protocol_version = "HTTP/1.1"
    server: HeaderDrip

    def do_GET(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if not self.server.take_drip(f"{self.command} {self.path}"):
            self.answer(200, EMPTY_PAGE)
            return
        self.close_connection = True
        try:
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            ends = time.monotonic() + self.server.longest
            while time.monotonic() < ends and not self.server.stopped.wait(self.server.interval):
                self.wfile.write(b"X-Drip: y\r\n")
                self.wfile.flush()
        except OSError:  # the client gave up and closed the connection
            pass

    do_POST = do_GET


class TrickleForwarder:
    """A TCP forwarder to `port` on 127.0.0.1 that passes what the client sends at once and what the
    server answers one byte every `interval` seconds: a TLS handshake through it brings something at
    every read, so only a deadline over the whole handshake ends it. It gives up after `longest`."""

    def __init__(self, port: int, interval: float = 0.02, longest: float = 15.0) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port, self._upstream_port = self._listener.getsockname()[1], port
        self.interval, self.longest = interval, longest
        self.stopped = threading.Event()

    def __enter__(self) -> TrickleForwarder:
        threading.Thread(target=self._serve, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        self._listener.close()

    def _serve(self) -> None:
        with contextlib.suppress(OSError):
            while not self.stopped.is_set():
                client, _ = self._listener.accept()
                threading.Thread(target=self._forward, args=(client,), daemon=True).start()

    def _forward(self, client: socket.socket) -> None:
        with client, socket.create_connection(("127.0.0.1", self._upstream_port)) as upstream:
            threading.Thread(target=self._pass_on, args=(client, upstream), daemon=True).start()
            ends = time.monotonic() + self.longest
            with contextlib.suppress(OSError):
                while (data := upstream.recv(65536)) and time.monotonic() < ends:
                    for byte in data:
                        if self.stopped.wait(self.interval) or time.monotonic() >= ends:
                            return
                        client.sendall(bytes([byte]))

    @staticmethod
    def _pass_on(source: socket.socket, target: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                target.sendall(data)
