"""``python -m notte_ext.testing [--port N] [--api-key K] [--runs N]``: serve sample data locally."""

from __future__ import annotations

import argparse
import errno
import functools
import math
from collections.abc import Callable

from notte_ext.testing.ordering import ORDERS, RunOrder
from notte_ext.testing.sample import DEFAULT_SAMPLE_RUNS, MAX_SAMPLE_RUNS, serve_sample
from notte_ext.testing.server import DEFAULT_API_KEY, acceptable_key


def _within(kind: Callable[[str], float], least: float, most: float) -> Callable[[str], float]:
    """An argparse type: a finite number from `least` to `most` (as `notte-ext serve` checks its options)."""

    def convert(text: str) -> float:
        value = kind(text)
        if not (math.isfinite(value) and least <= value <= most):
            raise argparse.ArgumentTypeError(f"{text!r} is not from {least:g} to {most:g}")
        return value

    convert.__name__ = kind.__name__  # argparse names the type in its message
    return convert


def _key(text: str) -> str:
    try:
        return acceptable_key(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m notte_ext.testing", description=serve_sample.__doc__)
    parser.add_argument(
        "--port", type=_within(int, 0, 65535), default=0, help="port on 127.0.0.1 (default: a free one)"
    )
    parser.add_argument("--api-key", type=_key, default=DEFAULT_API_KEY, help="the bearer key to accept")
    parser.add_argument(
        "--runs",
        type=_within(int, 0, MAX_SAMPLE_RUNS),
        default=DEFAULT_SAMPLE_RUNS,
        help=f"how many sample runs to serve (at most {MAX_SAMPLE_RUNS:,}: they live in memory)",
    )
    parser.add_argument("--latency", type=_within(float, 0, 600), default=0.0, help="seconds added to every response")
    parser.add_argument("--order", choices=ORDERS, default=ORDERS[0], help="the order runs are listed in")
    parser.add_argument("--order-seed", type=int, default=0, help="seeds --order shuffled and misplaced")
    parser.add_argument("--no-validate", action="store_true", help="don't check responses against openapi.json")
    args = parser.parse_args(argv)
    try:
        serve_sample(
            port=args.port,
            api_key=args.api_key,
            runs=args.runs,
            latency=args.latency,
            validate=not args.no_validate,
            order=RunOrder(args.order, args.order_seed),
            echo=functools.partial(print, flush=True),
        )
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        parser.error(f"port {args.port} on 127.0.0.1 is in use: pick another --port, or 0 for a free one")


if __name__ == "__main__":
    main()
