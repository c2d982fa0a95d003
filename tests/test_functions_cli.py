"""`notte-ext functions list|get|delete` and `runs start|get|stop`, through the real entry point,
against the local server: every format, the exit codes `runs start --wait` shares with `runs watch`."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from dataclasses import dataclass
from typing import ClassVar

import pytest

from notte_ext.testing import Match, NotteTestServer, RunPlan
from notte_ext.testing.exchange import Reply
from notte_ext.testing.faults import FaultContext
from tests.test_cli import CLI, notte_ext

FN = "fn-sample"


@pytest.fixture
def server(notte_server: NotteTestServer) -> NotteTestServer:
    notte_server.add_function(FN, runs=3)
    notte_server.add_function("fn-other")
    notte_server.run_plan = RunPlan(duration=0.3, outcome="closed")
    return notte_server


def lines(stdout: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in stdout.splitlines()]


def test_functions_list_lists_every_function_in_every_format(server: NotteTestServer) -> None:
    jsonl = notte_ext("functions", "list", server=server)  # piped: jsonl
    assert jsonl.returncode == 0, jsonl.stderr
    assert sorted(str(f["function_id"]) for f in lines(jsonl.stdout)) == ["fn-other", FN]
    assert {r.query["only_active"] for r in server.requests if r.path == "/functions"} == {"false"}
    as_json = json.loads(notte_ext("functions", "list", "--format", "json", server=server).stdout)
    assert [f["function_id"] for f in as_json] == [f["function_id"] for f in lines(jsonl.stdout)]
    as_csv = notte_ext("functions", "list", "--format", "csv", "--columns", "function_id,status", server=server)
    assert next(csv.DictReader(io.StringIO(as_csv.stdout))).keys() == {"function_id", "status"}
    table = notte_ext("functions", "list", "--format", "table", server=server)
    assert table.stdout.splitlines()[0].split() == ["function_id", "name", "status", "latest_version", "updated_at"]
    assert table.stdout.endswith("2 function(s)\n")
    unknown = notte_ext("functions", "list", "--columns", "nope", "--format", "csv", server=server)
    assert unknown.returncode == 2
    assert "nope is not a function field" in unknown.stderr


def test_functions_get_shows_one_function_with_its_download_link(server: NotteTestServer) -> None:
    table = notte_ext("functions", "get", FN, "--format", "table", server=server)
    assert table.returncode == 0, table.stderr
    fields = dict(line.split(None, 1) for line in table.stdout.splitlines() if " " in line.strip())
    assert fields["function_id"].strip() == FN
    assert fields["url"].strip().endswith(f"/downloads/{FN}/1")
    assert json.loads(notte_ext("functions", "get", FN, "--format", "json", server=server).stdout)["name"] == FN
    missing = notte_ext("functions", "get", "no-such-fn", server=server)
    assert (missing.returncode, missing.stderr.startswith("Error: GET /functions/no-such-fn failed: HTTP 404")) == (
        1,
        True,
    )


def test_functions_delete_asks_first_and_refuses_without_a_terminal(server: NotteTestServer) -> None:
    refused = notte_ext("functions", "delete", "fn-other", server=server)  # stdin is not a terminal
    assert refused.returncode == 2
    assert "without confirmation: pass --yes" in refused.stderr
    assert server.functions.get("fn-other") is not None
    deleted = notte_ext("functions", "delete", "fn-other", "--yes", "--format", "jsonl", server=server)
    assert deleted.returncode == 0, deleted.stderr
    assert lines(deleted.stdout) == [{"status": "success", "message": "Function fn-other deleted"}]
    assert server.functions.get("fn-other") is None


@dataclass(frozen=True)
class DeletionFailed:
    """The API's 200 to a delete that did not happen (DeleteFunctionResponse's `failure`)."""

    answers_instead: ClassVar[bool] = True

    def apply(self, reply: Reply, context: FaultContext) -> None:
        reply.status, reply.body, reply.headers = 200, {"status": "failure", "message": "in use\x1b[31m"}, {}


def test_functions_delete_exits_1_when_the_api_says_it_failed(server: NotteTestServer) -> None:
    """The answer `failure` exited 0: `notte-ext functions delete X --yes && ...` went on as if deleted."""
    server.faults.add(DeletionFailed(), match=Match(operation_id="function_delete"))
    failed = notte_ext("functions", "delete", "fn-other", "--yes", "--format", "jsonl", server=server)
    assert failed.returncode == 1
    assert lines(failed.stdout) == [{"status": "failure", "message": "in use\x1b[31m"}]
    assert failed.stderr == ("Error: function 'fn-other' was not deleted: the API answered failure: in use\\x1b[31m\n")


def test_functions_delete_on_a_terminal_takes_no_for_an_answer(server: NotteTestServer) -> None:
    from click.testing import CliRunner

    from notte_ext.cli import main

    options = ["--api-key", server.api_key, "--base-url", server.url]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("notte_ext.cli.functions.interactive", lambda: True)
        answer = CliRunner().invoke(main, [*options, "functions", "delete", "fn-other"], input="n\n")
        assert answer.exit_code == 1
        assert "Not deleted." in answer.output
        assert server.functions.get("fn-other") is not None
        yes = CliRunner().invoke(main, [*options, "functions", "delete", "fn-other", "--format", "jsonl"], input="y\n")
    assert yes.exit_code == 0, yes.output
    assert server.functions.get("fn-other") is None


def test_runs_start_without_wait_prints_the_started_run(server: NotteTestServer) -> None:
    result = notte_ext("runs", "start", FN, "--var", "url=https://example.com", "--var-json", "n=3", server=server)
    assert result.returncode == 0, result.stderr
    (started,) = lines(result.stdout)
    assert (started["event"], started["status"]) == ("started", "active")
    run = server.store.get(FN, str(started["function_run_id"]))
    assert run is not None
    assert run.fields["variables"] == {"url": "https://example.com", "n": 3}


def test_runs_start_wait_prints_progress_and_exits_0_when_the_run_closes(server: NotteTestServer) -> None:
    result = notte_ext(
        "runs", "start", FN, "--var", "url=https://example.com", "--wait", "--interval", "0.5", server=server
    )
    assert result.returncode == 0, result.stderr
    events = lines(result.stdout)
    assert events[0]["event"] == "started"
    assert {"log"} <= {event["event"] for event in events}
    assert (events[-1]["event"], events[-1]["old_status"], events[-1]["new_status"]) == (
        "status_changed",
        "active",
        "closed",
    )
    assert events[-1]["run"]["result"] == "ok"  # type: ignore[index]


def test_runs_start_wait_exits_1_when_the_run_fails_with_exit_on_failed(server: NotteTestServer) -> None:
    server.run_plan = RunPlan(duration=0.3, outcome="failed")
    failing = ["runs", "start", FN, "--wait", "--interval", "0.5"]
    assert notte_ext(*failing, server=server).returncode == 0  # the wait ended: failure is not asked about
    result = notte_ext(*failing, "--exit-on", "failed", server=server)
    assert result.returncode == 1, result.stderr
    assert lines(result.stdout)[-1]["new_status"] == "failed"


def test_runs_start_wait_exits_4_when_the_wait_timeout_passes(server: NotteTestServer) -> None:
    server.run_plan = RunPlan(duration=60)
    result = notte_ext("runs", "start", FN, "--wait", "--wait-timeout", "0.4", "--interval", "0.5", server=server)
    assert result.returncode == 4
    assert result.stderr.startswith("Timeout: waiting for run ")
    assert "(the run goes on)" in result.stderr
    assert lines(result.stdout)[0]["event"] == "started"


def test_runs_start_wait_waits_for_a_start_answered_at_the_end_within_the_wait_timeout(server: NotteTestServer) -> None:
    """An API that names the run only with its outcome answers the start once the run ended: waiting,
    that answer is bounded by --wait-timeout (exit 4 like it), not by the per-request --timeout."""
    server.start_redirects = False
    server.run_plan = RunPlan(duration=1.2, outcome="closed")
    waited = notte_ext("--timeout", "0.5", "runs", "start", FN, "--wait", "--interval", "0.5", server=server)
    assert waited.returncode == 0, waited.stderr
    assert lines(waited.stdout)[0]["event"] == "started"
    unwaited = notte_ext("--timeout", "0.5", "runs", "start", FN, server=server)  # no wait: the per-request timeout
    assert unwaited.returncode == 3, unwaited.stderr
    server.run_plan = RunPlan(duration=60)
    timed_out = notte_ext("runs", "start", FN, "--wait", "--wait-timeout", "0.5", server=server)
    assert timed_out.returncode == 4, timed_out.stderr
    assert timed_out.stderr.startswith(
        "Timeout: no answer to the start of a run of function 'fn-sample' within the 0.5 s"
    )


def test_runs_start_options_that_need_wait_are_a_usage_error(server: NotteTestServer) -> None:
    result = notte_ext("runs", "start", FN, "--exit-on", "failed", server=server)
    assert result.returncode == 2
    assert "apply with --wait" in result.stderr
    bad = notte_ext("runs", "start", FN, "--var", "novalue", server=server)
    assert bad.returncode == 2
    assert "'novalue' is not KEY=VALUE" in bad.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--var", "a=1", "--var", "a=2"], "'a' is given more than once"),
        (["--var", "a=1", "--var-json", "a=2"], "'a' is given more than once"),
        (["--var", " a=1", "--var", "a=2"], "'a' is given more than once"),
        (["--var-json", "a=" + "[" * 5000 + "]" * 5000], "nested too deep or with too long a number"),
        (["--var-json", "a=" + "9" * 5000], "nested too deep or with too long a number"),
        (["--var-json", 'a={"b": 1, "b": 2}'], "'a': the JSON has the key 'b' twice"),
        (["--var-json", 'a=[{"c": {"b": 1, "b": 1}}]'], "'a': the JSON has the key 'b' twice"),
        (["--var-json", "a=NaN"], "'a': the JSON has NaN, which is not JSON"),
        (["--var-json", "a=[-Infinity]"], "'a': the JSON has -Infinity, which is not JSON"),
        (["--var-json", "a=1e999"], "'a': the JSON has 1e999, beyond the largest float"),
    ],
)
def test_runs_start_variables_that_would_be_lost_or_unreadable_are_usage_errors(
    server: NotteTestServer, args: list[str], message: str
) -> None:
    result = notte_ext("runs", "start", FN, *args, server=server)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not [r for r in server.requests if r.method == "POST"]


def test_runs_get_and_stop(server: NotteTestServer) -> None:
    server.run_plan = RunPlan(duration=60)
    run_id = str(lines(notte_ext("runs", "start", FN, server=server).stdout)[0]["function_run_id"])
    got = notte_ext("runs", "get", FN, run_id, "--format", "json", server=server)
    assert got.returncode == 0, got.stderr
    assert json.loads(got.stdout)["status"] == "active"
    stopped = notte_ext("runs", "stop", FN, run_id, server=server)
    assert stopped.returncode == 0, stopped.stderr
    assert lines(stopped.stdout)[0]["status"] == "stopped"
    assert (
        json.loads(notte_ext("runs", "get", FN, run_id, "--format", "json", server=server).stdout)["status"] == "closed"
    )
    assert notte_ext("runs", "get", FN, "no-such-run", server=server).returncode == 1


def test_the_key_never_shows_in_a_start(server: NotteTestServer) -> None:
    result = subprocess.run(
        [
            CLI,
            "--api-key",
            server.api_key,
            "--base-url",
            server.url,
            "--debug",
            "runs",
            "start",
            FN,
            "--wait",
            "--interval",
            "0.5",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert server.api_key not in result.stdout + result.stderr
