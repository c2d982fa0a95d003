"""Compact builders for the spec-pair fixtures: our vendored spec and a small generic API."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from notte_ext.drift import load_document

ROOT = Path(__file__).resolve().parents[2]
# The engine's fixtures edit API 1.4.40 (the seed copy), whatever revision openapi.json holds.
OURS: dict[str, Any] = load_document(
    (ROOT / "codegen/upstream/list-function-runs-by-function-id.md").read_text(encoding="utf-8")
)
RUNS = "/functions/{function_id}/runs"
RUNS_LABEL = f"GET {RUNS}"


def ours() -> dict[str, Any]:
    return copy.deepcopy(OURS)


def runs(document: dict[str, Any]) -> dict[str, Any]:
    """The list-runs operation of (a copy of) our spec."""
    operation: dict[str, Any] = document["paths"][RUNS]["get"]
    return operation


def param(document: dict[str, Any], name: str) -> dict[str, Any]:
    return next(p for p in runs(document)["parameters"] if p["name"] == name)


def schema(document: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = document["components"]["schemas"][name]
    return found


def run_props(document: dict[str, Any]) -> dict[str, Any]:
    props: dict[str, Any] = schema(document, "GetFunctionRunResponse")["properties"]
    return props


def pets(version: str = "3.1.0") -> dict[str, Any]:
    """A generic API with a request body, an enum query parameter and a recursive schema."""
    # The same constraints, spelled the 3.0 way or the 3.1 way.
    legacy = version.startswith("3.0")
    nullable_tag: dict[str, Any] = {"type": "string", "nullable": True} if legacy else {"type": ["string", "null"]}
    positive: dict[str, Any] = {"minimum": 0, "exclusiveMinimum": True} if legacy else {"exclusiveMinimum": 0}
    return {
        "openapi": version,
        "info": {"title": "Pets", "version": "1.0.0"},
        "security": [{"apiKey": []}],
        "paths": {
            "/pets": {
                "get": {
                    "operationId": "list_pets",
                    "parameters": [
                        {"name": "kind", "in": "query", "schema": {"type": "string", "enum": ["cat", "dog", "bird"]}},
                        {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 50, **positive}},
                    ],
                    "responses": {"200": {"description": "ok", **json_of("Pet")}},
                },
                "post": {
                    "operationId": "create_pet",
                    "requestBody": {"required": True, **json_of("NewPet")},
                    "responses": {"201": {"description": "created", **json_of("Pet")}},
                },
            },
        },
        "components": {
            "schemas": {
                "NewPet": {
                    "type": "object",
                    "properties": {"name": {"type": "string", "maxLength": 40}, "tag": nullable_tag},
                    "required": ["name"],
                },
                "Pet": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "integer"},
                        "name": {"type": "string"},
                        "tag": nullable_tag,
                        "owner": {"$ref": "#/components/schemas/Owner"},
                    },
                    "required": ["id", "name"],
                },
                "Owner": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string"},
                        "pets": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}},
                    },
                },
            },
            "securitySchemes": {"apiKey": {"type": "apiKey", "in": "header", "name": "X-Key"}},
        },
    }


def json_of(ref: str) -> dict[str, Any]:
    """A request body or response whose JSON schema is a component reference."""
    return {"content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}}


def reverse_keys(node: Any) -> Any:
    """The same document with every mapping's key order reversed."""
    if isinstance(node, dict):
        return {k: reverse_keys(node[k]) for k in reversed(node)}
    if isinstance(node, list):
        return [reverse_keys(v) for v in node]
    return node


def rename_refs(node: Any, old: str, new: str) -> Any:
    if isinstance(node, dict):
        return {k: (new if k == "$ref" and v == old else rename_refs(v, old, new)) for k, v in node.items()}
    if isinstance(node, list):
        return [rename_refs(v, old, new) for v in node]
    return node
