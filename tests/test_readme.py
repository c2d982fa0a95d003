"""The README's examples run as written, against `notte-ext serve` (the local test API).

The `make run` excerpt (the first ```text block) is what `notte-ext demo` shows on an 80-column
terminal, line for line where it shows lines, with times, dates, run ids and day bars set aside.
Every ```python and ```bash block runs, unless the line above it says `<!-- not run: why -->`.
Python blocks run in a fresh interpreter with NOTTE_API_URL / NOTTE_API_KEY pointing at a `serve`
started for the test (what the README tells readers to export), in a directory holding the
`scraper.py` the functions example uploads. Bash blocks run under `bash -euo pipefail` with the
project's .venv/bin on PATH; port 8000, which the serve example binds, becomes a free port (a
parallel run may hold 8000), and whatever a block leaves running (`serve ... &`) is stopped after.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest

from notte_ext.testing import SAMPLE_WORKFLOW
from tests.revision import spec_run_statuses
from tests.test_cli_terminal import Terminal

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BIN = Path(sys.executable).parent
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
NOT_RUN = re.compile(r"<!-- not run: (.+?) -->\n$")
RUNNABLE = {"python", "bash"}


class Block(NamedTuple):
    language: str
    code: str
    line: int
    not_run: str | None  # the reason given above the block, if any


def blocks() -> list[Block]:
    text = README.read_text(encoding="utf-8")
    found = []
    for match in FENCE.finditer(text):
        before = text[: match.start()]
        reason = NOT_RUN.search(before[-300:])
        found.append(Block(match[1], match[2], before.count("\n") + 1, reason[1] if reason else None))
    return found


RUN = [block for block in blocks() if block.language in RUNNABLE and block.not_run is None]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def serve() -> Iterator[dict[str, str]]:
    """`notte-ext serve` on a free port; the environment the README has readers export."""
    process = subprocess.Popen(
        [str(BIN / "notte-ext"), "serve", "--port", "0"], stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().split()[-1]
        key = process.stdout.readline().split()[-1]
        yield {"NOTTE_API_URL": url, "NOTTE_API_KEY": key}
    finally:
        process.terminate()
        process.communicate(timeout=30)  # also closes its stdout


def run_block(block: Block, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    if block.language == "python":
        command = [sys.executable, "-c", block.code]
    else:
        command = ["bash", "-euo", "pipefail", "-c", block.code.replace("8000", str(free_port()))]
    # Output to files, not pipes: a server the block leaves running (`serve &`) would hold a pipe open.
    with (cwd / "stdout").open("w+") as out, (cwd / "stderr").open("w+") as err:
        # Its own process group: what it leaves behind is stopped with it.
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err, text=True, start_new_session=True)
        try:
            process.wait(timeout=120)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        out.seek(0)
        err.seek(0)
        return subprocess.CompletedProcess(command, process.returncode, out.read(), err.read())


def test_every_example_runs_or_says_why_not() -> None:
    runnable = [block for block in blocks() if block.language in RUNNABLE]
    assert RUN, "no README example is run"
    assert all(block.not_run is None or block.not_run.strip() for block in runnable)
    assert {block.language for block in RUN} == RUNNABLE


@pytest.mark.parametrize("block", RUN, ids=lambda block: f"{block.language}-line-{block.line}")
def test_the_example_runs_as_written(block: Block, serve: dict[str, str], tmp_path: Path) -> None:
    (tmp_path / "scraper.py").write_bytes(SAMPLE_WORKFLOW)
    env = {"PATH": f"{BIN}:/usr/bin:/bin", "HOME": str(tmp_path), **serve}
    result = run_block(block, env, tmp_path)
    assert result.returncode == 0, f"README line {block.line}:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
    assert "Traceback" not in result.stderr


# What differs from one `make run` to the next: the clock and the id of the run it starts.
VARYING = [
    (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "<id>"),
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z"), "<time>"),
    (re.compile(r"\d{4}-\d\d-\d\d"), "<date>"),
    (re.compile(r"█+ \d+"), "<bar>"),  # runs per day depend on the hour the sample ends at
]


def normalized(line: str) -> str:
    for pattern, placeholder in VARYING:
        line = pattern.sub(placeholder, line)
    return line.rstrip()


# The run statuses of the sample the README's `make run` excerpt shows (its table and summary counts):
# a bump that adds or removes one draws a different sample, and the excerpt is then re-recorded.
EXCERPT_STATUSES = frozenset({"active", "closed", "failed"})


@pytest.mark.skipif(
    spec_run_statuses() != EXCERPT_STATUSES,
    reason=f"the README's make run excerpt shows a sample of runs {sorted(EXCERPT_STATUSES)}; the vendored "
    f"spec's statuses are {sorted(spec_run_statuses())}: re-record the excerpt from `make run`",
)
def test_make_run_shows_what_the_readme_excerpt_shows() -> None:
    (excerpt,) = [block for block in blocks() if block.language == "text"][:1]
    shown = [normalized(line) for line in excerpt.code.splitlines() if line.strip() and line != "…"]
    code, lines = Terminal.start(["demo"], width=80).finish()
    assert code == 0
    output = [normalized(line) for line in lines]
    remaining = iter(output)
    missing = [line for line in shown if line not in remaining]  # `in` consumes: order is checked too
    assert missing == [], f"README line {excerpt.line} shows lines `notte-ext demo` does not, in this order:\n" + (
        "\n".join(output)
    )
