"""``notte-ext serve``: run the local Notte test server (filled in by the local-server work)."""

import click


@click.command()
def serve() -> None:
    """Serve a local, spec-faithful Notte API with sample data."""
    raise click.ClickException("not implemented yet")
