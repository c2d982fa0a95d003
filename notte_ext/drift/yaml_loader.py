"""The YAML loader for OpenAPI documents: safe, and refusing aliases.

An alias (``*name``) makes one node stand in many places. PyYAML builds it once and shares it,
so loading stays small, but anything that walks the result (the diff, a report quoting an enum
value) meets it once per place: nine levels of ten aliases each are a 9 KB file that walks as
a billion nodes (the "billion laughs"). Documents that servers publish are JSON, or YAML
written by a generator that does not emit aliases, so refusing them costs nothing real and
removes the whole class. Anchors (``&name``) that nothing refers to are harmless and accepted.

Plain scalars resolve as YAML 1.2's core schema says, the YAML of OpenAPI 3.1 (and what 3.0
recommends), not PyYAML's YAML 1.1: there `example: 2024-01-01` is a date (not JSON: the whole diff
failed), `enum: [yes, no, on, off]` four booleans and `017` the octal 15, silently other values
than the JSON form of the same document holds; while `1e10` stayed a string.

Imported only when a document is not JSON: PyYAML is ~20 ms of start-up.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from notte_ext.drift.errors import SpecError

try:  # libyaml's parser is ~10x faster on large documents; the constructor is Python either way
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]


# (tag, pattern, the characters a match can start with) of the YAML 1.2 core schema, plus YAML 1.1's
# merge key (`<<: {...}`, which some generators write); other plain scalars are strings. The order
# matters where patterns overlap: "1" is an int before a float.
_CORE_SCHEMA = (
    ("merge", r"<<", ["<"]),
    ("null", r"~|null|Null|NULL|", ["~", "n", "N", ""]),
    ("bool", r"true|True|TRUE|false|False|FALSE", list("tTfF")),
    ("int", r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+", list("-+0123456789")),
    (
        "float",
        r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)",
        list("-+0123456789."),
    ),
)


class AliasFreeLoader(_SafeLoader):
    """``yaml.SafeLoader`` (libyaml's when present) that raises ``SpecError`` on the first alias.

    Both parsers hand an alias over as the very node its anchor made, so a node met a second
    time is an alias: that check sits in the (pure-Python) constructor and works for both.
    """

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        if node in self.constructed_objects:
            line = node.start_mark.line + 1 if node.start_mark else "?"
            raise SpecError(
                f"YAML aliases (*name) are not accepted: the node anchored at line {line} is reused "
                "(write the document out in full, or as JSON)"
            )
        return super().construct_object(node, deep)


def _core_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    """A core schema int: decimal (a leading 0 too: 017 is 17), 0o octal or 0x hex."""
    text = str(loader.construct_scalar(node))
    base = {"0o": 8, "0x": 16}.get(text[:2], 10)
    return int(text[2:] if base != 10 else text, base)


AliasFreeLoader.yaml_implicit_resolvers = {}
for _name, _pattern, _first in _CORE_SCHEMA:
    AliasFreeLoader.add_implicit_resolver(f"tag:yaml.org,2002:{_name}", re.compile(f"^(?:{_pattern})$"), _first)
AliasFreeLoader.add_constructor("tag:yaml.org,2002:int", _core_int)
