"""Run the sample Notte server in its own process, so its CPU and memory don't mix with the client's."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from attrs import frozen

SAMPLE_FUNCTION_ID = "fn-sample"


@frozen
class SampleServer:
    url: str
    api_key: str
    function_id: str = SAMPLE_FUNCTION_ID


@contextmanager
def sample_server(runs: int, latency: float = 0.0) -> Iterator[SampleServer]:
    # No response validation: it would make the server, not the client, the thing measured.
    command = [
        sys.executable,
        "-m",
        "notte_ext.testing",
        "--runs",
        str(runs),
        "--latency",
        str(latency),
        "--no-validate",
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)  # noqa: S603 - our own module
    try:
        assert process.stdout is not None
        url = process.stdout.readline().rsplit(" ", 1)[-1].strip()
        api_key = process.stdout.readline().split(": ", 1)[-1].strip()
        yield SampleServer(url=url, api_key=api_key)
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()
