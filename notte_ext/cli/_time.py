"""`--since`/`--until` values: ISO 8601 dates/times, or relative ages like 30m, 2h, 3d, 1w."""

from __future__ import annotations

import datetime as dt
import re

import click

from notte_ext._timestamps import parse_instant

_AGE = re.compile(r"^\s*(\d{1,12})\s*([smhdw])\s*$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_when(text: str, now: dt.datetime | None = None) -> dt.datetime:
    """'2h' -> two hours ago; '2024-05-01' -> midnight UTC that day; naive times are UTC."""
    age = _AGE.match(text)
    try:
        if age:
            return (now or dt.datetime.now(dt.UTC)) - dt.timedelta(**{_UNITS[age[2]]: int(age[1])})
        return parse_instant(text.strip())
    except OverflowError:  # 99999999d ago, or 9999-12-31T23:59:59-14:00 in UTC: past the calendar's ends
        raise ValueError(f"{text!r} is outside the dates Python can represent (years 1 to 9999 UTC)") from None
    except ValueError:
        raise ValueError(f"{text!r} is neither an ISO date/time nor an age like 30m, 2h, 3d, 1w") from None


def show_time(moment: dt.datetime, timespec: str = "auto") -> str:
    """An aware UTC time as the command line writes it, in every output format: ISO 8601 with a Z."""
    return moment.isoformat(timespec=timespec).replace("+00:00", "Z")


def check_time_range(ctx: click.Context, param: click.Parameter, value: dt.datetime | None) -> dt.datetime | None:
    """Callback of --since and --until: an empty range is a usage error, not a silent `0 run(s)`.

    Whichever of the two click parses second sees the other in ``ctx.params``.
    """
    since = value if param.name == "since" else ctx.params.get("since")
    until = value if param.name == "until" else ctx.params.get("until")
    if since is not None and until is not None and until <= since:
        raise click.UsageError(
            f"--until {show_time(until)} is not after --since {show_time(since)}: no run could match", ctx
        )
    return value
