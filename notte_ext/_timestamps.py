"""Timestamps handed to users are timezone-aware UTC, so comparing them never raises."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

T = TypeVar("T")


def aware_utc(value: dt.datetime) -> dt.datetime:
    """Naive timestamps from the API mean UTC; aware ones are converted to UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def normalize_timestamps(model: T) -> T:
    """Make every datetime in a generated attrs model (recursively, in place) aware UTC."""
    _normalize(model)
    return model


def _normalize(obj: Any) -> None:
    # Hot path (every item of every page): descend only into attrs models and lists, testing
    # `__attrs_attrs__` directly rather than calling attrs.has() on every string and number.
    if isinstance(obj, list):
        for item in obj:
            _normalize(item)
        return
    for attribute in getattr(type(obj), "__attrs_attrs__", ()):
        value = getattr(obj, attribute.name)
        if isinstance(value, dt.datetime):
            setattr(obj, attribute.name, aware_utc(value))
        elif isinstance(value, list) or hasattr(type(value), "__attrs_attrs__"):
            _normalize(value)
