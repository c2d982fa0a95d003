"""The official SDK's page loop, as a peer for bench/overhead.py; runs inside a throwaway virtualenv.

    python bench/sdk_peer.py URL API_KEY FUNCTION_ID EXPECTED_RUNS

Standalone on purpose (the SDK's virtualenv has no notte_ext): it imports notte-sdk, then times
client construction plus listing every page (page_size 100, only_active false) through the SDK's
own request path (httpx, retries, pydantic models), and prints "wall_seconds cpu_seconds".
The SDK 1.10 requests `/functions/{id}/runs/` (a later spec's path); the vendored spec (and so the
local server) has `/functions/{id}/runs`, so the endpoint it builds is used with that one path.
"""

from __future__ import annotations

import sys
import time

# Installed only in the throwaway virtualenv, never in .venv (so no types for mypy there).
from notte_core.types import ListFunctionRunsRequest  # type: ignore[import-not-found]
from notte_sdk import NotteClient  # type: ignore[import-not-found]
from notte_sdk._generated import operations  # type: ignore[import-not-found]


def main() -> None:
    url, api_key, function_id, expected = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    wall, cpu = time.perf_counter(), time.process_time()
    client = NotteClient(api_key=api_key, server_url=url)
    count, page = 0, 1
    while True:
        params = ListFunctionRunsRequest(page=page, page_size=100, only_active=False)
        endpoint = operations.list_function_runs_by_function_id(function_id, params=params)
        listing = client.functions.request(endpoint.model_copy(update={"path": endpoint.path.rstrip("/")}))
        count += len(listing.items)
        if not listing.has_next:
            break
        page += 1
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if count != expected:
        raise SystemExit(f"listed {count} runs, expected {expected}")
    print(f"{wall} {cpu}")


if __name__ == "__main__":
    main()
