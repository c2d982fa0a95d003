"""Retries at the httpx transport level, so every request (generated or ours) gets one policy.

Built on httpx-retries: idempotent methods only; 429/502/503/504 and connection failures;
`Retry-After` (seconds or HTTP date) honoured up to `max_wait` (a longer one is not retried at
all: see _limits); otherwise exponential backoff with full jitter. The body is read inside the
retry loop, so a connection that breaks mid-body is retried like one that breaks before the headers.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import httpx
from attrs import define, field
from httpx_retries import Retry, RetryTransport

from notte_ext._defaults import DEFAULT_MAX_RETRIES, DEFAULT_MAX_WAIT
from notte_ext.errors import ConfigurationError

RETRY_STATUSES = frozenset({429, 502, 503, 504})


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
        if self.max_retries < 0 or self.backoff_factor < 0 or self.max_wait <= 0:
            raise ConfigurationError(
                f"RetryPolicy needs max_retries >= 0, backoff_factor >= 0 and max_wait > 0; got "
                f"max_retries={self.max_retries!r}, backoff_factor={self.backoff_factor!r}, max_wait={self.max_wait!r}"
            )


def resolve_retry_policy(retry: RetryPolicy | None, max_retries: int | None) -> RetryPolicy:
    """The client's policy: a full `retry` policy, or the default one with `max_retries` (never both)."""
    if retry is not None and max_retries is not None:
        raise ConfigurationError("pass either max_retries=... or retry=RetryPolicy(...), not both")
    return retry or RetryPolicy(max_retries=DEFAULT_MAX_RETRIES if max_retries is None else max_retries)


class _PolicyRetry(Retry):
    """httpx-retries' Retry, with the wait routed through the policy's `sleep` (test mode)."""

    policy: RetryPolicy

    def increment(self) -> Retry:
        copy = super().increment()  # a new instance of this class, without our attribute
        assert isinstance(copy, _PolicyRetry)
        copy.policy = self.policy
        return copy

    def delay_for(self, response: httpx.Response | Exception) -> float:
        hint = retry_after_seconds(response) if isinstance(response, httpx.Response) else None
        # An absent or unparseable hint falls back to our own backoff.
        return self.backoff_strategy() if hint is None else min(hint, self.max_backoff_wait)

    def sleep(self, response: httpx.Response | Exception) -> None:
        (self.policy.sleep or time.sleep)(self.delay_for(response))

    async def asleep(self, response: httpx.Response | Exception) -> None:
        delay = self.delay_for(response)
        if self.policy.sleep is not None:
            self.policy.sleep(delay)
        else:
            await asyncio.sleep(delay)


_HINT_PARSER = Retry()  # parse_retry_after is stateless; one instance serves every caller


def retry_after_seconds(response: httpx.Response) -> float | None:
    """The server's Retry-After (seconds or HTTP date) as seconds from now; None if absent or unparseable."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    try:
        return max(0.0, _HINT_PARSER.parse_retry_after(value))
    except ValueError:
        return None


def _read_body(response: httpx.Response) -> None:
    response.read()


async def _aread_body(response: httpx.Response) -> None:
    await response.aread()


def _retry(policy: RetryPolicy, read_body: Callable[[httpx.Response], Any]) -> _PolicyRetry:
    retry = _PolicyRetry(
        total=policy.max_retries,
        status_forcelist=RETRY_STATUSES,
        backoff_factor=policy.backoff_factor,
        backoff_jitter=1.0,  # full jitter: spread retries of many clients over the whole window
        max_backoff_wait=policy.max_wait,
        respect_retry_after_header=True,
        validate_response=read_body,
    )
    retry.policy = policy
    return retry


def retry_transport(policy: RetryPolicy, inner: httpx.BaseTransport | None = None) -> httpx.BaseTransport:
    return RetryTransport(transport=inner or httpx.HTTPTransport(), retry=_retry(policy, _read_body))


def async_retry_transport(
    policy: RetryPolicy, inner: httpx.AsyncBaseTransport | None = None
) -> httpx.AsyncBaseTransport:
    return RetryTransport(transport=inner or httpx.AsyncHTTPTransport(), retry=_retry(policy, _aread_body))
