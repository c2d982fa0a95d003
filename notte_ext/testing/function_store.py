"""The server's functions: each one's record (as the functions listing serves it), the API key that
created it, its uploaded workflow file per version, and its schedule."""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from notte_ext.testing.data import parse_timestamp

__all__ = ["FunctionStore", "StoredFunction"]


@dataclass(frozen=True)
class StoredFunction:
    body: Mapping[str, Any]  # as the functions listing serves it
    token: str
    files: Mapping[str, bytes]  # version -> the workflow file uploaded for it
    schedule: Mapping[str, Any] | None = None  # the cron and variables it runs on, if scheduled
    extra: Mapping[str, Any] = field(default_factory=dict)  # e.g. its upload options (restricted)

    @property
    def created(self) -> datetime:
        return parse_timestamp(str(self.body.get("created_at")))

    @property
    def versions(self) -> list[str]:
        return list(self.files)


class FunctionStore:
    """Thread-safe, like the runs store: handler threads read while tests add functions."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._functions: dict[str, StoredFunction] = {}

    def add(self, body: Mapping[str, Any], token: str, files: Mapping[str, bytes], **extra: Any) -> StoredFunction:
        """Store (or replace) a function; its id is the body's ``function_id``."""
        stored = StoredFunction(copy.deepcopy(dict(body)), token, dict(files), None, extra)
        with self._lock:
            self._functions[str(body["function_id"])] = stored
        return stored

    def get(self, function_id: str) -> StoredFunction | None:
        with self._lock:
            return self._functions.get(function_id)

    def update(
        self, function_id: str, *, fields: Mapping[str, Any] | None = None, files: Mapping[str, bytes] | None = None
    ) -> StoredFunction | None:
        """Change a stored function's body ``fields`` and add version ``files``; None when there is none."""
        return self._change(
            function_id,
            lambda stored: replace(
                stored,
                body={**stored.body, **copy.deepcopy(dict(fields or {}))},
                files={**stored.files, **(files or {})},
            ),
        )

    def set_schedule(self, function_id: str, schedule: Mapping[str, Any] | None) -> StoredFunction | None:
        """Schedule a function (None: unschedule it); None when there is no such function."""
        return self._change(function_id, lambda stored: replace(stored, schedule=copy.deepcopy(schedule)))

    def _change(self, function_id: str, change: Callable[[StoredFunction], StoredFunction]) -> StoredFunction | None:
        with self._lock:
            stored = self._functions.get(function_id)
            if stored is not None:
                stored = self._functions[function_id] = change(stored)
            return stored

    def remove(self, function_id: str) -> bool:
        with self._lock:
            return self._functions.pop(function_id, None) is not None

    def listing(self, *, only_active: bool, token: str | None) -> list[StoredFunction]:
        """Matching functions, newest first (ties by id, so pages are stable)."""
        with self._lock:
            found = [
                stored
                for stored in self._functions.values()
                if (not only_active or stored.body.get("status") == "active") and token in (None, stored.token)
            ]
        return sorted(found, key=lambda stored: (stored.created, str(stored.body["function_id"])), reverse=True)

    def clear(self) -> None:
        with self._lock:
            self._functions.clear()
