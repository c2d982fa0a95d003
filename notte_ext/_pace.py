"""How many pages a listing keeps in flight: TCP-style slow start, and one back-off for the listing.

The API meters requests, and most histories are short: a listing that sent `prefetch` pages
ahead at once would spend several requests past the end of a three-page history. So page 1 goes
alone; once it comes back with `has_next`, two pages are in flight (the next and one ahead), and
each time a whole round comes back with `has_next` the window doubles, up to `prefetch` + 1. A
short listing then sends at most one request past its end; a long one reaches the full window
within a few rounds.

A rate limit is one limit for the whole listing, not one per request. So pages asked for ahead
(`SPECULATIVE` is set while they are sent) are not retried by the transport on 429 or 503: the
answer comes back to the listing, which halves the window, holds every new request until the
server's `Retry-After` has passed, and asks for that page again only when it is the next one to
read (with the usual retries). A page past a known end is then never asked for again.
"""

from __future__ import annotations

import threading
import time
from contextvars import ContextVar

from attrs import define

from notte_ext._defaults import DEFAULT_MAX_WAIT
from notte_ext.errors import APIStatusError, RateLimitError, ServerError

# Set while a page asked for ahead is being sent (in its worker thread or task): the retry
# transport then leaves a 429 or 503 to the listing (see `Pace.back_off`).
SPECULATIVE: ContextVar[bool] = ContextVar("notte_ext_speculative", default=False)
# Set while a sync listing's page-ahead thread sends a request: the listing's end. A sync request
# can't be cancelled, so once the listing stopped (last page, break, limit) the one on the wire
# ends on its own, but is no longer retried: nobody will read it, and an abandoned listing kept
# asking a failing server (502, timeouts) for a page up to `max_retries` more times, after close().
LISTING_STOPPED: ContextVar[threading.Event | None] = ContextVar("notte_ext_listing_stopped", default=None)
THROTTLE_STATUSES = frozenset({429, 503})
# Without a Retry-After, how long new requests of the listing wait after a throttled one.
DEFAULT_PAUSE = 1.0


class ListingStopped(Exception):
    """A request given up between two attempts because its listing stopped: raised into a future nobody
    reads (`notte_ext._workers`), never to a caller."""


def listing_stopped() -> bool:
    """Whether the request being sent belongs to a listing that has stopped."""
    stopped = LISTING_STOPPED.get()
    return stopped is not None and stopped.is_set()


def is_throttled(error: BaseException) -> bool:
    """A 429 or 503: the server asks the listing to slow down."""
    return isinstance(error, APIStatusError) and error.status_code in THROTTLE_STATUSES


@define
class Pace:
    """The window of one listing (no I/O): `wanted(n)` is the pages to have in flight when page `n`
    is the next to read; `read` grows it, `back_off` halves it."""

    limit: int  # pages in flight at most: 1 + prefetch
    size: int = 1  # pages in flight now, the next one to read included: page 1 goes alone
    round_end: int = 1  # read with has_next, this page completes a round: the window doubles
    resume_at: float = 0.0  # time.monotonic() before which no new request is sent

    def wanted(self, number: int) -> range:
        return range(number, number + self.size)

    def read(self, number: int, has_next: bool) -> None:
        """Page `number` was read; with `has_next` at the end of a round, double the window."""
        if has_next and number >= self.round_end:
            self.size = min(self.size * 2, self.limit)
            self.round_end = number + self.size

    def back_off(self, error: BaseException, number: int) -> None:
        """A page asked for ahead was throttled: halve the window, pause the listing's new requests."""
        self.size = max(1, self.size // 2)
        self.round_end = number + self.size
        retry_after = error.retry_after if isinstance(error, RateLimitError | ServerError) else None
        pause = DEFAULT_PAUSE if retry_after is None else retry_after
        if pause > DEFAULT_MAX_WAIT:  # not worth waiting for (as the retries judge): the page needed
            pause = 0.0  # now meets the limit at once and says so, instead of the listing hanging
        self.resume_at = max(self.resume_at, time.monotonic() + pause)

    def pause(self) -> float:
        """Seconds a new request must wait for the listing's back-off to end."""
        return max(0.0, self.resume_at - time.monotonic())
