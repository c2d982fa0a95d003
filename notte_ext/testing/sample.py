"""The sample server behind ``python -m notte_ext.testing`` and ``notte-ext serve``."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime

from notte_ext.testing.faults import Latency
from notte_ext.testing.ordering import RunOrder
from notte_ext.testing.server import DEFAULT_API_KEY, NotteTestServer
from notte_ext.testing.state import RunPlan

__all__ = ["DEFAULT_SAMPLE_RUNS", "MAX_SAMPLE_RUNS", "SAMPLE_FUNCTION_ID", "serve_sample"]

SAMPLE_FUNCTION_ID = "fn-sample"
#: How many runs `notte-ext serve`, `notte-ext demo` and `python -m notte_ext.testing` serve by default.
DEFAULT_SAMPLE_RUNS = 250
#: The most they serve: runs live in memory (peak RSS: 100,000 took 310 MB, 50,000 170 MB, measured with
#: /usr/bin/time on this project's machine).
MAX_SAMPLE_RUNS = 50_000


def serve_sample(
    *,
    port: int = 0,
    api_key: str = DEFAULT_API_KEY,
    runs: int = DEFAULT_SAMPLE_RUNS,
    latency: float = 0.0,
    validate: bool = True,
    echo: Callable[[str], None] = print,
    seed: int = 0,
    now: datetime | None = None,
    run_plan: RunPlan | None = None,
    order: RunOrder | None = None,
) -> None:
    """Serve ``runs`` generated runs of ``fn-sample`` until interrupted (Ctrl-C).

    The runs end at ``now``'s minute (default: the current one) and go back ``SAMPLE_DAYS`` days,
    so "the last 2 hours" and "today" hold some; ``seed`` picks their ids. ``fn-sample`` is listed
    as a function too, and runs started on it follow ``run_plan`` (default: 2 s, then closed or,
    one time in five, failed; seeded).

    ``latency`` adds that many seconds to every response, like a far-away API; ``validate=False``
    skips checking each response against openapi.json (benchmarks: it costs more than the rest).
    ``order``: the order the runs listing serves (default newest first, as the API).
    """
    with NotteTestServer(api_key, port=port, validate_responses=validate, run_plan=run_plan, order=order) as server:
        server.add_function(SAMPLE_FUNCTION_ID, runs=runs, seed=seed, now=now)
        if latency:
            server.faults.add(Latency(latency), times=None)
        # This is a local, made-up test key: printing it is the point (users paste it into clients).
        echo(f"Notte test server listening on {server.url}")
        echo(f"API key: {api_key}")
        echo(f"Try: GET {server.url}/functions/{SAMPLE_FUNCTION_ID}/runs?only_active=false")
        echo("Press Ctrl-C to stop.")
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            echo("stopped")
