"""Local ``$ref`` resolution (``#/...`` JSON pointers), safe against reference cycles."""

from __future__ import annotations

from typing import Any

from notte_ext.drift.errors import SpecError


def escape(token: str) -> str:
    """One JSON-pointer segment (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


class Resolver:
    """Looks up local references in one document, memoizing each pointer."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self._cache: dict[str, Any] = {}
        self.views: dict[str, Any] = {}  # normalize.view of a bare {"$ref": ...}, by reference
        self.fingerprints: dict[str, Any] = {}  # normalize's canonical form of a component, by reference

    def lookup(self, ref: str) -> Any:
        if ref in self._cache:
            return self._cache[ref]
        if not ref.startswith("#"):
            raise SpecError(f"unsupported $ref {ref!r}: only local references (#/...) are resolved")
        node: Any = self.document
        for token in filter(None, ref[1:].split("/")):
            key = unescape(token)
            if isinstance(node, dict) and key in node:
                node = node[key]
            elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
                node = node[int(key)]
            else:
                raise SpecError(f"cannot resolve $ref {ref!r}")
        self._cache[ref] = node
        return node

    def follow(self, node: Any) -> tuple[str | None, Any]:
        """Follow a chain of ``$ref``s: the last reference taken (None if none) and its target."""
        last: str | None = None
        seen: set[str] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            last = node["$ref"]
            if last in seen:
                raise SpecError(f"$ref cycle without a schema in between at {last!r}")
            seen.add(last)
            node = self.lookup(last)
        return last, node

    def resolve(self, node: Any) -> Any:
        return self.follow(node)[1]
