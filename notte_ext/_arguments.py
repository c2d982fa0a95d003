"""Checks of the library's plain arguments (counts, flags, seconds), made before any request. No I/O.

The README promises that a bad argument raises a `NotteError` subclass before anything is sent, so
each check names the argument and what it accepts, and refuses what Python would let through and
fail with later: a bool where a count goes (True is an int), a float where an integer goes (50.0
reaches the API as "50.0" and comes back a 422), nan (it fails every comparison, so a range check
written `value < 0` accepts it), a huge int (no float holds it: a deadline overflows). Values are
compared, never converted, and shown cut short.
"""

from __future__ import annotations

from collections.abc import Iterable

from notte_ext.errors import InvalidArgumentError, NotteError

ErrorClass = type[NotteError]


def check_count(
    name: str,
    value: object,
    *,
    least: int = 0,
    most: int | None = None,
    allow_none: bool = False,
    error: ErrorClass = InvalidArgumentError,
) -> None:
    """An int (not a bool, not a float) from `least` to `most`; None too with `allow_none`."""
    if value is None and allow_none:
        return
    within = isinstance(value, int) and not isinstance(value, bool) and value >= least
    if not within or (most is not None and value > most):  # type: ignore[operator]  # an int once `within`
        bound = f"from {least} to {most}" if most is not None else f">= {least}"
        raise error(f"{name} must be an integer {bound}, got {value!r:.40}")


def not_text_at(value: str) -> int | None:
    """Where a string stops being UTF-8 text: its first lone surrogate (how Python passes on bytes that
    were not UTF-8, in argv or a file name; no URL, header or JSON body can encode one), or None."""
    return next((index for index, char in enumerate(value) if "\ud800" <= char <= "\udfff"), None)


def is_text(value: str) -> bool:
    return not_text_at(value) is None


def check_flag(name: str, value: object, *, error: ErrorClass = InvalidArgumentError) -> None:
    """True or False: 1, 0 or 'yes' are refused rather than read one way or another."""
    if not isinstance(value, bool):
        raise error(f"{name} must be True or False, got {value!r:.40}")


def check_seconds(
    name: str,
    value: object,
    *,
    least: float = 0.0,
    most: float,
    allow_none: bool = False,
    error: ErrorClass = InvalidArgumentError,
) -> None:
    """A number of seconds above 0 (or at least `least` when it is more), at most `most`: finite."""
    if value is None and allow_none:
        return
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if not number or not (least <= value <= most) or value <= 0:  # type: ignore[operator]  # a number once `number`
        bounds = f"from {_shown(least)} to {_shown(most)}" if least > 0 else f"above 0, at most {_shown(most)}"
        raise error(f"{name} must be a number of seconds {bounds}, got {value!r:.40}")


def check_known(given: Iterable[str], valid: Iterable[str], *, error: ErrorClass = InvalidArgumentError) -> None:
    """Every keyword in `given` is one of `valid`: a typo (`timout=5`) is refused by name, listing
    the valid ones, rather than ignored (the default stays in force unnoticed) or a TypeError."""
    known = set(valid)
    unknown = next((name for name in given if name not in known), None)
    if unknown is not None:  # the first one given: the one to fix first
        raise error(f"unknown option {unknown!r}; valid: {', '.join(sorted(known))}")


def _shown(seconds: float) -> str:
    return f"{seconds:,.0f}" if seconds == int(seconds) else f"{seconds:g}"
