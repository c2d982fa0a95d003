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
from dataclasses import dataclass

from notte_ext.drift.errors import SpecError

MAX_BYTES_ENV = "NOTTE_EXT_SPEC_MAX_BYTES"
DEFAULT_MAX_BYTES = 50 * 1024 * 1024  # ~50x the whole Notte spec; JSON of that size parses in ~1 s
MAX_YAML_BYTES = 4 * 1024 * 1024  # YAML parses ~50x slower than JSON: ~5 s for this much on a busy machine
MAX_DEPTH = 100  # schemas nested in schemas (through properties, items, unions and $refs)
MAX_ELEMENTS = 20_000  # values of one enum, properties of one schema, alternatives of one union
MAX_VISITS = 500_000  # schema comparisons in one diff; the 6 MB bench pair makes ~18,000
MAX_CHANGES = 50_000  # changes in one report; the 6 MB bench pair reports ~7,500
MAX_FIELD = 300  # characters of one report field (a message quoting a value, a location, a name)
MAX_REPORT_BYTES = 32 * 1024 * 1024  # what 50,000 changes take in the largest (JSON) format
# The most --max-bytes / NOTTE_EXT_SPEC_MAX_BYTES may allow: a file is read with one read(limit + 1),
# which allocates its buffer up front (an index-sized int at most), and 1 GiB of JSON is ~20x the
# largest document the parser's time and memory are measured on.
MAX_SETTABLE_BYTES = 1 << 30

_SIZE = re.compile(r"(\d+)\s*(|b|k|kb|kib|m|mb|mib|g|gb|gib)", re.IGNORECASE)
_UNITS = {"": 1, "b": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}


def parse_size(text: str) -> int:
    """``52428800``, ``50MiB``, ``50M``, ``1 GiB`` -> bytes (units are binary: M = MiB)."""
    match = _SIZE.fullmatch(text.strip())
    count = int(match.group(1)) * _UNITS[match.group(2)[:1].lower()] if match else 0
    if not 0 < count <= MAX_SETTABLE_BYTES:
        raise ValueError(
            f"{text.strip()[:40]!r} is not a size from 1 byte to {show_size(MAX_SETTABLE_BYTES)} "
            "(bytes, or a number with KiB, MiB or GiB)"
        )
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


def cut(text: str) -> str:
    """A report field cut to ``MAX_FIELD`` characters: a 10 MB enum value or name stays readable."""
    return text if len(text) <= MAX_FIELD else f"{text[:MAX_FIELD]}... ({len(text):,} characters)"


def check_elements(count: int, what: str) -> None:
    if count > MAX_ELEMENTS:
        raise SpecError(f"{what} has {count:,} entries, more than the {MAX_ELEMENTS:,} a diff compares")


def check_depth(depth: int) -> None:
    if depth > MAX_DEPTH:
        raise SpecError(f"schemas nested more than {MAX_DEPTH} deep (through properties, items, anyOf/oneOf or $ref)")


def check_report(report: str) -> str:
    if len(report) > MAX_REPORT_BYTES:
        raise SpecError(f"the report would take {len(report):,} characters, more than {show_size(MAX_REPORT_BYTES)}")
    return report


@dataclass
class Budget:
    """What one diff may spend: schema comparisons, their nesting, and changes reported.

    Comparisons of components are memoized, so a real document costs about one comparison per
    schema; these bound what a hostile one can make the walk do.
    """

    visits: int = 0
    changes: int = 0

    def visit(self, depth: int) -> None:
        self.visits += 1
        check_depth(depth)
        if self.visits > MAX_VISITS:
            raise SpecError(f"more than {MAX_VISITS:,} schema comparisons: the documents are too large to compare")

    def report(self, count: int = 1) -> None:
        self.changes += count
        if self.changes > MAX_CHANGES:
            raise SpecError(f"more than {MAX_CHANGES:,} changes: too many to report (are these the same API?)")
