"""``notte-ext serve``: run the local Notte test server (the same code as ``python -m notte_ext.testing``)."""

import functools

import click

from notte_ext.testing.sample import DEFAULT_SAMPLE_RUNS, serve_sample
from notte_ext.testing.server import DEFAULT_API_KEY


@click.command()
@click.option("--port", type=int, default=0, show_default=True, help="Port on 127.0.0.1 (0: a free one).")
@click.option("--api-key", default=DEFAULT_API_KEY, show_default=True, help="The bearer key to accept.")
@click.option(
    "--runs", type=click.IntRange(min=0), default=DEFAULT_SAMPLE_RUNS, show_default=True, help="Sample runs to serve."
)
@click.option(
    "--latency", type=click.FloatRange(min=0), default=0.0, show_default=True, help="Seconds added to each response."
)
def serve(port: int, api_key: str, runs: int, latency: float) -> None:
    """Serve a local, spec-faithful Notte API with sample data until Ctrl-C."""
    serve_sample(port=port, api_key=api_key, runs=runs, latency=latency, echo=functools.partial(click.echo, err=False))
