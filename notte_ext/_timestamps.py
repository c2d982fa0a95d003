"""Timestamps handed to users are timezone-aware UTC, so comparing them never raises.

The generated models' from_dict already does this for response fields (the codegen/templates
override of the date-time property); this is the same rule for everything else (user arguments,
the CLI, the date-time format check)."""

from __future__ import annotations

import datetime as dt


def aware_utc(value: dt.datetime) -> dt.datetime:
    """Naive timestamps from the API mean UTC; aware ones are converted to UTC."""
    if value.tzinfo is dt.UTC:  # what the API sends ("...Z"): nothing to do, no new object
        return value
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def parse_instant(text: str) -> dt.datetime:
    """An ISO 8601 date or date-time given by a user, as aware UTC (naive means UTC); ValueError if not.

    dateutil's parser takes what people type and `fromisoformat` refuses (e.g. '2024-05-01T12');
    imported here, on first use, since most listings and commands never parse one (~8 ms)."""
    from dateutil.parser import isoparse

    return aware_utc(isoparse(text))
