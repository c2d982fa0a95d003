"""`notte-ext runs list|summary FUNCTION_ID`: a function's whole run history, in one command."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import click
from rich.console import Console

from notte_ext.cli._app import AppState, client_options, option_group, pass_state
from notte_ext.cli._output import FORMATS, OutputConsole, columns_option, write_runs
from notte_ext.cli._summary import RunSummary
from notte_ext.cli._time import WhenType, check_time_range
from notte_ext.functions import MAX_PAGE_SIZE, FunctionRun, RunStatus
from notte_ext.pagination import Paginator

listing_options = option_group(
    click.argument("function_id"),
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
        type=WhenType(),
        callback=check_time_range,
        help="Runs created at or after: ISO date/time or age (2h, 3d).",
    ),
    click.option(
        "--until", type=WhenType(), callback=check_time_range, help="Runs created before: ISO date/time or age."
    ),
    click.option(
        "--page-size",
        type=click.IntRange(1, MAX_PAGE_SIZE),
        default=MAX_PAGE_SIZE,
        show_default=True,
        help="Runs per request (the API's maximum is the fastest way through a long history).",
    ),
)


def _listing(state: AppState, function_id: str, options: dict[str, Any], limit: int | None) -> Iterator[FunctionRun]:
    with state.client() as client:
        paginator: Paginator[FunctionRun] = client.functions.list_runs(
            function_id,
            status=options["statuses"] or None,
            running_only=options["running"],
            created_after=options["since"],
            created_before=options["until"],
            page_size=options["page_size"],
            limit=limit,
        )
        yield from _with_progress(paginator)


def _with_progress(paginator: Paginator[FunctionRun]) -> Iterator[FunctionRun]:
    """Progress goes to stderr, and only when a person is watching it."""
    stderr = Console(stderr=True)
    if not stderr.is_terminal:
        for page in paginator.pages():
            yield from page.items
        return
    count = 0
    with stderr.status("fetching runs…") as status:
        for page in paginator.pages():
            count += len(page.items)
            status.update(f"fetched {count} run(s), page {page.number}…")
            yield from page.items


@click.group()
@client_options
def runs() -> None:
    """List and summarize a function's runs (all pages, finished runs included)."""


@runs.command("list")
@listing_options
@click.option("--limit", type=click.IntRange(min=0), help="Stop after this many runs.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    help="Output format (default: table on a terminal, jsonl when piped).",
)
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
    chosen = output_format or ("table" if sys.stdout.isatty() else "jsonl")
    write_runs(_listing(state, function_id, options, limit), chosen, sys.stdout, columns)


@runs.command("summary")
@listing_options
@pass_state
def summarize_runs(state: AppState, /, function_id: str, **options: Any) -> None:
    """Counts by status, failure rate, first/last run and runs per day for FUNCTION_ID."""
    summary = RunSummary.of(_listing(state, function_id, options, limit=None))
    summary.render(OutputConsole(highlight=False), function_id)
