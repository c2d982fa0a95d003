"""The notte-ext command line, through its real entry point, against the local server."""

from __future__ import annotations

import csv
import io
import json
import math
import re
import subprocess
import sys
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path
from typing import Any

import click
import pytest

from notte_ext import spec_version
from notte_ext.cli._app import AppState
from notte_ext.cli._output import json_text
from notte_ext.errors import ConfigurationError
from notte_ext.testing import NotteTestServer

CLI = str(Path(sys.executable).with_name("notte-ext"))
FUNCTION_ID = "fn-1"


def notte_ext(
    *args: str, server: NotteTestServer | None = None, key: str | None = None, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    """The command's run (`input`: its stdin, else the test's)."""
    options = []
    if server is not None:
        options = ["--api-key", key or server.api_key, "--base-url", server.url]
    return subprocess.run(
        [CLI, *options, "--max-retries", "0", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": ""},
        input=input,
    )


def records(server: NotteTestServer, *args: str) -> list[dict[str, object]]:
    result = notte_ext("runs", "list", FUNCTION_ID, "--format", "jsonl", *args, server=server)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_json_is_one_array_with_the_specs_field_names(server: NotteTestServer) -> None:
    result = notte_ext("runs", "list", FUNCTION_ID, "--format", "json", server=server)
    assert result.returncode == 0, result.stderr
    runs = json.loads(result.stdout)
    assert len(runs) == 250
    assert set(runs[0]) >= {"function_id", "function_run_id", "created_at", "updated_at", "status", "workflow_id"}
    assert result.stderr == ""  # no progress noise when nobody watches


def test_jsonl_and_csv_and_table_hold_the_same_runs(server: NotteTestServer) -> None:
    jsonl = records(server)
    rows = list(
        csv.DictReader(io.StringIO(notte_ext("runs", "list", FUNCTION_ID, "--format", "csv", server=server).stdout))
    )
    assert [row["function_run_id"] for row in rows] == [run["function_run_id"] for run in jsonl]
    assert rows[0]["status"] == jsonl[0]["status"]
    assert [row["local"] for row in rows] == [json.dumps(run["local"]) for run in jsonl]  # true/false, as in JSON
    assert {row["local"] for row in rows} == {"true", "false"}
    table = notte_ext("runs", "list", FUNCTION_ID, "--format", "table", "--limit", "3", server=server)
    assert table.returncode == 0
    for run in jsonl[:3]:
        assert str(run["function_run_id"]) in table.stdout
    assert "3 run(s)" in table.stdout
    assert "╭" not in table.stdout  # no box drawing when piped


@pytest.mark.parametrize("output_format", ["jsonl", "json", "csv"])
def test_every_json_output_keeps_integers_past_64_bits_and_non_ascii(output_format: str) -> None:
    """orjson writes the records, and refuses an int past 64 bits: such a run is still written, exactly."""
    big, text = 2**70 + 1, "résumé ✓"
    with NotteTestServer() as own:
        own.add_function(FUNCTION_ID)
        own.add_runs(FUNCTION_ID, [{"variables": {"count": big, "note": text}}, {"variables": {"count": 1}}])
        result = notte_ext("runs", "list", FUNCTION_ID, "--format", output_format, server=own)
    variables = variables_written(result, output_format)
    assert sorted(variables, key=len) == [{"count": 1}, {"count": big, "note": text}]
    assert text in result.stdout  # written as is, not as \\u escapes


def variables_written(result: subprocess.CompletedProcess[str], output_format: str) -> list[Any]:
    """The `variables` of each run a listing wrote in `output_format`, read back as a reader would."""
    assert result.returncode == 0, result.stderr
    if output_format == "csv":
        return [json.loads(row["variables"]) for row in csv.DictReader(io.StringIO(result.stdout))]
    runs = json.loads(result.stdout) if output_format == "json" else map(json.loads, result.stdout.splitlines())
    return [run["variables"] for run in runs]


@pytest.mark.parametrize("output_format", ["jsonl", "json", "csv"])
def test_every_output_keeps_numbers_past_a_floats_range_and_nan(output_format: str) -> None:
    """orjson writes an infinity (`1e400` read) or a NaN as `null`, as if the value were missing: they are
    written as `1e999`, `-1e999` (JSON, read back as infinities) and `NaN` (as Python's json writes it)."""
    with NotteTestServer() as own:
        own.add_function(FUNCTION_ID)
        own.add_runs(FUNCTION_ID, [{"variables": {"up": math.inf, "down": [-math.inf], "nan": math.nan, "no": None}}])
        result = notte_ext("runs", "list", FUNCTION_ID, "--format", output_format, server=own)
    [variables] = variables_written(result, output_format)
    assert variables["up"] == math.inf
    assert variables["down"] == [-math.inf]
    assert math.isnan(variables["nan"])
    assert variables["no"] is None
    assert "-1e999" in result.stdout
    assert "Infinity" not in result.stdout


@pytest.mark.parametrize("indent", [False, True])
def test_json_text_writes_non_finite_numbers_in_orjsons_layout(indent: bool) -> None:
    finite = {"id": "r-1", "variables": {"n": [1, 2.5, None, True, {}], "note": "résumé", "deep": {"x": [-7.5]}}}
    beyond = {
        "id": "r-1",
        "variables": {"n": [1, math.inf, None, True, {}], "note": "résumé", "deep": {"x": [-math.inf]}},
    }
    assert json_text(beyond, indent) == json_text(finite, indent).replace("2.5", "1e999").replace("-7.5", "-1e999")
    assert json.loads(json_text({"big": 2**64, "n": math.nan}, indent)).keys() == {"big", "n"}
    assert json_text([None, math.nan], indent) != json_text([None, None], indent)


@pytest.mark.parametrize("indent", [False, True])
def test_json_text_lays_out_what_json_writes_for_orjson_alike(indent: bool) -> None:
    """The fallback for what orjson refuses writes the same layout, so no record stands out."""
    value = {"id": "r-1", "variables": {"n": [1, 2.5, None, True], "note": "résumé"}, "logs": []}
    assert json_text(value, indent) == json_text({**value, "big": 2**64}, indent).replace(
        ',"big":18446744073709551616' if not indent else ',\n  "big": 18446744073709551616', ""
    )
    assert json.loads(json_text({**value, "big": 2**64}, indent))["big"] == 2**64


def test_piped_output_defaults_to_jsonl(server: NotteTestServer) -> None:
    result = notte_ext("runs", "list", FUNCTION_ID, "--limit", "2", server=server)
    assert [json.loads(line)["function_id"] for line in result.stdout.splitlines()] == [FUNCTION_ID, FUNCTION_ID]


def test_filters(server: NotteTestServer) -> None:
    everything = records(server)
    assert records(server, "--status", "failed") == [run for run in everything if run["status"] == "failed"]
    assert {run["status"] for run in records(server, "--running")} == {"active"}
    assert server.requests[-1].query["only_active"] == "true"
    since, until = everything[50]["created_at"], everything[10]["created_at"]
    assert records(server, "--since", str(since), "--until", str(until)) == everything[11:51]
    assert len(records(server, "--limit", "7")) == 7
    assert records(server, "--since", "1h") == []  # sample runs are older than an hour


def test_summary(server: NotteTestServer) -> None:
    result = notte_ext("runs", "summary", FUNCTION_ID, server=server)
    assert result.returncode == 0, result.stderr
    assert f"Function {FUNCTION_ID}: 250 run(s)" in result.stdout
    assert "failure rate" in result.stdout
    assert "█" in result.stdout


def test_json_pipes_into_json_tool(server: NotteTestServer) -> None:
    listing = subprocess.Popen(
        [CLI, "--api-key", server.api_key, "--base-url", server.url, "runs", "list", FUNCTION_ID, "--format", "json"],
        stdout=subprocess.PIPE,
    )
    tool = subprocess.run([sys.executable, "-m", "json.tool"], stdin=listing.stdout, capture_output=True, text=True)
    assert listing.wait(timeout=60) == 0
    assert listing.stdout is not None
    listing.stdout.close()
    assert tool.returncode == 0
    assert len(json.loads(tool.stdout)) == 250


def test_invalid_key_is_exit_1_with_one_line_and_no_key(server: NotteTestServer) -> None:
    result = notte_ext("runs", "list", FUNCTION_ID, server=server, key="sk-definitely-wrong-key")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("Error: GET /functions/fn-1/runs failed: HTTP 401")
    assert "sk-definitely-wrong-key" not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_debug_shows_the_traceback_but_still_not_the_key(server: NotteTestServer) -> None:
    result = notte_ext("--debug", "runs", "list", FUNCTION_ID, server=server, key="sk-definitely-wrong-key")
    assert result.returncode == 1
    assert "Traceback" in result.stderr
    assert "sk-definitely-wrong-key" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--api-key", "k", "--base-url", "http://127.0.0.1:9", "runs", "list", FUNCTION_ID], 3),  # refused
        (["runs", "list", FUNCTION_ID], 2),  # no key
        (["runs", "list", FUNCTION_ID, "--api-key", "sk-\u00e9"], 2),  # a key that is not ASCII
    ],
)
def test_debug_adds_the_traceback_and_keeps_the_exit_code(args: list[str], code: int) -> None:
    plain, debug = notte_ext(*args), notte_ext("--debug", *args)
    assert plain.returncode == debug.returncode == code, debug.stderr
    assert "Traceback" not in plain.stderr
    assert "Traceback" in debug.stderr
    assert debug.stderr.splitlines()[-1] == plain.stderr.strip()  # the same one-line error, last


def test_unreachable_base_url_is_exit_3() -> None:
    result = notte_ext("--api-key", "k", "--base-url", "http://127.0.0.1:9", "runs", "list", FUNCTION_ID)
    assert result.returncode == 3
    assert result.stderr.startswith("Error: GET /functions/fn-1/runs could not complete against http://127.0.0.1:9")


def test_json_output_of_a_listing_that_fails_at_once_is_nothing_not_an_open_array() -> None:
    result = notte_ext(
        "--api-key", "k", "--base-url", "http://127.0.0.1:9", "runs", "list", FUNCTION_ID, "--format", "json"
    )
    assert (result.returncode, result.stdout) == (3, "")


def test_json_output_of_an_empty_listing_is_an_empty_array(server: NotteTestServer) -> None:
    server.add_function("fn-empty")
    result = notte_ext("runs", "list", "fn-empty", "--format", "json", server=server)
    assert (result.returncode, json.loads(result.stdout)) == (0, [])


HOSTILE_TEXT = "\x1b]0;PWNED\x07\x1b[2J[/][bold]x:smile:\u009b"


@pytest.mark.parametrize("output_format", ["table", "fields"])
def test_server_text_never_reaches_the_terminal_as_control_characters_or_markup(
    server: NotteTestServer, output_format: str
) -> None:
    """A run's text is the server's: escaped (`\\x1b`), never sent raw to the terminal, and never read as
    rich markup or emoji codes (`[/]` would even raise)."""
    run = server.add_run(FUNCTION_ID, session_id=HOSTILE_TEXT)
    args = (
        ["runs", "get", FUNCTION_ID, run["function_run_id"], "--format", "table"]
        if output_format == "fields"
        else [
            "runs",
            "list",
            FUNCTION_ID,
            "--format",
            "table",
            "--limit",
            "1",
            "--columns",
            "function_run_id,session_id",
        ]
    )
    result = notte_ext(*args, server=server)
    assert result.returncode == 0, result.stderr
    assert not any(char in result.stdout for char in "\x1b\x07\u009b")
    assert "\\x1b]0;PWNED\\x07\\x1b[2J[/][bold]x:smile:\\x9b" in result.stdout


ACTIVE_IN_JSON = HOSTILE_TEXT + "\x7f\u0085 line\u2028separated\u2029"


@pytest.mark.parametrize("output_format", ["jsonl", "json", "csv"])
def test_data_formats_keep_a_servers_text_exactly_and_json_carries_nothing_a_terminal_acts_on(
    server: NotteTestServer, output_format: str
) -> None:
    """Piped, every format gives back the exact text. JSON also escapes what it may carry raw but a
    terminal acts on (DEL, C1: CSI U+009B) or str.splitlines() cuts a jsonl line at (U+0085, U+2028,
    U+2029): losslessly, as JSON escapes. CSV has no escapes, so piped it is the data as is."""
    server.add_function("fn-hostile")
    server.add_run("fn-hostile", session_id=ACTIVE_IN_JSON)
    server.add_run("fn-hostile", session_id="plain")
    result = notte_ext("runs", "list", "fn-hostile", "--format", output_format, server=server)
    assert result.returncode == 0, result.stderr
    if output_format == "csv":
        rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
        assert sorted(row["session_id"] for row in rows) == sorted([ACTIVE_IN_JSON, "plain"])
        return
    assert not any(char in result.stdout for char in "\x1b\x07\x7f\u0085\u009b\u2028\u2029")
    lines = result.stdout.splitlines()
    records = [json.loads(line) for line in lines] if output_format == "jsonl" else json.loads(result.stdout)
    assert len(records) == 2
    if output_format == "jsonl":
        assert len(lines) == 2  # one line per run, even for str.splitlines()
    assert sorted(record["session_id"] for record in records) == sorted([ACTIVE_IN_JSON, "plain"])


def test_base_url_ports_outside_1_to_65535_are_configuration_errors() -> None:
    for port in ("99999", "0", "-1"):
        result = notte_ext("--api-key", "k", "--base-url", f"http://127.0.0.1:{port}", "runs", "list", FUNCTION_ID)
        assert result.returncode == 2, result.stderr
        assert (
            result.stderr.strip() == f"Error: base URL 'http://127.0.0.1:{port}' has port {port}: a port is 1 to 65535"
        )


def test_client_options_work_after_the_command(server: NotteTestServer) -> None:
    wrong_key_in_env = {"PATH": "", "NOTTE_API_KEY": "sk-wrong", "NOTTE_API_URL": "http://127.0.0.1:9"}
    args = ["runs", "list", FUNCTION_ID, "--limit", "2", "--api-key", server.api_key, "--base-url", server.url]
    result = subprocess.run([CLI, *args], capture_output=True, text=True, timeout=60, env=wrong_key_in_env)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 2
    summary = subprocess.run(
        [
            CLI,
            "--api-key",
            "sk-wrong",
            "runs",
            "summary",
            FUNCTION_ID,
            "--api-key",
            server.api_key,
            "--base-url",
            server.url,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": ""},
    )
    assert summary.returncode == 0, summary.stderr  # the later one wins
    assert f"Function {FUNCTION_ID}: 250 run(s)" in summary.stdout
    between = subprocess.run(
        [CLI, "runs", "--api-key", server.api_key, "--base-url", server.url, "list", FUNCTION_ID, "--limit", "1"],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": ""},
    )
    assert between.returncode == 0, between.stderr
    assert len(between.stdout.splitlines()) == 1


def test_debug_after_the_command_shows_the_traceback(server: NotteTestServer) -> None:
    result = notte_ext("runs", "list", FUNCTION_ID, "--debug", server=server, key="sk-definitely-wrong-key")
    assert result.returncode == 1
    assert "Traceback" in result.stderr
    assert "sk-definitely-wrong-key" not in result.stdout + result.stderr


def test_plain_http_refusal_names_the_cli_flag() -> None:
    result = notte_ext("runs", "list", FUNCTION_ID, "--api-key", "k", "--base-url", "http://api.example.com")
    assert result.returncode == 2
    assert result.stderr == (
        "Error: refusing plain http to api.example.com: use https, or pass allow_insecure_http=True"
        " (CLI: --allow-insecure-http)\n"
    )


def test_allow_insecure_http_reaches_the_client() -> None:
    # Through the entry point this would open a connection to a non-loopback host: check the wiring instead.
    state = AppState(api_key="k", base_url="http://api.example.com", allow_insecure_http=True)
    with state.client() as client:  # constructing touches no socket
        assert client.api.get_httpx_client().base_url == "http://api.example.com"
    with pytest.raises(ConfigurationError, match="--allow-insecure-http"):
        AppState(api_key="k", base_url="http://api.example.com").client()


def test_status_error_shows_the_path_as_sent(server: NotteTestServer) -> None:
    result = notte_ext("runs", "list", "a/b", server=server)
    assert result.returncode == 1
    assert result.stderr.startswith("Error: GET /functions/a%2Fb/runs failed: HTTP 404")
    assert server.requests[-1].raw_path.startswith("/functions/a%2Fb/runs")


def test_version_names_the_three_versions() -> None:
    result = notte_ext("--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        f"notte-ext {version('notte-ext')} (notte-api-client {version('notte-api-client')}, "
        f"Notte API spec {spec_version()})\n"
    )


def test_without_the_cli_extra_one_line_says_what_to_install(tmp_path: Path) -> None:
    # Stand in for an install without click: an import of it fails the way a missing module does.
    (tmp_path / "click").mkdir()
    (tmp_path / "click/__init__.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'click'\", name='click')\n"
    )
    result = subprocess.run(
        [CLI, "runs", "list", FUNCTION_ID],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "", "PYTHONPATH": str(tmp_path)},
    )
    assert result.returncode == 2
    assert result.stderr == (
        "notte-ext: the command line needs the cli extra (click is not installed): pip install 'notte-ext[cli]'\n"
    )


def test_missing_key_is_a_usage_error() -> None:
    result = notte_ext("runs", "list", FUNCTION_ID)
    assert result.returncode == 2
    assert "no API key" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["runs", "list"], "Missing argument 'FUNCTION_ID'"),
        (["runs", "list", FUNCTION_ID, "--page-size", "0"], "0 is not in the range 1<=x<=100"),
        (["runs", "list", FUNCTION_ID, "--since", "someday"], "is neither an ISO date/time nor an age"),
        (["runs", "list", FUNCTION_ID, "--status", "paused"], "'paused' is not one of"),
        (["runs", "list", FUNCTION_ID, "--format", "xml"], "'xml' is not one of"),
        (["runs", "list", FUNCTION_ID, "--limit", "-1"], "-1 is not in the range 0<=x<=1000000000"),
        (["runs", "list", FUNCTION_ID, "--timeout", "0"], "0.0 is not in the range 0.0<x<=3600.0"),
        (["runs", "list", FUNCTION_ID, "--max-retries", "-1"], "-1 is not in the range 0<=x<=100"),
        (["runs", "list", FUNCTION_ID, "--columns", "id"], "id is not a run field; choose from function_id,"),
        (
            ["runs", "list", FUNCTION_ID, "--columns", "status", "--format", "json"],
            "--columns applies to table and csv",
        ),
        (["runs", "list", FUNCTION_ID, "--colour"], "No such option '--colour'"),
        (["runs", "summary", FUNCTION_ID, "--since", "2d", "--until", "3d"], "is not after --since"),
        (["runs", "list", FUNCTION_ID, "--until", "2026-01-01", "--since", "2026-01-01"], "is not after --since"),
        (["--timeout", "soon", "runs", "list", FUNCTION_ID], "'soon' is not a valid float range"),
        (["runs", "lst", FUNCTION_ID], "No such command 'lst'. Did you mean 'list'?"),
        (["serve", "--port", "abc"], "'abc' is not a valid integer"),
        (["demo", "--runs", "-1"], "-1 is not in the range 0<=x<=50000"),
        (["runs", "list", ".."], "function_id '..' is not a valid function id"),
    ],
)
def test_bad_arguments_are_one_line_and_exit_2(args: list[str], message: str, server: NotteTestServer) -> None:
    result = notte_ext(*args, server=server)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stderr.startswith("Error: ")
    assert result.stderr.count("\n") == 1, result.stderr
    if "function id" not in message:  # a usage error points to the help of the command it is about
        assert re.search(
            r"See 'notte-ext( runs| runs list| runs summary| serve| demo)? --help'\.$", result.stderr.strip()
        )
    assert server.requests == []


def test_every_option_has_help() -> None:
    from notte_ext.cli import main

    def options(command: click.Command, path: str) -> Iterator[tuple[str, click.Option]]:
        for param in command.params:
            if isinstance(param, click.Option):
                yield path, param
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                yield from options(sub, f"{path} {name}")

    missing = [f"{path} {param.opts[0]}" for path, param in options(main, "notte-ext") if not param.help]
    assert missing == []


def test_demo_is_the_readme_main_job() -> None:
    result = subprocess.run([CLI, "demo", "--limit", "5"], capture_output=True, text=True, timeout=60, env={"PATH": ""})
    assert result.returncode == 0, result.stderr
    assert "$ notte-ext runs list fn-demo --limit 5 --format table" in result.stdout
    assert "5 run(s)" in result.stdout
    assert "Function fn-demo: 250 run(s)" in result.stdout
    # The run lifecycle: a run started, its log, its end.
    assert "$ notte-ext runs start fn-demo --var url=https://example.com --wait --format table" in result.stdout
    lifecycle = result.stdout[result.stdout.index("$ notte-ext runs start") :].splitlines()[1:]
    assert [line.split()[1] for line in lifecycle] == ["started", "log", "log", "status_changed"]
    assert lifecycle[-1].endswith("active -> closed")


def test_serve_on_a_busy_port_names_it(server: NotteTestServer) -> None:
    busy = server.url.rsplit(":", 1)[1]
    result = notte_ext("serve", "--port", busy)
    assert result.returncode == 2
    assert result.stderr == f"Error: port {busy} on 127.0.0.1 is in use: pick another --port, or 0 for a free one\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["serve", "--port", "70000"], "70000 is not in the range 0<=x<=65535"),
        (["serve", "--runs", "100000000"], "100000000 is not in the range 0<=x<=50000"),
        (["serve", "--latency", "nan"], "'nan' is not a finite number"),
        (["runs", "list", "\udcff\udcfe"], "has bytes that are not UTF-8 at position 0"),
        (["runs", "list", FUNCTION_ID, "--since", "99999999d"], "is outside the dates Python can represent"),
        (["runs", "list", FUNCTION_ID, "--until", "9999-12-31T23:59:59-14:00"], "outside the dates"),
        (["runs", "list", FUNCTION_ID, "--timeout", "nan"], "'nan' is not a finite number"),
        (["runs", "list", FUNCTION_ID, "--timeout", "1e308"], "1e+308 is not in the range 0.0<x<=3600.0"),
        (["runs", "watch", FUNCTION_ID, "--for", "inf"], "inf is not in the range 0.0<x<=2592000.0"),
    ],
)
def test_hostile_values_are_usage_errors(args: list[str], message: str) -> None:
    result = subprocess.run(
        [CLI, "--api-key", "k", "--base-url", "http://127.0.0.1:9", *args],
        capture_output=True,
        timeout=60,
        env={"PATH": ""},
    )
    stderr = result.stderr.decode("utf-8", "backslashreplace")
    assert result.returncode == 2, stderr
    assert message in stderr
    assert stderr.count("\n") == 1
    assert "Traceback" not in stderr


def test_a_key_that_is_not_utf8_is_never_shown() -> None:
    secret = "sk-\udcffvery-secret-part"
    result = notte_ext("runs", "list", FUNCTION_ID, "--api-key", secret)
    assert result.returncode == 2
    assert "very-secret" not in result.stderr
    assert "Invalid value for '--api-key': the value has bytes that are not UTF-8 at position 3" in result.stderr
