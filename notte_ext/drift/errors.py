"""The one exception the spec tools raise for input they cannot use."""

from __future__ import annotations

MAX_MESSAGE = 1000  # characters: a message quoting a 10 MB value stays a line one can read


class SpecError(ValueError):
    """A document could not be fetched, parsed or resolved; the message is one readable line.

    A ``ValueError`` so callers that already catch parse errors keep working.
    """

    def __init__(self, message: str) -> None:
        if len(message) > MAX_MESSAGE:
            message = f"{message[:MAX_MESSAGE]}... ({len(message):,} characters)"
        super().__init__(message)
