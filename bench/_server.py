"""Start the local Notte server in its own process, so its memory and CPU aren't the client's."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench._lean_server import FUNCTION_ID as LEAN_FUNCTION_ID
from bench._rich_server import FUNCTION_ID as RICH_FUNCTION_ID
from notte_ext.testing.sample import SAMPLE_FUNCTION_ID


@dataclass(frozen=True)
class ServerProcess:
    url: str
    api_key: str
    pid: int
    function_id: str = SAMPLE_FUNCTION_ID


@contextmanager
def sample_server(runs: int, latency: float = 0.0) -> Iterator[ServerProcess]:
    """`python -m notte_ext.testing --port 0 --runs N`; its first two lines give the URL and the key.

    The server skips checking its responses against openapi.json (`--no-validate`): that check
    costs it more than building the page, and would make the server the thing measured.
    """
    command = [sys.executable, "-m", "notte_ext.testing", "--port", "0", "--runs", str(runs), "--no-validate"]
    with _server_process([*command, "--latency", str(latency)], SAMPLE_FUNCTION_ID) as server:
        yield server


@contextmanager
def lean_server(runs: int, latency: float = 0.0) -> Iterator[ServerProcess]:
    """`python -m bench._lean_server`: runs computed per page, nothing stored (for 1,000,000 runs)."""
    command = [sys.executable, "-m", "bench._lean_server", "--runs", str(runs), "--latency", str(latency)]
    with _server_process(command, LEAN_FUNCTION_ID) as server:
        yield server


@contextmanager
def rich_server(runs: int, latency: float = 0.0) -> Iterator[ServerProcess]:
    """`python -m bench._rich_server`: runs with variables, logs and results, as the API serves
    them; each page built when asked for, each connection served by its own process."""
    command = [sys.executable, "-m", "bench._rich_server", "--runs", str(runs), "--latency", str(latency)]
    with _server_process(command, RICH_FUNCTION_ID) as server:
        yield server


@contextmanager
def _server_process(command: list[str], function_id: str) -> Iterator[ServerProcess]:
    """Start `command`; its first two lines give the URL and the key."""
    root = Path(__file__).resolve().parent.parent
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=root) as process:
        try:
            assert process.stdout is not None
            url = process.stdout.readline().rsplit(" on ", 1)[-1].strip()  # "... listening on URL"
            api_key = process.stdout.readline().removeprefix("API key:").strip()
            if not url.startswith("http://127.0.0.1:") or not api_key:
                raise RuntimeError(f"unexpected server banner: {url!r}, {api_key!r}")
            yield ServerProcess(url, api_key, process.pid, function_id)
        finally:
            process.terminate()
            process.wait(timeout=10)
