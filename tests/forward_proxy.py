"""A small forward proxy on 127.0.0.1 for the proxy tests, recording what it saw.

* absolute-form requests (`GET http://127.0.0.1:8000/functions/fn/runs HTTP/1.1`, what a client
  sends a proxy for a plain-http URL) are forwarded to their origin and the answer relayed;
* `CONNECT host:port` opens a tunnel and pipes bytes both ways without reading them (https): the
  proxy sees the bytes the client sent through it, which is how a test proves the key never
  reached the proxy in clear;
* with `credentials`, it answers 407 unless Proxy-Authorization carries them (Basic);
* with `tls`, it is an https:// proxy (TLS between the client and the proxy itself);
* with `echo_status`, it answers every plain-http request itself with that status and a JSON body
  quoting the request line and its Proxy-Authorization header, as a careless proxy might.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import json
import selectors
import socket
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from tests.local_http import QuietHandler, running

# Headers that concern one hop only: never forwarded (RFC 9110 section 7.6.1).
_HOP_BY_HOP = {"connection", "keep-alive", "proxy-authorization", "proxy-connection", "te", "trailer", "upgrade"}


@dataclass(frozen=True)
class Seen:
    method: str
    target: str  # the absolute URL, or host:port for CONNECT
    headers: dict[str, str]  # lower-case names, as received (this is a test double: nothing is redacted)


class _Handler(QuietHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def _admitted(self) -> bool:
        self.server.owner.record(Seen(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}))
        expected = self.server.owner.credentials
        if expected is None:
            return True
        token = base64.b64encode(f"{expected[0]}:{expected[1]}".encode()).decode()
        if self.headers.get("Proxy-Authorization") == f"Basic {token}":
            return True
        self.answer(407, b"proxy authentication required", "text/plain", {"Proxy-Authenticate": 'Basic realm="test"'})
        return False

    def _forward(self) -> None:
        if not self._admitted():
            return
        if (status := self.server.owner.echo_status) is not None:  # a careless proxy's own error page
            echo = f"{self.command} {self.path} with {self.headers.get('Proxy-Authorization')} refused"
            self.answer(status, json.dumps({"detail": echo}).encode())
            return
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        target = urlsplit(self.path)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
        origin = http.client.HTTPConnection(target.hostname or "", target.port or 80, timeout=30)
        try:
            origin.request(self.command, target.path + (f"?{target.query}" if target.query else ""), body, headers)
            answer = origin.getresponse()
            payload = answer.read()
        except OSError as exc:  # the origin is unreachable or hung up: a gateway error, as real proxies say
            self.answer(502, f"bad gateway: {exc}".encode(), "text/plain")
            return
        finally:
            origin.close()
        relayed = {k: v for k, v in answer.getheaders() if k.lower() not in _HOP_BY_HOP | {"transfer-encoding"}}
        relayed.pop("Content-Length", None)
        self.answer(answer.status, payload, None, relayed)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _forward

    def do_CONNECT(self) -> None:
        if not self._admitted():
            return
        host, _, port = self.path.rpartition(":")
        try:
            origin = socket.create_connection((host.strip("[]"), int(port)), timeout=30)
        except OSError:
            self.answer(502, b"cannot reach the origin", "text/plain")
            return
        self.send_response(200, "Connection established")
        self.end_headers()
        self.wfile.flush()
        self.close_connection = True  # after the tunnel, this connection is done
        with origin:
            self._pipe(origin)

    def _pipe(self, origin: socket.socket) -> None:
        client = self.connection
        with selectors.DefaultSelector() as selector:
            selector.register(client, selectors.EVENT_READ, origin)
            selector.register(origin, selectors.EVENT_READ, client)
            while True:
                for key, _ in selector.select(timeout=30):
                    source = key.fileobj
                    assert isinstance(source, socket.socket)
                    try:
                        data = source.recv(65536)
                    except OSError:
                        return
                    if not data:
                        return
                    if source is client:
                        self.server.owner.tunnelled(data)
                    key.data.sendall(data)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, owner: ForwardProxy, tls: ssl.SSLContext | None) -> None:
        self.owner = owner
        super().__init__(("127.0.0.1", 0), _Handler)
        if tls is not None:  # an https:// proxy: clients speak TLS to the proxy itself
            self.socket = tls.wrap_socket(self.socket, server_side=True)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client hanging up mid-tunnel is normal traffic."""


class ForwardProxy:
    """`with ForwardProxy() as proxy:` then `proxy.url`, `proxy.seen`, `proxy.tunnel_bytes`."""

    def __init__(
        self,
        credentials: tuple[str, str] | None = None,
        tls: ssl.SSLContext | None = None,
        echo_status: int | None = None,
    ) -> None:
        self.credentials = credentials
        self.echo_status = echo_status
        self.scheme = "http" if tls is None else "https"
        self._lock = threading.Lock()
        self._seen: list[Seen] = []
        self._tunnelled = bytearray()
        self._server = _Server(self, tls)
        self._running = contextlib.ExitStack()

    def __enter__(self) -> ForwardProxy:
        self._running.enter_context(running(self._server))
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._running.close()

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def record(self, seen: Seen) -> None:
        with self._lock:
            self._seen.append(seen)

    def tunnelled(self, data: bytes) -> None:
        with self._lock:
            self._tunnelled += data

    @property
    def seen(self) -> list[Seen]:
        with self._lock:
            return list(self._seen)

    @property
    def tunnel_bytes(self) -> bytes:
        """Everything clients sent through CONNECT tunnels (TLS records, if they are https)."""
        with self._lock:
            return bytes(self._tunnelled)


@contextlib.contextmanager
def dead_proxy_url() -> Iterator[str]:
    """A proxy URL where nothing listens: a request that goes through it fails to connect."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{probe.getsockname()[1]}"
