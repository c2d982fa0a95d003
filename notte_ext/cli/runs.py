"""`notte-ext runs list|summary FUNCTION_ID`: a function's whole run history, in one command."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import click

from notte_ext.cli import LazyGroup
from notte_ext.cli._app import AppState, client_options, option_group, pass_state
from notte_ext.cli._listing import PREFETCH_OPTION, query_option, with_progress
from notte_ext.cli._output import chosen_format, columns_option, format_option, write_runs
from notte_ext.cli._summary import RunSummary
from notte_ext.cli._time import check_time_range
from notte_ext.cli._values import TEXT, When, count
from notte_ext.functions import MAX_PAGE_SIZE, FunctionRun, RunStatus, query_parameters
from notte_ext.pagination import Paginator

# The operation's query parameters as options, derived from the vendored spec (generated names).
QUERY_OPTIONS = query_parameters()

listing_options = option_group(
    click.argument("function_id", type=TEXT),
    click.option(
        "--status",
        "statuses",
        multiple=True,
        type=click.Choice([status.value for status in RunStatus]),
        help="Only runs with this status (repeatable; filtered client-side).",
    ),
    click.option("--running", is_flag=True, help="Only active runs (the API's only_active=true)."),
    click.option(
        "--since",
        type=When(),
        callback=check_time_range,
        help="Runs created at or after: ISO date/time or age (2h, 3d).",
    ),
    click.option("--until", type=When(), callback=check_time_range, help="Runs created before: ISO date/time or age."),
    *(query_option(name, schema, MAX_PAGE_SIZE) for name, schema in QUERY_OPTIONS.items()),
)


def _listing(state: AppState, function_id: str, options: dict[str, Any], limit: int | None) -> Iterator[FunctionRun]:
    with state.client() as client:
        paginator: Paginator[FunctionRun] = client.functions.list_runs(
            function_id,
            status=options["statuses"] or None,
            running_only=options["running"],
            created_after=options["since"],
            created_before=options["until"],
            limit=limit,
            prefetch=options["prefetch"],
            **{name: options[name] for name in QUERY_OPTIONS if options[name] is not None},
        )
        yield from with_progress(paginator)


# The other run commands live in their own modules (events, not a listing), loaded when they run.
RUN_COMMANDS = {
    "watch": ("notte_ext.cli.watch:watch", "Print FUNCTION_ID's runs as they appear and change status (polling)."),
    "start": (
        "notte_ext.cli.run_commands:start",
        "Start a run of FUNCTION_ID; with --wait, follow it to its end (a CI step that fails with the run).",
    ),
    "get": ("notte_ext.cli.run_commands:get", "Show run RUN_ID of FUNCTION_ID (status, logs, result)."),
    "stop": ("notte_ext.cli.run_commands:stop", "Stop run RUN_ID of FUNCTION_ID (it ends closed)."),
    "update": (
        "notte_ext.cli.run_commands:update",
        "Set the status of run RUN_ID of FUNCTION_ID, and its logs, result... if given.",
    ),
}


@click.group(cls=LazyGroup, lazy=RUN_COMMANDS)
@client_options
def runs() -> None:
    """List, summarize, start, watch, stop and update a function's runs."""


@runs.command("list")
@listing_options
@PREFETCH_OPTION
@click.option("--limit", type=count(), help="Stop after this many runs.")
@format_option
@columns_option
@pass_state
def list_runs(
    state: AppState,
    /,
    function_id: str,
    limit: int | None,
    output_format: str | None,
    columns: tuple[str, ...] | None,
    **options: Any,
) -> None:
    """List runs of FUNCTION_ID, newest first."""
    write_runs(_listing(state, function_id, options, limit), chosen_format(output_format), sys.stdout, columns)


@runs.command("summary")
@listing_options
@PREFETCH_OPTION
@pass_state
def summarize_runs(state: AppState, /, function_id: str, **options: Any) -> None:
    """Counts by status, failure rate, first/last run and runs per day for FUNCTION_ID."""
    from notte_ext.cli._table import OutputConsole  # rich: only for the commands that print with it

    summary = RunSummary.of(_listing(state, function_id, options, limit=None))
    summary.render(OutputConsole(highlight=False), function_id)
