"""Time the semantic spec diff on a ~5 MB synthetic OpenAPI document.

    .venv/bin/python bench/spec_diff.py [--operations N] [--runs N]

Builds a FastAPI-shaped spec (paginated list responses, nullable anyOf fields, enums,
nested component references, readOnly/writeOnly fields, discriminated oneOf unions,
response headers), applies a handful of breaking and additive changes to a copy, and
prints the median wall time of ``diff_documents`` over a few runs.
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import statistics
import time
from typing import Any

from notte_ext.drift import diff_documents, load_document, summary


def _model(index: int, rng: random.Random) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for p in range(14):
        kind = rng.choice(["string", "integer", "nullable", "enum", "array", "ref", "date"])
        if kind == "nullable":
            schema: dict[str, Any] = {"anyOf": [{"type": "string"}, {"type": "null"}]}
        elif kind == "enum":
            schema = {"type": "string", "enum": ["closed", "active", "failed", "queued"]}
        elif kind == "array":
            schema = {"type": "array", "items": {"type": "string"}}
        elif kind == "ref" and index:
            # Point "down" a hierarchy (as real APIs nest): reference chains stay ~log2(models) deep.
            schema = {"$ref": f"#/components/schemas/Model{rng.randrange(index // 2 + 1)}"}
        elif kind == "date":
            schema = {"type": "string", "format": "date-time", "readOnly": True}
        else:
            kind = "string" if kind == "ref" else kind
            schema = {"type": kind, "maxLength" if kind == "string" else "maximum": 100}
        properties[f"field_{p}"] = {**schema, "title": f"Field {p}", "description": f"Field {p} of model {index}. " * 3}
    if index % 10 == 5:  # a discriminated union of two small models (outside the rng: the rest stays as it was)
        union = [{"$ref": "#/components/schemas/Model1"}, {"$ref": "#/components/schemas/Model2"}]
        properties["variant"] = {"oneOf": union, "discriminator": {"propertyName": "field_0"}}
    return {"properties": properties, "type": "object", "required": ["field_0", "field_1"], "title": f"Model{index}"}


def _json_body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def _operation(index: int, models: int) -> dict[str, Any]:
    page = {"name": "page", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1, "default": 1}}
    size = {
        "name": "page_size",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 10},
    }
    ident = {
        "name": "item_id",
        "in": "path",
        "required": True,
        "schema": {"anyOf": [{"type": "string"}, {"type": "null"}]},
    }
    listing = {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": {"$ref": f"#/components/schemas/Model{index % models}"}},
            "has_next": {"type": "boolean"},
        },
        "required": ["items", "has_next"],
    }
    return {
        "summary": f"Operation {index}",
        "operationId": f"operation_{index}",
        "parameters": [ident, page, size],
        "responses": {
            "200": {
                "description": "OK",
                "headers": {"X-Request-Id": {"required": True, "schema": {"type": "string"}}},
                **_json_body(listing),
            },
            "422": {
                "description": "Validation Error",
                **_json_body({"$ref": "#/components/schemas/HTTPValidationError"}),
            },
        },
        "security": [{"OAuth2PasswordBearer": []}],
    }


def build(operations: int, seed: int = 6) -> dict[str, Any]:
    rng = random.Random(seed)
    models = max(operations // 2, 1)
    schemas = {f"Model{i}": _model(i, rng) for i in range(models)}
    schemas["HTTPValidationError"] = {"type": "object", "properties": {"detail": {"type": "array", "items": {}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Synthetic", "version": "1.0.0"},
        "paths": {f"/resources{i}/{{item_id}}/runs": {"get": _operation(i, models)} for i in range(operations)},
        "components": {
            "schemas": schemas,
            "securitySchemes": {"OAuth2PasswordBearer": {"type": "oauth2", "flows": {}}},
        },
    }


def modify(spec: dict[str, Any]) -> dict[str, Any]:
    revision = copy.deepcopy(spec)
    paths, schemas = revision["paths"], revision["components"]["schemas"]
    paths.pop(next(iter(paths)))  # an operation removed
    paths["/brand-new"] = {"get": _operation(0, 1)}
    for i, item in enumerate(list(paths.values())[::50]):
        item["get"]["parameters"][2]["schema"]["maximum"] = 50 + i % 3  # bounds tightened
    for i, schema in enumerate([s for name, s in schemas.items() if name.startswith("Model")][::25]):
        props = schema["properties"]
        props.pop("field_1")  # a required response property removed
        props["field_new"] = {"type": "string"}
        props["field_2"] = {"anyOf": [props["field_2"], {"type": "null"}]} if i % 2 else {"type": "boolean"}
        props["field_3"] = {**props["field_3"], "writeOnly": True}  # stops arriving in responses
        if "variant" in props:  # an alternative added to a discriminated union
            props["variant"]["oneOf"].append({"$ref": "#/components/schemas/Model3"})
    return revision


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--operations", type=int, default=1400)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    base = build(args.operations)
    revision = modify(base)
    text = json.dumps(base, indent=2)
    megabytes = len(text) / 1e6
    start = time.perf_counter()
    load_document(text)
    parse_seconds = time.perf_counter() - start
    timings, cpu, changes = [], [], []
    for _ in range(args.runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        changes = diff_documents(base, revision)
        timings.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    counts = summary(changes)
    print(f"spec: {megabytes:.1f} MB, {args.operations} operations, {len(base['components']['schemas'])} schemas")
    print(
        f"changes: {counts['total']} ({counts['breaking']} breaking, {counts['warning']} warning, {counts['info']} info)"
    )
    print(f"diff_documents median of {args.runs}: {statistics.median(timings):.3f} s (min {min(timings):.3f} s)")
    # CPU time is what the engine costs; wall time also holds what other processes take on a busy machine.
    print(f"diff_documents CPU median: {statistics.median(cpu):.3f} s")
    print(f"load_document (JSON parse, for scale): {parse_seconds:.3f} s")


if __name__ == "__main__":
    main()
