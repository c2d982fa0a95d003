"""The one exception the spec tools raise for input they cannot use."""

from __future__ import annotations


class SpecError(ValueError):
    """A document could not be fetched, parsed or resolved; the message is one readable line.

    A ``ValueError`` so callers that already catch parse errors keep working.
    """
