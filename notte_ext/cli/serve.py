"""``notte-ext serve``: run the local Notte test server (the same code as ``python -m notte_ext.testing``)."""

import errno
import functools

import click

from notte_ext.cli._app import EXIT_USAGE
from notte_ext.cli._values import PORT, TEXT, Number, count
from notte_ext.testing.ordering import ORDERS, RunOrder
from notte_ext.testing.sample import DEFAULT_SAMPLE_RUNS, MAX_SAMPLE_RUNS, serve_sample
from notte_ext.testing.server import DEFAULT_API_KEY, acceptable_key
from notte_ext.testing.state import RunPlan

_PLAN = RunPlan()
MAX_LATENCY = 600.0  # a response later than this is a hang, not a slow API
MAX_RUN_SECONDS = 24 * 3600.0


class _CannotListen(click.ClickException):
    exit_code = EXIT_USAGE


@click.command()
@click.option("--port", type=PORT, default=0, show_default=True, help="Port on 127.0.0.1 (0: a free one).")
@click.option("--api-key", type=TEXT, default=DEFAULT_API_KEY, show_default=True, help="The bearer key to accept.")
@click.option(
    "--runs", type=count(MAX_SAMPLE_RUNS), default=DEFAULT_SAMPLE_RUNS, show_default=True, help="Sample runs to serve."
)
@click.option(
    "--latency",
    type=Number(0, MAX_LATENCY),
    default=0.0,
    show_default=True,
    help="Seconds added to each response.",
)
@click.option(
    "--run-seconds",
    type=Number(0, MAX_RUN_SECONDS),
    default=_PLAN.duration,
    show_default=True,
    help="How long a run started through the API stays active.",
)
@click.option(
    "--failure-rate",
    type=Number(0, 1),
    default=_PLAN.failure_rate,
    show_default=True,
    help="The share of started runs that end failed (seeded by --run-seed).",
)
@click.option(
    "--run-seed", type=count(2**63 - 1), default=_PLAN.seed, show_default=True, help="Seeds the started runs' outcomes."
)
@click.option(
    "--run-outcome",
    type=click.Choice(("closed", "failed")),
    help="Every started run ends so (overrides --failure-rate).",
)
@click.option(
    "--order",
    type=click.Choice(ORDERS),
    default=ORDERS[0],
    show_default=True,
    help="The order runs are listed in (the API: newest first; the others test a client against a server that breaks it).",
)
@click.option("--order-seed", type=int, default=0, show_default=True, help="Seeds --order shuffled and misplaced.")
def serve(
    port: int,
    api_key: str,
    runs: int,
    latency: float,
    run_seconds: float,
    failure_rate: float,
    run_seed: int,
    run_outcome: str | None,
    order: str,
    order_seed: int,
) -> None:
    """Serve a local, spec-faithful Notte API with sample data until Ctrl-C."""
    plan = RunPlan(duration=run_seconds, failure_rate=failure_rate, seed=run_seed, outcome=run_outcome)
    try:
        acceptable_key(api_key)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--api-key") from None
    echo = functools.partial(click.echo, err=False)
    try:
        serve_sample(
            port=port,
            api_key=api_key,
            runs=runs,
            latency=latency,
            echo=echo,
            run_plan=plan,
            order=RunOrder(order, order_seed),
        )
    except OSError as exc:
        if exc.errno not in (errno.EADDRINUSE, errno.EACCES):
            raise
        reason = "is in use" if exc.errno == errno.EADDRINUSE else "is not allowed for this user"
        raise _CannotListen(f"port {port} on 127.0.0.1 {reason}: pick another --port, or 0 for a free one") from None
