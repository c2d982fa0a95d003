"""Retries at the httpx transport level, so every request (generated or ours) gets one policy.

Built on httpx-retries. Reads and other idempotent methods (GET, HEAD, OPTIONS, PUT, DELETE):
429/502/503/504 and connection failures; the body is read inside the retry loop, so a connection
that breaks mid-body is retried like one that breaks before the headers.

Writes are never duplicated by a retry. A POST or PATCH that may have reached the server (a reset
after the request was sent, a timeout waiting for the answer, a 5xx) is not retried: the run may
have started. It is retried only when it surely did not arrive or was surely not processed: the
connection was never made (connect error or timeout, no free connection in the pool) or the
server answered 429 (a rate limiter refuses before processing). The API declares no idempotency
key, so there is nothing safer to lean on.

Both: `Retry-After` (seconds or HTTP date) honoured up to `max_wait` (a longer one is not retried
at all: see _limits); otherwise exponential backoff with full jitter.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable
from typing import Any

import httpx
from attrs import define, field
from httpx_retries import Retry, RetryTransport

from notte_ext._defaults import DEFAULT_MAX_RETRIES, DEFAULT_MAX_WAIT
from notte_ext._pace import LISTING_STOPPED, SPECULATIVE, THROTTLE_STATUSES, ListingStopped, listing_stopped
from notte_ext.errors import ConfigurationError

RETRY_STATUSES = frozenset({429, 502, 503, 504})
# Not idempotent (RFC 9110): a repeat may do the work twice.
WRITE_METHODS = frozenset({"POST", "PATCH"})
# Statuses that say a write was not processed: a rate limiter answers before the API does.
WRITE_RETRY_STATUSES = frozenset({429})
# Failures that happen before any byte of the request is sent.
NOT_SENT_ERRORS: tuple[type[httpx.HTTPError], ...] = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


@define(frozen=True)
class RetryPolicy:
    """How persistent a client is.

    `sleep` replaces the real wait: pass e.g. `waits.append` in tests to record the delays
    the policy chose without spending them.
    """

    max_retries: int = DEFAULT_MAX_RETRIES
    backoff_factor: float = 0.5
    max_wait: float = DEFAULT_MAX_WAIT  # also the longest Retry-After worth waiting for: beyond it, no retry
    sleep: Callable[[float], None] | None = field(default=None, repr=False)

    def __attrs_post_init__(self) -> None:
        if isinstance(self.max_retries, bool) or not isinstance(self.max_retries, int):  # 1.0, '3', True
            raise ConfigurationError(f"RetryPolicy max_retries must be an integer, got {self.max_retries!r:.40}")
        for name in ("backoff_factor", "max_wait"):  # nan and inf would make every wait nan or endless
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
                raise ConfigurationError(f"RetryPolicy {name} must be a finite number, got {value!r:.40}")
        if self.max_retries < 0 or self.backoff_factor < 0 or self.max_wait <= 0:
            raise ConfigurationError(
                f"RetryPolicy needs max_retries >= 0, backoff_factor >= 0 and max_wait > 0; got "
                f"max_retries={self.max_retries!r}, backoff_factor={self.backoff_factor!r}, max_wait={self.max_wait!r}"
            )


def resolve_retry_policy(retry: RetryPolicy | None, max_retries: int | None) -> RetryPolicy:
    """The client's policy: a full `retry` policy, or the default one with `max_retries` (never both)."""
    if retry is not None and max_retries is not None:
        raise ConfigurationError("pass either max_retries=... or retry=RetryPolicy(...), not both")
    if retry is not None and not isinstance(retry, RetryPolicy):  # retry=3 meant max_retries=3
        raise ConfigurationError(f"retry must be a RetryPolicy (or pass max_retries=N), got {retry!r:.40}")
    return retry or RetryPolicy(max_retries=DEFAULT_MAX_RETRIES if max_retries is None else max_retries)


class _PolicyRetry(Retry):
    """httpx-retries' Retry, with the wait routed through the policy's `sleep` (test mode)."""

    policy: RetryPolicy

    def increment(self) -> Retry:
        copy = super().increment()  # a new instance of this class, without our attribute
        assert isinstance(copy, _PolicyRetry)
        copy.policy = self.policy
        return copy

    def is_retryable_status_code(self, status_code: int) -> bool:
        if status_code in THROTTLE_STATUSES and SPECULATIVE.get():
            return False  # a page asked for ahead: its listing backs off as a whole (notte_ext._pace)
        return super().is_retryable_status_code(status_code)

    def delay_for(self, response: httpx.Response | Exception) -> float:
        hint = retry_after_seconds(response) if isinstance(response, httpx.Response) else None
        # An absent or unparseable hint falls back to our own backoff.
        return self.backoff_strategy() if hint is None else min(hint, self.max_backoff_wait)

    def is_exhausted(self) -> bool:
        # A page-ahead request of a listing that stopped: its last answer is final (nobody reads it).
        return super().is_exhausted() or listing_stopped()

    def sleep(self, response: httpx.Response | Exception) -> None:
        delay = self.delay_for(response)
        stopped = LISTING_STOPPED.get()
        if self.policy.sleep is not None or stopped is None:
            (self.policy.sleep or time.sleep)(delay)
        elif stopped.wait(delay):  # the listing stopped during the wait: no next attempt
            raise ListingStopped("the listing stopped: its request is not sent again")

    async def asleep(self, response: httpx.Response | Exception) -> None:
        delay = self.delay_for(response)
        if self.policy.sleep is not None:
            self.policy.sleep(delay)
        else:
            await asyncio.sleep(delay)


_HINT_PARSER = Retry()  # parse_retry_after is stateless; one instance serves every caller
# The longest Retry-After read as such: a longer one says "not soon" just as well, and 310 digits or
# more parse as inf (no wait, no message can be computed from it).
LONGEST_RETRY_AFTER = 365 * 24 * 3600.0


def retry_after_seconds(response: httpx.Response) -> float | None:
    """The server's Retry-After (seconds or HTTP date) as seconds from now, at most a year; None if
    absent or unparseable."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    try:
        seconds = _HINT_PARSER.parse_retry_after(value)
    except ValueError:
        return None
    return max(0.0, min(seconds, LONGEST_RETRY_AFTER))


def _read_body(response: httpx.Response) -> None:
    response.read()


async def _aread_body(response: httpx.Response) -> None:
    await response.aread()


def _retry(policy: RetryPolicy, read_body: Callable[[httpx.Response], Any]) -> _PolicyRetry:
    return _policy_retry(policy, status_forcelist=RETRY_STATUSES, validate_response=read_body)


def _write_retry(policy: RetryPolicy) -> _PolicyRetry:
    """Only what surely did not arrive. The body is not read in the loop: a write is never retried
    once answered, and its answer may be a stream (a run's log)."""
    return _policy_retry(
        policy,
        allowed_methods=WRITE_METHODS,
        status_forcelist=WRITE_RETRY_STATUSES,
        retry_on_exceptions=NOT_SENT_ERRORS,
    )


def _policy_retry(policy: RetryPolicy, **rules: Any) -> _PolicyRetry:
    retry = _PolicyRetry(
        total=policy.max_retries,
        backoff_factor=policy.backoff_factor,
        backoff_jitter=1.0,  # full jitter: spread retries of many clients over the whole window
        max_backoff_wait=policy.max_wait,
        respect_retry_after_header=True,
        **rules,
    )
    retry.policy = policy
    return retry


class _ByMethod(RetryTransport):
    """httpx-retries' transport with a Retry per request: the write rule for POST and PATCH."""

    def __init__(self, transport: httpx.BaseTransport | httpx.AsyncBaseTransport, reads: Retry, writes: Retry) -> None:
        super().__init__(transport=transport, retry=reads)
        self._writes = writes

    def _choose(self, request: httpx.Request) -> None:
        if request.method.upper() in WRITE_METHODS:
            request.extensions.setdefault("retry", self._writes)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self._choose(request)
        return super().handle_request(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self._choose(request)
        return await super().handle_async_request(request)


def retry_transport(policy: RetryPolicy, inner: httpx.BaseTransport | None = None) -> httpx.BaseTransport:
    return _ByMethod(inner or httpx.HTTPTransport(), _retry(policy, _read_body), _write_retry(policy))


def async_retry_transport(
    policy: RetryPolicy, inner: httpx.AsyncBaseTransport | None = None
) -> httpx.AsyncBaseTransport:
    return _ByMethod(inner or httpx.AsyncHTTPTransport(), _retry(policy, _aread_body), _write_retry(policy))
