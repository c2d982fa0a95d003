"""The ``notte-ext`` command line (installed with the ``cli`` extra)."""

from __future__ import annotations

import importlib
from typing import Any

import click

from notte_ext._interrupts import imports_uninterrupted
from notte_ext.cli._app import AppState, NotteGroup, global_options, version_option


class LazyGroup(click.Group):
    """Imports a sub-command's module only when that command runs (or its own help is shown).

    `notte-ext --help` lists every command with its one-line help, given here so listing them
    imports none (the client, the drift engine, the test server); tests/test_cli_lazy.py checks each
    line is the command's own short help."""

    def __init__(self, *args: Any, lazy: dict[str, tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = lazy  # name -> ("module:attribute", short help)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            module, _, attribute = self.lazy[cmd_name][0].partition(":")
            with imports_uninterrupted():  # most of a command's start-up: the client, httpx, the models
                command = getattr(importlib.import_module(module), attribute)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # click's own layout (Group.format_commands), with the lazy commands' help taken from `lazy`.
        names = [name for name in self.list_commands(ctx) if name in self.lazy or not self.commands[name].hidden]
        if not names:
            return
        limit = formatter.width - 6 - max(map(len, names))
        rows = [
            (name, click.Command(name, help=self.lazy[name][1]).get_short_help_str(limit))
            if name not in self.commands
            else (name, self.commands[name].get_short_help_str(limit))
            for name in names
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


class TopGroup(LazyGroup, NotteGroup):
    """`notte-ext` itself: lazy commands, and every way a run ends as one line and a documented code."""


COMMANDS = {
    "runs": ("notte_ext.cli.runs:runs", "List, summarize, start, watch, stop and update a function's runs."),
    "functions": (
        "notte_ext.cli.functions:functions",
        "List, read, create, update, fork, schedule and delete your functions.",
    ),
    "spec": ("notte_ext.cli.spec:spec", "Compare OpenAPI documents and check upstream drift."),
    "serve": ("notte_ext.cli.serve:serve", "Serve a local, spec-faithful Notte API with sample data until Ctrl-C."),
    "demo": (
        "notte_ext.cli.demo:demo",
        "List and summarize sample runs, start one and wait for it, on an embedded local Notte API (no key, no network).",
    ),
}


# Help uses the terminal's width up to 120 columns (click stops at 80).
@click.group(
    cls=TopGroup,
    lazy=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 120},
)
@global_options
@version_option
@click.pass_context
def main(ctx: click.Context, /, **options: Any) -> None:
    """notte-ext: Notte functions and their runs (list, start and wait, stop), spec drift, a local Notte API.

    Client options (--api-key, --base-url, ...) go before or after the command.

    Exit codes: 0 ok (also when the reader of a pipe stops early), 1 the API refused or answered
    unexpectedly, 2 usage or configuration error (or the output could not be written), 3 the API could not
    be reached, 4 `runs watch --for` or `runs start --wait-timeout` passed (and 1 when a run reached an
    `--exit-on` status), 130 interrupted.
    """
    ctx.obj = AppState(**options)
