"""The ``notte-ext`` command line (installed with the ``cli`` extra)."""

from __future__ import annotations

import click

from notte_ext.cli._app import AppState, NotteGroup, global_options
from notte_ext.cli.demo import demo
from notte_ext.cli.runs import runs
from notte_ext.cli.serve import serve
from notte_ext.cli.spec import spec


@click.group(cls=NotteGroup, context_settings={"help_option_names": ["-h", "--help"]})
@global_options
@click.pass_context
def main(ctx: click.Context, api_key: str | None, base_url: str | None, timeout: float | None, debug: bool) -> None:
    """notte-ext: list and summarize Notte function runs, check spec drift, serve a local Notte API."""
    ctx.obj = AppState(api_key=api_key, base_url=base_url, timeout=timeout, debug=debug)


main.add_command(runs)
main.add_command(spec)
main.add_command(serve)
main.add_command(demo)
