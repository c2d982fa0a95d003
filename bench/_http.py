"""The HTTP half of the bench servers: `GET /functions/{id}/runs?page=&page_size=` -> a page's JSON bytes.

A bench server is a function returning one page's body; `serve` puts it behind HTTP/1.1 keep-alive
on a free loopback port, a thread per connection, and prints the banner `bench/_server.py` reads
(URL, then a placeholder key).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

BuildPage = Callable[[int, int], bytes]  # (page, page_size) -> the page's JSON body
API_KEY = "sk-bench"


def _handler(build_page: BuildPage, latency: float) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as the API
        disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms delayed-ACK stall

        def do_GET(self) -> None:
            query = {name: values[-1] for name, values in parse_qs(urlsplit(self.path).query).items()}
            data = build_page(int(query.get("page", 1)), int(query.get("page_size", 10)))
            if latency:
                time.sleep(latency)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:  # quiet: no line per request
            pass

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """Quiet: a client that cancels a page it asked for ahead hangs up mid-response."""


def serve(name: str, build_page: BuildPage, *, latency: float) -> None:
    """Serve until terminated; `latency` seconds are added to every response."""
    server = _Server(("127.0.0.1", 0), _handler(build_page, latency))
    print(f"{name} listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
    print(f"API key: {API_KEY}", flush=True)
    server.serve_forever()
