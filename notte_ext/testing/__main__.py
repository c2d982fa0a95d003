"""``python -m notte_ext.testing [--port N] [--api-key K] [--runs N]``: serve sample data locally."""

from __future__ import annotations

import argparse
import functools

from notte_ext.testing.ordering import ORDERS, RunOrder
from notte_ext.testing.sample import DEFAULT_SAMPLE_RUNS, serve_sample
from notte_ext.testing.server import DEFAULT_API_KEY


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m notte_ext.testing", description=serve_sample.__doc__)
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--api-key", default=DEFAULT_API_KEY, help="the bearer key to accept")
    parser.add_argument("--runs", type=int, default=DEFAULT_SAMPLE_RUNS, help="how many sample runs to serve")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every response")
    parser.add_argument("--order", choices=ORDERS, default=ORDERS[0], help="the order runs are listed in")
    parser.add_argument("--order-seed", type=int, default=0, help="seeds --order shuffled and misplaced")
    parser.add_argument("--no-validate", action="store_true", help="don't check responses against openapi.json")
    args = parser.parse_args(argv)
    serve_sample(
        port=args.port,
        api_key=args.api_key,
        runs=args.runs,
        latency=args.latency,
        validate=not args.no_validate,
        order=RunOrder(args.order, args.order_seed),
        echo=functools.partial(print, flush=True),
    )


if __name__ == "__main__":
    main()
