"""`notte-ext runs update FUNCTION_ID RUN_ID --status ...` through the real entry point, against the local
server: the run as `runs get` reads it afterwards, the body sent (only what was given, null included), every
way one fails (exit 2 before any request for a bad option or input, 1 when the API refuses, 3 when it can't
be reached), and an update sent once."""

from __future__ import annotations

import json

import click
import pytest

from notte_ext._bodies import MAX_UPLOAD_BYTES
from notte_ext.cli.run_commands import update
from notte_ext.functions import update_run_fields
from notte_ext.testing import DropConnection, Match, NotteTestServer, Status
from tests.test_cli import notte_ext
from tests.test_function_writes_cli import _closed_port, one, writes

FN = "fn-update"
UPDATE = "function_run_update_metadata"
STATUSES: list[str] = update_run_fields()[0]["status"]["enum"]


@pytest.fixture
def run_id(notte_server: NotteTestServer) -> str:
    notte_server.add_function(FN)
    return str(notte_server.add_run(FN, status="active", result="first", session_id="s-0")["function_run_id"])


def got(server: NotteTestServer, run_id: str) -> dict[str, object]:
    read = notte_ext("runs", "get", FN, run_id, "--format", "jsonl", server=server)
    assert read.returncode == 0, read.stderr
    return one(read.stdout)


def sent(server: NotteTestServer) -> list[object]:
    return [json.loads(request.body) for request in server.requests if request.method == "PATCH"]


def test_update_sets_the_status_and_the_fields_given(notte_server: NotteTestServer, run_id: str) -> None:
    updated = notte_ext(
        "runs", "update", FN, run_id, "--status", "failed", "--result", '{"rows": 2}', "--logs", '["a", "b"]',
        "--variables", '{"url": "https://example.com"}', "--session-id", "s-1", "--format", "jsonl",
        server=notte_server,
    )  # fmt: skip
    assert updated.returncode == 0, updated.stderr
    answer = one(updated.stdout)
    assert (answer["function_run_id"], answer["status"]) == (run_id, "updated")
    run = got(notte_server, run_id)
    assert (run["status"], run["logs"], run["session_id"]) == ("failed", ["a", "b"], "s-1")
    assert run["variables"] == {"url": "https://example.com"}
    assert json.loads(str(run["result"])) == {"rows": 2}  # the server keeps a JSON result as its text
    assert sent(notte_server) == [
        {
            "status": "failed",
            "result": {"rows": 2},
            "logs": ["a", "b"],
            "variables": {"url": "https://example.com"},
            "session_id": "s-1",
        }
    ]


def test_a_field_not_given_is_not_sent_and_null_is(notte_server: NotteTestServer, run_id: str) -> None:
    """Unset, a field is left as it is; `null` is sent as null, which clears a nullable field."""
    assert notte_ext("runs", "update", FN, run_id, "--status", "closed", server=notte_server).returncode == 0
    assert (got(notte_server, run_id)["status"], got(notte_server, run_id)["result"]) == ("closed", "first")
    cleared = notte_ext("runs", "update", FN, run_id, "--status", "closed", "--result", "null", server=notte_server)
    assert cleared.returncode == 0, cleared.stderr
    assert got(notte_server, run_id)["result"] is None
    assert sent(notte_server) == [{"status": "closed"}, {"status": "closed", "result": None}]


@pytest.mark.parametrize("output_format", ["table", "json", "csv"])
def test_every_format_prints_the_answer(notte_server: NotteTestServer, run_id: str, output_format: str) -> None:
    updated = notte_ext(
        "runs", "update", FN, run_id, "--status", "failed", "--format", output_format, server=notte_server
    )
    assert updated.returncode == 0, updated.stderr
    assert run_id in updated.stdout
    assert "updated" in updated.stdout


def test_json_is_read_from_stdin(notte_server: NotteTestServer, run_id: str) -> None:
    logs = json.dumps([f"line {n}" for n in range(1000)])
    updated = notte_ext(
        "runs", "update", FN, run_id, "--status", "closed", "--logs", "-", server=notte_server, input=logs
    )
    assert updated.returncode == 0, updated.stderr
    assert got(notte_server, run_id)["logs"] == json.loads(logs)


def test_every_field_of_the_specs_update_body_is_an_option() -> None:
    """The options are read from the vendored spec: a bump that adds a field or a status adds an option or choice."""
    fields, required = update_run_fields()
    options = {param.name: param for param in update.params if isinstance(param, click.Option)}
    assert set(fields) <= set(options)
    assert {name for name in fields if options[name].required} == required == {"status"}
    assert isinstance(options["status"].type, click.Choice)
    assert list(options["status"].type.choices) == fields["status"]["enum"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        # The spec's statuses, whatever a bump adds (the rehearsal adds `cancelled`).
        (["--status", "paused"], f"'paused' is not one of {', '.join(map(repr, STATUSES))}"),
        ([], "Missing option '--status'"),
        (["--status", "closed", "--result", "{"], "Invalid value for '--result': '{' is not JSON"),
        (["--status", "closed", "--variables", "[1, 2"], "Invalid value for '--variables': '[1, 2' is not JSON"),
        (["--status", "closed", "--result", "[" * 100_000], "the JSON is nested too deep"),
        (["--status", "closed", "--logs", "null"], 'logs null is not of type "array"'),  # the spec allows no null
        (["--status", "closed", "--logs", "[1]"], 'logs.0 1 is not of type "string"'),
        (["--status", "closed", "--variables", "3"], "variables 3 is not valid under any of the schemas"),
    ],
)
def test_usage_errors_are_one_line_exit_2_and_nothing_sent(
    notte_server: NotteTestServer, run_id: str, args: list[str], message: str
) -> None:
    result = notte_ext("runs", "update", FN, run_id, *args, server=notte_server)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert (len(result.stderr.splitlines()), result.stdout) == (1, "")
    assert "Traceback" not in result.stderr
    assert writes(notte_server) == []


@pytest.mark.parametrize(
    ("stdin", "args", "message"),
    [
        ("x" * (MAX_UPLOAD_BYTES + 4096), ["--result", "-"], f"stdin holds more than {MAX_UPLOAD_BYTES:,} bytes"),
        ('"a"', ["--result", "-", "--logs", "-"], "stdin is read by '--result' already"),
        ("", ["--result", "-"], "'' is not JSON"),
    ],
    ids=["too large", "read twice", "empty"],
)
def test_bad_stdin_is_exit_2_and_nothing_sent(
    notte_server: NotteTestServer, run_id: str, stdin: str, args: list[str], message: str
) -> None:
    result = notte_ext("runs", "update", FN, run_id, "--status", "closed", *args, server=notte_server, input=stdin)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert writes(notte_server) == []


def test_an_unknown_run_is_the_apis_404_exit_1(notte_server: NotteTestServer, run_id: str) -> None:
    result = notte_ext("runs", "update", FN, "no-such-run", "--status", "closed", server=notte_server)
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("Error: ")
    assert "HTTP 404" in result.stderr
    assert (len(result.stderr.splitlines()), result.stdout) == (1, "")
    assert got(notte_server, run_id)["status"] == "active"


@pytest.mark.parametrize(
    ("fault", "exit_code", "message"),
    [(Status(503), 1, "HTTP 503"), (DropConnection(), 3, "the API may have processed it: not retried")],
    ids=["503", "connection dropped"],
)
def test_an_update_that_may_have_reached_the_api_is_sent_once(
    notte_server: NotteTestServer, run_id: str, fault: object, exit_code: int, message: str
) -> None:
    """--max-retries 3 retries reads; an update that reached the API (a 503, a connection dropped after the
    request) is not sent again: it may have been applied, and a later update by someone else overwritten."""
    notte_server.faults.add(fault, match=Match(operation_id=UPDATE), times=None)  # type: ignore[arg-type]
    result = notte_ext("runs", "update", FN, run_id, "--status", "failed", "--max-retries", "3", server=notte_server)
    assert result.returncode == exit_code, result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert writes(notte_server) == [f"PATCH /functions/{FN}/runs/{run_id}"]


def test_no_key_nor_url_password_in_any_output(notte_server: NotteTestServer, run_id: str) -> None:
    secret = "pw-53cr3t"
    closed = f"127.0.0.1:{_closed_port()}"
    cases = [
        (["--base-url", notte_server.url], 1),  # the API's 500
        (["--base-url", f"http://ops:{secret}@{notte_server.url.removeprefix('http://')}"], 2),  # a password: refused
        (["--base-url", notte_server.url, "--proxy", f"http://ops:{secret}@{closed}"], 3),  # unreachable proxy
    ]
    for options, code in cases:
        notte_server.faults.add(Status(500), match=Match(operation_id=UPDATE))
        result = notte_ext(*options, "--debug", "runs", "update", FN, run_id, "--status", "failed", server=notte_server)
        assert result.returncode == code, result.stderr
        shown = result.stdout + result.stderr
        assert notte_server.api_key not in shown
        assert secret not in shown
