"""What the suite's small stdlib HTTP servers share: a quiet handler that answers in one call, and
running a server on a thread for the length of a `with` block."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TypeVar

S = TypeVar("S", bound=ThreadingHTTPServer)


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
