"""Writing runs: json/jsonl/csv for pipes, streamed run by run; the table for people is in `_table`
(imported only for it: rich costs ~25 ms of start-up that a piped listing doesn't need)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TextIO

import attrs
import click

from notte_ext.functions import FunctionRun

FORMATS = ("table", "json", "jsonl", "csv")
# The table's columns when none are chosen, most wanted first: on a narrow terminal the table
# drops them from the end, down to the first `_table.MIN_TABLE_COLUMNS`. Values are never cut.
TABLE_COLUMNS = ("function_run_id", "status", "created_at", "updated_at", "session_id")


def run_record(run: FunctionRun) -> dict[str, Any]:
    """A run with the spec's field names (and any field the API added since)."""
    return run.to_dict()


def run_fields() -> list[str]:
    """The fields of a run in the vendored spec (follows a regeneration)."""
    return [field.name for field in attrs.fields(FunctionRun) if field.name != "additional_properties"]


class ColumnsType(click.ParamType):  # type: ignore[type-arg]  # generic only in click's stubs
    """`--columns function_run_id,status`: run fields, comma-separated, in the order shown."""

    name = "FIELDS"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> tuple[str, ...]:
        if isinstance(value, tuple):
            return value
        columns = tuple(name.strip() for name in str(value).split(",") if name.strip())
        unknown = [name for name in columns if name not in run_fields()]
        if unknown or not columns:
            self.fail(f"{', '.join(unknown) or 'nothing'} is not a run field; choose from {', '.join(run_fields())}")
        return columns


columns_option = click.option(
    "--columns",
    type=ColumnsType(),
    help=(
        "Run fields for table/csv output, comma-separated, e.g. function_run_id,status,local "
        f"(table default: as many of {', '.join(TABLE_COLUMNS)} as fit the terminal)."
    ),
)


def write_runs(
    runs: Iterable[FunctionRun], output_format: str, out: TextIO, columns: Sequence[str] | None = None
) -> None:
    if columns and output_format not in ("table", "csv"):
        raise click.UsageError(f"--columns applies to table and csv output, not {output_format}")
    if output_format == "table":
        from notte_ext.cli._table import write_table

        write_table(iter(runs), out, columns)
    elif output_format == "csv":
        _csv(iter(runs), out, columns)
    else:
        {"json": _json_array, "jsonl": _json_lines}[output_format](iter(runs), out)


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


def _csv(runs: Iterator[FunctionRun], out: TextIO, columns: Sequence[str] | None) -> None:
    writer: csv.DictWriter[str] | None = None
    for run in runs:
        record = {key: csv_cell(value) for key, value in run_record(run).items()}
        if writer is None:
            fieldnames = list(columns or record)
            writer = csv.DictWriter(out, fieldnames=fieldnames, extrasaction="ignore", lineterminator="\n")
            writer.writeheader()
        writer.writerow(record)


def csv_cell(value: Any) -> Any:
    # Spelled as in the JSON output, so a CSV reader and a JSON reader see the same values.
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else value
