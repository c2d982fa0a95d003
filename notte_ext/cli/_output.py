"""Writing records (runs, functions): json/jsonl/csv for pipes, streamed record by record; the table
for people is in `_table` (imported only for it: rich costs ~25 ms of start-up that a piped listing
doesn't need). A `RecordKind` says what a record is: its noun, its model (for the field names) and
the table's default columns."""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TextIO, TypeVar

import attrs
import click
import orjson
from attrs import frozen

from notte_ext._bodies import json_nodes
from notte_ext._messages import printable
from notte_ext.cli._time import show_time
from notte_ext.functions import Function, FunctionRun

FORMATS = ("table", "json", "jsonl", "csv")
F = TypeVar("F", bound=Callable[..., Any])

format_option = click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    help="Output format (default: table on a terminal, jsonl when piped).",
)


def chosen_format(output_format: str | None) -> str:
    """`--format` as given, else table for a person (a terminal), jsonl for a pipe."""
    return output_format or ("table" if sys.stdout.isatty() else "jsonl")


@frozen
class RecordKind:
    """What the records written are: `noun` ("run"), the generated `model` (its fields, which follow
    a regeneration) and the table's `columns` when none are chosen, most wanted first: on a narrow
    terminal the table drops them from the end, down to the first `_table.MIN_TABLE_COLUMNS`."""

    noun: str
    model: type
    columns: tuple[str, ...]

    def fields(self) -> list[str]:
        return [field.name for field in attrs.fields(self.model) if field.name != "additional_properties"]


RUNS = RecordKind("run", FunctionRun, ("function_run_id", "status", "created_at", "updated_at", "session_id"))
FUNCTIONS = RecordKind("function", Function, ("function_id", "name", "status", "latest_version", "updated_at"))
TABLE_COLUMNS = RUNS.columns  # the runs table's, as before there were other records


def run_record(run: Any) -> dict[str, Any]:
    """A record (a run, a function...) with the spec's field names (and any field the API added since).

    Its times are written as every output of the command line writes them (`show_time`: ISO 8601 with
    a Z), in json, jsonl and csv as in the table, rather than as the model's `+00:00`.
    """
    record: dict[str, Any] = run.to_dict()
    for name in record:
        moment = getattr(run, name, None)
        if isinstance(moment, dt.datetime):
            record[name] = show_time(moment)
    return record


# What JSON may carry raw but a terminal acts on (DEL and the C1 controls, CSI U+009B among them) or a
# line splitter cuts at (U+0085, which is C1, U+2028, U+2029: Python's str.splitlines() splits a jsonl
# line there): written as JSON escapes, which every JSON reader decodes to the same text. JSON
# escapes C0 (ESC too) itself. Found only in non-ASCII output, but for DEL. And half a surrogate pair,
# which a JSON string may hold (the escape "\udfff") but no encoding writes: escaped as it came, so a
# listing holding one is written whole (orjson refuses it, so only `_json_by_value`'s text has one).
_RAW_BUT_ACTIVE = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_AS_JSON_ESCAPES = {code: f"\\u{code:04x}" for code in [*range(0x7F, 0xA0), 0x2028, 0x2029, *range(0xD800, 0xE000)]}


def json_text(value: Any, indent: bool = False) -> str:
    """`value` as JSON text, as every output of the command line writes it: compact (one line),
    or indented by 2 for one record; non-ASCII as is, but for what a terminal or a line splitter
    would act on (`_RAW_BUT_ACTIVE`), escaped.

    orjson writes a record of a rich run (variables, logs, a result) in about a fifth of the time of
    `json.dumps`, and writing is most of what a listing does between pages. What it can't write
    exactly, `_json_by_value` writes, in the same layout: an integer past 64 bits (the API's JSON allows
    any size), which orjson refuses, and a number past a float's range (`1e400`, read as infinity) or
    a NaN, which orjson would write as `null`.
    """
    depth = 1 if indent else None
    try:
        data = orjson.dumps(value, option=orjson.OPT_INDENT_2 if indent else None)
    except orjson.JSONEncodeError:
        return _escape_active(_json_by_value(value, depth))
    # Each `null` orjson wrote is a None or a non-finite float. Counting them and the record's own None
    # fields (~2 us per 3 KiB rich record) clears most records without walking them (~6.5 us).
    if data.count(b"null") > _top_level_nones(value) and _holds_non_finite(value):
        return _escape_active(_json_by_value(value, depth))
    text = data.decode()
    # Searching costs ~5 us per KiB of non-ASCII text: first the checks that clear a record at C speed,
    # ASCII without DEL (~0.2 us per KiB), then, compact, printable (~1.5 us per KiB: no C1, U+2028/9).
    if (data.isascii() and b"\x7f" not in data) or (not indent and text.isprintable()):
        return text
    return _escape_active(text)


def _top_level_nones(value: Any) -> int:
    return [*value.values()].count(None) if isinstance(value, dict) else 0


def _holds_non_finite(value: Any) -> bool:
    return any(isinstance(node, float) and not math.isfinite(node) for node in json_nodes(value))


def non_finite_text(number: float) -> str:
    """What JSON has for a number past a float's range: `1e999` and `-1e999`, which every JSON reader
    takes (Python's reads them back as infinities); for NaN, which JSON has no spelling of, `NaN`, as
    Python's `json` writes and reads it, rather than a `null` that would pass for a missing value."""
    return "NaN" if math.isnan(number) else ("1e999" if number > 0 else "-1e999")


def _json_by_value(value: Any, depth: int | None) -> str:
    """`value` as JSON in orjson's layout (`depth`: None compact, else the indent level in 2s: no space
    after ",", and after ":" only indented), with non-finite floats as `non_finite_text` spells them.
    Rare, so written plainly, value by value."""
    if isinstance(value, float) and not math.isfinite(value):
        return non_finite_text(value)
    if isinstance(value, dict) and value:
        key_separator = ":" if depth is None else ": "
        items = [
            json.dumps(key, ensure_ascii=False) + key_separator + _json_by_value(item, _deeper(depth))
            for key, item in value.items()
        ]
        return _enclosed("{", items, "}", depth)
    if isinstance(value, list) and value:
        return _enclosed("[", [_json_by_value(item, _deeper(depth)) for item in value], "]", depth)
    return json.dumps(value, ensure_ascii=False)  # a scalar (an int of any size exactly), {} or []


def _deeper(depth: int | None) -> int | None:
    return None if depth is None else depth + 1


def _enclosed(opening: str, items: list[str], closing: str, depth: int | None) -> str:
    if depth is None:
        return opening + ",".join(items) + closing
    inner, outer = "\n" + "  " * depth, "\n" + "  " * (depth - 1)
    return opening + inner + ("," + inner).join(items) + outer + closing


def _escape_active(text: str) -> str:
    return text.translate(_AS_JSON_ESCAPES) if _RAW_BUT_ACTIVE.search(text) else text


def run_fields() -> list[str]:
    """The fields of a run in the vendored spec (follows a regeneration)."""
    return RUNS.fields()


class ColumnsType(click.ParamType):  # type: ignore[type-arg]  # generic only in click's stubs
    """`--columns function_run_id,status`: fields of the records, comma-separated, in the order shown."""

    name = "FIELDS"

    def __init__(self, kind: RecordKind = RUNS) -> None:
        self.kind = kind

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> tuple[str, ...]:
        if isinstance(value, tuple):
            return value
        fields = self.kind.fields()
        columns = tuple(name.strip() for name in str(value).split(",") if name.strip())
        unknown = [name for name in columns if name not in fields]
        if unknown or not columns:
            self.fail(
                f"{', '.join(unknown) or 'nothing'} is not a {self.kind.noun} field; choose from {', '.join(fields)}"
            )
        return columns


def columns_option_for(kind: RecordKind) -> Callable[[F], F]:
    return click.option(
        "--columns",
        type=ColumnsType(kind),
        help=(
            f"{kind.noun.capitalize()} fields for table/csv output, comma-separated, e.g. {','.join(kind.columns[:2])} "
            f"(table default: as many of {', '.join(kind.columns)} as fit the terminal)."
        ),
    )


columns_option = columns_option_for(RUNS)


def write_runs(
    runs: Iterable[Any], output_format: str, out: TextIO, columns: Sequence[str] | None = None, kind: RecordKind = RUNS
) -> None:
    """Write records (runs unless `kind` says otherwise) in `output_format`, as they come."""
    if columns and output_format not in ("table", "csv"):
        raise click.UsageError(f"--columns applies to table and csv output, not {output_format}")
    if output_format == "table":
        from notte_ext.cli._table import write_table

        write_table(iter(runs), out, columns, kind)
    elif output_format == "csv":
        _csv(iter(runs), out, columns)
    else:
        {"json": _json_array, "jsonl": _json_lines}[output_format](iter(runs), out)


def write_one(record: Any, output_format: str, out: TextIO, noun: str) -> None:
    """One record (a function, a run, an answer): `field  value` lines on a table, else as a listing of one."""
    if output_format == "table":
        from notte_ext.cli._table import write_fields

        write_fields(run_record(record), out)
    elif output_format == "json":
        out.write(json_text(run_record(record), indent=True) + "\n")
    else:
        write_runs([record], output_format, out, kind=RecordKind(noun, type(record), ()))


def _json_array(runs: Iterator[Any], out: TextIO) -> None:
    """One JSON array, streamed: opened only once the first record (or the end) is there, so a listing
    that fails at once (unreachable, refused) writes nothing; one that fails later leaves it open, which
    no JSON parser takes for a whole answer (and the exit code is not 0)."""
    first = next(runs, None)
    if first is None:
        out.write("[]\n")
        return
    out.write("[\n  " + json_text(run_record(first)))
    for run in runs:
        out.write(",\n  " + json_text(run_record(run)))
    out.write("\n]\n")


def _json_lines(runs: Iterator[Any], out: TextIO) -> None:
    for run in runs:
        out.write(json_text(run_record(run)) + "\n")
        out.flush()  # jsonl is for streaming consumers: hand each run over as it arrives


def _csv(runs: Iterator[Any], out: TextIO, columns: Sequence[str] | None) -> None:
    # CSV has no escapes: piped, a cell is the data as is; on a terminal, control characters in a
    # server's text are shown escaped (`\x1b`), as in the table, rather than acted on.
    shown = _is_terminal(out)
    writer: csv.DictWriter[str] | None = None
    for run in runs:
        record = {key: _shown(csv_cell(value)) if shown else csv_cell(value) for key, value in run_record(run).items()}
        if writer is None:
            fieldnames = list(columns or record)
            writer = csv.DictWriter(out, fieldnames=fieldnames, extrasaction="ignore", lineterminator="\n")
            writer.writeheader()
        writer.writerow(record)


def _is_terminal(out: TextIO) -> bool:
    isatty = getattr(out, "isatty", None)
    return bool(isatty and isatty())


def _shown(cell: Any) -> Any:
    return printable(cell) if isinstance(cell, str) else cell


def csv_cell(value: Any) -> Any:
    # Spelled as in the JSON output, so a CSV reader and a JSON reader see the same values.
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return non_finite_text(value)
    return json_text(value) if isinstance(value, list | dict) else value
