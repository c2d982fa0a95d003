"""Timestamps handed to users are timezone-aware UTC, so comparing them never raises."""

from __future__ import annotations

import datetime as dt
import enum
import re
import sys
from typing import Any, TypeVar

import attrs

T = TypeVar("T")

# Annotation parts (generated models annotate as strings, e.g. "None | str | Unset") that can
# never hold a datetime or a model: fields made only of these are skipped.
_SCALAR = re.compile(r"str|int|float|bool|None|Unset|Any|(list|dict)\[(str, )?(str|int|float|bool|Any)\]")


def aware_utc(value: dt.datetime) -> dt.datetime:
    """Naive timestamps from the API mean UTC; aware ones are converted to UTC."""
    if value.tzinfo is dt.UTC:  # what the API sends ("...Z"): nothing to do, no new object
        return value
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def normalize_timestamps(model: T) -> T:
    """Make every datetime in a generated attrs model (recursively, in place) aware UTC."""
    _normalize(model)
    return model


def _normalize(obj: Any) -> None:
    # Hot path (every item of every page): visit only the fields whose annotation can hold a
    # datetime, a list or a model, as planned once per class by _fields_to_visit.
    if isinstance(obj, list):
        for item in obj:
            _normalize(item)
        return
    for name in _fields_to_visit(type(obj)):
        value = getattr(obj, name)
        if isinstance(value, dt.datetime):
            if value.tzinfo is not dt.UTC:
                setattr(obj, name, aware_utc(value))
        elif isinstance(value, list) or attrs.has(type(value)):
            _normalize(value)


_PLANS: dict[type, tuple[str, ...]] = {}


def _fields_to_visit(cls: type) -> tuple[str, ...]:
    plan = _PLANS.get(cls)
    if plan is None:
        fields = attrs.fields(cls) if attrs.has(cls) else ()
        plan = _PLANS[cls] = tuple(f.name for f in fields if not _is_scalar(f.type, cls))
    return plan


def _is_scalar(annotation: Any, owner: type) -> bool:
    if not isinstance(annotation, str):
        return False  # a real type object: visit, to be safe
    names = vars(sys.modules[owner.__module__])
    for part in (part.strip() for part in annotation.split("|")):
        named = names.get(part)
        is_enum = isinstance(named, type) and issubclass(named, enum.Enum)
        if not (_SCALAR.fullmatch(part) or is_enum):
            return False
    return True
