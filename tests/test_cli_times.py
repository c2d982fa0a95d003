"""One spelling of a time in every output format of the command line: ISO 8601 UTC with a Z."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from notte_ext.testing import NotteTestServer
from tests.conftest import FUNCTION_ID
from tests.test_cli import notte_ext

Z_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


def _created_at(output_format: str, stdout: str) -> str:
    if output_format == "jsonl":
        return str(json.loads(stdout.splitlines()[0])["created_at"])
    if output_format == "json":
        return str(json.loads(stdout)[0]["created_at"])
    if output_format == "csv":
        return next(csv.DictReader(io.StringIO(stdout)))["created_at"]
    return stdout.splitlines()[1].split()[1]  # the piped table: id, created_at (the columns asked for)


@pytest.mark.parametrize("output_format", ["table", "json", "jsonl", "csv"])
def test_every_format_writes_the_same_z_time(server: NotteTestServer, output_format: str) -> None:
    listing = ["runs", "list", FUNCTION_ID, "--limit", "1"]
    columns = ["--columns", "function_run_id,created_at"] if output_format in {"table", "csv"} else []
    result = notte_ext(*listing, "--format", output_format, *columns, server=server)
    assert result.returncode == 0, result.stderr
    jsonl = notte_ext(*listing, "--format", "jsonl", server=server).stdout
    shown = _created_at(output_format, result.stdout)
    assert Z_TIME.match(shown), shown
    assert shown == _created_at("jsonl", jsonl)


def test_run_events_write_z_times(server: NotteTestServer) -> None:
    result = notte_ext("runs", "start", FUNCTION_ID, "--format", "table", server=server)
    assert result.returncode == 0, result.stderr
    assert Z_TIME.match(result.stdout.split()[0]), result.stdout
