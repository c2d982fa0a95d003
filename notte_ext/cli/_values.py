"""The command line's value types: every option and argument is checked here, once, when click parses it.

A bad value is click's one-line usage error (exit 2) naming the option, never a traceback further in:
numbers are finite and inside a stated range (nan passes every comparison click's ranges make, and
inf or 1e308 seconds overflow sleeps and deadlines), times fit the calendar, text is UTF-8 (a
shell hands non-UTF-8 bytes to Python as lone surrogates, which no request or output can encode).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

import click

from notte_ext._arguments import not_text_at
from notte_ext._defaults import MAX_INTERVAL, MIN_INTERVAL
from notte_ext.cli._time import parse_when

# What the bounds are and why: one place, shown in each option's help as click's `[lo<=x<=hi]`.
MAX_TEXT = 4096  # an id, key or URL: far past any real one, far below a header's limit
MAX_COUNT = 1_000_000_000  # --limit and other counts: more runs than any function holds


class Text(click.ParamType):  # type: ignore[type-arg]  # generic only in click's stubs
    """A string that is UTF-8 text (no lone surrogates) of at most `max_length` characters.

    `secret`: a key or a URL that may hold a password; its errors say where, never what."""

    name = "text"

    def __init__(self, max_length: int = MAX_TEXT, *, secret: bool = False) -> None:
        self.max_length = max_length
        self.secret = secret

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value)
        shown = "the value" if self.secret else repr(text)
        bad = not_text_at(text)
        if bad is not None:
            self.fail(
                f"{shown} has bytes that are not UTF-8 at position {bad} (check the terminal's encoding)", param, ctx
            )
        if len(text) > self.max_length:
            self.fail(f"{len(text):,} characters is longer than the {self.max_length:,} allowed", param, ctx)
        return text


class Number(click.FloatRange):
    """A finite float in [min, max] (min_open: strictly above min), unlike click's FloatRange, which lets nan through."""

    def __init__(self, min: float, max: float, *, min_open: bool = False) -> None:
        super().__init__(min=min, max=max, min_open=min_open)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number", param, ctx)
        return number


def seconds(max_seconds: float, *, least: float = 0.0) -> Number:
    """Seconds: more than 0 (or at least `least`), at most `max_seconds`."""
    return Number(least, max_seconds, min_open=least == 0)


def count(max_count: int = MAX_COUNT, *, least: int = 0) -> click.IntRange:
    """A whole number from `least` to `max_count` (click's IntRange: '1e3' and 5.0 are refused)."""
    return click.IntRange(least, max_count)


#: Seconds between two polls (`runs watch`, `runs start --wait`): the library's floor, at most an hour.
INTERVAL = Number(MIN_INTERVAL, MAX_INTERVAL)


def interval_option(default: float, help_text: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`--interval SECONDS` with INTERVAL's bounds, as `runs watch` and `runs start --wait` take it."""
    return click.option(
        "--interval", type=INTERVAL, metavar="SECONDS", default=default, show_default=True, help=help_text
    )


#: A TCP port on 127.0.0.1; 0 asks the system for a free one.
PORT = click.IntRange(0, 65535)
TEXT = Text()
#: A run's variable (`--var`, `--var-json`): as long as one argument can be (Linux's MAX_ARG_STRLEN).
VARIABLE_TEXT = Text(128 * 1024)
SECRET_TEXT = Text(secret=True)


class When(click.ParamType):  # type: ignore[type-arg]
    """`--since`/`--until`: an ISO date/time or an age (2h, 3d) that lands inside the calendar."""

    name = "WHEN"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> dt.datetime:
        if isinstance(value, dt.datetime):
            return value
        try:
            return parse_when(TEXT.convert(value, param, ctx))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)
