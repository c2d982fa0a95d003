"""The operations of a document, keyed so that renamed path parameters still match."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from notte_ext._oas import HTTP_METHODS
from notte_ext.drift.refs import Resolver

_TEMPLATE = re.compile(r"\{[^}/]*\}")


def path_shape(path: str) -> str:
    """``/x/{id}`` and ``/x/{item_id}`` are the same endpoint: compare templates by shape."""
    return _TEMPLATE.sub("{}", path)


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    node: dict[str, Any]
    path_item: dict[str, Any]

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"

    @property
    def key(self) -> tuple[str, str]:
        return self.method, path_shape(self.path)


def parse_label(label: str) -> tuple[str, str]:
    """``"GET /x/{id}"`` -> the operation key ``("get", "/x/{}")``."""
    method, _, path = label.strip().partition(" ")
    return method.lower(), path_shape(path.strip())


def operations(document: dict[str, Any], resolver: Resolver) -> dict[tuple[str, str], Operation]:
    """Every operation, in document order, by key."""
    found: dict[tuple[str, str], Operation] = {}
    for path, raw_item in (document.get("paths") or {}).items():
        item = resolver.resolve(raw_item)
        if not isinstance(item, dict):
            continue
        for method in item:
            if method in HTTP_METHODS and isinstance(item[method], dict):
                operation = Operation(method, str(path), item[method], item)
                found.setdefault(operation.key, operation)
    return found


def parameters(operation: Operation, resolver: Resolver) -> dict[tuple[str, str], dict[str, Any]]:
    """Effective parameters (operation-level overrides path-level), keyed for matching.

    Path parameters are keyed by their position in the template, so a rename matches;
    header names are case-insensitive.
    """
    slots = [name[1:-1] for name in _TEMPLATE.findall(operation.path)]
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for raw in [*operation.path_item.get("parameters", []), *operation.node.get("parameters", [])]:
        param = resolver.resolve(raw)
        if not isinstance(param, dict):
            continue
        where, name = str(param.get("in")), str(param.get("name"))
        if where == "path" and name in slots:
            merged[(where, f"#{slots.index(name)}")] = param
        else:
            merged[(where, name.lower() if where == "header" else name)] = param
    return merged


def parameter_schema(param: dict[str, Any]) -> Any:
    """A parameter's schema, also when given as ``content: {media: {schema}}``."""
    if "schema" in param:
        return param["schema"]
    for media in (param.get("content") or {}).values():
        if isinstance(media, dict) and "schema" in media:
            return media["schema"]
    return {}
