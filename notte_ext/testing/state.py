"""What the operations' handlers share: the server's data and settings, and the replies they all use."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from notte_ext.testing.exchange import Reply
from notte_ext.testing.function_store import FunctionStore
from notte_ext.testing.operation import SpecOperation
from notte_ext.testing.ordering import RunOrder
from notte_ext.testing.store import RunStore

__all__ = ["ApiState", "RunPlan", "detail", "validation_error"]


@dataclass
class RunPlan:
    """How the runs the server starts behave: ``active`` for ``duration`` seconds (of the run store's
    clock), then ``closed``, or ``failed`` with probability ``failure_rate``, drawn from a generator
    seeded by ``seed`` (so the n-th run started has the same outcome every time); ``outcome`` forces
    one. While a run is active its streamed log gets a line every ``log_interval`` seconds."""

    duration: float = 2.0
    failure_rate: float = 0.2
    seed: int = 0
    outcome: str | None = None
    log_interval: float = 0.5
    _rng: random.Random = field(init=False, repr=False)
    _lock: threading.Lock = field(init=False, repr=False, default_factory=threading.Lock)

    def __post_init__(self) -> None:
        if self.duration < 0 or self.log_interval <= 0 or not 0 <= self.failure_rate <= 1:
            raise ValueError(f"a run plan needs duration >= 0, log_interval > 0, 0 <= failure_rate <= 1: {self!r}")
        self._rng = random.Random(self.seed)  # noqa: S311 - reproducible outcomes, not secrets

    def draw(self) -> str:
        """The final status of the next run started."""
        with self._lock:
            failed = self._rng.random() < self.failure_rate
        return self.outcome or ("failed" if failed else "closed")


@dataclass
class ApiState:
    """The server's data and settings, as one request's handler sees them."""

    runs: RunStore
    functions: FunctionStore
    api_keys: Callable[[], Collection[str]]
    spec: SpecOperation  # the runs listing of the served document; `.of(id)` for the others
    plan: RunPlan
    base_url: str  # where the server listens (download links, the runner's redirect)
    start_redirects: bool = True  # runs/start answers with a redirect to the runner, as the API does
    order: RunOrder = field(default_factory=RunOrder)  # the order the runs listing serves


def detail(status: HTTPStatus, message: str | None = None, **headers: str) -> Reply:
    """FastAPI's error body: ``{"detail": message}`` (the status phrase by default)."""
    return Reply(int(status), {"detail": message or status.phrase}, dict(headers))


def validation_error(errors: list[dict[str, Any]]) -> Reply:
    return Reply(422, {"detail": errors})
