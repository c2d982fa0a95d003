"""Run inside a project copy after `make vendor UPSTREAM=<fixture>` (tests/test_spec_bump.py does).

Lists runs through the library and the CLI against the local server and checks what the bump
brought: the new query parameter is sent, the new status is filterable, the new field is an
attribute. Then the other operations, whatever the bump renamed: functions are listed (library and
CLI), a run is started and followed to its end, a field the run request gained is sent, and the run is
updated by the CLI to the new status (when the update body lists it).
Expectations come as JSON in argv[1]:
{"parameter": name, "value": v, "wire": "...", "status": s | null, "field": [name, value] | null,
 "start_field": [name, value] | null}
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from notte_ext import NotteClient, RunStatus
from notte_ext.testing import NotteTestServer, RunPlan

FUNCTION_ID = "fn-rehearsal"


def main(expected: dict[str, Any]) -> None:
    name, value, wire = expected["parameter"], expected["value"], expected["wire"]
    with NotteTestServer() as server:
        server.add_function(FUNCTION_ID, runs=30)
        extra = {expected["field"][0]: expected["field"][1]} if expected["field"] else {}
        new_status = expected["status"] or next(iter(RunStatus)).value
        added = server.add_run(FUNCTION_ID, status=new_status, **extra)

        with NotteClient(server.api_key, base_url=server.url) as client:
            runs = client.functions.list_runs(FUNCTION_ID, status=new_status, **{name: value}).to_list()
        assert added["function_run_id"] in {run.function_run_id for run in runs}, runs
        assert {run.status for run in runs} == {RunStatus(new_status)}
        assert {request.query.get(name) for request in server.requests} == {wire}, server.requests
        if expected["field"]:
            (mine,) = [run for run in runs if run.function_run_id == added["function_run_id"]]
            assert getattr(mine, expected["field"][0]) == expected["field"][1]
        print(f"library: {len(runs)} {new_status} run(s), {name}={wire} sent")

        server.clear()
        flag = "--" + name.replace("_", "-")
        option = [flag if value else f"--no-{flag[2:]}"] if isinstance(value, bool) else [flag, str(value)]
        cli = Path(sys.executable).with_name("notte-ext")
        command = [str(cli), "--api-key", server.api_key, "--base-url", server.url, "runs", "list", FUNCTION_ID]
        result = subprocess.run(
            [*command, "--status", new_status, *option, "--format", "jsonl"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        listed = [json.loads(line) for line in result.stdout.splitlines()]
        assert {run["status"] for run in listed} == {new_status}
        assert added["function_run_id"] in {run["function_run_id"] for run in listed}
        assert {request.query.get(name) for request in server.requests} == {wire}
        print(
            f"CLI: {len(listed)} {new_status} run(s) with --status {new_status} {' '.join(option)}, {name}={wire} sent"
        )


def other_operations(expected: dict[str, Any]) -> None:
    """The functions listing and a run's lifecycle, bound by operation: they work after any rename."""
    extra = dict([expected["start_field"]]) if expected.get("start_field") else {}
    with NotteTestServer(run_plan=RunPlan(duration=0.2, outcome="closed")) as server:
        server.add_function(FUNCTION_ID, runs=3)
        with NotteClient(server.api_key, base_url=server.url) as client:
            assert [f.function_id for f in client.functions.list()] == [FUNCTION_ID]
            final = client.functions.run(FUNCTION_ID, {"url": "https://example.com"}, interval=0.5, **extra)
        assert final.status.value == "closed", final
        (start,) = [r for r in server.requests if r.path.endswith("/runs/start")]
        sent = json.loads(start.body)
        assert {key: sent[key] for key in extra} == extra, sent
        print(f"library: functions listed, a run started ({', '.join(extra) or 'no new field'}) and followed to closed")

        cli = Path(sys.executable).with_name("notte-ext")
        command = [str(cli), "--api-key", server.api_key, "--base-url", server.url]
        listed = subprocess.run([*command, "functions", "list"], capture_output=True, text=True, check=False)
        assert listed.returncode == 0, listed.stderr
        assert [json.loads(line)["function_id"] for line in listed.stdout.splitlines()] == [FUNCTION_ID]
        waited = subprocess.run(
            [*command, "runs", "start", FUNCTION_ID, "--wait", "--interval", "0.5", "--exit-on", "failed"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert waited.returncode == 0, waited.stderr
        assert json.loads(waited.stdout.splitlines()[-1])["new_status"] == "closed"
        print("CLI: functions list, runs start --wait exited 0 on closed")

        # The status a revision adds is a choice of `runs update --status` once the update body lists it.
        run_id = json.loads(waited.stdout.splitlines()[0])["function_run_id"]
        statuses = _update_statuses()
        status = expected["status"] if expected["status"] in statuses else statuses[0]
        updated = subprocess.run(
            [*command, "runs", "update", FUNCTION_ID, run_id, "--status", status, "--result", '"by hand"'],
            capture_output=True,
            text=True,
            check=False,
        )
        assert updated.returncode == 0, updated.stderr
        read = subprocess.run(
            [*command, "runs", "get", FUNCTION_ID, run_id], capture_output=True, text=True, check=False
        )
        assert (json.loads(read.stdout)["status"], json.loads(read.stdout)["result"]) == (status, "by hand"), read
        print(f"CLI: runs update --status {status}, read back by runs get")


def _update_statuses() -> list[str]:
    """The statuses the vendored update body (function_run_update_metadata) declares, read from openapi.json."""
    document = json.loads((Path(__file__).resolve().parents[2] / "openapi.json").read_text(encoding="utf-8"))
    schemas = document["components"]["schemas"]
    for item in document["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict) and operation.get("operationId") == "function_run_update_metadata":
                ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
                statuses: list[str] = schemas[ref.rsplit("/", 1)[-1]]["properties"]["status"]["enum"]
                return statuses
    raise LookupError("no function_run_update_metadata")


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
    other_operations(json.loads(sys.argv[1]))
