"""Watch a function's runs live: an event when a run appears, and when a run's status changes.

The API only lists runs (newest first, page numbers), so a watch polls. One poll, through the
client (its retries and typed errors apply):

1. The active listing (`only_active=true`, every page; it is small): runs we did not know yet
   are reported as appeared (on the first poll: what is running now), tracked runs whose
   status changed are reported.
2. The full listing from page 1, only as deep as needed: down to the watermark (the newest
   `created_at` the previous poll saw; anything newer is a new run, however many pages of them
   arrived), and down to the `created_at` of every tracked run that left the active listing,
   because its final status is there, and pages are newest first. In the common case: page 1.

So a quiet poll costs two requests, and a run deep in the history that finishes costs pages
only down to its own `created_at`. Memory is bounded by the active set: we remember the
tracked runs, the watermark and the ids created at that exact instant (so a run is reported
appeared once, even when several share a timestamp), plus per poll the ids of the pages read.
The active set itself is capped (`max_tracked_runs`, 100,000): an active listing that never ends
would otherwise grow it without limit, so past the cap the watch stops with
`TooManyActiveRunsError` (never by dropping runs). The timeout is checked between the pages of a
poll too, so such a listing can't hold a watch past its timeout either.
A run the API backdates below the watermark and that is already finished when first listed
is not seen; one that is still active is (through the active listing).

`watch` and `awatch` drive the same `_Poll` bookkeeping, which does no I/O.

Following one run (`follow`/`afollow`, what `client.functions.follow_run` and `run()` use) is simpler:
poll `get_run` on the same schedule (jittered interval, timeout) until the run is no longer active,
reporting it when first read, on each status change and when its log grows (`_Following`, no I/O).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from typing import Any, TypedDict

from attrs import define, field

from notte_ext._arguments import check_count, check_flag, check_known, check_seconds
from notte_ext._defaults import MAX_INTERVAL, MAX_WAIT, MIN_INTERVAL
from notte_ext._listings import FunctionRun, RunsPage, RunStatus, check_function_id
from notte_ext._run_start import FunctionRunDetails, RunDetailsStatus
from notte_ext.errors import (
    APIConnectionError,
    InvalidArgumentError,
    NotteError,
    PaginationError,
    RateLimitError,
    RunFailedError,
    RunTimeoutError,
    ServerError,
    TooManyActiveRunsError,
    WatchTimeoutError,
)
from notte_ext.pagination import DEFAULT_MAX_PAGES

__all__ = [
    "DEFAULT_INTERVAL",
    "MIN_INTERVAL",
    "AsyncFetchPage",
    "AsyncFetchRun",
    "FetchPage",
    "FetchRun",
    "RunAppeared",
    "RunFailedError",  # the errors live in errors.py; importable from here too
    "RunProgress",
    "RunStatusChanged",
    "RunTimeoutError",
    "RunVanished",
    "TooManyActiveRunsError",
    "WatchEvent",
    "WatchOptions",
    "WatchSettings",
    "WatchTimeoutError",
    "afollow",
    "awatch",
    "follow",
    "watch",
]

ACTIVE = RunStatus("active")
DETAILS_ACTIVE = RunDetailsStatus("active")
DEFAULT_INTERVAL = 2.0
DEFAULT_JITTER = 0.1
DEFAULT_MAX_FAILED_POLLS = 5
MAX_BACKOFF = 60.0  # the longest wait after failed polls
# The most active runs a watch tracks at once: far more than a real function runs at once, and at
# about 1 KB a tracked run a watch at the bound peaked at ~140 MB RSS (README's watch section;
# tests/test_watch_cli.py checks < 250 MB). Past it the active listing is not believable (a server
# that says has_next forever, every page new runs) and the watch stops, loudly.
DEFAULT_MAX_TRACKED_RUNS = 100_000
# Errors that may pass (after the client's own retries): the watch backs off and polls again.
PASSING_ERRORS = (APIConnectionError, ServerError, RateLimitError)

#: Fetch one page: (running_only, page number) -> the page, through the client.
FetchPage = Callable[[bool, int], RunsPage]
AsyncFetchPage = Callable[[bool, int], Awaitable[RunsPage]]


@define(frozen=True)
class RunAppeared:
    """A run we had not seen: created since the watch started, or running when it started."""

    run: FunctionRun

    @property
    def status(self) -> RunStatus:
        return self.run.status


@define(frozen=True)
class RunStatusChanged:
    """A tracked run's status changed; `run` is the run as last listed (final status included)."""

    run: FunctionRun
    old_status: RunStatus
    new_status: RunStatus

    @property
    def status(self) -> RunStatus:
        return self.new_status


@define(frozen=True)
class RunVanished:
    """A tracked run no listing holds any more (deleted?); `run` is how it was last seen."""

    run: FunctionRun

    @property
    def status(self) -> None:
        return None


WatchEvent = RunAppeared | RunStatusChanged | RunVanished


class WatchOptions(TypedDict, total=False):
    """Keyword options of `watch_runs` (see WatchSettings)."""

    interval: float
    jitter: float
    running_only: bool
    until_idle: bool
    timeout: float | None
    max_pages: int
    max_failed_polls: int
    max_tracked_runs: int
    clock: Callable[[], float]
    sleep: Callable[[float], None] | None


@define(frozen=True)
class WatchSettings:
    """One validated watch.

    interval: seconds between polls, each spread by ±`jitter` (a fraction) so many watchers
    don't poll in step. running_only: report only runs that are active when first seen (a run
    created and finished between two polls is skipped). until_idle: stop once no run is active,
    after at least one full poll. timeout: seconds; then `WatchTimeoutError`, checked between
    polls and between the pages of a poll, so the watch ends within the timeout plus one request
    (a request in flight is bounded by the client's own timeout and retries). max_pages: cap per
    listing per poll. max_tracked_runs: the most active runs tracked at once (default and maximum
    100,000: ~140 MB RSS measured): one more ends the watch with `TooManyActiveRunsError` after the
    events before it, rather than grow without limit or drop runs. max_failed_polls: a poll that fails for a passing reason (connection, 5xx,
    429, after the client's own retries) is tried again after a jittered backoff, once one poll went
    through; this many in a row end the watch with the last error. clock/sleep: replace time.monotonic and the wait (tests), like
    RetryPolicy's `sleep`.
    """

    function_id: str = field(converter=check_function_id)
    interval: float = DEFAULT_INTERVAL
    jitter: float = DEFAULT_JITTER
    running_only: bool = False
    until_idle: bool = False
    timeout: float | None = None
    max_pages: int = DEFAULT_MAX_PAGES
    max_failed_polls: int = DEFAULT_MAX_FAILED_POLLS
    max_tracked_runs: int = DEFAULT_MAX_TRACKED_RUNS
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)
    sleep: Callable[[float], None] | None = field(default=None, repr=False)

    def __attrs_post_init__(self) -> None:
        check_seconds("interval", self.interval, least=MIN_INTERVAL, most=MAX_INTERVAL)  # faster only loads the API
        check_seconds("timeout", self.timeout, most=MAX_WAIT, allow_none=True)
        if isinstance(self.jitter, bool) or not isinstance(self.jitter, int | float) or not 0 <= self.jitter < 1:
            raise InvalidArgumentError(f"jitter must be a fraction from 0 to below 1, got {self.jitter!r}")
        check_count("max_pages", self.max_pages, least=1)
        check_count("max_failed_polls", self.max_failed_polls, least=1, most=1000)
        # Lower only: the default is the memory bound the docs promise.
        check_count("max_tracked_runs", self.max_tracked_runs, least=1, most=DEFAULT_MAX_TRACKED_RUNS)
        check_flag("running_only", self.running_only)
        check_flag("until_idle", self.until_idle)

    @classmethod
    def of(cls, function_id: str, options: Mapping[str, Any]) -> WatchSettings:
        """`watch_runs`' settings from its keyword options, an unknown one refused by name."""
        check_known(options, WatchOptions.__optional_keys__)
        return cls(function_id, **options)

    @property
    def label(self) -> str:
        return f"watching runs of function {self.function_id!r}"


@define
class _Tracker:
    """What a watch remembers between polls: the active set and the watermark, never the history."""

    tracked: dict[str, FunctionRun] = field(factory=dict)
    watermark: dt.datetime | None = None
    at_watermark: set[str] = field(factory=set)  # ids created exactly at the watermark, already seen
    polls: int = 0

    def is_new(self, run: FunctionRun) -> bool:
        """Created after what the previous poll saw (never on the first poll: that is the baseline)."""
        if self.watermark is None:
            return False
        return run.created_at > self.watermark or (
            run.created_at == self.watermark and run.function_run_id not in self.at_watermark
        )

    def advance(self, newest: dt.datetime | None, ids_at_newest: set[str]) -> None:
        if newest is None or (self.watermark is not None and newest < self.watermark):
            return
        if newest == self.watermark:
            self.at_watermark |= ids_at_newest
        else:
            self.watermark, self.at_watermark = newest, ids_at_newest


@define(frozen=True)
class _Request:
    running_only: bool
    page: int


@define
class _Poll:
    """One poll's bookkeeping: which page to fetch next, and the events each page brings."""

    tracker: _Tracker
    settings: WatchSettings
    request: _Request | None = field(factory=lambda: _Request(running_only=True, page=1))  # active set first
    active_ids: set[str] = field(factory=set)
    scanned_ids: set[str] = field(factory=set)  # full listing, this poll: runs shifted onto the next page
    reported_ids: set[str] = field(factory=set)  # appeared this poll
    missing: dict[str, dt.datetime] = field(factory=dict)  # tracked, but gone from the active listing
    newest: dt.datetime | None = None
    ids_at_newest: set[str] = field(factory=set)
    top: dt.datetime | None = None  # created_at of the first run of the full listing, this poll
    bottom: FunctionRun | None = None  # the last run of it read so far: under newest first, the oldest
    pending_error: PaginationError | TooManyActiveRunsError | None = None
    check_deadline: Callable[[], None] = field(default=lambda: None, repr=False)  # raises the watch's timeout

    def take(self, page: RunsPage) -> list[WatchEvent]:
        """Record the page fetched for `self.request`; return its events and pick the next request."""
        request = self.request
        assert request is not None, "take() after the poll's last page"
        seen = self.active_ids if request.running_only else self.scanned_ids
        seen_before = len(seen)
        if request.running_only:
            events = self._take_active(page.items)
            deeper = bool(page.has_next)
        else:
            events = self._take_history(page.items)
            deeper = bool(page.has_next and page.items) and self._wants_older_than(page.items[-1].created_at)
        if self.pending_error is not None:
            pass  # the page stopped at max_tracked_runs: that is what the poll reports
        elif deeper and len(seen) == seen_before:
            self.pending_error = PaginationError(
                f"{self.settings.label}: page {request.page} brought no new runs but the server says has_next; "
                "stopped to avoid looping forever"
            )
        elif deeper and request.page >= self.settings.max_pages:
            self.pending_error = PaginationError(
                f"{self.settings.label}: a poll needed more than {self.settings.max_pages} pages (max_pages)"
            )
        if deeper:
            self.request = _Request(request.running_only, request.page + 1)
        elif request.running_only:
            # The active listing is complete: tracked runs missing from it finished (or vanished).
            self.missing = {
                run_id: run.created_at for run_id, run in self.tracker.tracked.items() if run_id not in self.active_ids
            }
            self.request = _Request(running_only=False, page=1)
        else:
            self.request = None
        return events

    def raise_pending(self) -> None:
        """After the page's events were handed out: the page's error, else the timeout if the poll
        goes on. Checked between pages too, not only between polls: a listing whose pages never end
        (has_next forever, every page new runs) must not hold a watch past its timeout."""
        if self.pending_error is not None:
            raise self.pending_error
        if self.request is not None:
            self.check_deadline()

    def finish(self) -> list[WatchEvent]:
        """After the last page: report tracked runs no listing holds; move the watermark."""
        vanished: list[WatchEvent] = [RunVanished(self.tracker.tracked.pop(run_id)) for run_id in self.missing]
        self.tracker.advance(self.newest, self.ids_at_newest)
        self.tracker.polls += 1
        return vanished

    def _take_active(self, runs: list[FunctionRun]) -> list[WatchEvent]:
        events: list[WatchEvent] = []
        for run in runs:
            self.active_ids.add(run.function_run_id)
            known = self.tracker.tracked.get(run.function_run_id)
            if known is not None:
                events.extend(self._update(known, run))
            elif run.function_run_id not in self.reported_ids:
                if not self._track(run):
                    break
                self.reported_ids.add(run.function_run_id)
                events.append(RunAppeared(run))
        return events

    def _take_history(self, runs: list[FunctionRun]) -> list[WatchEvent]:
        self._check_order(runs)
        events: list[WatchEvent] = []
        for run in runs:
            run_id = run.function_run_id
            if run_id in self.scanned_ids:
                continue  # newer runs pushed it from the previous page onto this one
            self.scanned_ids.add(run_id)
            self._note_newest(run)
            known = self.tracker.tracked.get(run_id)
            if known is not None:
                self.missing.pop(run_id, None)
                events.extend(self._update(known, run))
            elif self.tracker.is_new(run) and run_id not in self.reported_ids:
                if run.status == ACTIVE and not self._track(run):
                    break
                self.reported_ids.add(run_id)
                if run.status == ACTIVE or not self.settings.running_only:
                    events.append(RunAppeared(run))
        return events

    def _track(self, run: FunctionRun) -> bool:
        """Track a run first seen active, unless that passes `max_tracked_runs`: then the page stops
        here and the poll raises `TooManyActiveRunsError` after the events before it. A bound, so an
        endless active listing can't fill memory; an error, so no run is ever dropped unseen."""
        limit = self.settings.max_tracked_runs
        if len(self.tracker.tracked) >= limit:
            self.pending_error = TooManyActiveRunsError(
                f"{self.settings.label}: more than {limit} runs active at once (max_tracked_runs), far more "
                "than a function runs; stopped rather than hold them all or skip some (is the API's "
                "active listing endless?)",
                limit=limit,
            )
            return False
        self.tracker.tracked[run.function_run_id] = run
        return True

    def _check_order(self, runs: list[FunctionRun]) -> None:
        """A poll stops as deep as it needs only if the server lists newest first (the spec does not
        promise it): a page must be sorted so, and a run not read yet on it must be older than the
        last one read, or newer than the first (created during the poll). Else it says so, loudly."""
        before = None
        for run in runs:
            if before is not None and run.created_at > before.created_at:
                raise _not_newest_first(self.settings.label, before, run)
            before = run
            fresh = run.function_run_id not in self.scanned_ids
            older_than_top = self.top is None or run.created_at <= self.top
            if fresh and older_than_top and self.bottom is not None and run.created_at > self.bottom.created_at:
                raise _not_newest_first(self.settings.label, self.bottom, run)
            if fresh and older_than_top:
                self.top = self.top or run.created_at
                self.bottom = run

    def _update(self, known: FunctionRun, run: FunctionRun) -> list[WatchEvent]:
        if run.status == ACTIVE:
            self.tracker.tracked[run.function_run_id] = run
        else:
            del self.tracker.tracked[run.function_run_id]
        if run.status == known.status:
            return []
        return [RunStatusChanged(run, old_status=known.status, new_status=run.status)]

    def _note_newest(self, run: FunctionRun) -> None:
        if self.newest is None or run.created_at > self.newest:
            self.newest, self.ids_at_newest = run.created_at, {run.function_run_id}
        elif run.created_at == self.newest:
            self.ids_at_newest.add(run.function_run_id)

    def _wants_older_than(self, oldest: dt.datetime) -> bool:
        """Whether runs older than this page's last one still matter: new runs may continue
        below it, or a run that left the active listing is further down."""
        floor = self.tracker.watermark if self.tracker.watermark is not None else self.newest
        if floor is not None and oldest >= floor:
            return True
        return any(created <= oldest for created in self.missing.values())


def _not_newest_first(label: str, earlier: FunctionRun, later: FunctionRun) -> PaginationError:
    return PaginationError(
        f"{label}: the server does not list newest first ({_described(later)} was listed after "
        f"{_described(earlier)}); a watch relies on it to find new and finished runs; report it"
    )


def _described(run: FunctionRun) -> str:
    return f"{run.function_run_id} ({run.created_at.isoformat().replace('+00:00', 'Z')})"


@define
class _Schedule:
    """When to poll next: the jittered interval, and the timeout's deadline (then `timed_out()` is raised)."""

    settings: WatchSettings
    timed_out: Callable[[], NotteError]
    deadline: float | None = None
    failures: int = 0  # polls failed in a row
    polled: bool = False  # a poll went through: the API and the watch's arguments work

    def __attrs_post_init__(self) -> None:
        if self.settings.timeout is not None:
            self.deadline = self.settings.clock() + self.settings.timeout

    def check_deadline(self) -> None:
        if self.deadline is not None and self.settings.clock() >= self.deadline:
            raise self.timed_out()

    def next_delay(self) -> float:
        """Seconds to wait before the next poll (never past the deadline); raises once it has passed."""
        self.failures, self.polled = 0, True
        spread = self.settings.jitter * (2 * random.random() - 1)  # noqa: S311 - spreading polls, not secrets
        return self._until_deadline(self.settings.interval * (1 + spread))

    def backoff(self, error: NotteError) -> float:
        """Seconds to wait after a failed poll: 1 to 2 intervals, doubling with each failure in a row (up
        to MAX_BACKOFF), so watchers of a struggling API neither poll in step nor keep pressing it.
        Raises `error` once `max_failed_polls` polls failed in a row, or at once if none went through yet
        (a wrong URL or an API that is down: said now, not after minutes of backing off)."""
        self.failures += 1
        if self.failures >= self.settings.max_failed_polls or not self.polled:
            raise error
        ceiling = min(self.settings.interval * 2**self.failures, MAX_BACKOFF)
        return self._until_deadline(ceiling * (0.5 + random.random() / 2))  # noqa: S311

    def _until_deadline(self, delay: float) -> float:
        self.check_deadline()
        return delay if self.deadline is None else min(delay, self.deadline - self.settings.clock())

    def sleep(self, delay: float) -> None:
        (self.settings.sleep or time.sleep)(delay)

    async def asleep(self, delay: float) -> None:
        if self.settings.sleep is not None:
            self.settings.sleep(delay)  # a test's recorder, as with RetryPolicy.sleep
        else:
            await asyncio.sleep(delay)


def _watch_schedule(settings: WatchSettings, tracker: _Tracker) -> _Schedule:
    def timed_out() -> WatchTimeoutError:
        return WatchTimeoutError(
            f"{settings.label}: stopped after the {settings.timeout:g} s timeout with "
            f"{len(tracker.tracked)} run(s) still active",
            active_runs=len(tracker.tracked),
        )

    return _Schedule(settings, timed_out)


def _idle(settings: WatchSettings, tracker: _Tracker) -> bool:
    return settings.until_idle and tracker.polls > 0 and not tracker.tracked


def watch(fetch: FetchPage, settings: WatchSettings) -> Iterator[WatchEvent]:
    """Poll with `fetch` until idle (with `until_idle`), the timeout, or forever; yield events."""
    tracker = _Tracker()
    schedule = _watch_schedule(settings, tracker)
    reported: set[str] = set()
    while True:
        poll = _Poll(tracker, settings, reported_ids=reported, check_deadline=schedule.check_deadline)
        try:
            while poll.request is not None:
                yield from poll.take(fetch(poll.request.running_only, poll.request.page))
                poll.raise_pending()
        except PASSING_ERRORS as error:
            schedule.sleep(schedule.backoff(error))
            schedule.check_deadline()
            reported = poll.reported_ids  # the poll again: a run it reported appeared stays reported
            continue
        reported = set()
        yield from poll.finish()
        if _idle(settings, tracker):
            return
        schedule.sleep(schedule.next_delay())
        schedule.check_deadline()


async def awatch(fetch: AsyncFetchPage, settings: WatchSettings) -> AsyncIterator[WatchEvent]:
    """The async twin of `watch`: the same polls and events, awaited."""
    tracker = _Tracker()
    schedule = _watch_schedule(settings, tracker)
    reported: set[str] = set()
    while True:
        poll = _Poll(tracker, settings, reported_ids=reported, check_deadline=schedule.check_deadline)
        try:
            while poll.request is not None:
                for event in poll.take(await fetch(poll.request.running_only, poll.request.page)):
                    yield event
                poll.raise_pending()
        except PASSING_ERRORS as error:
            await schedule.asleep(schedule.backoff(error))
            schedule.check_deadline()
            reported = poll.reported_ids
            continue
        reported = set()
        for event in poll.finish():
            yield event
        if _idle(settings, tracker):
            return
        await schedule.asleep(schedule.next_delay())
        schedule.check_deadline()


# -- following one run ---------------------------------------------------------------------------


@define(frozen=True)
class RunProgress:
    """One run as a poll read it, when something changed: first seen, a new status, new log lines.

    `old_status` is None the first time; `new_logs` are the log lines not reported before."""

    run: FunctionRunDetails
    old_status: RunDetailsStatus | None
    new_logs: tuple[str, ...] = ()

    @property
    def status(self) -> RunDetailsStatus:
        return self.run.status

    @property
    def finished(self) -> bool:
        return self.run.status != DETAILS_ACTIVE


#: Read one run, through the client: () -> the run.
FetchRun = Callable[[], FunctionRunDetails]
AsyncFetchRun = Callable[[], Awaitable[FunctionRunDetails]]


@define
class _Following:
    """What following a run remembers: its last status and how many of its log lines were reported. No I/O."""

    settings: WatchSettings
    run_id: str
    last: FunctionRunDetails | None = None
    logs_reported: int = 0

    def take(self, run: FunctionRunDetails) -> RunProgress | None:
        """The progress this poll shows, if any."""
        logs = run.logs if isinstance(run.logs, list) else []
        new_logs = tuple(logs[self.logs_reported :]) if len(logs) > self.logs_reported else ()
        self.logs_reported = max(self.logs_reported, len(logs))
        old, self.last = self.last, run
        if old is not None and old.status == run.status and not new_logs:
            return None
        return RunProgress(run, None if old is None else old.status, new_logs)

    def schedule(self) -> _Schedule:
        def timed_out() -> RunTimeoutError:
            status = self.last.status.value if self.last is not None else "unknown"
            return RunTimeoutError(
                f"waiting for run {self.run_id} of function {self.settings.function_id!r}: still {status} "
                f"after the {self.settings.timeout:g} s timeout (the run goes on)",
                run=self.last,
            )

        return _Schedule(self.settings, timed_out)


def follow(fetch: FetchRun, settings: WatchSettings, run_id: str) -> Iterator[RunProgress]:
    """Poll one run until it is no longer active: its progress, the last one final."""
    following = _Following(settings, run_id)
    schedule = following.schedule()
    while True:
        try:
            progress = following.take(fetch())
        except PASSING_ERRORS as error:
            schedule.sleep(schedule.backoff(error))
            schedule.check_deadline()
            continue
        if progress is not None:
            yield progress
        if following.last is not None and following.last.status != DETAILS_ACTIVE:
            return
        schedule.sleep(schedule.next_delay())
        schedule.check_deadline()


async def afollow(fetch: AsyncFetchRun, settings: WatchSettings, run_id: str) -> AsyncIterator[RunProgress]:
    """The async twin of `follow`."""
    following = _Following(settings, run_id)
    schedule = following.schedule()
    while True:
        try:
            progress = following.take(await fetch())
        except PASSING_ERRORS as error:
            await schedule.asleep(schedule.backoff(error))
            schedule.check_deadline()
            continue
        if progress is not None:
            yield progress
        if following.last is not None and following.last.status != DETAILS_ACTIVE:
            return
        await schedule.asleep(schedule.next_delay())
        schedule.check_deadline()
