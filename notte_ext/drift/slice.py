"""Cut a document down to chosen operations and every component they reach.

Deterministic and order-keeping: top-level keys, paths, methods and components stay
in upstream order, so slicing upstream reproduces the published per-operation slice
byte for byte (the vendored ``openapi.json`` is exactly that).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from notte_ext._oas import HTTP_METHODS
from notte_ext.drift.errors import SpecError
from notte_ext.drift.guard import guarded
from notte_ext.drift.operations import operations
from notte_ext.drift.refs import Resolver, escape, pointer_tokens

_COMPONENT_REF = "#/components/"


def _refs(node: Any) -> Iterator[str]:
    """Every local component reference below a node (including discriminator mappings)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            elif key == "mapping" and isinstance(value, dict):
                yield from (v for v in value.values() if isinstance(v, str) and v.startswith(_COMPONENT_REF))
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _security_schemes(node: Any) -> Iterator[str]:
    for requirement in node.get("security") or [] if isinstance(node, dict) else []:
        if isinstance(requirement, dict):
            # Spelled as a $ref is (a "%" percent-encoded), as reached_components decodes one.
            yield from (f"{_COMPONENT_REF}securitySchemes/{escape(name).replace('%', '%25')}" for name in requirement)


def reached_components(document: dict[str, Any], roots: Iterable[Any]) -> set[tuple[str, str]]:
    """(section, name) of every component reachable from the roots, transitively."""
    resolver = Resolver(document)
    pending = [ref for root in roots for ref in [*_refs(root), *_security_schemes(root)]]
    reached: set[tuple[str, str]] = set()
    while pending:
        ref = pending.pop()
        if not ref.startswith("#"):
            continue
        tokens = pointer_tokens(ref)  # percent-decoded: #/components/schemas/%41 keeps A
        if len(tokens) < 3 or tokens[0] != "components":
            continue
        section, name = tokens[1], tokens[2]
        if (section, name) in reached:
            continue
        reached.add((section, name))
        target = resolver.lookup(f"{_COMPONENT_REF}{escape(section)}/{escape(name)}")
        pending.extend(_refs(target))
    return reached


@guarded
def slice_document(document: dict[str, Any], keys: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """The document restricted to the operations with these keys (see ``operations``).

    Raises ``SpecError`` naming any wanted operation the document does not have.
    """
    wanted = set(keys)
    available = operations(document, Resolver(document))
    missing = sorted(f"{method.upper()} {shape}" for method, shape in wanted - available.keys())
    if missing:
        raise SpecError(f"upstream has no operation {', '.join(missing)}")
    chosen = [op for key, op in available.items() if key in wanted]
    kept = {(op.path, op.method) for op in chosen}
    paths: dict[str, Any] = {}
    for path, item in (document.get("paths") or {}).items():
        methods = {m for m in HTTP_METHODS if (path, m) in kept}
        if methods:  # path-level keys (parameters, servers...) stay; other methods go
            paths[path] = {k: v for k, v in item.items() if k not in HTTP_METHODS or k in methods}
    roots: list[Any] = [paths]
    if "security" in document:
        roots.append({"security": document["security"]})
    roots += [{"security": op.node.get("security")} for op in chosen]
    reached = reached_components(document, roots)
    sliced: dict[str, Any] = {}
    for key, value in document.items():
        if key == "paths":
            sliced[key] = paths
        elif key == "components" and isinstance(value, dict):
            components = _kept_components(value, reached)
            if components:
                sliced[key] = components
        else:
            sliced[key] = value
    return sliced


def _kept_components(components: dict[str, Any], reached: set[tuple[str, str]]) -> dict[str, Any]:
    kept: dict[str, Any] = {}
    for section, entries in components.items():
        if not isinstance(entries, dict):
            continue
        chosen = {name: entry for name, entry in entries.items() if (section, name) in reached}
        if chosen:
            kept[section] = chosen
    return kept
