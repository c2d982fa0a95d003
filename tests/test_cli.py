"""The notte-ext command line, through its real entry point, against the local server."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from notte_ext.testing import NotteTestServer

CLI = str(Path(sys.executable).with_name("notte-ext"))
FUNCTION_ID = "fn-1"


def notte_ext(
    *args: str, server: NotteTestServer | None = None, key: str | None = None
) -> subprocess.CompletedProcess[str]:
    options = []
    if server is not None:
        options = ["--api-key", key or server.api_key, "--base-url", server.url]
    return subprocess.run(
        [CLI, *options, "--max-retries", "0", *args], capture_output=True, text=True, timeout=60, env={"PATH": ""}
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
    table = notte_ext("runs", "list", FUNCTION_ID, "--format", "table", "--limit", "3", server=server)
    assert table.returncode == 0
    for run in jsonl[:3]:
        assert str(run["function_run_id"]) in table.stdout
    assert "3 run(s)" in table.stdout
    assert "╭" not in table.stdout  # no box drawing when piped


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


def test_unreachable_base_url_is_exit_3() -> None:
    result = notte_ext("--api-key", "k", "--base-url", "http://127.0.0.1:9", "runs", "list", FUNCTION_ID)
    assert result.returncode == 3
    assert result.stderr.startswith("Error: GET /functions/fn-1/runs could not complete against http://127.0.0.1:9")


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
        (["runs", "list", ".."], "function_id '..' is not a valid function id"),
    ],
)
def test_bad_arguments_are_exit_2(args: list[str], message: str, server: NotteTestServer) -> None:
    result = notte_ext(*args, server=server)
    assert result.returncode == 2
    assert message in result.stderr
    assert server.requests == []


def test_demo_is_the_readme_main_job() -> None:
    result = subprocess.run([CLI, "demo", "--limit", "5"], capture_output=True, text=True, timeout=60, env={"PATH": ""})
    assert result.returncode == 0, result.stderr
    assert "$ notte-ext runs list fn-demo --limit 5 --format table" in result.stdout
    assert "5 run(s)" in result.stdout
    assert "Function fn-demo: 250 run(s)" in result.stdout
