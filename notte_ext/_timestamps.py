"""Timestamps handed to users are timezone-aware UTC, so comparing them never raises."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

import attrs
from notte_api_client.types import Unset

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


_LEAVES = frozenset({str, int, float, bool, type(None), dict, Unset})


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    """The attribute names to visit for a class (looked up once); () for anything not an attrs model."""
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(a.name for a in attrs.fields(cls)) if attrs.has(cls) else ()
    return names


def _normalize(obj: Any) -> None:
    # Runs for every item of every page: dispatch on the exact type, look fields up once per class.
    if type(obj) is list:
        for item in obj:
            if type(item) not in _LEAVES:
                _normalize(item)
        return
    for name in _field_names(type(obj)):
        value = getattr(obj, name)
        if type(value) is dt.datetime:
            setattr(obj, name, aware_utc(value))
        elif type(value) not in _LEAVES:
            _normalize(value)
