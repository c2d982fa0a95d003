"""`notte-ext functions list|get|delete`: your functions."""

from __future__ import annotations

import sys
from typing import Any

import click

from notte_ext.cli._app import EXIT_API, AppState, client_options, option_group, pass_state
from notte_ext.cli._listing import PREFETCH_OPTION, query_option, with_progress
from notte_ext.cli._output import FORMATS, FUNCTIONS, columns_option_for, write_one, write_runs
from notte_ext.cli._values import TEXT, count
from notte_ext.functions import FUNCTIONS_MAX_PAGE_SIZE, functions_query_parameters

# The operation's query parameters as options, derived from the vendored spec (generated names).
QUERY_OPTIONS = functions_query_parameters()

format_option = click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    help="Output format (default: table on a terminal, jsonl when piped).",
)


def interactive() -> bool:
    """Whether someone can answer a question (stdin is a terminal)."""
    return sys.stdin.isatty()


def chosen_format(output_format: str | None) -> str:
    return output_format or ("table" if sys.stdout.isatty() else "jsonl")


@click.group()
@client_options
def functions() -> None:
    """List, read and delete your functions."""


@functions.command("list")
@option_group(
    *(query_option(name, schema, FUNCTIONS_MAX_PAGE_SIZE, "functions") for name, schema in QUERY_OPTIONS.items())
)
@click.option("--active", "active_only", is_flag=True, help="Only active functions (the API's only_active=true).")
@click.option("--limit", type=count(), help="Stop after this many functions.")
@PREFETCH_OPTION
@format_option
@columns_option_for(FUNCTIONS)
@pass_state
def list_functions(
    state: AppState,
    /,
    active_only: bool,
    limit: int | None,
    prefetch: int,
    output_format: str | None,
    columns: tuple[str, ...] | None,
    **options: Any,
) -> None:
    """List every function (inactive ones too), newest first as the API sends them."""
    with state.client() as client:
        listing = client.functions.list(
            active_only=active_only,
            limit=limit,
            prefetch=prefetch,
            **{name: options[name] for name in QUERY_OPTIONS if options[name] is not None},
        )
        write_runs(with_progress(listing, "function"), chosen_format(output_format), sys.stdout, columns, FUNCTIONS)


@functions.command("get")
@click.argument("function_id", type=TEXT)
@click.option("--version", type=TEXT, help="A version other than the latest (its download link).")
@format_option
@pass_state
def get_function(state: AppState, /, function_id: str, version: str | None, output_format: str | None) -> None:
    """Show FUNCTION_ID, with a link to download its workflow file."""
    with state.client() as client:
        function = client.functions.get(function_id, **({"version": version} if version is not None else {}))
    write_one(function, chosen_format(output_format), sys.stdout, "function")


@functions.command("delete")
@click.argument("function_id", type=TEXT)
@click.option("--yes", is_flag=True, help="Delete without asking (required when not on a terminal).")
@format_option
@pass_state
def delete_function(state: AppState, /, function_id: str, yes: bool, output_format: str | None) -> None:
    """Delete FUNCTION_ID and its runs (asks first; --yes skips the question)."""
    if not yes:
        if not interactive():
            raise click.UsageError(f"not deleting {function_id!r} without confirmation: pass --yes")
        if not click.confirm(f"Delete function {function_id!r} and its runs? This cannot be undone", default=False):
            click.echo("Not deleted.", err=True)
            sys.exit(EXIT_API)
    with state.client() as client:
        deleted = client.functions.delete(function_id)
    write_one(deleted, chosen_format(output_format), sys.stdout, "deletion")
    status = str(getattr(deleted.status, "value", deleted.status))
    if status != "success":  # the spec's 200 may say `failure`: a script must not read it as deleted
        raise click.ClickException(
            f"function {function_id!r} was not deleted: the API answered {status}: {deleted.message}"
        )
