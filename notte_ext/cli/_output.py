"""Writing runs: a table for people, json/jsonl/csv for pipes (these three stream run by run)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from rich.box import ROUNDED
from rich.console import Console
from rich.table import Table

from notte_ext.functions import FunctionRun

FORMATS = ("table", "json", "jsonl", "csv")
TABLE_COLUMNS = ("function_run_id", "status", "created_at", "updated_at", "session_id")


def run_record(run: FunctionRun) -> dict[str, Any]:
    """A run with the spec's field names (and any field the API added since)."""
    return run.to_dict()


def write_runs(runs: Iterable[FunctionRun], output_format: str, out: TextIO) -> None:
    writer = {"table": _table, "json": _json_array, "jsonl": _json_lines, "csv": _csv}[output_format]
    writer(iter(runs), out)


def _json_array(runs: Iterator[FunctionRun], out: TextIO) -> None:
    separator = "\n  "
    out.write("[")
    for run in runs:
        out.write(separator + json.dumps(run_record(run), ensure_ascii=False))
        separator = ",\n  "
    out.write("]\n" if separator == "\n  " else "\n]\n")


def _json_lines(runs: Iterator[FunctionRun], out: TextIO) -> None:
    for run in runs:
        out.write(json.dumps(run_record(run), ensure_ascii=False) + "\n")
        out.flush()  # jsonl is for streaming consumers: hand each run over as it arrives


def _csv(runs: Iterator[FunctionRun], out: TextIO) -> None:
    writer: csv.DictWriter[str] | None = None
    for run in runs:
        record = {key: _cell(value) for key, value in run_record(run).items()}
        if writer is None:
            writer = csv.DictWriter(out, fieldnames=list(record), extrasaction="ignore", lineterminator="\n")
            writer.writeheader()
        writer.writerow(record)


def _cell(value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else value


def _table(runs: Iterator[FunctionRun], out: TextIO) -> None:
    console = Console(file=out, highlight=False)
    # Piped: no box drawing, and wide enough that ids and timestamps are never cut.
    if not console.is_terminal:
        console.width = 200
    table = Table(*TABLE_COLUMNS, box=ROUNDED if console.is_terminal else None, header_style="bold")
    for run in runs:
        record = run_record(run)
        table.add_row(*(str(record.get(column) or "") for column in TABLE_COLUMNS))
    if table.row_count:
        console.print(table)
    console.print(f"{table.row_count} run(s)")
