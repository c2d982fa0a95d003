"""The table for people (rich): as many columns as fit the terminal, values never cut; one record as
`field  value` lines."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, TextIO

from rich.box import ROUNDED
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table

from notte_ext._messages import printable
from notte_ext.cli._output import RecordKind, csv_cell, run_record

# On a narrow terminal the table drops columns from the end, down to the first MIN_TABLE_COLUMNS.
MIN_TABLE_COLUMNS = 3
_UNLIMITED = 1_000_000


class OutputConsole(Console):
    """A rich console for stdout whose closed pipe ends the program like any other write's does.

    rich's own reaction is `SystemExit(1)`; the CLI treats a reader that stopped early
    (`| head -1`) as success, in one place (NotteGroup.invoke).
    """

    def __init__(self, **options: Any) -> None:
        # What it prints quotes the server: never read as rich markup ("[/]" would even raise) or emoji codes.
        super().__init__(markup=False, emoji=False, **options)

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise BrokenPipeError


def _table_cell(value: Any) -> str:
    if value is None:
        return ""
    return printable(str(csv_cell(value)))  # lists and objects spelled as in the CSV; no control characters


def write_table(records: Iterator[Any], out: TextIO, columns: Sequence[str] | None, kind: RecordKind) -> None:
    console = OutputConsole(file=out, highlight=False)
    rows = [run_record(record) for record in records]
    if rows and console.is_terminal:
        shown = _fitting_columns(console, rows, columns, kind.columns)
        if shown is None:
            _records(console, rows, columns or kind.columns)
        else:
            console.print(_build_table(rows, shown, boxed=True))
    elif rows:
        # Piped (`--format table | less -S`): no box drawing, as wide as the values, so nothing is cut.
        table = _build_table(rows, columns or kind.columns, boxed=False)
        console.width = _natural_width(console, table)
        console.print(table)
    console.print(f"{len(rows)} {kind.noun}(s)")


def write_fields(record: dict[str, Any], out: TextIO) -> None:
    """One record: a `field  value` line per field, in the spec's order."""
    _records(OutputConsole(file=out, highlight=False), [record], list(record))


def _build_table(rows: Sequence[dict[str, Any]], columns: Sequence[str], *, boxed: bool) -> Table:
    table = Table(box=ROUNDED if boxed else None, header_style="bold")
    for column in columns:
        table.add_column(column, no_wrap=True, overflow="ignore")
    for record in rows:
        table.add_row(*(_table_cell(record.get(column)) for column in columns))
    return table


def _fitting_columns(
    console: Console, rows: Sequence[dict[str, Any]], chosen: Sequence[str] | None, default: Sequence[str]
) -> Sequence[str] | None:
    """The columns whose natural width fits the terminal; None if even the fewest don't fit."""
    candidates = [chosen] if chosen else [default[:n] for n in range(len(default), MIN_TABLE_COLUMNS - 1, -1)]
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
