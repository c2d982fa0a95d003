"""`notte-ext functions create|update|fork|schedule|unschedule`: deploy a function from a terminal or a CI job.

Each command is one call of `client.functions`, which checks its arguments against the spec before any
request and never sends a write again once it may have reached the API (no retry here either); the
answer is written as `functions get` writes one. The options of `create` and `update` are the spec's:
one per form field of the upload's multipart body (but the file) and one per query parameter
(`upload_options`), so a bump that adds one adds an option.

FILE is read once and bounded (`MAX_UPLOAD_BYTES`, 10 MiB, +1 byte to tell a larger file): a path by the
client, `-` (stdin, a pipe) here, so a huge or endless input is refused after 10 MiB, never read whole.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, Literal

import click

from notte_ext._bodies import MAX_UPLOAD_BYTES, Workflow, read_workflow
from notte_ext.cli._app import AppState, option_group, pass_state
from notte_ext.cli._listing import query_option
from notte_ext.cli._output import format_option
from notte_ext.cli._values import TEXT
from notte_ext.cli._variables import variable_options, variables
from notte_ext.cli.functions import answer, asking_first, confirm
from notte_ext.functions import upload_options

F = Callable[..., Any]

# A boolean field whose "no" has a name of its own (`--shared/--private`, not `--no-shared`).
OFF_FLAGS = {"shared": "private"}
# Help for the fields the spec names without describing them; any other field shows the spec's description.
FIELD_HELP = {
    "name": "The function's name.",
    "description": "What the function does.",
    "shared": "Public: anyone can see and fork it (--private: only you).",
}

# click checks a path (not a directory, exists, readable) before any request; `-` is stdin.
WORKFLOW_FILE = click.Path(exists=True, dir_okay=False, allow_dash=True, path_type=str)
_file_argument = click.argument("file", metavar="FILE", type=WORKFLOW_FILE)


def _spec_options(method: Literal["create", "update"]) -> Callable[[F], F]:
    """One option per form field and query parameter `create` or `update` takes, from the vendored spec."""
    form, query = upload_options(method)
    return option_group(
        *(
            query_option(
                name,
                {**schema, "description": FIELD_HELP.get(name) or schema.get("description")},
                off=OFF_FLAGS.get(name),
            )
            for name, schema in {**form, **query}.items()
        )
    )


def _workflow(file: str) -> Workflow:
    """FILE for the client: a path (it reads it, bounded), or for `-` stdin's bytes, read here with the same bound."""
    if file != "-":
        return file
    content, _name = read_workflow(sys.stdin.buffer)  # <stdin> is no file name: the client's workflow.py is
    return content


def _given(options: dict[str, Any]) -> dict[str, Any]:
    """The spec's options that were given: unset, a field is not sent and the API's default applies."""
    return {name: value for name, value in options.items() if value is not None}


@click.command(
    "create",
    help="Create a function from a workflow file (FILE, or - for stdin); prints it.\n\n"
    f"FILE is a Python workflow of at most {MAX_UPLOAD_BYTES // 2**20} MiB; the output holds the new function_id.",
)
@_file_argument
@_spec_options("create")
@format_option
@pass_state
def create(state: AppState, /, file: str, output_format: str | None, **options: Any) -> None:
    workflow = _workflow(file)
    answer(state, output_format, "function", lambda functions: functions.create(workflow, **_given(options)))


@click.command("update")
@click.argument("function_id", type=TEXT)
@_file_argument
@_spec_options("update")
@format_option
@pass_state
def update(state: AppState, /, function_id: str, file: str, output_format: str | None, **options: Any) -> None:
    """Upload FILE (or - for stdin) as a new version of FUNCTION_ID.

    The earlier versions stay (`functions get FUNCTION_ID --version V`); prints the function."""
    workflow = _workflow(file)
    answer(
        state, output_format, "function", lambda functions: functions.update(function_id, workflow, **_given(options))
    )


@click.command("fork")
@click.argument("function_id", type=TEXT)
@format_option
@pass_state
def fork(state: AppState, /, function_id: str, output_format: str | None) -> None:
    """Copy FUNCTION_ID into a new function of yours; prints the copy.

    Its reference_workflow_id names the original."""
    answer(state, output_format, "function", lambda functions: functions.fork(function_id))


@click.command("schedule")
@click.argument("function_id", type=TEXT)
@click.option(
    "--cron",
    required=True,
    type=TEXT,
    metavar="EXPRESSION",
    help="When to run it, a cron expression: '0 * * * *' is every hour (the API checks it).",
)
@variable_options
@format_option
@pass_state
def schedule(
    state: AppState,
    /,
    function_id: str,
    cron: str,
    texts: tuple[str, ...],
    jsons: tuple[str, ...],
    output_format: str | None,
) -> None:
    """Run FUNCTION_ID on a cron schedule, with these variables (replaces its schedule)."""
    given = variables(texts, jsons)
    answer(state, output_format, "schedule", lambda functions: functions.schedule(function_id, cron, given))


@click.command("unschedule")
@asking_first("Unschedule")
def unschedule(state: AppState, /, function_id: str, yes: bool, output_format: str | None) -> None:
    """Stop FUNCTION_ID's scheduled runs (asks first; --yes skips the question).

    The API has no way to read a schedule back: once removed, its cron and variables are gone."""
    question = f"Remove the schedule of function {function_id!r}? Its cron and variables can't be read back"
    confirm(yes, f"not unscheduling {function_id!r}", question, "Not unscheduled.")
    answer(state, output_format, "schedule", lambda functions: functions.unschedule(function_id))
