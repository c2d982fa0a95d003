"""Progress on stderr, only when a person is watching it (a terminal)."""

from __future__ import annotations

import contextlib
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from rich.status import Status


def progress(message: str) -> AbstractContextManager[Status | None]:
    """A spinner with `message` on a terminal's stderr (`.update()` it), else None and no output.

    rich is imported only for a terminal: a piped or scripted run doesn't pay its ~25 ms start-up."""
    if not sys.stderr.isatty():
        return contextlib.nullcontext()
    from rich.console import Console

    # While the spinner shows, rich passes what the command prints to stdout through this console:
    # soft_wrap keeps each line whole (a 82-character event line was cut in two at 80 columns).
    return Console(stderr=True, soft_wrap=True).status(message)
