"""`notte-ext runs start|get|stop|update`: start a function's run (and, in CI, wait for its end), read one, stop
one, set one's status and fields.

`runs start --wait` prints the run's progress (one line per status change or log line; jsonl when
piped) and exits like `runs watch`: 0 once the run ended, 1 when it ended with an `--exit-on`
status (printed first), 4 when `--wait-timeout` passed (the run goes on; `--timeout` stays the
per-request timeout of every command).

`runs update`'s options are the spec's: one per field of the update body (`update_run_fields`), so a bump
that adds a field adds an option, and one that adds a status adds a choice of `--status`.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from typing import Any

import click
from click.core import ParameterSource

from notte_ext._bodies import MAX_UPLOAD_BYTES
from notte_ext._defaults import MAX_WAIT
from notte_ext.cli._app import AppState, option_group, pass_state
from notte_ext.cli._listing import query_option
from notte_ext.cli._output import FORMATS, chosen_format, run_record, write_one
from notte_ext.cli._progress import progress
from notte_ext.cli._time import show_time
from notte_ext.cli._values import TEXT, interval_option, seconds
from notte_ext.cli._variables import JSON_VALUE, variable_options, variables
from notte_ext.cli.watch import EXIT_STATUS_REACHED, EXIT_TIMEOUT, write_record
from notte_ext.errors import APITimeoutError
from notte_ext.functions import (
    Functions,
    RunDetailsStatus,
    StartedRun,
    run_start_timeout,
    start_timed_out,
    update_run_fields,
)
from notte_ext.watch import DEFAULT_INTERVAL, RunProgress, RunTimeoutError

FINAL_STATUSES = [status.value for status in RunDetailsStatus if status.value != "active"]


def _started_record(run: StartedRun) -> dict[str, Any]:
    status = run.status.value if run.status is not None else "active"
    return {"event": "started", "function_run_id": run.function_run_id, "status": status}


def _progress_records(progress_: RunProgress) -> list[dict[str, Any]]:
    run_id, run = progress_.run.function_run_id, run_record(progress_.run)
    records: list[dict[str, Any]] = [
        {"event": "log", "function_run_id": run_id, "message": line} for line in progress_.new_logs
    ]
    if progress_.old_status is not None and progress_.old_status != progress_.status:
        old, new = progress_.old_status.value, progress_.status.value
        records.append({"event": "status_changed", "function_run_id": run_id, "old_status": old, "new_status": new})
    if records and records[-1]["event"] == "status_changed":
        records[-1]["run"] = run
    return records


@click.command("start")
@click.argument("function_id", type=TEXT)
@variable_options
@click.option(
    "--wait", is_flag=True, help="Print the run's progress until it ends; exit 0, 1 (--exit-on) or 4 (--wait-timeout)."
)
@click.option(
    "--exit-on",
    "exit_on",
    multiple=True,
    type=click.Choice(FINAL_STATUSES),
    help="With --wait: exit 1 when the run ends with this status (repeatable), e.g. failed.",
)
@click.option(
    "--wait-timeout",
    type=seconds(MAX_WAIT),
    metavar="SECONDS",
    help="With --wait: exit 4 if the run is still active after this many seconds (it goes on). --timeout is per request.",
)
@interval_option(DEFAULT_INTERVAL, "With --wait: seconds between polls of the run.")
@click.option(
    "--format", "output_format", type=click.Choice(("table", "jsonl")), help="Default: table on a terminal, else jsonl."
)
@pass_state
def start(
    state: AppState,
    /,
    function_id: str,
    texts: tuple[str, ...],
    jsons: tuple[str, ...],
    wait: bool,
    exit_on: tuple[str, ...],
    wait_timeout: float | None,
    interval: float,
    output_format: str | None,
) -> None:
    """Start a run of FUNCTION_ID; with --wait, follow it to its end (a CI step that fails with the run)."""
    if (exit_on or wait_timeout is not None) and not wait:
        raise click.UsageError("--exit-on and --wait-timeout apply with --wait")
    given = variables(texts, jsons)
    chosen = chosen_format(output_format)
    with state.client() as client, progress(f"starting a run of {function_id}…") as status:
        started = _start(client.functions, function_id, given, wait, wait_timeout)
        write_record(_started_record(started), _now(), chosen, sys.stdout)
        if not wait:
            return
        try:
            follow = client.functions.follow_run(
                function_id, started.function_run_id, interval=interval, timeout=wait_timeout
            )
            for progress_ in follow:
                for record in _progress_records(progress_):
                    write_record(record, _now(), chosen, sys.stdout)
                if status is not None:
                    status.update(f"run {started.function_run_id}: {progress_.status.value}…")
                if progress_.finished and progress_.status.value in exit_on:
                    sys.exit(EXIT_STATUS_REACHED)
        except RunTimeoutError as error:
            click.echo(f"Timeout: {error.message}", err=True)
            sys.exit(EXIT_TIMEOUT)


def _start(
    functions: Functions, function_id: str, variables: dict[str, Any], wait: bool, wait_timeout: float | None
) -> StartedRun:
    """The run started. Waiting, its start's answer may take as long as the run (an API that answers only
    once it ended): bounded by the wait's timeout, and exit 4 like it, not by the per-request one."""
    if not wait:
        return functions.start_run(function_id, variables)
    start_timeout = run_start_timeout(wait_timeout)
    try:
        return functions.start_run(function_id, variables, timeout=start_timeout)
    except APITimeoutError as error:
        timed_out = start_timed_out(error, function_id, start_timeout)
        click.echo(f"Timeout: {timed_out.message}", err=True)
        sys.exit(EXIT_TIMEOUT)


def _now() -> str:
    """When the line was seen (a run's log lines carry no time of their own)."""
    return show_time(dt.datetime.now(dt.UTC), timespec="seconds")


_format_option = click.option(
    "--format", "output_format", type=click.Choice(FORMATS), help="Default: table on a terminal, else jsonl."
)


def _one_run_command(
    name: str, help_text: str, call: Callable[..., Any], *options: Callable[[Callable[..., Any]], Callable[..., Any]]
) -> click.Command:
    """`runs get|stop|update FUNCTION_ID RUN_ID [options]`: one call about one run, `call(functions, function_id,
    run_id, **given)` with the `options` given, its answer written as one record."""

    @click.command(name, help=help_text)
    @click.argument("function_id", type=TEXT)
    @click.argument("run_id", type=TEXT)
    @option_group(*options)
    @_format_option
    @pass_state
    def command(state: AppState, /, function_id: str, run_id: str, output_format: str | None, **fields: Any) -> None:
        given = _given(click.get_current_context(), fields)
        with state.client() as client:
            answer = call(client.functions, function_id, run_id, **given)
        write_one(answer, chosen_format(output_format), sys.stdout, "run")

    return command


def _given(ctx: click.Context, fields: dict[str, Any]) -> dict[str, Any]:
    """The options given on the command line, a JSON `null` among them (sent: it clears a nullable field);
    one not given is not sent and the run keeps that field."""
    return {name: value for name, value in fields.items() if ctx.get_parameter_source(name) != ParameterSource.DEFAULT}


def _is_json(schema: dict[str, Any]) -> bool:
    """A field whose value is more than one word of text: a list, an object, or any JSON (no type)."""
    return "enum" not in schema and schema.get("type") not in ("string", "integer", "number", "boolean")


def _field_option(
    name: str, schema: dict[str, Any], required: bool
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """One option for one field of the update body: JSON (or - for stdin) for a list, an object or any value,
    else as for a query parameter (a status is a choice of the spec's values)."""
    if not _is_json(schema):
        return query_option(name, schema, required=required)
    description = str(schema.get("description") or name).rstrip(".")
    cleared = " (null clears it)" if schema.get("nullable") else ""
    return click.option(
        "--" + name.replace("_", "-"),
        type=JSON_VALUE,
        metavar="JSON|-",
        required=required,
        help=f"{description}: JSON{cleared}, or - to read it from stdin.",
    )


get = _one_run_command("get", "Show run RUN_ID of FUNCTION_ID (status, logs, result).", Functions.get_run)
stop = _one_run_command("stop", "Stop run RUN_ID of FUNCTION_ID (it ends closed).", Functions.stop_run)
_UPDATE_FIELDS, _REQUIRED = update_run_fields()
update = _one_run_command(
    "update",
    "Set the status of run RUN_ID of FUNCTION_ID, and its logs, result... if given.\n\n"
    "Each option is a field of the API's update (JSON options take JSON text, or - for stdin, at most "
    f"{MAX_UPLOAD_BYTES // 2**20} MiB); a field not given is left as it is. Prints the API's answer. Sent once: "
    "an update that may have reached the API is never repeated.",
    Functions.update_run,
    # The required ones (--status) first in the help.
    *(
        _field_option(name, _UPDATE_FIELDS[name], name in _REQUIRED)
        for name in sorted(_UPDATE_FIELDS, key=lambda name: name not in _REQUIRED)
    ),
)
