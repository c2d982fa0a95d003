"""The server's data: functions and their runs, each run remembering the API key that created it.

Runs can change status over time, as real runs finish: ``update`` changes one now, ``schedule``
changes one once the store's clock passes a moment. Scheduled changes are applied lazily when a
listing is read (no timer thread), and ``updated_at`` becomes the moment the status changed.
"""

from __future__ import annotations

import copy
import dataclasses
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from notte_ext.testing.data import RUN_STATUSES, format_timestamp, make_run, parse_timestamp

__all__ = ["RunStore", "StoredRun"]


@dataclass(frozen=True)
class StoredRun:
    body: Mapping[str, Any]
    token: str
    created: datetime  # parsed once, for newest-first ordering

    def matches(self, *, only_active: bool, token: str | None) -> bool:
        return (not only_active or self.body.get("status") == "active") and (token is None or self.token == token)


@dataclass(frozen=True)
class _StatusChange:
    due: datetime
    function_id: str
    run_id: str
    status: str


def _utc_now() -> datetime:
    return datetime.now(UTC)


class RunStore:
    """Thread-safe: handler threads read while tests (or faults) add and update runs.

    ``clock`` (aware datetimes) decides when scheduled status changes are due; tests pass a
    fake one to finish runs "5 seconds later" without waiting 5 seconds.
    """

    def __init__(self, clock: Callable[[], datetime] = _utc_now) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._runs: dict[str, list[StoredRun]] = {}
        self._scheduled: list[_StatusChange] = []

    def add_function(self, function_id: str) -> None:
        with self._lock:
            self._runs.setdefault(function_id, [])

    def add(self, function_id: str, runs: Iterable[Mapping[str, Any]], token: str) -> list[dict[str, Any]]:
        """Store copies of ``runs`` (registering the function); return the stored bodies."""
        with self._lock:
            return self._add_locked(function_id, runs, token)

    def _add_locked(self, function_id: str, runs: Iterable[Mapping[str, Any]], token: str) -> list[dict[str, Any]]:
        stored = [StoredRun(copy.deepcopy(dict(run)), token, parse_timestamp(str(run["created_at"]))) for run in runs]
        kept = self._runs.setdefault(function_id, [])
        kept.extend(stored)
        # Kept newest first (ties broken by id, so pages are stable): listing a page must not sort.
        kept.sort(key=lambda run: (run.created, str(run.body.get("function_run_id"))), reverse=True)
        return [copy.deepcopy(dict(run.body)) for run in stored]

    def add_newest(self, function_id: str, count: int, token: str, status: str) -> list[dict[str, Any]]:
        """Add ``count`` runs created after every existing one (what a busy function does mid-pagination).

        Reading the newest run and adding after it is one step under the lock: as on the API,
        a run created later is newer. Otherwise two concurrent calls both start after the same
        newest run, and runs added second can be older than runs added first (a listing that
        already read those would see an older run appear above its place, inside the history).
        """
        with self._lock:
            newest = max((run.created for run in self._runs.get(function_id, [])), default=None)
            now = datetime.now().astimezone()
            start = max(newest, now) if newest is not None else now  # created now, as on the API
            runs = [
                make_run(function_id, status=status, created_at=start + timedelta(seconds=i + 1)) for i in range(count)
            ]
            return self._add_locked(function_id, runs, token)

    def update(self, function_id: str, run_id: str, status: str, *, at: datetime | None = None) -> dict[str, Any]:
        """Set a run's status now (or as of ``at``); ``updated_at`` follows when the status changes."""
        _check_status(status)
        with self._lock:
            return copy.deepcopy(dict(self._set_status(function_id, run_id, status, at or self.clock()).body))

    def schedule(self, function_id: str, run_id: str, status: str, after: float) -> None:
        """Change a run's status once ``after`` seconds of the store's clock have passed."""
        _check_status(status)
        due = self.clock() + timedelta(seconds=after)
        with self._lock:
            self._find(function_id, run_id)  # fail now, not when the change falls due
            self._scheduled.append(_StatusChange(due, function_id, run_id, status))

    def _apply_due_changes(self) -> None:
        """Apply scheduled changes whose moment has come (called with the lock held)."""
        if not self._scheduled:
            return
        now = self.clock()
        due = sorted((change for change in self._scheduled if change.due <= now), key=lambda change: change.due)
        self._scheduled = [change for change in self._scheduled if change.due > now]
        for change in due:
            self._set_status(change.function_id, change.run_id, change.status, change.due)

    def _find(self, function_id: str, run_id: str) -> int:
        runs = self._runs.get(function_id, [])
        for index, run in enumerate(runs):
            if run.body.get("function_run_id") == run_id:
                return index
        raise KeyError(f"no run {run_id!r} of function {function_id!r}")

    def _set_status(self, function_id: str, run_id: str, status: str, moment: datetime) -> StoredRun:
        index = self._find(function_id, run_id)
        runs = self._runs[function_id]
        run = runs[index]
        if run.body.get("status") != status:
            body = {**run.body, "status": status, "updated_at": format_timestamp(moment)}
            # created_at is unchanged, so the run keeps its place in the newest-first order.
            runs[index] = run = dataclasses.replace(run, body=body)
        return run

    def listing(self, function_id: str, *, only_active: bool, token: str | None) -> list[StoredRun] | None:
        """Matching runs newest first; None for an unknown function."""
        with self._lock:
            self._apply_due_changes()
            runs = self._runs.get(function_id)
            if runs is None:
                return None
            if not only_active and token is None:
                return list(runs)
            return [run for run in runs if run.matches(only_active=only_active, token=token)]

    def clear(self) -> None:
        with self._lock:
            self._runs.clear()
            self._scheduled.clear()


def _check_status(status: str) -> None:
    if status not in RUN_STATUSES:
        raise ValueError(f"unknown run status {status!r}; the spec allows {', '.join(RUN_STATUSES)}")
