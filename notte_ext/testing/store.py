"""The server's data: functions and their runs, each run remembering the API key that created it."""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from notte_ext.testing.data import make_run, parse_timestamp

__all__ = ["RunStore", "StoredRun"]


@dataclass(frozen=True)
class StoredRun:
    body: Mapping[str, Any]
    token: str
    created: datetime  # parsed once, for newest-first ordering

    def matches(self, *, only_active: bool, token: str | None) -> bool:
        return (not only_active or self.body.get("status") == "active") and (token is None or self.token == token)


class RunStore:
    """Thread-safe: handler threads read while tests (or faults) add runs."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._runs: dict[str, list[StoredRun]] = {}

    def add_function(self, function_id: str) -> None:
        with self._lock:
            self._runs.setdefault(function_id, [])

    def add(self, function_id: str, runs: Iterable[Mapping[str, Any]], token: str) -> list[dict[str, Any]]:
        """Store copies of ``runs`` (registering the function); return the stored bodies."""
        stored = [StoredRun(copy.deepcopy(dict(run)), token, parse_timestamp(str(run["created_at"]))) for run in runs]
        with self._lock:
            kept = self._runs.setdefault(function_id, [])
            kept.extend(stored)
            # Kept newest first (ties broken by id, so pages are stable): listing a page must not sort.
            kept.sort(key=lambda run: (run.created, str(run.body.get("function_run_id"))), reverse=True)
        return [copy.deepcopy(dict(run.body)) for run in stored]

    def add_newest(self, function_id: str, count: int, token: str, status: str) -> list[dict[str, Any]]:
        """Add ``count`` runs created after every existing one (what a busy function does mid-pagination)."""
        with self._lock:
            newest = max((run.created for run in self._runs.get(function_id, [])), default=None)
        now = datetime.now().astimezone()
        start = max(newest, now) if newest is not None else now  # created now, as on the API
        runs = [make_run(function_id, status=status, created_at=start + timedelta(seconds=i + 1)) for i in range(count)]
        return self.add(function_id, runs, token)

    def listing(self, function_id: str, *, only_active: bool, token: str | None) -> list[StoredRun] | None:
        """Matching runs newest first; None for an unknown function."""
        with self._lock:
            runs = self._runs.get(function_id)
            if runs is None:
                return None
            if not only_active and token is None:
                return list(runs)
            return [run for run in runs if run.matches(only_active=only_active, token=token)]

    def clear(self) -> None:
        with self._lock:
            self._runs.clear()
