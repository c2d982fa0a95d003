"""The ``notte-ext`` command line (installed with the ``cli`` extra)."""

from __future__ import annotations

import click

from notte_ext.cli.serve import serve
from notte_ext.cli.spec import spec


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """notte-ext: list and summarize Notte function runs, check spec drift, serve a local Notte API."""


main.add_command(spec)
main.add_command(serve)
