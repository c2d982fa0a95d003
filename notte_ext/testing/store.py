"""The server's runs, by function, each run remembering the API key that created it.

Runs can change status over time, as real runs finish: ``update`` changes one now, ``schedule``
changes one once the store's clock passes a moment. Scheduled changes are applied lazily when a
run is read (no timer thread), and ``updated_at`` becomes the moment the status changed.
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
    body: Mapping[str, Any]  # as the listing serves it
    token: str
    created: datetime  # parsed once, for newest-first ordering
    # Fields the listing's item schema does not declare but a run has (its logs, variables and result
    # when a slimmer listing leaves them out): what reading one run serves besides ``body``.
    details: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def run_id(self) -> str:
        return str(self.body.get("function_run_id"))

    @property
    def fields(self) -> dict[str, Any]:
        """Everything known of the run: its details, then its listed body."""
        return copy.deepcopy({**self.details, **self.body})

    def matches(self, *, only_active: bool, token: str | None) -> bool:
        return (not only_active or self.body.get("status") == "active") and (token is None or self.token == token)


@dataclass(frozen=True)
class _StatusChange:
    due: datetime
    function_id: str
    run_id: str
    status: str
    fields: Mapping[str, Any] = dataclasses.field(default_factory=dict)  # set with the status (logs, result)


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

    def knows(self, function_id: str) -> bool:
        with self._lock:
            return function_id in self._runs

    def add(
        self,
        function_id: str,
        runs: Iterable[Mapping[str, Any]],
        token: str,
        details: Mapping[str, Any] | None = None,
    ) -> list[dict[str, Any]]:
        """Store copies of ``runs`` (registering the function), each with ``details``; return the stored bodies."""
        with self._lock:
            return self._add_locked(function_id, runs, token, details or {})

    def _add_locked(
        self, function_id: str, runs: Iterable[Mapping[str, Any]], token: str, details: Mapping[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        stored = [
            StoredRun(
                copy.deepcopy(dict(run)),
                token,
                parse_timestamp(str(run["created_at"])),
                copy.deepcopy(dict(details or {})),
            )
            for run in runs
        ]
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

    def update(
        self, function_id: str, run_id: str, status: str, *, at: datetime | None = None, **fields: Any
    ) -> dict[str, Any]:
        """Set a run's status now (or as of ``at``) and any other ``fields``; ``updated_at`` follows
        when something changes. Returns the listed body."""
        _check_status(status)
        with self._lock:
            return copy.deepcopy(dict(self._set(function_id, run_id, status, at or self.clock(), fields).body))

    def schedule(
        self, function_id: str, run_id: str, status: str, after: float, fields: Mapping[str, Any] | None = None
    ) -> None:
        """Change a run's status (and ``fields``) once ``after`` seconds of the store's clock have passed."""
        _check_status(status)
        due = self.clock() + timedelta(seconds=after)
        with self._lock:
            self._find(function_id, run_id)  # fail now, not when the change falls due
            self._scheduled.append(_StatusChange(due, function_id, run_id, status, dict(fields or {})))

    def cancel_scheduled(self, function_id: str, run_id: str) -> None:
        """Forget the changes scheduled for a run (it was stopped or updated by hand)."""
        with self._lock:
            self._scheduled = [c for c in self._scheduled if (c.function_id, c.run_id) != (function_id, run_id)]

    def get(self, function_id: str, run_id: str) -> StoredRun | None:
        """One run as it is now (due changes applied); None when the function has no such run."""
        with self._lock:
            self._apply_due_changes()
            try:
                return self._runs[function_id][self._find(function_id, run_id)]
            except KeyError:
                return None

    def remove_function(self, function_id: str) -> None:
        """Forget a function's runs and their scheduled changes."""
        with self._lock:
            self._runs.pop(function_id, None)
            self._scheduled = [change for change in self._scheduled if change.function_id != function_id]

    def _apply_due_changes(self) -> None:
        """Apply scheduled changes whose moment has come (called with the lock held)."""
        if not self._scheduled:
            return
        now = self.clock()
        due = sorted((change for change in self._scheduled if change.due <= now), key=lambda change: change.due)
        self._scheduled = [change for change in self._scheduled if change.due > now]
        for change in due:
            if change.function_id in self._runs:
                self._set(change.function_id, change.run_id, change.status, change.due, change.fields)

    def _find(self, function_id: str, run_id: str) -> int:
        runs = self._runs.get(function_id, [])
        for index, run in enumerate(runs):
            if run.body.get("function_run_id") == run_id:
                return index
        raise KeyError(f"no run {run_id!r} of function {function_id!r}")

    def _set(
        self, function_id: str, run_id: str, status: str, moment: datetime, fields: Mapping[str, Any]
    ) -> StoredRun:
        index = self._find(function_id, run_id)
        runs = self._runs[function_id]
        run = runs[index]
        changes = {"status": status, **fields}
        if any(run.fields.get(name) != value for name, value in changes.items()):
            changes["updated_at"] = format_timestamp(moment)
            # A field the listing serves goes to the body, any other to the details. created_at is
            # unchanged, so the run keeps its place in the newest-first order.
            body = {**run.body, **{k: copy.deepcopy(v) for k, v in changes.items() if k in run.body}}
            details = {**run.details, **{k: copy.deepcopy(v) for k, v in changes.items() if k not in run.body}}
            runs[index] = run = dataclasses.replace(run, body=body, details=details)
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
