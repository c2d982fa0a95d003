"""Fuzz the command line: hypothesis builds argv for every subcommand from its own options and arguments,
with hostile values (nan, inf, 1e308, 0, -1, 70000, non-UTF-8 bytes, ages past the calendar, dot
segments, huge counts, empty strings...) next to plausible ones, and runs it against the local server.

Every run must end with a documented exit code (0-4), never a traceback (unless --debug asked for
one), with a usage or configuration error (exit 2) on one line of stderr, within a time bound.
In-process through click's CliRunner (fast); `serve` and `demo`, which run servers, as real
subprocesses. CI-sized in `make test`, larger in `make proof` (HYPOTHESIS_PROFILE=proof).
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from notte_ext.cli import main
from notte_ext.testing import NotteTestServer, RunPlan

CLI = str(Path(sys.executable).with_name("notte-ext"))
FN = "fn-fuzz"
EXIT_CODES = {0, 1, 2, 3, 4}  # the documented ones (130 is Ctrl-C)
TIME_BOUND = 30.0  # seconds per run, on a loaded machine
# What `spec drift` prints on stderr before anything else when it picks the vendored spec itself.
NOTES = ("spec: ",)

HOSTILE = [
    "",
    " ",
    "0",
    "1",
    "-1",
    "0.5",
    "1e-9",
    "nan",
    "inf",
    "-inf",
    "1e308",
    "70000",
    "99999999999999999999999999",
    "99999999d",
    "9999-12-31T23:59:59-14:00",
    "0001-01-01T00:00:00+14:00",
    "2h",
    "\udcff\udcfe",
    "..",
    ".",
    "sk-é",
    "a=b",
    "a=[1",
    "=x",
    "x" * 5000,
    "--",
    "-x",
    "true",
    "http://127.0.0.1:9",
    "socks5://u:p@127.0.0.1:1",
]
# Commands that serve until Ctrl-C or start a server themselves: fuzzed as subprocesses.
SUBPROCESS_COMMANDS = {("serve",), ("demo",)}


def _leaves(group: click.Group, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None
        if isinstance(command, click.Group):
            yield from _leaves(command, (*path, name))
        else:
            yield (*path, name), command


COMMANDS = dict(_leaves(main))


@pytest.fixture(scope="module")
def fuzz_server() -> Iterator[NotteTestServer]:
    """Finished runs only (`runs watch --until-idle` ends after one poll); started runs end at once."""
    with NotteTestServer(run_plan=RunPlan(duration=0, outcome="closed")) as server:
        server.add_function(FN)
        server.add_runs(FN, [{"status": "closed"} for _ in range(30)])
        yield server


def _plausible(param: click.Parameter, run_id: str) -> list[str]:
    if isinstance(param.type, click.Choice):
        return [str(choice) for choice in param.type.choices]
    return {
        "function_id": [FN, "fn-missing"],
        "run_id": [run_id, "run-missing"],
        "base": ["openapi.json"],
        "revision": ["openapi.json", "tests/revisions/upstream-1.10.json"],
        "upstream": ["openapi.json"],
        "vendored": ["openapi.json"],
        "file": ["tests/revisions/derive.py", "-"],  # a workflow to upload (stdin: empty, refused)
    }.get(param.name or "", [])


@st.composite
def _value(draw: st.DrawFn, param: click.Parameter, run_id: str) -> str:
    return draw(st.sampled_from(_plausible(param, run_id) + HOSTILE))


@st.composite
def argvs(draw: st.DrawFn, path: tuple[str, ...], command: click.Command, run_id: str) -> list[str]:
    """The command's arguments (each plausible or hostile), then up to four of its options, any order."""
    argv = list(path)
    for param in command.params:
        if isinstance(param, click.Argument):
            argv.append(draw(_value(param, run_id)))
    options = [param for param in command.params if isinstance(param, click.Option) and param.name != "help"]
    for option in draw(st.lists(st.sampled_from(options), max_size=4)) if options else []:
        argv.append(draw(st.sampled_from(option.opts)))
        if not option.is_flag:
            argv.append(draw(_value(option, run_id)))
    return argv


def _fuzz_examples() -> int:
    """Per command: a quarter of the profile's examples (ci 150 -> 37, proof 5,000 -> 400 at most)."""
    return min(int(settings().max_examples) // 4, 400)


def check_ending(argv: list[str], exit_code: int | None, stderr: str, elapsed: float) -> None:
    assert exit_code in EXIT_CODES, (argv, exit_code, stderr[-2000:])
    if "--debug" not in argv:
        assert "Traceback" not in stderr, (argv, stderr[-2000:])
    if exit_code == 2:
        lines = [line for line in stderr.splitlines() if not line.startswith(NOTES)]
        assert len(lines) == 1 or "--debug" in argv, (argv, stderr[-2000:])
        assert lines[-1].startswith("Error: "), (argv, stderr[-2000:])
    assert elapsed < TIME_BOUND, (argv, elapsed)


def invoke(argv: list[str], env: dict[str, str]) -> None:
    """Run argv in-process and check how it ended; an exception that escaped click is a failure."""
    begun = time.monotonic()
    result = CliRunner().invoke(main, argv, env=env, catch_exceptions=True)
    elapsed = time.monotonic() - begun
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{argv!r} raised {result.exception!r}") from result.exception
    check_ending(argv, result.exit_code, result.stderr, elapsed)


@pytest.mark.parametrize("path", [path for path in COMMANDS if path not in SUBPROCESS_COMMANDS], ids=" ".join)
def test_fuzz_command_line(path: tuple[str, ...], fuzz_server: NotteTestServer) -> None:
    command = COMMANDS[path]
    run_id = fuzz_server.add_run(FN, status="closed")["function_run_id"]
    env = {"NOTTE_API_KEY": fuzz_server.api_key, "NOTTE_API_URL": fuzz_server.url}
    # Retries wait (up to 30 s each): the fuzz runs without them, unless it draws --max-retries itself.
    prefix = ["--max-retries", "0"]
    suffix = ["--until-idle"] if path == ("runs", "watch") else []  # it ends: the server has no active run

    @settings(max_examples=_fuzz_examples())
    @given(argv=argvs(path, command, run_id))
    def run(argv: list[str]) -> None:
        invoke([*prefix, *argv, *suffix], env)

    run()


@pytest.mark.parametrize("path", sorted(SUBPROCESS_COMMANDS), ids=" ".join)
def test_fuzz_server_commands_as_processes(path: tuple[str, ...]) -> None:
    """`serve` and `demo` for real: a valid `serve` is listening after a second (then stopped)."""
    command = COMMANDS[path]

    @settings(max_examples=min(int(settings().max_examples) // 15, 20))  # ci 10; a valid demo takes seconds
    @given(argv=argvs(path, command, "run-1"))
    def run(argv: list[str]) -> None:
        begun = time.monotonic()
        process = subprocess.Popen([CLI, *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={"PATH": ""})
        try:
            stdout, stderr = process.communicate(timeout=3 if path == ("serve",) else TIME_BOUND)
        except subprocess.TimeoutExpired:
            process.kill()
            stdout, stderr = process.communicate()
            assert path == ("serve",), (argv, stderr[-2000:])
            assert b"Notte test server listening on http://127.0.0.1:" in stdout, (argv, stderr[-2000:])
            return
        check_ending(argv, process.returncode, stderr.decode("utf-8", "backslashreplace"), time.monotonic() - begun)

    run()


def _plausible_arguments(command: click.Command, run_id: str) -> list[str]:
    return [_plausible(param, run_id)[0] for param in command.params if isinstance(param, click.Argument)]


@pytest.mark.parametrize("path", [path for path in COMMANDS if path not in SUBPROCESS_COMMANDS], ids=" ".join)
def test_every_option_with_every_hostile_value(path: tuple[str, ...], fuzz_server: NotteTestServer) -> None:
    """The sweep the fuzz samples from, whole: each option of the command once with each hostile value
    (the arguments plausible), and each argument with each hostile value (the others plausible)."""
    command = COMMANDS[path]
    run_id = fuzz_server.add_run(FN, status="closed")["function_run_id"]
    env = {"NOTTE_API_KEY": fuzz_server.api_key, "NOTTE_API_URL": fuzz_server.url}
    arguments = _plausible_arguments(command, run_id)
    suffix = ["--until-idle"] if path == ("runs", "watch") else []
    cases = []
    for param in command.params:
        if isinstance(param, click.Option) and not param.is_flag and param.name != "help":
            cases += [[*arguments, param.opts[0], value] for value in HOSTILE]
        elif isinstance(param, click.Argument):
            index = [p for p in command.params if isinstance(p, click.Argument)].index(param)
            cases += [[*arguments[:index], value, *arguments[index + 1 :]] for value in HOSTILE]
    for case in cases:
        invoke(["--max-retries", "0", *path, *case, *suffix], env)
