"""A lean stand-in for the Notte API for long listings: `python -m bench._lean_server --runs N`.

The test server (notte_ext.testing) stores every run and checks every request and response
against the spec: right for tests, but a million stored runs cost it gigabytes and minutes.
Here run i (0 = newest) is computed from i when its page is asked for, so serving 1,000,000
runs costs nothing up front and a few kilobytes per page. The shape is the spec's
(make_run's), so the client validates and parses exactly what it would from the API.
Prints the same banner as `python -m notte_ext.testing` (URL, then a placeholder key).
"""

from __future__ import annotations

import argparse
import json
import time
import uuid
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from notte_ext.testing.data import RUN_STATUSES, format_timestamp, make_run

FUNCTION_ID = "fn-lean"
_NEWEST = datetime(2026, 1, 1, tzinfo=UTC)


# One run's JSON with placeholders, filled per run: a page costs string replaces, not dicts.
_TEMPLATE = json.dumps(make_run(FUNCTION_ID, function_run_id="<id>", status="<status>", created_at="<created>"))


def _run(index: int) -> str:
    created = format_timestamp(_NEWEST - timedelta(seconds=index))  # strictly newest first
    run_id, status = str(uuid.UUID(int=index + 1)), RUN_STATUSES[index % len(RUN_STATUSES)]
    return _TEMPLATE.replace("<id>", run_id).replace("<status>", status).replace("<created>", created)


def _handler(total: int, latency: float) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as the API
        disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms delayed-ACK stall

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            query = {name: values[-1] for name, values in parse_qs(url.query).items()}
            page, size = int(query.get("page", 1)), int(query.get("page_size", 10))
            start = (page - 1) * size
            items = ",".join(_run(index) for index in range(start, min(start + size, total)))
            flags = json.dumps(
                {"page": page, "page_size": size, "has_next": start + size < total, "has_previous": page > 1}
            )
            data = f'{{"items": [{items}], {flags[1:]}'.encode()
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1_000_000)
    parser.add_argument("--latency", type=float, default=0.0)
    args = parser.parse_args()
    server = _Server(("127.0.0.1", 0), _handler(args.runs, args.latency))
    print(f"Lean Notte server listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
    print("API key: sk-lean-bench", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
