"""Waiting out the page-ahead requests a sync listing leaves on the wire when it stops.

They end on daemon threads after the listing returned (notte_ext._workers): a test that counts
the server's requests, or the next test, must not see them arrive late."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


def prefetch_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name.startswith("notte-prefetch")]


def eventually(condition: Callable[[], bool], within: float) -> bool:
    """Whether `condition()` holds within `within` seconds (checked every 5 ms)."""
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.005)
    return True


def settle_page_ahead(within: float = 10.0) -> None:
    """Return once no page-ahead thread is left (each ends when its request is answered)."""
    assert eventually(lambda: not prefetch_threads(), within), f"page-ahead threads still running after {within} s"
