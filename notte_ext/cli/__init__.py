"""The ``notte-ext`` command line (installed with the ``cli`` extra)."""

from __future__ import annotations

from typing import Any

import click

from notte_ext.cli._app import AppState, NotteGroup, global_options, version_option
from notte_ext.cli.demo import demo
from notte_ext.cli.runs import runs
from notte_ext.cli.serve import serve
from notte_ext.cli.spec import spec


# Help uses the terminal's width up to 120 columns (click stops at 80).
@click.group(cls=NotteGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 120})
@global_options
@version_option
@click.pass_context
def main(ctx: click.Context, /, **options: Any) -> None:
    """notte-ext: list and summarize Notte function runs, check spec drift, serve a local Notte API.

    Client options (--api-key, --base-url, ...) go before or after the command.

    Exit codes: 0 ok (also when the reader of a pipe stops early), 1 the API refused or answered
    unexpectedly, 2 usage or configuration error, 3 the API could not be reached, 130 interrupted.
    """
    ctx.obj = AppState(**options)


main.add_command(runs)
main.add_command(spec)
main.add_command(serve)
main.add_command(demo)
