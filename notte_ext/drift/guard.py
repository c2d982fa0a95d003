"""The drift engine's error contract: its public functions raise ``SpecError`` and nothing else.

Documents come from the network and from people: any value can sit anywhere (a string
where a bound belongs, a list where a mapping does). The engine checks the keywords it
compares and raises ``SpecError`` naming them; this guard turns whatever a check missed
into the same one-line ``SpecError`` at the public boundary, so callers (the CLI) catch one
exception and never print a traceback.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from notte_ext.drift.errors import SpecError

P = ParamSpec("P")
T = TypeVar("T")

# What malformed JSON/YAML values make Python raise when treated as the wrong kind of value.
_MALFORMED = (TypeError, AttributeError, KeyError, IndexError, ValueError)


def guarded(function: Callable[P, T]) -> Callable[P, T]:
    @functools.wraps(function)
    def call(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return function(*args, **kwargs)
        except SpecError:
            raise
        except RecursionError:  # past the walk's own depth bound: a chain its count does not see
            raise SpecError("nested too deeply to compare (allOf or $ref chains thousands of levels long)") from None
        except _MALFORMED as exc:
            detail = " ".join(str(exc).split())[:200]
            raise SpecError(f"malformed OpenAPI document ({type(exc).__name__}: {detail})") from None

    return call
