"""The YAML loader for OpenAPI documents: safe, and refusing aliases.

An alias (``*name``) makes one node stand in many places. PyYAML builds it once and shares it,
so loading stays small, but anything that walks the result (the diff, a report quoting an enum
value) meets it once per place: nine levels of ten aliases each are a 9 KB file that walks as
a billion nodes (the "billion laughs"). Documents that servers publish are JSON, or YAML
written by a generator that does not emit aliases, so refusing them costs nothing real and
removes the whole class. Anchors (``&name``) that nothing refers to are harmless and accepted.

Imported only when a document is not JSON: PyYAML is ~20 ms of start-up.
"""

from __future__ import annotations

from typing import Any

import yaml

from notte_ext.drift.errors import SpecError

try:  # libyaml's parser is ~10x faster on large documents; the constructor is Python either way
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]


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
