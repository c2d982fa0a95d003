"""Run by tests/test_proof_hostile.py in a fresh process: how much one bad response grows peak RSS.

    python tests/rss_probe.py BASE_URL API_KEY FUNCTION_ID sync|async

Warms up with page 1 (imports, connection, one parsed page), reads the peak RSS, asks for page 2
(where the test scheduled the fault), reads the peak again, and prints one JSON line.
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
from pathlib import Path

from notte_ext import AsyncNotteClient, NotteClient, NotteError


def peak_rss_bytes() -> int:
    """VmHWM (the process's peak resident set) where /proc has it, else ru_maxrss (KiB on Linux)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def sync_probe(url: str, key: str, function_id: str) -> dict[str, object]:
    with NotteClient(key, base_url=url, max_retries=0) as client:
        client.functions.list_runs_page(function_id, page=1)
        before = peak_rss_bytes()
        try:
            client.functions.list_runs_page(function_id, page=2)
            error: NotteError | None = None
        except NotteError as raised:
            error = raised
    return _result(before, error)


async def async_probe(url: str, key: str, function_id: str) -> dict[str, object]:
    async with AsyncNotteClient(key, base_url=url, max_retries=0) as client:
        await client.functions.list_runs_page(function_id, page=1)
        before = peak_rss_bytes()
        try:
            await client.functions.list_runs_page(function_id, page=2)
            error: NotteError | None = None
        except NotteError as raised:
            error = raised
    return _result(before, error)


def _result(before: int, error: NotteError | None) -> dict[str, object]:
    return {
        "error": type(error).__name__ if error else None,
        "message": str(error) if error else None,
        "peak_growth_bytes": peak_rss_bytes() - before,
        "peak_bytes": peak_rss_bytes(),
    }


if __name__ == "__main__":
    base_url, api_key, function, mode = sys.argv[1:5]
    if mode == "sync":
        outcome = sync_probe(base_url, api_key, function)
    else:
        outcome = asyncio.run(async_probe(base_url, api_key, function))
    print(json.dumps(outcome))
