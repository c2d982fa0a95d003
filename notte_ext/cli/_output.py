"""Writing runs: a table for people, json/jsonl/csv for pipes (these three stream run by run)."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TextIO

import attrs
import click
from rich.box import ROUNDED
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table

from notte_ext.functions import FunctionRun

FORMATS = ("table", "json", "jsonl", "csv")
# The table's columns when none are chosen, most wanted first: on a narrow terminal the table
# drops them from the end, down to the first MIN_TABLE_COLUMNS. Values are never cut.
TABLE_COLUMNS = ("function_run_id", "status", "created_at", "updated_at", "session_id")
MIN_TABLE_COLUMNS = 3
_UNLIMITED = 1_000_000
_UTC_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT[\d:.]+\+00:00$")


class OutputConsole(Console):
    """A rich console for stdout whose closed pipe ends the program like any other write's does.

    rich's own reaction is `SystemExit(1)`; the CLI treats a reader that stopped early
    (`| head -1`) as success, in one place (NotteGroup.invoke).
    """

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise BrokenPipeError


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
        _table(iter(runs), out, columns)
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
        record = {key: _csv_cell(value) for key, value in run_record(run).items()}
        if writer is None:
            fieldnames = list(columns or record)
            writer = csv.DictWriter(out, fieldnames=fieldnames, extrasaction="ignore", lineterminator="\n")
            writer.writeheader()
        writer.writerow(record)


def _csv_cell(value: Any) -> Any:
    # Spelled as in the JSON output, so a CSV reader and a JSON reader see the same values.
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else value


def _table_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str) and _UTC_TIMESTAMP.match(value):
        return value.removesuffix("+00:00") + "Z"  # the same instant, 5 characters narrower
    return str(_csv_cell(value))


def _table(runs: Iterator[FunctionRun], out: TextIO, columns: Sequence[str] | None) -> None:
    console = OutputConsole(file=out, highlight=False)
    rows = [run_record(run) for run in runs]
    if rows and console.is_terminal:
        shown = _fitting_columns(console, rows, columns)
        if shown is None:
            _records(console, rows, columns or TABLE_COLUMNS)
        else:
            console.print(_build_table(rows, shown, boxed=True))
    elif rows:
        # Piped (`--format table | less -S`): no box drawing, as wide as the values, so nothing is cut.
        table = _build_table(rows, columns or TABLE_COLUMNS, boxed=False)
        console.width = _natural_width(console, table)
        console.print(table)
    console.print(f"{len(rows)} run(s)")


def _build_table(rows: Sequence[dict[str, Any]], columns: Sequence[str], *, boxed: bool) -> Table:
    table = Table(box=ROUNDED if boxed else None, header_style="bold")
    for column in columns:
        table.add_column(column, no_wrap=True, overflow="ignore")
    for record in rows:
        table.add_row(*(_table_cell(record.get(column)) for column in columns))
    return table


def _fitting_columns(
    console: Console, rows: Sequence[dict[str, Any]], chosen: Sequence[str] | None
) -> Sequence[str] | None:
    """The columns whose natural width fits the terminal; None if even the fewest don't fit."""
    candidates = (
        [chosen] if chosen else [TABLE_COLUMNS[:n] for n in range(len(TABLE_COLUMNS), MIN_TABLE_COLUMNS - 1, -1)]
    )
    for columns in candidates:
        if _natural_width(console, _build_table(rows, columns, boxed=True)) <= console.width:
            return columns
    return None


def _natural_width(console: Console, table: Table) -> int:
    """The table's width with every value whole, whatever the console's width."""
    return Measurement.get(console, console.options.update_width(_UNLIMITED), table).maximum


def _records(console: Console, rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> None:
    """Too narrow for a table: one `field  value` line per field, a blank line between runs."""
    label_width = max(map(len, columns))
    for index, record in enumerate(rows):
        if index:
            console.print()
        for column in columns:
            console.print(f"{column:<{label_width}}  {_table_cell(record.get(column))}", soft_wrap=True)
