"""`notte-ext functions list|get|delete`: your functions (create, update, fork, schedule, unschedule: `function_writes`)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from notte_ext.cli import LazyGroup
from notte_ext.cli._app import EXIT_API, AppState, client_options, option_group, pass_state
from notte_ext.cli._listing import PREFETCH_OPTION, query_option, with_progress
from notte_ext.cli._output import FUNCTIONS, chosen_format, columns_option_for, format_option, write_one, write_runs
from notte_ext.cli._values import TEXT, count
from notte_ext.functions import FUNCTIONS_MAX_PAGE_SIZE, functions_query_parameters

if TYPE_CHECKING:
    from notte_ext.functions import Functions

# The operation's query parameters as options, derived from the vendored spec (generated names).
QUERY_OPTIONS = functions_query_parameters()


def interactive() -> bool:
    """Whether someone can answer a question (stdin is a terminal)."""
    return sys.stdin.isatty()


def answer(state: AppState, output_format: str | None, noun: str, call: Callable[[Functions], Any]) -> Any:
    """One call of `client.functions`, its answer written as one record (`noun`: "function"...) and returned.
    Sent once: the client never repeats a write that may have reached the API, and neither does this."""
    with state.client() as client:
        result = call(client.functions)
    write_one(result, chosen_format(output_format), sys.stdout, noun)
    return result


def confirm(yes: bool, refusal: str, question: str, declined: str) -> None:
    """Go on only with --yes or a yes on a terminal: without a terminal to ask on, `refusal` (a usage error,
    exit 2: a script must say --yes); a no on the terminal, `declined` and exit 1 (nothing was done)."""
    if yes:
        return
    if not interactive():
        raise click.UsageError(f"{refusal} without confirmation: pass --yes")
    if not click.confirm(question, default=False):
        click.echo(declined, err=True)
        sys.exit(EXIT_API)


# What changes a function (uploads, a fork, its schedule) lives in its own module, loaded when it runs.
_WRITES = {
    "create": "Create a function from a workflow file (FILE, or - for stdin); prints it.",
    "update": "Upload FILE (or - for stdin) as a new version of FUNCTION_ID.",
    "fork": "Copy FUNCTION_ID into a new function of yours; prints the copy.",
    "schedule": "Run FUNCTION_ID on a cron schedule, with these variables (replaces its schedule).",
    "unschedule": "Stop FUNCTION_ID's scheduled runs (asks first; --yes skips the question).",
}
FUNCTION_COMMANDS = {name: (f"notte_ext.cli.function_writes:{name}", help) for name, help in _WRITES.items()}


def asking_first(verb: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A command that changes FUNCTION_ID beyond undoing (`delete`, `unschedule`): its argument, `--yes`
    (see `confirm`), `--format`, and the client."""
    return option_group(
        click.argument("function_id", type=TEXT),
        click.option("--yes", is_flag=True, help=f"{verb} without asking (required when not on a terminal)."),
        format_option,
        pass_state,
    )


@click.group(cls=LazyGroup, lazy=FUNCTION_COMMANDS)
@client_options
def functions() -> None:
    """List, read, create, update, fork, schedule and delete your functions."""


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
    query = {"version": version} if version is not None else {}
    answer(state, output_format, "function", lambda functions: functions.get(function_id, **query))


@functions.command("delete")
@asking_first("Delete")
def delete_function(state: AppState, /, function_id: str, yes: bool, output_format: str | None) -> None:
    """Delete FUNCTION_ID and its runs (asks first; --yes skips the question)."""
    question = f"Delete function {function_id!r} and its runs? This cannot be undone"
    confirm(yes, f"not deleting {function_id!r}", question, "Not deleted.")
    deleted = answer(state, output_format, "deletion", lambda functions: functions.delete(function_id))
    status = str(getattr(deleted.status, "value", deleted.status))
    if status != "success":  # the spec's 200 may say `failure`: a script must not read it as deleted
        raise click.ClickException(
            f"function {function_id!r} was not deleted: the API answered {status}: {deleted.message}"
        )
