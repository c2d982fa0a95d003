"""Fault injection: *what* goes wrong (effects), *when* (a ``Match``) and *how often* (``times``).

    server.faults.add(Status(503, retry_after=1), times=1, match=Match(page=2))
    server.faults.add(Latency(0.2), TruncatedJSON())        # effects of one rule combine, in order
    server.faults.add(NoFault(), times=2); server.faults.add(Status(500))   # the 3rd request fails
    server.faults.random = RandomFaults(seed=1, rate=0.2)   # a reproducible soak schedule

Rules are tried in the order they were added; the first that matches and has uses left
applies (``times=None``: forever). The random schedule is consulted only when no rule applied.
An effect edits the spec-faithful ``Reply`` the server was about to send; effects that change
list items only touch successful (200) list pages.

When the request is processed matters for writes: an effect that ``answers_instead`` of the API
(``Status``, ``HugeRetryAfter``, ``ProxyPage``: a rate limiter, a gateway, a proxy) answers before
the API sees the request, so nothing changes (no run is started); any other effect applies after
the API processed it (``DropConnection`` after a start: the run exists, the answer is lost).
"""

from __future__ import annotations

import random
import threading
import time
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http import HTTPStatus
from typing import Any, ClassVar, Protocol

from notte_ext.testing.api import ListQuery
from notte_ext.testing.data import parse_timestamp
from notte_ext.testing.exchange import IncomingRequest, Reply

__all__ = [
    "SOAK_EFFECTS",
    "CompressedOversizedBody",
    "DropConnection",
    "Effect",
    "EndlessPages",
    "ExtraFields",
    "FaultContext",
    "FaultPlan",
    "FaultRule",
    "HugeRetryAfter",
    "InsertRuns",
    "Latency",
    "MalformedJSON",
    "Match",
    "MissingField",
    "NaiveTimestamps",
    "NoFault",
    "OversizedBody",
    "ProxyPage",
    "RandomFaults",
    "Status",
    "TrickledBody",
    "TruncatedJSON",
    "UnknownEnumValue",
]

MiB = 1024 * 1024


class FaultContext(Protocol):
    """What an effect may use besides the reply: the request, and the server's data."""

    @property
    def request(self) -> IncomingRequest: ...

    @property
    def query(self) -> ListQuery | None: ...  # None unless the request reached a listing

    def insert_runs(self, count: int, status: str) -> None: ...

    def last_page(self) -> dict[str, Any] | None: ...


class Effect(Protocol):
    """One way a response goes wrong. Implement ``apply`` to write your own."""

    def apply(self, reply: Reply, context: FaultContext) -> None: ...


@dataclass(frozen=True)
class NoFault:
    """Serve normally (use it to let requests through before a later rule)."""

    def apply(self, reply: Reply, context: FaultContext) -> None:
        pass


@dataclass(frozen=True)
class Status:
    """Answer ``status`` with ``{"detail": detail}`` (default: the reason phrase), before the API
    processes the request (a write changes nothing).

    ``retry_after``: seconds (int/float) or a datetime (sent as an HTTP-date), or a string sent verbatim.
    """

    answers_instead: ClassVar[bool] = True
    status: int
    detail: Any = None
    retry_after: float | datetime | str | None = None

    def apply(self, reply: Reply, context: FaultContext) -> None:
        reply.status = self.status
        reply.body = {"detail": self.detail if self.detail is not None else HTTPStatus(self.status).phrase}
        reply.headers = {}
        if isinstance(self.retry_after, datetime):
            reply.headers["Retry-After"] = format_datetime(self.retry_after.astimezone(UTC), usegmt=True)
        elif isinstance(self.retry_after, int | float):
            reply.headers["Retry-After"] = f"{self.retry_after:g}"
        elif self.retry_after is not None:
            reply.headers["Retry-After"] = self.retry_after


@dataclass(frozen=True)
class Latency:
    """Wait ``seconds`` before sending anything."""

    seconds: float

    def apply(self, reply: Reply, context: FaultContext) -> None:
        reply.delay += self.seconds


@dataclass(frozen=True)
class MalformedJSON:
    """Send a body that is not JSON (with the usual JSON content type and a correct length)."""

    body: bytes = b'{"items": [{"function_id": "fn", '

    def apply(self, reply: Reply, context: FaultContext) -> None:
        reply.raw_body = self.body


@dataclass(frozen=True)
class TruncatedJSON:
    """Announce the full Content-Length, send only ``fraction`` of the body, then close cleanly."""

    fraction: float = 0.5

    def apply(self, reply: Reply, context: FaultContext) -> None:
        reply.send_body_bytes = int(len(reply.payload()) * self.fraction)


@dataclass(frozen=True)
class DropConnection:
    """Reset the connection: before any response (default), or after the headers and ``after_body_bytes``.

    The API processed the request first: a dropped ``runs/start`` has started its run, and the
    client can't know (what a crash, a proxy timeout or a lost network between answer and client does).
    """

    after_body_bytes: int | None = None

    def apply(self, reply: Reply, context: FaultContext) -> None:
        if self.after_body_bytes is None:
            reply.silent = True
        else:
            reply.send_body_bytes = self.after_body_bytes
            reply.reset = True


@dataclass(frozen=True)
class HugeRetryAfter:
    """Answer ``status`` (429) with a ``Retry-After`` far beyond any sensible retry wait (an hour)."""

    answers_instead: ClassVar[bool] = True
    seconds: float = 3600
    status: int = 429

    def apply(self, reply: Reply, context: FaultContext) -> None:
        Status(self.status, retry_after=self.seconds).apply(reply, context)


@dataclass(frozen=True)
class TrickledBody:
    """Send the (valid) body ``chunk_bytes`` at a time, ``interval`` seconds apart.

    Every read brings something, so per-read timeouts never trip: only a total deadline stops it.
    Combine it after effects that change the body (it announces the body's length when applied).
    """

    interval: float = 0.5
    chunk_bytes: int = 1

    def apply(self, reply: Reply, context: FaultContext) -> None:
        reply.stream_length = len(reply.payload())
        reply.stream = self._pieces

    def _pieces(self, payload: bytes) -> Iterator[bytes]:
        for start in range(0, len(payload), self.chunk_bytes):
            if start:
                time.sleep(self.interval)
            yield payload[start : start + self.chunk_bytes]


def _padded_json(size: int, piece_bytes: int = 64 * 1024) -> Iterator[bytes]:
    """``size`` bytes of one JSON object with a huge string, generated as it is written (never held whole)."""
    head, tail = b'{"items":[],"padding":"', b'"}'
    yield head
    left = size - len(head) - len(tail)
    filler = b"A" * piece_bytes
    while left > 0:
        yield filler[: min(left, piece_bytes)]
        left -= piece_bytes
    yield tail


@dataclass(frozen=True)
class OversizedBody:
    """A 200 whose body is ``size`` bytes (200 MiB), written as fast as the client takes it.

    Chunked, so the client learns the size only by reading; ``announce_length`` sends Content-Length.
    """

    size: int = 200 * MiB
    announce_length: bool = False

    def apply(self, reply: Reply, context: FaultContext) -> None:
        reply.stream = lambda payload: _padded_json(self.size)
        reply.stream_length = self.size if self.announce_length else None


@dataclass(frozen=True)
class CompressedOversizedBody:
    """A 200 with ``Content-Encoding: gzip`` (or ``deflate``) inflating to ``size`` bytes (300 MiB)
    from ~1/1000 of that on the wire: a compression bomb. Compressed as it is written, chunked."""

    size: int = 300 * MiB
    encoding: str = "gzip"

    def __post_init__(self) -> None:
        if self.encoding not in ("gzip", "deflate"):
            raise ValueError(f"encoding must be 'gzip' or 'deflate', not {self.encoding!r}")

    def apply(self, reply: Reply, context: FaultContext) -> None:
        reply.headers["Content-Encoding"] = self.encoding
        reply.stream = lambda payload: self._compressed()
        reply.stream_length = None

    def _compressed(self) -> Iterator[bytes]:
        compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | (16 if self.encoding == "gzip" else 0))
        for piece in _padded_json(self.size):
            yield compressor.compress(piece)
        yield compressor.flush()


@dataclass(frozen=True)
class ProxyPage:
    """What a corporate proxy or captive portal sends instead of the API: an HTML page, with 200."""

    answers_instead: ClassVar[bool] = True
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    body: bytes = (
        b"<!DOCTYPE html><html><head><title>Sign in - Example Corp web gateway</title></head>"
        b"<body><form action='/login'>Your session expired. Please sign in.</form></body></html>"
    )

    def apply(self, reply: Reply, context: FaultContext) -> None:
        reply.status, reply.content_type, reply.raw_body, reply.headers = self.status, self.content_type, self.body, {}


@dataclass(frozen=True)
class InsertRuns:
    """After this page is computed, add ``count`` runs newer than all others (shifts later pages)."""

    count: int = 1
    status: str = "active"  # new runs are running; "active" also keeps them visible to only_active=true

    def apply(self, reply: Reply, context: FaultContext) -> None:
        context.insert_runs(self.count, self.status)


@dataclass(frozen=True)
class EndlessPages:
    """Say ``has_next: true`` on every page, past the end too (empty items, or the last page again)."""

    repeat_last: bool = False

    def apply(self, reply: Reply, context: FaultContext) -> None:
        if reply.status != 200 or not isinstance(reply.body, dict):
            return
        if self.repeat_last and not reply.items:
            last = context.last_page()
            reply.body["items"] = last["items"] if last else []
        reply.body["has_next"] = True


def _naive(text: Any) -> Any:
    return parse_timestamp(text).astimezone(UTC).replace(tzinfo=None).isoformat() if isinstance(text, str) else text


@dataclass(frozen=True)
class NaiveTimestamps:
    """Write ``created_at``/``updated_at`` without a timezone (``2026-01-01T00:00:00``)."""

    def apply(self, reply: Reply, context: FaultContext) -> None:
        for item in reply.items:
            for name in ("created_at", "updated_at"):
                if name in item:
                    item[name] = _naive(item[name])


@dataclass(frozen=True)
class UnknownEnumValue:
    """Set an enum field of every item to a value the spec does not list."""

    value: str = "queued"
    field: str = "status"

    def apply(self, reply: Reply, context: FaultContext) -> None:
        for item in reply.items:
            item[self.field] = self.value


@dataclass(frozen=True)
class ExtraFields:
    """Add fields the spec does not know to every item (what an additive API change looks like)."""

    fields: Mapping[str, Any] = field(default_factory=lambda: {"new_field": "from a newer API"})

    def apply(self, reply: Reply, context: FaultContext) -> None:
        for item in reply.items:
            item.update(self.fields)


@dataclass(frozen=True)
class MissingField:
    """Remove a (required) field from every item."""

    field: str = "workflow_id"

    def apply(self, reply: Reply, context: FaultContext) -> None:
        for item in reply.items:
            item.pop(self.field, None)


@dataclass(frozen=True)
class Match:
    """Which requests a rule applies to; unset fields match anything. ``page``/``page_size``
    compare the effective value (the spec default when the parameter is absent). ``operation_id``:
    the served document's operation (``"function_run_start"``); ``method``: ``"POST"``..."""

    function_id: str | None = None
    page: int | None = None
    page_size: int | None = None
    predicate: Callable[[IncomingRequest], bool] | None = None
    operation_id: str | None = None
    method: str | None = None

    def matches(self, request: IncomingRequest) -> bool:
        return (
            (self.operation_id is None or request.operation_id == self.operation_id)
            and (self.method is None or request.method == self.method.upper())
            and (self.function_id is None or request.function_id == self.function_id)
            and (self.page is None or request.int_param("page", 1) == self.page)
            and (self.page_size is None or request.int_param("page_size", 10) == self.page_size)
            and (self.predicate is None or self.predicate(request))
        )


@dataclass
class FaultRule:
    effects: tuple[Effect, ...]
    times: int | None = 1  # None: forever
    match: Match | None = None
    used: int = 0

    def wants(self, request: IncomingRequest) -> bool:
        has_uses = self.times is None or self.used < self.times
        return has_uses and (self.match is None or self.match.matches(request))


# The "fault soak" mix: what retries must absorb. Retry-After 0 keeps soaks fast.
SOAK_EFFECTS: tuple[Effect, ...] = (
    Status(429, retry_after=0),
    Status(502),
    Status(503, retry_after=0),
    Status(504),
    DropConnection(),
    Latency(0.05),
)


class RandomFaults:
    """A reproducible random schedule: each matching request gets one of ``effects`` with probability ``rate``."""

    def __init__(
        self, seed: int, rate: float = 0.2, effects: Sequence[Effect] = SOAK_EFFECTS, match: Match | None = None
    ) -> None:
        self.seed, self.rate, self.effects, self.match = seed, rate, tuple(effects), match
        self._rng = random.Random(seed)  # noqa: S311 - a reproducible schedule, not secrets
        self._lock = threading.Lock()

    def pick(self, request: IncomingRequest) -> tuple[Effect, ...]:
        if self.match is not None and not self.match.matches(request):
            return ()
        with self._lock:  # one draw sequence, whatever the thread
            if self._rng.random() >= self.rate:
                return ()
            return (self._rng.choice(self.effects),)

    def __repr__(self) -> str:
        return f"RandomFaults(seed={self.seed}, rate={self.rate}, effects={list(self.effects)!r})"


class FaultPlan:
    """The server's fault schedule (``server.faults``); thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: list[FaultRule] = []
        self.random: RandomFaults | None = None

    def add(self, *effects: Effect, times: int | None = 1, match: Match | None = None) -> FaultRule:
        """Apply ``effects`` (in order) to the next ``times`` requests that ``match``."""
        if not effects:
            raise ValueError("a fault rule needs at least one effect (NoFault() to let requests through)")
        rule = FaultRule(tuple(effects), times, match)
        with self._lock:
            self._rules.append(rule)
        return rule

    def pick(self, request: IncomingRequest) -> tuple[Effect, ...]:
        """The effects for this request, consuming one use of the rule that applies."""
        with self._lock:
            for rule in self._rules:
                if rule.wants(request):
                    rule.used += 1
                    return rule.effects
        schedule = self.random
        return schedule.pick(request) if schedule is not None else ()

    @property
    def rules(self) -> list[FaultRule]:
        with self._lock:
            return list(self._rules)

    @property
    def pending(self) -> list[FaultRule]:
        """Rules with uses left (a test can assert its scripted faults all happened)."""
        return [rule for rule in self.rules if rule.times is None or rule.used < rule.times]

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()
        self.random = None
