"""`notte-ext runs list|summary FUNCTION_ID`: a function's whole run history, in one command."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import click

from notte_ext.cli import LazyGroup
from notte_ext.cli._app import AppState, client_options, option_group, pass_state
from notte_ext.cli._output import FORMATS, columns_option, write_runs
from notte_ext.cli._progress import progress
from notte_ext.cli._summary import RunSummary
from notte_ext.cli._time import WhenType, check_time_range
from notte_ext.functions import MAX_PAGE_SIZE, FunctionRun, RunStatus, query_parameters
from notte_ext.pagination import DEFAULT_PREFETCH, Paginator


def _query_option(name: str, schema: dict[str, Any]) -> Callable[[F], F]:
    """One option for one query parameter of the vendored spec: its type, bounds or choices, its description.

    Unset, the parameter is not sent (the API's default applies), except `--page-size`: the maximum.
    """
    flag = "--" + name.replace("_", "-")
    help_text = str(schema.get("description") or schema.get("title") or name).rstrip(".") + "."
    if name == "page_size":  # ours is the maximum: fewer requests for a whole history
        kind = click.IntRange(1, MAX_PAGE_SIZE)
        help_text = "Runs per request (the API's maximum is the fastest way through a long history)."
        return click.option(flag, type=kind, default=MAX_PAGE_SIZE, show_default=True, help=help_text)
    default = schema.get("default")
    if default is not None:
        help_text += f" API default: {str(default).lower() if isinstance(default, bool) else default}."
    if "enum" in schema:
        return click.option(flag, type=click.Choice([str(value) for value in schema["enum"]]), help=help_text)
    if schema.get("type") == "boolean":
        return click.option(f"{flag}/--no-{flag[2:]}", default=None, help=help_text)
    if schema.get("type") == "integer":
        return click.option(flag, type=click.IntRange(schema.get("minimum"), schema.get("maximum")), help=help_text)
    return click.option(flag, help=help_text)


F = TypeVar("F", bound=Callable[..., Any])

# The operation's query parameters as options, derived from the vendored spec (generated names).
QUERY_OPTIONS = query_parameters()

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
    *(_query_option(name, schema) for name, schema in QUERY_OPTIONS.items()),
)

# Separate from listing_options: how to fetch, not what to list.
prefetch_option = click.option(
    "--prefetch",
    type=click.IntRange(min=0),
    default=DEFAULT_PREFETCH,
    show_default=True,
    help="Pages requested ahead while earlier ones are written (0: one request at a time).",
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
        yield from _with_progress(paginator)


def _with_progress(paginator: Paginator[FunctionRun]) -> Iterator[FunctionRun]:
    count = 0
    with progress("fetching runs…") as status:
        for page in paginator.pages():
            if status is not None:
                count += len(page.items)
                status.update(f"fetched {count} run(s), page {page.number}…")
            yield from page.items


# `runs watch` lives in its own module (it streams events, not a listing), loaded when it runs.
WATCH = {"watch": ("notte_ext.cli.watch:watch", "Print FUNCTION_ID's runs as they appear and change status (polling).")}


@click.group(cls=LazyGroup, lazy=WATCH)
@client_options
def runs() -> None:
    """List and summarize a function's runs (all pages, finished runs included)."""


@runs.command("list")
@listing_options
@prefetch_option
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
@prefetch_option
@pass_state
def summarize_runs(state: AppState, /, function_id: str, **options: Any) -> None:
    """Counts by status, failure rate, first/last run and runs per day for FUNCTION_ID."""
    from notte_ext.cli._table import OutputConsole  # rich: only for the commands that print with it

    summary = RunSummary.of(_listing(state, function_id, options, limit=None))
    summary.render(OutputConsole(highlight=False), function_id)
