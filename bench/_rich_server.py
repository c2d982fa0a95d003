"""Runs as the API serves them, for benchmarks: `python -m bench._rich_server --runs N [--latency S]`.

The lean servers send runs with empty logs and no variables or result: ~0.4 KB each. Real runs of
a function carry what it was called with and what it did, and that is what a client parses:

* `variables`: 5-20 keys (none on ~1 run in 10): strings, numbers, booleans, URLs, lists of
  strings, and nested objects up to three levels (filters, viewport, proxy, credentials, items);
* `logs`: 3-40 lines of ~60-110 characters (timestamp, level, step);
* `result`: what the run returned: plain text, or an object as JSON text (the 1.4.40 spec types
  `result` as string or null; where a revision lets it be an object, objects are sent as objects),
  an error message for failed runs, null while active.

`python -m bench._rich_server --describe` prints the sizes (bytes per run and per page of 100).
Run i (0 = newest, one second apart) gets its own id and timestamps and the variables, logs and
result of one of ~1,200 contents drawn once (seeded: the same every time); fields follow the
vendored spec's item schema (a field it doesn't declare is left out). A page is built for real (a
dict per run, then `json.dumps`: ~4 ms per 100 runs here) before the listing starts where the
pages fit 256 MiB, else when asked for; then every answer takes `--page-ms` (default 4 ms) asleep:
the API's own time per page, spent on its machines. Building pages during the listing would put
the server's CPU on the client's two cores, which a real API never does, and would make page-ahead
(several pages built at once) look slower than it is. A thread per connection (bench/_http.py):
the GIL is held only to parse the request and start the write, so pages asked for ahead are
answered in parallel.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from bench._http import serve
from notte_ext.testing.data import RUN_STATUSES, format_timestamp, make_run
from notte_ext.testing.operation import RunsOperation

FUNCTION_ID = "fn-rich"
_NEWEST = datetime(2026, 1, 1, tzinfo=UTC)
_OPERATION = RunsOperation.load()
_DECLARED = frozenset(_OPERATION.item_fields)
# The API's time to answer a page of 100 (~what building and serialising one costs this machine's Python).
PAGE_MS = 4.0
_MAX_RUN_BYTES = 6_000  # the largest run --describe reports is ~5.5 KB: budget for prebuilding
_RESULT_OBJECTS = "result" in _DECLARED and "object" in json.dumps(_OPERATION.item_fields["result"])

_VOCABULARY = """price laptop review shipping london paris berlin invoice order customer product listing
search filter page login account cart checkout warehouse stock rating seller delivery"""
_WORDS = _VOCABULARY.split()
_SITES = ("https://www.amazon.com", "https://news.ycombinator.com", "https://www.linkedin.com", "https://shop.example")
_LEVELS = ("INFO", "INFO", "INFO", "DEBUG", "WARNING")
_STEPS = (
    "goto {url}",
    "click 'button:has-text(\"{word}\")' ({n} ms)",
    "fill input[name={word}] with {n} characters",
    "scrape: {n} items matched selector div.{word}-card",
    "observe: {n} interactive elements on {url}",
    "agent step {n}: looking for the {word} section",
    "wait_for_selector #{word}-results ({n} ms)",
    "navigation to {url} took {n} ms",
)


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choices(_WORDS, k=words))


def _url(rng: random.Random) -> str:
    return f"{rng.choice(_SITES)}/{rng.choice(_WORDS)}/{rng.randrange(10**6)}?q={rng.choice(_WORDS)}"


# Variable name -> its value for one run: what functions are typically called with.
_VARIABLES: dict[str, Callable[[random.Random], Any]] = {
    "url": _url,
    "query": lambda r: _text(r, r.randint(1, 5)),
    "max_results": lambda r: r.choice((10, 25, 50, 100)),
    "headless": lambda r: r.random() < 0.8,
    "locale": lambda r: r.choice(("en-US", "fr-FR", "de-DE", "ja-JP")),
    "timeout_ms": lambda r: r.randrange(5_000, 120_000, 5_000),
    "min_price": lambda r: round(r.uniform(1, 500), 2),
    "tags": lambda r: r.sample(_WORDS, r.randint(1, 6)),
    "start_urls": lambda r: [_url(r) for _ in range(r.randint(1, 4))],
    "viewport": lambda r: {"width": r.choice((1280, 1440, 1920)), "height": r.choice((720, 900, 1080))},
    "proxy": lambda r: {"country": r.choice(("us", "gb", "de")), "type": "residential", "sticky": r.random() < 0.5},
    "filters": lambda r: {
        "category": r.choice(_WORDS),
        "price": {"min": r.randrange(100), "max": r.randrange(100, 2000), "currency": "USD"},
        "in_stock": r.random() < 0.7,
        "brands": r.sample(_WORDS, r.randint(0, 4)),
    },
    "credentials": lambda r: {
        "vault_id": f"vault-{r.randrange(10**8):08x}",
        "email": f"{r.choice(_WORDS)}@example.com",
    },
    "items": lambda r: [
        {"sku": f"SKU-{r.randrange(10**6):06d}", "quantity": r.randint(1, 5), "note": _text(r, 3)}
        for _ in range(r.randint(1, 5))
    ],
    "schedule": lambda r: {"cron": "0 * * * *", "timezone": "Europe/Paris", "enabled": True},
    "retries": lambda r: r.randint(0, 5),
    "instructions": lambda r: _text(r, r.randint(8, 30)),
    "output_format": lambda r: r.choice(("json", "markdown", "csv")),
    "callback_url": lambda r: f"https://hooks.example.com/notte/{r.randrange(10**9)}",
    "metadata": lambda r: {"team": r.choice(_WORDS), "ticket": f"OPS-{r.randrange(10**4)}", "trace": {"depth": 2}},
    "screenshot": lambda r: r.random() < 0.3,
    "user_agent": lambda r: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0",
}
_VARIABLE_NAMES = tuple(_VARIABLES)


def _variables(rng: random.Random) -> dict[str, Any] | None:
    if rng.random() < 0.1:
        return None
    return {name: _VARIABLES[name](rng) for name in rng.sample(_VARIABLE_NAMES, rng.randint(5, 20))}


def _logs(rng: random.Random) -> list[str]:
    started = _NEWEST - timedelta(seconds=rng.randrange(86_400))
    lines = []
    for step in range(rng.randint(3, 40)):
        moment = (started + timedelta(seconds=step)).strftime("%Y-%m-%dT%H:%M:%SZ")
        message = rng.choice(_STEPS).format(url=_url(rng), word=rng.choice(_WORDS), n=rng.randrange(1, 2000))
        lines.append(f"{moment} {rng.choice(_LEVELS)} {message}")
    return lines


def _result(rng: random.Random, status: str) -> Any:
    if status == "active":
        return None
    if status == "failed":
        return f"Error: TimeoutError: waiting for selector div.{rng.choice(_WORDS)} exceeded 30000 ms"
    if rng.random() < 0.4:
        return f"Done: {_text(rng, rng.randint(5, 25))}."
    found = {
        "title": _text(rng, 4),
        "url": _url(rng),
        "count": rng.randrange(100),
        "items": [{"name": _text(rng, 2), "price": round(rng.uniform(1, 300), 2)} for _ in range(rng.randint(1, 8))],
    }
    return found if _RESULT_OBJECTS else json.dumps(found)


def _contents(status: str, count: int) -> list[dict[str, Any]]:
    """`count` runs of `status` (seeded), shaped by the spec; rich_run gives each its own ids and times."""
    rng = random.Random(f"rich:{status}")
    runs = []
    for _ in range(count):
        run = make_run(
            FUNCTION_ID,
            status=status,
            session_id=f"session-{rng.randrange(16**12):012x}",
            logs=_logs(rng),
            variables=_variables(rng),
            result=_result(rng, status),
        )
        runs.append({name: value for name, value in run.items() if name in _DECLARED})
    return runs


@cache
def _pool(status: str) -> list[dict[str, Any]]:
    return _contents(status, 401)  # prime: no cycle with the statuses; built on first use, not on import


def rich_run(index: int) -> dict[str, Any]:
    """Run `index` (0 = newest), the same every time it is asked for: a new dict, built now."""
    status = RUN_STATUSES[index % len(RUN_STATUSES)]
    contents = _pool(status)
    run_id = str(uuid.UUID(int=index + 1))
    created = _NEWEST - timedelta(seconds=index)  # strictly newest first
    own = {
        "function_run_id": run_id,
        "workflow_run_id": run_id,
        "created_at": format_timestamp(created),
        "updated_at": format_timestamp(created + timedelta(seconds=index % 600 + 1)),
        "local": index % 10 == 0,
    }
    return {**contents[index % len(contents)], **{name: value for name, value in own.items() if name in _DECLARED}}


def page_body(total: int, page: int, size: int) -> bytes:
    start = (page - 1) * size
    items = [rich_run(index) for index in range(start, min(start + size, total))]
    page_fields = {"page": page, "page_size": size, "has_next": start + size < total, "has_previous": page > 1}
    return json.dumps({"items": items, **page_fields}).encode()


class Pages:
    """Each page built for real once (a dict per run, `json.dumps`) and its bytes kept while they fit
    `budget`; every answer then takes `page_seconds`, asleep (the GIL free for other connections):
    the API's own time for a page, spent on its machines, not on the client's two CPUs."""

    def __init__(self, total: int, page_seconds: float, budget: int = 256 * 2**20) -> None:
        self.total, self.page_seconds, self.budget = total, page_seconds, budget
        self._built: dict[tuple[int, int], bytes] = {}
        self._bytes = 0
        self._lock = threading.Lock()

    def prebuild(self, size: int = 100) -> None:
        """All pages of `size` now, if they fit the budget (else each is built when asked for)."""
        if self.total * _MAX_RUN_BYTES <= self.budget:
            for page in range(1, -(-self.total // size) + 1):
                self._build(page, size)

    def __call__(self, page: int, size: int) -> bytes:
        started = time.perf_counter()
        data = self._built.get((page, size)) or self._build(page, size)
        time.sleep(max(0.0, self.page_seconds - (time.perf_counter() - started)))
        return data

    def _build(self, page: int, size: int) -> bytes:
        data = page_body(self.total, page, size)
        with self._lock:
            if self._bytes + len(data) <= self.budget:
                self._built[page, size] = data
                self._bytes += len(data)
        return data


def describe(pages: int = 20, size: int = 100) -> str:
    """Sizes of the first `pages` pages and the time to build one, e.g. for a benchmark's header."""
    runs = [len(json.dumps(rich_run(index)).encode()) for index in range(pages * size)]
    started = time.perf_counter()
    page_bytes = [len(page_body(pages * size, page, size)) for page in range(1, pages + 1)]
    build_ms = (time.perf_counter() - started) / pages * 1000
    return (
        f"{statistics.mean(runs):,.0f} bytes per run (median {statistics.median(runs):,.0f}, "
        f"{min(runs):,}-{max(runs):,}), {statistics.mean(page_bytes) / 1024:,.0f} KiB per page of {size}, "
        f"built by the server in {build_ms:.1f} ms per page"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1_000_000)
    parser.add_argument("--page-ms", type=float, default=PAGE_MS, help="the API's time per page (default: %(default)s)")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every response (the network)")
    parser.add_argument("--describe", action="store_true", help="print the sizes of the runs and exit")
    args = parser.parse_args()
    if args.describe:
        print(describe())
        return
    pages = Pages(args.runs, args.page_ms / 1000)
    pages.prebuild()
    serve("Rich Notte server", pages, latency=args.latency)


if __name__ == "__main__":
    main()
