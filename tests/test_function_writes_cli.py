"""`notte-ext functions create|update|fork|schedule|unschedule` through the real entry point, against the
local server: what the server holds afterwards, every way one fails (exit 2 before any request for a bad
file or option, 1 when the API refuses, 3 when it can't be reached), and a write sent once."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from notte_ext._bodies import MAX_UPLOAD_BYTES
from notte_ext.cli import main
from notte_ext.cli.function_writes import create, update
from notte_ext.functions import upload_options
from notte_ext.testing import DropConnection, Match, NotteTestServer, Status
from tests.test_cli import CLI, notte_ext

FN = "fn-deploy"
WORKFLOW = b"from notte_sdk import NotteClient\n\ndef run(url: str) -> str:\n    return url\n"


@pytest.fixture
def server(notte_server: NotteTestServer) -> NotteTestServer:
    notte_server.add_function(FN)
    return notte_server


@pytest.fixture
def workflow(tmp_path: Path) -> Path:
    path = tmp_path / "scraper.py"
    path.write_bytes(WORKFLOW)
    return path


def one(stdout: str) -> dict[str, object]:
    (record,) = [json.loads(line) for line in stdout.splitlines()]
    assert isinstance(record, dict)
    return record


def writes(server: NotteTestServer) -> list[str]:
    return [f"{r.method} {r.path}" for r in server.requests if r.method != "GET"]


def test_create_uploads_the_file_with_the_specs_form_fields_and_prints_the_function(
    server: NotteTestServer, workflow: Path
) -> None:
    created = notte_ext(
        "functions", "create", str(workflow), "--name", "scraper", "--description", "Scrapes",
        "--shared", "--no-restricted", "--format", "jsonl", server=server,
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    function = one(created.stdout)
    stored = server.functions.get(str(function["function_id"]))
    assert stored is not None
    assert stored.files == {"1": WORKFLOW}
    assert (stored.body["name"], stored.body["description"], stored.body["shared"]) == ("scraper", "Scrapes", True)
    assert stored.extra == {"restricted": False}
    assert (function["name"], function["shared"], function["versions"]) == ("scraper", True, ["1"])
    private = notte_ext("functions", "create", str(workflow), "--private", "--format", "json", server=server)
    assert private.returncode == 0, private.stderr
    assert json.loads(private.stdout)["shared"] is False
    table = notte_ext("functions", "create", str(workflow), "--name", "t", "--format", "table", server=server)
    fields = dict(line.split(None, 1) for line in table.stdout.splitlines() if " " in line.strip())
    assert (table.returncode, fields["name"].strip(), fields["latest_version"].strip()) == (0, "t", "1")
    csv = notte_ext("functions", "create", str(workflow), "--format", "csv", server=server)
    assert csv.returncode == 0, csv.stderr
    assert csv.stdout.splitlines()[0].startswith("function_id,")


def test_create_reads_the_workflow_from_stdin(server: NotteTestServer) -> None:
    created = notte_ext("functions", "create", "-", "--name", "piped", server=server, input=WORKFLOW.decode())
    assert created.returncode == 0, created.stderr
    stored = server.functions.get(str(one(created.stdout)["function_id"]))
    assert stored is not None
    assert (stored.files, stored.body["name"]) == ({"1": WORKFLOW}, "piped")


def test_a_file_name_that_is_not_utf8_uploads(server: NotteTestServer, tmp_path: Path) -> None:
    """A name holding bytes that were not UTF-8 reached httpx as lone surrogates: a traceback, exit 1."""
    path = os.fsdecode(bytes(tmp_path) + b"/scr\xffper.py")
    Path(path).write_bytes(WORKFLOW)
    created = notte_ext("functions", "create", path, server=server)
    assert created.returncode == 0, created.stderr
    stored = server.functions.get(str(one(created.stdout)["function_id"]))
    assert stored is not None
    assert stored.files == {"1": WORKFLOW}


def test_every_form_field_and_query_parameter_of_the_spec_is_an_option() -> None:
    """The options are read from the vendored spec: a bump that adds a form field adds an option."""
    for command, method in [(create, "create"), (update, "update")]:
        form, query = upload_options(method)  # type: ignore[arg-type]
        assert {*form, *query} <= {param.name for param in command.params}


def test_update_uploads_a_new_version(server: NotteTestServer, workflow: Path) -> None:
    workflow.write_bytes(b"def run() -> None:\n    pass\n")
    updated = notte_ext("functions", "update", FN, str(workflow), "--version", "v2", server=server)
    assert updated.returncode == 0, updated.stderr
    assert (one(updated.stdout)["latest_version"], one(updated.stdout)["versions"]) == ("v2", ["1", "v2"])
    stored = server.functions.get(FN)
    assert stored is not None
    assert stored.files["v2"] == b"def run() -> None:\n    pass\n"
    got = notte_ext("functions", "get", FN, "--version", "v2", "--format", "json", server=server)
    assert json.loads(got.stdout)["url"].endswith(f"/downloads/{FN}/v2")


def test_fork_copies_the_function(server: NotteTestServer) -> None:
    forked = notte_ext("functions", "fork", FN, server=server)
    assert forked.returncode == 0, forked.stderr
    copy = one(forked.stdout)
    assert copy["function_id"] != FN
    assert copy["reference_workflow_id"] == FN
    stored = server.functions.get(str(copy["function_id"]))
    original = server.functions.get(FN)
    assert stored is not None
    assert original is not None
    assert stored.files == original.files


def test_schedule_and_unschedule(server: NotteTestServer) -> None:
    scheduled = notte_ext(
        "functions", "schedule", FN, "--cron", "0 * * * *", "--var", "url=https://example.com",
        "--var-json", "pages=3", server=server,
    )  # fmt: skip
    assert scheduled.returncode == 0, scheduled.stderr
    assert one(scheduled.stdout) == {"status": "success"}
    stored = server.functions.get(FN)
    assert stored is not None
    assert stored.schedule == {"cron": "0 * * * *", "variables": {"url": "https://example.com", "pages": 3}}

    refused = notte_ext("functions", "unschedule", FN, server=server)  # no terminal to ask on
    assert (refused.returncode, refused.stdout) == (2, "")
    assert "not unscheduling 'fn-deploy' without confirmation: pass --yes" in refused.stderr
    assert server.functions.get(FN).schedule is not None  # type: ignore[union-attr]
    removed = notte_ext("functions", "unschedule", FN, "--yes", server=server)
    assert removed.returncode == 0, removed.stderr
    assert one(removed.stdout) == {"status": "success"}
    assert server.functions.get(FN).schedule is None  # type: ignore[union-attr]


def test_unschedule_on_a_terminal_takes_no_for_an_answer(server: NotteTestServer) -> None:
    assert notte_ext("functions", "schedule", FN, "--cron", "0 * * * *", server=server).returncode == 0
    options = ["--api-key", server.api_key, "--base-url", server.url]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("notte_ext.cli.functions.interactive", lambda: True)
        declined = CliRunner().invoke(main, [*options, "functions", "unschedule", FN], input="n\n")
        assert (declined.exit_code, "Not unscheduled." in declined.output) == (1, True)
        assert server.functions.get(FN).schedule is not None  # type: ignore[union-attr]
        accepted = CliRunner().invoke(main, [*options, "functions", "unschedule", FN], input="y\n")
    assert accepted.exit_code == 0, accepted.output
    assert server.functions.get(FN).schedule is None  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--var", "a=1", "--var-json", "a=2"], "'a' is given more than once"),
        (["--var-json", "a={"], "'a': '{' is not JSON"),
        (["--var-json", 'a={"b": 1, "b": 2}'], "'a': the JSON has the key 'b' twice"),
        (["--var", "novalue"], "'novalue' is not KEY=VALUE"),
        ([], "Missing option '--cron'"),
    ],
)
def test_schedule_usage_errors_send_nothing(server: NotteTestServer, args: list[str], message: str) -> None:
    cron = [] if not args else ["--cron", "0 * * * *"]
    result = notte_ext("functions", "schedule", FN, *cron, *args, server=server)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert writes(server) == []


def _bad_files(tmp_path: Path) -> dict[str, tuple[str, str]]:
    large = tmp_path / "large.py"
    with large.open("wb") as file:  # sparse: the size without the disk
        file.truncate(MAX_UPLOAD_BYTES + 1)
    (tmp_path / "empty.py").write_bytes(b"")
    return {
        "missing": (str(tmp_path / "nope.py"), "does not exist"),
        "directory": (str(tmp_path), "is a directory"),
        "too large": (str(large), f"larger than {MAX_UPLOAD_BYTES:,} bytes"),
        "empty": (str(tmp_path / "empty.py"), "the workflow file is empty"),
    }


@pytest.mark.parametrize("case", ["missing", "directory", "too large", "empty"])
@pytest.mark.parametrize("command", [["create"], ["update", FN]])
def test_a_bad_workflow_file_is_one_line_exit_2_and_nothing_sent(
    server: NotteTestServer, tmp_path: Path, case: str, command: list[str]
) -> None:
    path, message = _bad_files(tmp_path)[case]
    result = notte_ext("functions", *command, path, server=server)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert writes(server) == []


def test_stdin_past_the_bound_is_refused_without_reading_it_all(server: NotteTestServer) -> None:
    result = notte_ext("functions", "create", "-", server=server, input="x" * (MAX_UPLOAD_BYTES + 4096))
    assert result.returncode == 2, result.stderr
    assert result.stderr == f"Error: the workflow file is larger than {MAX_UPLOAD_BYTES:,} bytes\n"
    assert writes(server) == []


# Root reads any file (CAP_DAC_OVERRIDE): as root, the command runs without the two capabilities that
# bypass file permissions, so an unreadable file is unreadable to it too (CI runs as root).
_WITHOUT_FILE_OVERRIDES = ["--inh-caps=-dac_override,-dac_read_search", "--bounding-set=-dac_override,-dac_read_search"]


@pytest.mark.skipif(
    os.geteuid() == 0 and shutil.which("setpriv") is None, reason="root reads any file, and no setpriv to drop that"
)
def test_an_unreadable_file_is_exit_2(server: NotteTestServer, workflow: Path) -> None:
    workflow.chmod(0)
    as_user = ["setpriv", *_WITHOUT_FILE_OVERRIDES] if os.geteuid() == 0 else []
    command = [*as_user, CLI, "--api-key", server.api_key, "--base-url", server.url, "functions", "create"]
    result = subprocess.run(
        [*command, str(workflow)], capture_output=True, text=True, timeout=60, env={"PATH": "/usr/bin:/bin"}
    )
    assert result.returncode == 2, result.stderr
    assert "not readable" in result.stderr
    assert writes(server) == []


@pytest.mark.parametrize(
    "args",
    [
        ["update", "no-such-fn", "WORKFLOW"],
        ["fork", "no-such-fn"],
        ["schedule", "no-such-fn", "--cron", "0 * * * *"],
        ["unschedule", "no-such-fn", "--yes"],
    ],
)
def test_an_unknown_function_is_the_apis_404_exit_1(server: NotteTestServer, workflow: Path, args: list[str]) -> None:
    result = notte_ext("functions", *[str(workflow) if arg == "WORKFLOW" else arg for arg in args], server=server)
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("Error: ")
    assert "HTTP 404" in result.stderr
    assert (len(result.stderr.splitlines()), result.stdout) == (1, "")


def test_the_servers_text_is_shown_escaped(server: NotteTestServer, workflow: Path) -> None:
    server.faults.add(Status(422, detail="bad file\x1b[2J\x07"), match=Match(operation_id="function_create"))
    result = notte_ext("functions", "create", str(workflow), server=server)
    assert result.returncode == 1, result.stderr
    assert "\x1b" not in result.stderr
    assert "\x07" not in result.stderr
    assert "\\x1b[2J" in result.stderr


@pytest.mark.parametrize(
    ("fault", "exit_code"), [(Status(503), 1), (DropConnection(), 3)], ids=["503", "connection dropped"]
)
@pytest.mark.parametrize(
    ("args", "operation_id"),
    [
        (["create", "WORKFLOW"], "function_create"),
        (["update", FN, "WORKFLOW"], "function_update"),
        (["fork", FN], "function_fork"),
        (["schedule", FN, "--cron", "0 * * * *"], "function_schedule_set"),
        # unschedule is a DELETE: idempotent (the same schedule-less function however often), so retried
    ],
)
def test_a_write_that_may_have_reached_the_api_is_sent_once(
    server: NotteTestServer, workflow: Path, fault: object, exit_code: int, args: list[str], operation_id: str
) -> None:
    """--max-retries 3 retries reads; a write that reached the API (a 503, a connection dropped after the
    request) is not sent again, which could create two functions or fork twice."""
    server.faults.add(fault, match=Match(operation_id=operation_id), times=None)  # type: ignore[arg-type]
    argv = [str(workflow) if arg == "WORKFLOW" else arg for arg in args]
    result = notte_ext("functions", *argv, "--max-retries", "3", server=server)
    assert result.returncode == exit_code, result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert len(writes(server)) == 1


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_no_key_nor_url_password_in_any_output(server: NotteTestServer, workflow: Path) -> None:
    secret = "pw-53cr3t"
    closed = f"127.0.0.1:{_closed_port()}"
    cases = [
        (["--base-url", server.url], 1),  # the API's 500
        (["--base-url", f"http://deployer:{secret}@{server.url.removeprefix('http://')}"], 2),  # refused: a password
        (["--base-url", server.url, "--proxy", f"http://deployer:{secret}@{closed}"], 3),  # unreachable proxy
    ]
    for options, code in cases:
        server.faults.add(Status(500), match=Match(operation_id="function_create"))
        result = notte_ext(*options, "--debug", "functions", "create", str(workflow), server=server)
        assert result.returncode == code, result.stderr
        shown = result.stdout + result.stderr
        assert server.api_key not in shown
        assert secret not in shown
