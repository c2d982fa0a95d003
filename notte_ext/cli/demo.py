"""`notte-ext demo` (what `make run` runs): the real commands against an embedded local API.

Starts the local test server on 127.0.0.1 with sample runs, then runs `functions list`, `runs list`,
`runs summary`, and a run's lifecycle (`runs start --wait`: started, its log, closed; `runs get`)
through the real client over real HTTP. No API key, no network.
"""

from __future__ import annotations

import click

from notte_ext._defaults import MIN_INTERVAL
from notte_ext.cli._app import AppState
from notte_ext.cli._values import count
from notte_ext.cli.functions import list_functions
from notte_ext.cli.run_commands import start
from notte_ext.cli.runs import list_runs, summarize_runs
from notte_ext.testing import NotteTestServer, RunPlan
from notte_ext.testing.sample import DEFAULT_SAMPLE_RUNS, MAX_SAMPLE_RUNS

DEMO_FUNCTION = "fn-demo"
# The run the demo starts: a second of work, then closed (the demo shows the lifecycle, not a coin toss).
DEMO_RUN = RunPlan(duration=1.0, outcome="closed", log_interval=0.25)


@click.command()
@click.option(
    "--runs",
    "run_count",
    type=count(MAX_SAMPLE_RUNS),
    default=DEFAULT_SAMPLE_RUNS,
    show_default=True,
    help="Sample runs the embedded API holds.",
)
@click.option("--limit", type=count(), default=10, show_default=True, help="Runs to list.")
@click.pass_context
def demo(ctx: click.Context, run_count: int, limit: int) -> None:
    """List and summarize sample runs, start one and wait for it, on an embedded local Notte API (no key, no network)."""
    with NotteTestServer(run_plan=DEMO_RUN) as server:
        server.add_function(DEMO_FUNCTION, runs=run_count)
        ctx.obj = AppState(api_key=server.api_key, base_url=server.url)
        click.echo(f"Embedded Notte API at {server.url}, function {DEMO_FUNCTION!r} with {run_count} runs\n", err=True)
        click.echo(f"$ notte-ext runs list {DEMO_FUNCTION} --limit {limit} --format table")
        ctx.invoke(list_runs, function_id=DEMO_FUNCTION, limit=limit, output_format="table")
        click.echo(f"\n$ notte-ext runs summary {DEMO_FUNCTION}")
        ctx.invoke(summarize_runs, function_id=DEMO_FUNCTION)
        click.echo("\n$ notte-ext functions list --format table")
        ctx.invoke(list_functions, output_format="table")
        click.echo(f"\n$ notte-ext runs start {DEMO_FUNCTION} --var url=https://example.com --wait --format table")
        ctx.invoke(
            start,
            function_id=DEMO_FUNCTION,
            texts=("url=https://example.com",),
            wait=True,
            interval=MIN_INTERVAL,
            output_format="table",
        )
