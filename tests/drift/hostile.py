"""Hostile inputs for the spec tools, shared by tests/drift/test_limits.py and bench/spec_hostile.py.

A server on 127.0.0.1 that answers badly on purpose (an endless body, a trickle, a gzip bomb, a
terabyte announced), a YAML alias bomb, documents shaped to make a diff explode, and a runner that
starts the real console script in its own process and reads that process's own peak RSS.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

from notte_ext.drift.limits import DEFAULT_MAX_BYTES
from tests.drift.builders import ROOT
from tests.local_http import QuietHandler, running

CLI = str(ROOT / ".venv/bin/notte-ext")
SEED = str(ROOT / "codegen/upstream/list-function-runs-by-function-id.md")
WITHIN_SECONDS = 30.0
MAX_RSS = 400 * 1024 * 1024


@dataclass
class Outcome:
    """How one run of the console script ended."""

    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_rss: int  # bytes


# Runs the command as its own child and writes "exit-code peak-RSS-KiB" to argv[1]. Linux hands a
# process the peak RSS of the image it replaced (exec), and subprocess forks the test process
# itself: measured directly, a command would weigh at least what pytest weighs. Forked from this
# small interpreter instead, it starts from a few MiB.
MEASURE_PEAK_RSS = """\
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as report:
    report.write(f"{os.waitstatus_to_exitcode(status)} {usage.ru_maxrss}")
"""


def notte_ext(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> Outcome:
    """Run the console script; kill it after WITHIN_SECONDS (the test then fails on the time)."""
    started = time.monotonic()
    with (
        open(os.devnull, "rb") as stdin,
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.TemporaryDirectory() as scratch,
    ):
        measured = Path(scratch) / "measured"
        command = [sys.executable, "-c", MEASURE_PEAK_RSS, str(measured), CLI, *args]
        environment = {**os.environ, **(env or {})}
        process = subprocess.Popen(
            command, stdin=stdin, stdout=out, stderr=err, env=environment, cwd=cwd, start_new_session=True
        )
        killer = threading.Timer(WITHIN_SECONDS + 5, os.killpg, (process.pid, signal.SIGKILL))
        killer.start()
        try:
            process.wait()
        finally:
            killer.cancel()
        seconds = time.monotonic() - started
        code, peak_kib = (int(n) for n in measured.read_text().split()) if measured.exists() else (-9, 0)
        out.seek(0)
        err.seek(0)
        return Outcome(code, out.read().decode(), err.read().decode(), seconds, peak_kib * 1024)


class HostileHandler(QuietHandler):
    """HTTP/1.0 answers: without a Content-Length, a body ends only when the server closes."""

    def do_GET(self) -> None:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client hung up, as it should
            self._hostile()

    def _hostile(self) -> None:
        if self.path == "/endless":  # 64 KiB of spaces (valid JSON whitespace) forever
            self.send_response(200)
            self.end_headers()
            while True:
                self.wfile.write(b" " * 65536)
        elif self.path == "/trickle":  # a byte every 50 ms: no read ever waits long
            self.send_response(200)
            self.end_headers()
            for _ in range(100_000):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.05)
        elif self.path == "/announced":  # a Content-Length of a terabyte, and nothing
            self.send_response(200)
            self.send_header("Content-Length", str(10**12))
            self.end_headers()
        elif self.path == "/bogus-charset":
            self.answer(200, Path(SEED).read_bytes(), "text/markdown; charset=no-such-charset")
        elif self.path == "/gzip-bomb":
            self.answer(200, BOMB, headers={"Content-Encoding": "gzip"})
        else:
            self.answer(200, Path(SEED).read_bytes(), "text/markdown")


BOMB = gzip.compress(b" " * (DEFAULT_MAX_BYTES + 2**20), compresslevel=9)  # ~50 KiB that inflate to 51 MiB


@contextlib.contextmanager
def hostile_server() -> Iterator[str]:
    """The base URL of a HostileHandler server, for the length of the block."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), HostileHandler)
    server.daemon_threads = True
    with running(server):
        yield f"http://127.0.0.1:{server.server_address[1]}"


def fifo(scratch: Path) -> str:
    """A named pipe nobody writes to: a blocking open() of it waits forever."""
    path = scratch / "spec-fifo.json"
    if not path.exists():
        os.mkfifo(path)
    return str(path)


@contextlib.contextmanager
def stalled_pipe(scratch: Path) -> Iterator[str]:
    """A named pipe with a writer that sent one byte and never finishes (this process holds it)."""
    path = scratch / "stalled-fifo.json"
    if not path.exists():
        os.mkfifo(path)
    writer = os.open(path, os.O_RDWR)  # O_RDWR: never waits for a reader (Linux), and counts as a writer
    try:
        os.write(writer, b"{")
        yield str(path)
    finally:
        os.close(writer)


ALIAS_BOMB = """\
openapi: 3.1.0
info: {title: bomb, version: '1'}
x-bomb:
  - &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]
  - &a1 [*a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0]
  - &a2 [*a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1]
  - &a3 [*a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2]
  - &a4 [*a3, *a3, *a3, *a3, *a3, *a3, *a3, *a3, *a3, *a3]
  - &a5 [*a4, *a4, *a4, *a4, *a4, *a4, *a4, *a4, *a4, *a4]
  - &a6 [*a5, *a5, *a5, *a5, *a5, *a5, *a5, *a5, *a5, *a5]
  - &a7 [*a6, *a6, *a6, *a6, *a6, *a6, *a6, *a6, *a6, *a6]
  - &a8 [*a7, *a7, *a7, *a7, *a7, *a7, *a7, *a7, *a7, *a7]
paths:
  /runs:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: string, enum: *a8}
"""


def document(schema: dict[str, Any], components: dict[str, Any] | None = None, paths: int = 1) -> dict[str, Any]:
    response = {"description": "ok", "content": {"application/json": {"schema": schema}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "hostile", "version": "1"},
        "paths": {f"/runs{i or ''}": {"get": {"responses": {"200": response}}} for i in range(paths)},
        "components": {"schemas": components or {}},
    }


def diff_files(tmp_path: Path, base: dict[str, Any], revision: dict[str, Any], *options: str) -> Outcome:
    for name, written in (("base", base), ("revision", revision)):
        (tmp_path / f"{name}.json").write_text(json.dumps(written), encoding="utf-8")
    return notte_ext("spec", "diff", str(tmp_path / "base.json"), str(tmp_path / "revision.json"), *options)


def nested(levels: int, leaf: dict[str, Any]) -> dict[str, Any]:
    schema = leaf
    for _ in range(levels):
        schema = {"type": "object", "properties": {"a": schema}}
    return schema


def chain(links: int, leaf: dict[str, Any]) -> dict[str, Any]:
    components = {
        f"C{i}": {"type": "object", "properties": {"a": {"$ref": f"#/components/schemas/C{i + 1}"}}}
        for i in range(links)
    }
    return document({"$ref": "#/components/schemas/C0"}, {**components, f"C{links}": leaf})
