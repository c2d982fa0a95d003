"""A local upstream for `spec drift`/`spec diff`: serves one document on 127.0.0.1, and can answer
as a careless server does, echoing the request (its target and Authorization header) in its body."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import ThreadingHTTPServer

from tests.local_http import QuietHandler, running


@dataclass
class Answer:
    """What every GET gets. In `body`, `{target}` and `{authorization}` are replaced by the request's."""

    status: int = 200
    body: str = ""
    content_type: str = "application/json"
    path: str | None = None  # when set, any other path is a 404


class UpstreamServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, answer: Answer) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.answer = answer
        self.targets: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(QuietHandler):
    server: UpstreamServer

    def do_GET(self) -> None:
        self.server.targets.append(self.path)
        configured = self.server.answer
        if configured.path is not None and self.path != configured.path:
            self.answer(404, b"not found", "text/plain")
            return
        text = configured.body.replace("{target}", self.path)
        body = text.replace("{authorization}", self.headers.get("Authorization", ""))
        self.answer(configured.status, body.encode(), configured.content_type)


@contextmanager
def serve_upstream(answer: Answer) -> Iterator[UpstreamServer]:
    with running(UpstreamServer(answer)) as server:
        yield server
