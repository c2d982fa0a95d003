"""A local https server whose certificate comes from a throwaway CA (trustme): the far end of the TLS
and proxy tests. It serves an empty listing page to any GET and records each request's Authorization
header, so a test can tell whether the key reached it (and not something in between)."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import ThreadingHTTPServer

import trustme

from tests.local_http import EMPTY_PAGE, QuietHandler, running


class HttpsServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, authority: trustme.CA) -> None:
        super().__init__(("127.0.0.1", 0), _EmptyListing)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        authority.issue_cert("127.0.0.1").configure_cert(context)
        self.socket = context.wrap_socket(self.socket, server_side=True)
        self.url = f"https://127.0.0.1:{self.server_address[1]}"
        self.authorizations: list[str | None] = []


class _EmptyListing(QuietHandler):
    protocol_version = "HTTP/1.1"
    server: HttpsServer

    def do_GET(self) -> None:
        self.server.authorizations.append(self.headers.get("Authorization"))
        self.answer(200, EMPTY_PAGE)


@contextmanager
def serve_https(authority: trustme.CA) -> Iterator[HttpsServer]:
    with running(HttpsServer(authority)) as server:
        yield server
