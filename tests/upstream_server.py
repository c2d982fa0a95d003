"""A local upstream for `spec drift`/`spec diff`: serves one document on 127.0.0.1, and can answer
as a careless server does, echoing the request (its target and Authorization header) in its body."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Answer:
    """What every GET gets. In `body`, `{target}` and `{authorization}` are replaced by the request's."""

    status: int = 200
    body: str = ""
    content_type: str = "application/json"


class UpstreamServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, answer: Answer) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.answer = answer
        self.targets: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: UpstreamServer

    def do_GET(self) -> None:
        self.server.targets.append(self.path)
        answer = self.server.answer
        text = answer.body.replace("{target}", self.path)
        body = text.replace("{authorization}", self.headers.get("Authorization", "")).encode()
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve_upstream(answer: Answer) -> Iterator[UpstreamServer]:
    server = UpstreamServer(answer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
