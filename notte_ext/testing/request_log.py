"""What the server saw and did, for tests to assert on. Credentials never reach the log."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from notte_ext.testing.exchange import IncomingRequest

if TYPE_CHECKING:
    from notte_ext.testing.faults import Effect

__all__ = ["RecordedRequest", "RequestLog", "redact_headers"]

_SECRET_HEADERS = {"authorization", "cookie", "x-api-key", "x-notte-api-key"}
#: How much of a request body the log keeps (an upload may be large; tests look at the start).
LOGGED_BODY_BYTES = 64 * 1024


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """Lower-case names; credentials replaced by their scheme and ``***`` (``Bearer ***``)."""
    redacted: dict[str, str] = {}
    for name, value in headers.items():
        if name.lower() in _SECRET_HEADERS:
            scheme, space, _ = value.partition(" ")
            value = f"{scheme} ***" if space else "***"
        redacted[name.lower()] = value
    return redacted


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str  # percent-decoded
    raw_path: str  # as sent
    function_id: str | None  # decoded, when the path has a {function_id} segment
    query: Mapping[str, str]
    headers: Mapping[str, str]  # redacted
    status: int | None  # what was sent; None when the connection was dropped before any response
    faults: tuple[Effect, ...]  # the effects applied, in order (empty: served normally)
    body: bytes = b""  # the request body as received, its first LOGGED_BODY_BYTES
    # time.monotonic() when it arrived, before any Latency: which requests were in flight together
    arrived: float = 0.0

    @classmethod
    def of(
        cls, request: IncomingRequest, status: int | None, faults: tuple[Effect, ...], arrived: float
    ) -> RecordedRequest:
        return cls(
            method=request.method,
            path=request.path,
            raw_path=request.raw_path,
            function_id=request.function_id,
            query=dict(request.query),
            headers=redact_headers(request.headers),
            status=status,
            faults=faults,
            body=request.body[:LOGGED_BODY_BYTES],
            arrived=arrived,
        )


class RequestLog:
    """Append-only and thread-safe; reads return snapshots.

    `clear()` starts a new log: a request that arrived before it (`epoch` taken on arrival) but is
    answered after it, such as a page asked for ahead by the previous test's listing, is not
    recorded in the new one, where it would look like a request the current test made.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._records: list[RecordedRequest] = []
        self._epoch = 0

    @property
    def epoch(self) -> int:
        """Which log a request arriving now belongs to; pass it to `append` once it is answered."""
        return self._epoch

    def append(self, record: RecordedRequest, epoch: int | None = None) -> None:
        with self._lock:
            if epoch is None or epoch == self._epoch:
                self._records.append(record)

    def snapshot(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._records)

    def clear(self) -> None:
        with self._lock:
            self._records.clear()
            self._epoch += 1
