"""Local ``$ref`` resolution (``#/...`` JSON pointers), safe against reference cycles."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from notte_ext.drift.errors import SpecError


def escape(token: str) -> str:
    """One JSON-pointer segment (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def pointer_tokens(ref: str) -> list[str]:
    """The keys a local ``$ref`` walks: its URI fragment percent-decoded, then split (RFC 6901 §6).

    ``#/components/schemas/%41`` is ``A``, as every URI reader (oasdiff's kin-openapi too) reads it.
    """
    try:
        pointer = unquote(ref[1:], errors="strict")
    except UnicodeDecodeError:
        raise SpecError(f"cannot resolve $ref {ref!r}: its %-escapes are not UTF-8") from None
    if not pointer:  # JSON Schema reads "#" as its own root; here the root is the OpenAPI document
        raise SpecError(f"$ref {ref!r} points to the whole OpenAPI document, not to a schema or component")
    if not pointer.startswith("/"):  # "#name": a JSON Schema anchor, not a pointer
        raise SpecError(f"unsupported $ref {ref!r}: only JSON pointers into the document (#/...) are resolved")
    return [unescape(token) for token in pointer[1:].split("/")]


def canonical(ref: str) -> str:
    """The one spelling of a local reference (``#/components/schemas/%41`` -> ``#/components/schemas/A``)."""
    return "#" + "".join("/" + escape(token) for token in pointer_tokens(ref))


class Resolver:
    """Looks up local references in one document, memoizing each pointer."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self._cache: dict[str, Any] = {}
        self.views: dict[str, Any] = {}  # normalize.view of a bare {"$ref": ...}, by reference
        self.fingerprints: dict[str, Any] = {}  # normalize's canonical form of a component, by reference
        self._spellings: dict[str, str] = {}  # canonical() of each reference met

    def lookup(self, ref: str) -> Any:
        if ref in self._cache:
            return self._cache[ref]
        if not ref.startswith("#"):
            raise SpecError(f"unsupported $ref {ref!r}: only local references (#/...) are resolved")
        node: Any = self.document
        for key in pointer_tokens(ref):
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
        while isinstance(node, dict) and "$ref" in node:
            ref = node["$ref"]
            if not isinstance(ref, str):  # else read as a schema with no keywords: "any", a wrong verdict
                raise SpecError(f"$ref must be a string, got {type(ref).__name__} {ref!r:.40}")
            # One spelling per target: it names the component in reports and keys memoized comparisons.
            last = self._spellings.get(ref) or self._spell(ref)
            if last in seen:
                raise SpecError(f"$ref cycle without a schema in between at {last!r}")
            seen.add(last)
            node = self.lookup(last)
        return last, node

    def _spell(self, ref: str) -> str:
        spelled = self._spellings[ref] = canonical(ref) if ref.startswith("#") else ref
        return spelled

    def resolve(self, node: Any) -> Any:
        return self.follow(node)[1]
