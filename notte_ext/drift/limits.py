"""How much the spec tools read, walk and report at most: every input has a bound.

Documents come from the network and from people. The client bounds what a server may send it
(25 MiB, a total deadline); the spec tools do the same for documents, so a hostile or broken one
(an endless body, ``/dev/zero``, a schema nested thousands deep, an enum of a million values)
ends in one line of ``SpecError`` instead of a hang or gigabytes of memory.

The byte limit is the one a real document may reach (the whole Notte spec is ~1 MB), so it can
be raised: ``--max-bytes`` on ``spec diff``/``spec drift`` or ``NOTTE_EXT_SPEC_MAX_BYTES`` (also
read by ``make vendor``). The others bound shapes no real OpenAPI document has.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

from notte_ext.drift.errors import SpecError

MAX_BYTES_ENV = "NOTTE_EXT_SPEC_MAX_BYTES"
DEFAULT_MAX_BYTES = 50 * 1024 * 1024  # ~50x the whole Notte spec; JSON of that size parses in ~1 s
MAX_DEPTH = 100  # schemas nested in schemas (through properties, items, unions and $refs)
MAX_VISITS = 2_000_000  # schema comparisons in one diff; the 5.5 MB bench pair makes ~20,000
MAX_CHANGES = 50_000  # changes in one report; the 5.5 MB bench pair reports ~400
MAX_SHOWN = 200  # characters of one value (an enum value, a default) quoted in a change's message

_SIZE = re.compile(r"(\d+)\s*(|b|k|kb|kib|m|mb|mib|g|gb|gib)", re.IGNORECASE)
_UNITS = {"": 1, "b": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}


def parse_size(text: str) -> int:
    """``52428800``, ``50MiB``, ``50M``, ``1 GiB`` -> bytes (units are binary: M = MiB)."""
    match = _SIZE.fullmatch(text.strip())
    count = int(match.group(1)) * _UNITS[match.group(2)[:1].lower()] if match else 0
    if count <= 0:
        raise ValueError(f"{text.strip()[:40]!r} is not a positive size (bytes, or a number with KiB, MiB or GiB)")
    return count


def default_max_bytes(environ: Mapping[str, str] = os.environ) -> int:
    """``NOTTE_EXT_SPEC_MAX_BYTES`` when set, else ``DEFAULT_MAX_BYTES``."""
    configured = environ.get(MAX_BYTES_ENV, "").strip()
    if not configured:
        return DEFAULT_MAX_BYTES
    try:
        return parse_size(configured)
    except ValueError as exc:
        raise SpecError(f"{MAX_BYTES_ENV}: {exc}") from None


def show_size(count: int) -> str:
    """``50 MiB``; byte counts that are not whole KiB stay bytes."""
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if count >= size and count % size == 0:
            return f"{count // size} {unit}"
    return f"{count:,} bytes"


def too_large(shown: str, limit: int) -> SpecError:
    return SpecError(
        f"{shown}: larger than the {show_size(limit)} limit "
        f"(raise it with --max-bytes or {MAX_BYTES_ENV}, e.g. {MAX_BYTES_ENV}=200MiB)"
    )


def shown(text: str) -> str:
    """A value for a message, cut to ``MAX_SHOWN`` characters (a 1 MB enum value stays one line)."""
    return text if len(text) <= MAX_SHOWN else f"{text[:MAX_SHOWN]}... ({len(text):,} characters)"
