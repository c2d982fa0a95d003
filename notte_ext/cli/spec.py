"""``notte-ext spec``: compare OpenAPI documents (filled in by the spec-drift work)."""

import click


@click.group()
def spec() -> None:
    """Compare OpenAPI documents and check upstream drift."""
