"""The command line as a person meets it: on a terminal (a pseudo-terminal of a given width), in a
shell pipeline that stops reading early, and interrupted with Ctrl-C. Always the real entry point."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from attrs import define

from notte_ext.testing import Latency, NotteTestServer

CLI = str(Path(sys.executable).with_name("notte-ext"))
FUNCTION_ID = "fn-1"
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_TABLE_LINE = re.compile(r"^[╭│├╰]")
ALL_COLUMNS = ("function_run_id", "status", "created_at", "updated_at", "session_id")


def default_sigint() -> None:
    """In the child: Ctrl-C acts as in a shell's foreground job, even when pytest itself runs as a
    background job (`pytest &`), whose children start with SIGINT ignored and would never see it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@define
class Terminal:
    """A process whose stdin, stdout and stderr are one pseudo-terminal, as in an interactive shell."""

    process: subprocess.Popen[bytes]
    master: int
    screen: bytearray

    @classmethod
    def start(cls, args: list[str], width: int, env: dict[str, str] | None = None) -> Terminal:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, width, 0, 0))
        process = subprocess.Popen(
            [CLI, *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env={"PATH": "", "TERM": "xterm-256color", **(env or {})},
            preexec_fn=default_sigint,
        )
        os.close(slave)
        return cls(process, master, bytearray())

    def read_until(self, done: Callable[[str], bool], timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while not done(self.text) and time.monotonic() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:  # EIO: the process closed the terminal
                    break
                if not chunk:
                    break
                self.screen += chunk
        return self.text

    def finish(self) -> tuple[int, list[str]]:
        """Exit code and the lines shown, without colours, cursor moves or the progress line."""
        self.read_until(lambda _: False)
        code = self.process.wait(timeout=60)
        os.close(self.master)
        # A carriage return alone moves back to the line's start: what follows it is what shows.
        lines = [_ANSI.sub("", line).split("\r")[-1].rstrip() for line in self.text.split("\r\n")]
        return code, [line for line in lines if line and "fetch" not in line]

    @property
    def text(self) -> str:
        return self.screen.decode("utf-8", errors="replace")


def listing(server: NotteTestServer) -> list[dict[str, object]]:
    result = subprocess.run(
        [CLI, "runs", "list", FUNCTION_ID, "--format", "jsonl", "--api-key", server.api_key, "--base-url", server.url],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": ""},
    )
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def on_terminal(server: NotteTestServer, width: int, *args: str) -> tuple[int, list[str]]:
    command = ["runs", "list", FUNCTION_ID, "--api-key", server.api_key, "--base-url", server.url, *args]
    return Terminal.start(command, width).finish()


def as_shown(timestamp: object) -> str:
    return str(timestamp).replace("+00:00", "Z")


def header(lines: list[str]) -> list[str]:
    return [cell.strip() for cell in lines[1].strip("│").split("│")]


@pytest.mark.parametrize(
    ("width", "columns"),
    [(80, ALL_COLUMNS[:3]), (100, ALL_COLUMNS[:4]), (120, ALL_COLUMNS), (200, ALL_COLUMNS)],
)
def test_the_table_fits_the_terminal_and_cuts_no_id_or_timestamp(
    server: NotteTestServer, width: int, columns: tuple[str, ...]
) -> None:
    expected = listing(server)[:12]
    code, lines = on_terminal(server, width, "--limit", "12")
    assert code == 0
    table = [line for line in lines if _TABLE_LINE.match(line)]
    assert max(len(line) for line in table) <= width
    assert header(table) == list(columns)  # as many columns as fit, most wanted first
    rows = table[3:-1]
    assert len(rows) == 12
    for row, run in zip(rows, expected, strict=True):
        cells = [cell.strip() for cell in row.strip("│").split("│")]
        assert cells == [as_shown(run[column]) for column in columns]
    assert lines[-1] == "12 run(s)"


def test_columns_picks_the_fields_in_the_order_given(server: NotteTestServer) -> None:
    expected = listing(server)[:3]
    code, lines = on_terminal(server, 80, "--limit", "3", "--columns", "local,function_run_id")
    assert code == 0
    table = [line for line in lines if _TABLE_LINE.match(line)]
    assert header(table) == ["local", "function_run_id"]
    assert [[cell.strip() for cell in row.strip("│").split("│")] for row in table[3:-1]] == [
        [json.dumps(run["local"]), str(run["function_run_id"])] for run in expected
    ]


def test_too_narrow_for_a_table_shows_each_run_as_whole_field_lines(server: NotteTestServer) -> None:
    expected = listing(server)[:2]
    code, lines = on_terminal(server, 50, "--limit", "2")
    assert code == 0
    assert not any(_TABLE_LINE.match(line) for line in lines)
    shown = [
        f"{column:<15}  {as_shown(run[column]) if run[column] is not None else ''}".rstrip()
        for run in expected
        for column in ALL_COLUMNS
    ]
    assert lines == [*shown, "2 run(s)"]


def test_columns_env_var_sets_the_width_as_on_a_terminal(server: NotteTestServer) -> None:
    command = ["runs", "list", FUNCTION_ID, "--api-key", server.api_key, "--base-url", server.url, "--limit", "5"]
    code, lines = Terminal.start(command, width=200, env={"COLUMNS": "80"}).finish()
    assert code == 0
    table = [line for line in lines if _TABLE_LINE.match(line)]
    assert header(table) == list(ALL_COLUMNS[:3])
    assert max(len(line) for line in table) <= 80
    expected = listing(server)[:5]
    assert all(str(run["function_run_id"]) in "\n".join(table) for run in expected)


@pytest.mark.parametrize(
    "command",
    [
        "runs list fn-many --format jsonl",
        "runs list fn-many --format json",
        "runs list fn-many --format csv",
        "runs list fn-many --format table",
        "runs summary fn-many",
    ],
)
def test_a_reader_that_stops_early_is_a_quiet_success(server: NotteTestServer, command: str) -> None:
    server.add_function("fn-many", runs=3_000)  # more than any pipe buffer holds
    pipeline = f"set -o pipefail; '{CLI}' {command} --api-key {server.api_key} --base-url {server.url} | head -1"
    result = subprocess.run(
        ["bash", "-c", pipeline], capture_output=True, text=True, timeout=60, env={"PATH": "/usr/bin:/bin"}
    )
    assert result.returncode == 0
    assert result.stderr == ""
    assert len(result.stdout.splitlines()) == 1


@pytest.mark.parametrize("command", ["--help", "--version", "runs --help", "spec rules"])
def test_a_reader_that_left_before_the_help_is_a_quiet_success_too(command: str) -> None:
    """--help and --version print while the arguments are parsed, where click exits 1 on a closed pipe."""
    read, write = os.pipe()
    os.close(read)  # the reader left before the first byte
    try:
        result = subprocess.run([CLI, *command.split()], stdout=write, stderr=subprocess.PIPE, text=True, timeout=60)
    finally:
        os.close(write)
    assert (result.returncode, result.stderr) == (0, "")


@pytest.mark.parametrize(
    "command",
    [
        "runs list fn-many --format jsonl",
        "runs list fn-many --format csv --limit 1",  # short: still buffered when the command ends
        "runs list fn-many --format table",
        "runs summary fn-many",
        "functions list --format json",
        "--help",
        "--version",
        "spec rules",
    ],
)
@pytest.mark.parametrize("redirect", [">/dev/full", ">&-"])
def test_output_that_cannot_be_written_is_one_line_and_exit_2(
    server: NotteTestServer, command: str, redirect: str
) -> None:
    """A full disk, or a stdout the shell closed: one line saying so, never a traceback, never a success
    that wrote nothing, never `spec`'s "drift found" 1."""
    server.add_function("fn-many", runs=300)
    env = {"PATH": "/usr/bin:/bin", "NOTTE_API_KEY": server.api_key, "NOTTE_API_URL": server.url}
    result = subprocess.run(
        ["bash", "-c", f"'{CLI}' {command} {redirect}"], capture_output=True, text=True, timeout=60, env=env
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("Error: the output could not be written: "), result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr


@pytest.mark.parametrize(
    ("command", "code"),
    [
        ("runs list", 2),  # a usage error
        ("--help >/dev/full", 2),  # output that could not be written
        ("--base-url http://127.0.0.1:9 --max-retries 0 runs list fn", 3),  # the API unreachable
    ],
)
@pytest.mark.parametrize("stderr", ["2>/dev/full", "2>&-"])
def test_an_error_that_cannot_be_shown_keeps_its_exit_code(command: str, code: int, stderr: str) -> None:
    """With stderr full or closed the error line fails too: that was an OSError, exit 1, for every error."""
    env = {"PATH": "/usr/bin:/bin", "NOTTE_API_KEY": "sk-unused"}
    result = subprocess.run(["bash", "-c", f"'{CLI}' {command} {stderr}"], capture_output=True, timeout=60, env=env)
    assert result.returncode == code


_UNWRITABLE = {
    # An ASCII (or cp1252) stdout and a name in another script.
    **{
        f"ascii-{output_format}": (
            "ascii",
            "run-é",
            output_format,
            "its encoding, ascii, has no U+00E9 (a value holds it); set PYTHONIOENCODING=utf-8",
        )
        for output_format in ("jsonl", "json", "csv", "table")
    },
    # JSON may escape half a UTF-16 pair ("\\udfff"), which no encoding writes: PYTHONIOENCODING would not help.
    # JSON output escapes it again (below); CSV has no escape.
    "lone-surrogate": (
        "utf-8",
        "run-\udfff",
        "csv",
        "a value holds U+DFFF, half of a UTF-16 surrogate pair (a JSON escape no encoding writes)",
    ),
}


@pytest.mark.parametrize(
    ("encoding", "run_id", "output_format", "reason"), _UNWRITABLE.values(), ids=_UNWRITABLE.keys()
)
def test_a_value_stdout_cannot_encode_is_one_line_and_exit_2(
    server: NotteTestServer, encoding: str, run_id: str, output_format: str, reason: str
) -> None:
    """Was a UnicodeEncodeError traceback, exit 1."""
    server.add_function("fn-named", runs=0)
    # One value outside the encoding: which one the message names must not hang on the spec's field order.
    server.add_runs("fn-named", [{"function_run_id": run_id}])
    env = {"PATH": "/usr/bin:/bin", "NOTTE_API_KEY": server.api_key, "PYTHONIOENCODING": encoding}
    command = [CLI, "--base-url", server.url, "runs", "list", "fn-named", "--format", output_format]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 2, result.stderr
    assert result.stderr == f"Error: the output could not be written: {reason}\n"


def _listed_with_half_a_pair(server: NotteTestServer, output_format: str) -> subprocess.CompletedProcess[str]:
    server.add_function("fn-half", runs=0)
    server.add_runs("fn-half", [{"function_run_id": "run-\udfff"}])
    env = {"PATH": "/usr/bin:/bin", "NOTTE_API_KEY": server.api_key, "PYTHONIOENCODING": "utf-8"}
    command = [CLI, "--base-url", server.url, "runs", "list", "fn-half", "--format", output_format]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, env=env)


@pytest.mark.parametrize("output_format", ["jsonl", "json"])
def test_json_output_writes_a_lone_surrogate_as_the_escape_it_came_as(
    server: NotteTestServer, output_format: str
) -> None:
    """Half a UTF-16 pair from the server is written as a JSON escape: the listing is written whole (it was
    a usage error, exit 2) and reads back to the same text."""
    result = _listed_with_half_a_pair(server, output_format)
    assert result.returncode == 0, result.stderr
    assert '"run-\\udfff"' in result.stdout
    runs = json.loads(result.stdout) if output_format == "json" else [json.loads(result.stdout)]
    assert runs[0]["function_run_id"] == "run-\udfff"


def test_the_table_shows_a_lone_surrogate_escaped_as_it_does_control_characters(server: NotteTestServer) -> None:
    result = _listed_with_half_a_pair(server, "table")
    assert result.returncode == 0, result.stderr
    assert "run-\\udfff" in result.stdout


def test_ctrl_c_is_one_line_and_exit_130(server: NotteTestServer) -> None:
    server.faults.add(Latency(2.0), times=None)  # the listing is still waiting when Ctrl-C comes
    command = ["runs", "list", FUNCTION_ID, "--api-key", server.api_key, "--base-url", server.url]
    terminal = Terminal.start(command, width=100)
    terminal.read_until(lambda text: "fetching runs" in text)  # the progress line: the request is under way
    terminal.process.send_signal(signal.SIGINT)
    code, lines = terminal.finish()
    assert code == 130
    assert lines == ["Interrupted."]


def test_ctrl_c_when_piped_is_one_line_on_stderr(server: NotteTestServer) -> None:
    server.faults.add(Latency(2.0), times=None)
    process = subprocess.Popen(
        [CLI, "runs", "summary", FUNCTION_ID, "--api-key", server.api_key, "--base-url", server.url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={"PATH": ""},
        preexec_fn=default_sigint,
    )
    deadline = time.monotonic() + 30
    while not server.requests and time.monotonic() < deadline:  # wait for the request to be under way
        time.sleep(0.05)
    time.sleep(0.2)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130
    assert (out, err) == (b"", b"Interrupted.\n")


def test_csv_on_a_terminal_shows_a_servers_control_characters_escaped(server: NotteTestServer) -> None:
    """CSV has no escapes: piped it is the data as is (tests/test_cli.py); on a terminal a run's text
    is shown as the table shows it, `\\x1b`, never acted on (here: retitling the window)."""
    server.add_function("fn-hostile")
    server.add_run("fn-hostile", session_id="\x1b]0;PWNED\x07\u009b2J")
    command = ["runs", "list", "fn-hostile", "--format", "csv", "--api-key", server.api_key, "--base-url", server.url]
    terminal = Terminal.start(command, width=200)
    code, lines = terminal.finish()
    assert code == 0
    assert "\x1b]0;PWNED" not in terminal.text
    assert "\u009b" not in terminal.text
    assert any("\\x1b]0;PWNED\\x07\\x9b2J" in line for line in lines)
