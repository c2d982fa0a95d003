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
