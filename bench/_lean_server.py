"""A lean stand-in for the Notte API for long listings: `python -m bench._lean_server --runs N`.

The test server (notte_ext.testing) stores every run and checks every request and response
against the spec: right for tests, but a million stored runs cost it gigabytes and minutes.
Here run i (0 = newest) is computed from i when its page is asked for, so serving 1,000,000
runs costs nothing up front and a few kilobytes per page. The shape is the spec's
(make_run's), so the client validates and parses exactly what it would from the API.
Prints the same banner as `python -m notte_ext.testing` (URL, then a placeholder key): bench/_http.py.
"""

from __future__ import annotations

import argparse
import json
import uuid
from datetime import UTC, datetime, timedelta

from bench._http import serve
from notte_ext.testing.data import RUN_STATUSES, format_timestamp, make_run

FUNCTION_ID = "fn-lean"
_NEWEST = datetime(2026, 1, 1, tzinfo=UTC)


# One run's JSON with placeholders, filled per run: a page costs string replaces, not dicts.
_TEMPLATE = json.dumps(make_run(FUNCTION_ID, function_run_id="<id>", status="<status>", created_at="<created>"))


def _run(index: int) -> str:
    created = format_timestamp(_NEWEST - timedelta(seconds=index))  # strictly newest first
    run_id, status = str(uuid.UUID(int=index + 1)), RUN_STATUSES[index % len(RUN_STATUSES)]
    return _TEMPLATE.replace("<id>", run_id).replace("<status>", status).replace("<created>", created)


def page_body(total: int, page: int, size: int) -> bytes:
    start = (page - 1) * size
    items = ",".join(_run(index) for index in range(start, min(start + size, total)))
    flags = json.dumps({"page": page, "page_size": size, "has_next": start + size < total, "has_previous": page > 1})
    return f'{{"items": [{items}], {flags[1:]}'.encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1_000_000)
    parser.add_argument("--latency", type=float, default=0.0)
    args = parser.parse_args()
    serve("Lean Notte server", lambda page, size: page_body(args.runs, page, size), latency=args.latency)


if __name__ == "__main__":
    main()
