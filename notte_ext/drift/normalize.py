"""One canonical view of a schema, so that equivalent spellings compare equal.

OpenAPI 3.0 and 3.1 (and FastAPI/pydantic output) say the same thing in several ways:
``nullable: true``, ``type: [x, "null"]`` and ``anyOf: [x, {type: "null"}]`` all mean
"x or null"; ``allOf: [{$ref: X}]`` means X; ``const: v`` means ``enum: [v]``; 3.0's
boolean ``exclusiveMaximum`` is 3.1's numeric one. ``view`` folds all of these.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, replace
from typing import Any

from notte_ext.drift.errors import SpecError
from notte_ext.drift.limits import check_depth, check_elements
from notte_ext.drift.refs import Resolver

# Keywords that give a schema a shape of its own, beside an anyOf/oneOf.
_STRUCTURAL = {"type", "properties", "items", "enum", "const", "additionalProperties", "format", "pattern"}
# Keywords compared as plain values by the fingerprint (docs keywords left out on purpose).
_VALUE_KEYWORDS = (
    *("format", "pattern", "default", "readOnly", "writeOnly", "uniqueItems"),
    *("maximum", "minimum", "exclusiveMaximum", "exclusiveMinimum", "maxLength", "minLength", "maxItems", "minItems"),
)


@dataclass(frozen=True)
class SchemaView:
    ref: str | None  # the component it came from: the key for memoized comparisons
    node: dict[str, Any]  # keywords after $ref/allOf resolution and bound normalization
    types: frozenset[str] | None  # None: any type
    nullable: bool
    union: str  # "anyOf", "oneOf" or "" for a plain schema
    variants: tuple[Any, ...]  # the non-null alternatives of the union
    enum: frozenset[str] | None  # canonical JSON of the non-null enum values


def canonical_value(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _is_null(member: Any, resolver: Resolver) -> bool:
    node = resolver.resolve(member)
    if not isinstance(node, dict):
        return False
    return (
        node.get("type") in ("null", ["null"])
        or node.get("enum") == [None]
        or ("const" in node and node["const"] is None)
    )


def _merge_all_of(node: dict[str, Any], resolver: Resolver, seen: frozenset[str]) -> dict[str, Any]:
    """allOf members folded into one schema: properties and required are unions."""
    merged: dict[str, Any] = {}
    properties: dict[str, Any] = {}
    required: list[str] = []
    members = [*node["allOf"], {k: v for k, v in node.items() if k != "allOf"}]
    for member in members:
        ref, part = resolver.follow(member)
        if not isinstance(part, dict) or ref in seen:
            continue
        if "allOf" in part:
            part = _merge_all_of(part, resolver, seen | {ref} if ref else seen)
        properties.update(part.get("properties", {}))
        required.extend(r for r in part.get("required", []) if r not in required)
        for key, value in part.items():
            merged.setdefault(key, value)
    merged.pop("allOf", None)
    if properties:
        merged["properties"] = properties
    if required:
        merged["required"] = required
    return merged


def _normalize_bounds(node: dict[str, Any]) -> dict[str, Any]:
    """3.0 ``exclusiveMaximum: true`` + ``maximum: n`` is 3.1 ``exclusiveMaximum: n``."""
    if not any(isinstance(node.get(k), bool) for k in ("exclusiveMaximum", "exclusiveMinimum")):
        return node
    node = dict(node)
    for exclusive, inclusive in (("exclusiveMaximum", "maximum"), ("exclusiveMinimum", "minimum")):
        flag = node.get(exclusive)
        if isinstance(flag, bool):
            del node[exclusive]
            if flag and inclusive in node:
                node[exclusive] = node.pop(inclusive)
    return node


def view(raw: Any, resolver: Resolver) -> SchemaView:
    """The canonical view of a schema; a bare reference's view is computed once per document."""
    if isinstance(raw, dict) and len(raw) == 1 and isinstance(raw.get("$ref"), str):
        cached: SchemaView | None = resolver.views.get(raw["$ref"])
        if cached is None:
            cached = resolver.views[raw["$ref"]] = _view(raw, resolver)
        return cached
    return _view(raw, resolver)


def own_view(raw: Any, resolver: Resolver) -> SchemaView:
    """The view of a schema's own keywords, its allOf members left unmerged (never cached)."""
    return _view(raw, resolver, merge_all_of=False)


def _view(raw: Any, resolver: Resolver, *, merge_all_of: bool = True) -> SchemaView:
    ref, node = resolver.follow(raw)
    if not isinstance(node, dict):  # boolean schemas: true accepts anything, false nothing
        node = {} if node is not False else {"not": {}}
    if "allOf" in node and merge_all_of:
        node = _merge_all_of(node, resolver, frozenset({ref}) if ref else frozenset())
    node = _normalize_bounds(node)
    nullable = node.get("nullable") is True
    union = "anyOf" if "anyOf" in node else "oneOf" if "oneOf" in node else ""
    variants: tuple[Any, ...] = ()
    if union:
        members = node[union] if isinstance(node[union], list) else []
        check_elements(len(members), union)
        kept = tuple(m for m in members if not _is_null(m, resolver))
        nullable = nullable or len(kept) < len(members)
        if len(kept) == 1 and not _STRUCTURAL & node.keys():
            inner = view(kept[0], resolver)  # "x or null": x itself, nullable
            return replace(inner, nullable=inner.nullable or nullable)
        variants = kept
    raw_type = node.get("type")
    type_list = [raw_type] if isinstance(raw_type, str) else raw_type if isinstance(raw_type, list) else None
    if type_list is None:  # pydantic often leaves out a type its keywords already imply
        type_list = ["object"] if "properties" in node else ["array"] if "items" in node else None
    types = None if type_list is None else frozenset(t for t in type_list if t != "null")
    nullable = nullable or (type_list is not None and "null" in type_list)
    values = [node["const"]] if "const" in node else node.get("enum")
    if values is not None and not isinstance(values, list):
        raise SpecError(f"malformed schema: enum must be a list, got {values!r}")
    check_elements(len(values or ()), "enum")
    enum = None
    if isinstance(values, list):
        nullable = nullable or None in values
        enum = frozenset(canonical_value(v) for v in values if v is not None)
    return SchemaView(ref, node, types or None, nullable, union if variants else "", variants, enum)


def fingerprint(raw: Any, resolver: Resolver) -> str:
    """A string equal for structurally equal schemas, whatever their refs or spelling: a component
    and the same schema written inline have the same one."""
    value = _canonical(raw, resolver, (), 0)[0]
    return str(value.get("$digest") or _digest(value)["$digest"])


def _digest(form: dict[str, Any]) -> dict[str, str]:
    return {"$digest": hashlib.sha256(canonical_value(form).encode()).hexdigest()}


def _canonical(raw: Any, resolver: Resolver, stack: tuple[str, ...], depth: int) -> tuple[Any, float]:
    """The canonical form, and the lowest stack position a recursion marker in it points to.

    A component whose markers all point into itself has the same form wherever it is reached:
    it is computed once per document (``resolver.fingerprints``) and stands as its digest.
    Without that, unions of components that reference each other are walked once per path.
    """
    check_depth(depth)
    v = view(raw, resolver)
    position = len(stack)
    if v.ref is not None:
        if v.ref in stack:  # a recursive schema: say how far up it points, not its name
            return {"$recursive": position - stack.index(v.ref)}, stack.index(v.ref)
        if v.ref in resolver.fingerprints:
            return resolver.fingerprints[v.ref], math.inf
        stack = (*stack, v.ref)
    floor = math.inf

    def canonical(member: Any) -> Any:
        nonlocal floor
        value, member_floor = _canonical(member, resolver, stack, depth + 1)
        floor = min(floor, member_floor)
        return value

    out: dict[str, Any] = {"nullable": v.nullable}
    if v.types is not None:
        out["type"] = sorted(v.types)
    if v.enum is not None:
        out["enum"] = sorted(v.enum)
    if v.variants:
        out["variants"] = sorted(canonical_value(canonical(m)) for m in v.variants)
    out.update({k: v.node[k] for k in _VALUE_KEYWORDS if k in v.node})
    properties = v.node.get("properties")
    if isinstance(properties, dict):
        out["properties"] = {name: canonical(p) for name, p in sorted(properties.items())}
        out["required"] = sorted(v.node.get("required", []))
    if "items" in v.node:
        out["items"] = canonical(v.node["items"])
    extra = v.node.get("additionalProperties", True)
    out["additionalProperties"] = extra if isinstance(extra, bool) else canonical(extra)
    if v.ref is not None and floor >= position:  # self-contained: the same wherever it is reached
        # Parents hold its digest, not its tree: shared components would otherwise be copied
        # into every schema that reaches them (a tree exponential in the nesting depth).
        digest = _digest(out)
        resolver.fingerprints[v.ref] = digest
        return digest, math.inf
    return out, floor
