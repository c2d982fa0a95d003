"""A later revision of any vendored openapi.json, derived rather than hand-copied: the bump that breaks
tests which hard-code one revision's facts.

From the document given (the vendored openapi.json unless told otherwise) it:
* adds a run status (`cancelled`) to every enum that lists the run statuses; sorted first, so a
  message that lists the valid statuses changes at its start, not only at its end;
* renames every component (`X` -> `NotteX`; FastAPI's generic pages keep their pattern:
  `PaginatedResponse_X_` -> `PaginatedResponse_NotteX_`), every `$ref` and title (the generator's
  class names) following;
* adds a response field to the run list item and a query parameter to the runs listing.
Names already present get a numeric suffix, so deriving from a derived document is a bump again.

tests/test_spec_bump.py vendors it in a project copy next to the fixtures in tests/revisions/.
By hand: `.venv/bin/python tests/revisions/derive.py > build/derived.json && make vendor UPSTREAM=build/derived.json`.
"""

from __future__ import annotations

import copy
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
LIST_RUNS = ("/functions/{function_id}/runs", "get")
PAGE = re.compile(r"^PaginatedResponse_(.+)_$")


def _free(name: str, taken: set[str] | list[str]) -> str:
    """`name`, or `name_2`, `name_3`... whichever the document does not hold yet."""
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{name}_{n}"
    return candidate


def _renamed(name: str) -> str:
    page = PAGE.match(name)
    return f"PaginatedResponse_Notte{page.group(1)}_" if page else f"Notte{name}"


def _rename_refs(node: Any, names: dict[str, str]) -> Any:
    if isinstance(node, dict):
        out = {key: _rename_refs(value, names) for key, value in node.items()}
        ref = out.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            out["$ref"] = "#/components/schemas/" + names[ref.rsplit("/", 1)[-1]]
        return out
    if isinstance(node, list):
        return [_rename_refs(value, names) for value in node]
    return node


def _component(document: dict[str, Any], ref: str) -> dict[str, Any]:
    found: dict[str, Any] = document["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    return found


def _run_item(document: dict[str, Any]) -> dict[str, Any]:
    operation = document["paths"][LIST_RUNS[0]][LIST_RUNS[1]]
    page = _component(document, operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"])
    return _component(document, page["properties"]["items"]["items"]["$ref"])


def _enums(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        own = [node] if isinstance(node.get("enum"), list) else []
        return own + [found for value in node.values() for found in _enums(value)]
    if isinstance(node, list):
        return [found for value in node for found in _enums(value)]
    return []


def derive(document: dict[str, Any]) -> dict[str, Any]:
    revision = copy.deepcopy(document)
    status = _run_item(revision)["properties"]["status"]
    statuses = (_component(revision, status["$ref"]) if "$ref" in status else status)["enum"]
    added = _free("cancelled", statuses)
    for enum in _enums(revision):
        if set(enum["enum"]) == set(statuses):
            enum["enum"] = [added, *enum["enum"]]

    item = _run_item(revision)
    field = _free("cancelled_reason", list(item["properties"]))
    item["properties"][field] = {
        "anyOf": [{"type": "string"}, {"type": "null"}],
        "title": field.replace("_", " ").title(),
        "description": "Why the run was cancelled (null unless cancelled)",
    }
    parameters = revision["paths"][LIST_RUNS[0]][LIST_RUNS[1]]["parameters"]
    parameter = _free("triggered_by", [p["name"] for p in parameters])
    query = [i for i, p in enumerate(parameters) if p["in"] == "query"]
    schema = {"anyOf": [{"type": "string", "maxLength": 64}, {"type": "null"}], "title": parameter.title()}
    parameters.insert(
        query[-1] + 1,
        {"name": parameter, "in": "query", "required": False, "schema": schema, "description": "Who started the runs"},
    )

    schemas = revision["components"]["schemas"]
    names = {name: _free(_renamed(name), list(schemas)) for name in schemas}
    for old, schema in schemas.items():  # the generator names its classes after the title
        title = schema.get("title")
        if title == old:
            schema["title"] = names[old]
        elif isinstance(title, str):  # FastAPI's generic page: "PaginatedResponse[GetFunctionResponse]"
            schema["title"] = re.sub(r"\[(\w+)\]", lambda m: f"[{names.get(m[1], m[1])}]", title)
    revision["components"]["schemas"] = {names[old]: schema for old, schema in schemas.items()}
    renamed: dict[str, Any] = _rename_refs(revision, names)
    major, minor, *_ = renamed["info"]["version"].split(".")
    renamed["info"]["version"] = f"{major}.{int(minor) + 1}.0"
    return renamed


def main(argv: list[str]) -> None:
    source = Path(argv[0]) if argv else ROOT / "openapi.json"
    print(json.dumps(derive(json.loads(source.read_text(encoding="utf-8"))), indent=2))


if __name__ == "__main__":
    main(sys.argv[1:])
