"""`notte-ext runs watch FUNCTION_ID`: one line per run event; in CI, wait for the runs and fail on a status.

Exit codes: 0 idle (with --until-idle), 1 a run reached an --exit-on status (printed first),
4 --for passed; the other codes as for every command.
"""

from __future__ import annotations

import sys
from typing import Any, TextIO

import click

from notte_ext._defaults import MAX_WAIT, MIN_INTERVAL
from notte_ext._messages import printable
from notte_ext.cli._app import AppState, pass_state
from notte_ext.cli._output import chosen_format, json_text, run_record
from notte_ext.cli._progress import progress
from notte_ext.cli._time import show_time
from notte_ext.cli._values import TEXT, interval_option, seconds
from notte_ext.functions import RunStatus
from notte_ext.watch import DEFAULT_INTERVAL, RunAppeared, RunStatusChanged, WatchEvent, WatchTimeoutError

EXIT_STATUS_REACHED, EXIT_TIMEOUT = 1, 4
_KIND = {RunAppeared: "appeared", RunStatusChanged: "status_changed"}


def event_record(event: WatchEvent) -> dict[str, Any]:
    record: dict[str, Any] = {"event": _KIND.get(type(event), "vanished"), "function_run_id": event.run.function_run_id}
    if isinstance(event, RunStatusChanged):
        record |= {"old_status": event.old_status.value, "new_status": event.new_status.value}
    elif event.status is not None:
        record["status"] = event.status.value
    return record | {"run": run_record(event.run)}


def write_record(record: dict[str, Any], when: str, output_format: str, out: TextIO) -> None:
    """One event: a JSON line, or `when  event  run id  what` (a status, old -> new, or a log message)."""
    if output_format == "jsonl":
        out.write(json_text(record) + "\n")
    else:
        what = (
            record.get("status") or record.get("message") or f"{record.get('old_status')} -> {record.get('new_status')}"
        )
        out.write(printable(f"{when}  {record['event']:<14}  {record['function_run_id']}  {what}") + "\n")
    out.flush()  # each event as it happens


def _write(event: WatchEvent, output_format: str, out: TextIO) -> None:
    write_record(event_record(event), show_time(event.run.updated_at), output_format, out)


@click.command("watch")
@click.argument("function_id", type=TEXT)
@interval_option(DEFAULT_INTERVAL, f"Seconds between polls (each spread by ±10%; at least {MIN_INTERVAL:g}).")
@click.option("--until-idle", is_flag=True, help="Exit 0 once no run is active.")
@click.option(
    "--exit-on",
    "exit_on",
    multiple=True,
    type=click.Choice([status.value for status in RunStatus]),
    help="Exit 1 as soon as a run reaches this status (repeatable).",
)
@click.option(
    "--for",
    "watch_for",
    type=seconds(MAX_WAIT),
    metavar="SECONDS",
    help="Exit 4 if runs are still active after this many seconds (--timeout is the per-request timeout).",
)
@click.option(
    "--format", "output_format", type=click.Choice(("table", "jsonl")), help="Default: table on a terminal, else jsonl."
)
@pass_state
def watch(
    state: AppState,
    /,
    function_id: str,
    interval: float,
    until_idle: bool,
    exit_on: tuple[str, ...],
    watch_for: float | None,
    output_format: str | None,
) -> None:
    """Print FUNCTION_ID's runs as they appear and change status (polling)."""
    chosen = chosen_format(output_format)
    stop_on = {RunStatus(status) for status in exit_on}
    active: set[str] = set()
    with state.client() as client, progress(f"watching {function_id}…") as status:
        events = client.functions.watch_runs(function_id, interval=interval, until_idle=until_idle, timeout=watch_for)
        try:
            for event in events:
                _write(event, chosen, sys.stdout)
                if event.status in stop_on:
                    sys.exit(EXIT_STATUS_REACHED)
                (active.add if event.status == RunStatus("active") else active.discard)(event.run.function_run_id)
                if status is not None:
                    status.update(f"watching {function_id}: {len(active)} active run(s)…")
        except WatchTimeoutError as error:
            click.echo(f"Timeout: {error.message}", err=True)
            sys.exit(EXIT_TIMEOUT)
