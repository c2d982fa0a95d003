"""Facts of the vendored API revision, read from openapi.json, so the suite holds on any revision.

A fact true of one revision only is asserted under `only_on(version)`: a visible skip (with the
vendored version in the reason, shown by `-ra`) on the others, never a silent pass.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from notte_ext._openapi import document, operation, spec_version
from notte_ext.functions import MAX_PAGE_SIZE, RunStatus

VERSION = spec_version()
# The whole upstream document openapi.json was vendored from (API 1.4.40; `make vendor` slices it).
UPSTREAM_COPY = Path(__file__).resolve().parents[1] / "codegen/upstream/notte-api-1.4.40.json"
LIST_RUNS = operation("list_function_runs_by_function_id")
QUERY_PARAMETERS: dict[str, dict[str, Any]] = {p["name"]: p for p in LIST_RUNS.parameters if p.get("in") == "query"}
STATUSES = frozenset(status.value for status in RunStatus)
PAGE_SIZE_SCHEMA: dict[str, Any] = QUERY_PARAMETERS["page_size"]["schema"]


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    """A local `$ref` followed (one level: the components of these documents)."""
    if "$ref" not in schema:
        return schema
    found: dict[str, Any] = document()["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return found


def spec_run_statuses() -> frozenset[str]:
    """The run status enum as openapi.json states it (not as generated code or the test server read it)."""
    page = _resolve(LIST_RUNS.responses["200"]["content"]["application/json"]["schema"])
    item = _resolve(page["properties"]["items"]["items"])
    return frozenset(_resolve(item["properties"]["status"])["enum"])


def wire(value: object) -> str:
    """A query value as it travels: booleans in JSON spelling."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def generated_defaults() -> dict[str, str]:
    """The query the generated call sends when given nothing: every parameter with a non-null spec default."""
    defaults = {name: p.get("schema", {}).get("default") for name, p in QUERY_PARAMETERS.items()}
    return {name: wire(value) for name, value in defaults.items() if value is not None}


def listing_query(page: int, page_size: int = MAX_PAGE_SIZE, running_only: bool = False) -> dict[str, str]:
    """What notte_ext sends for one page of a listing: the generated defaults, our page size and only_active."""
    return {**generated_defaults(), "page": str(page), "page_size": str(page_size), "only_active": wire(running_only)}


def only_on(version: str) -> pytest.MarkDecorator:
    return pytest.mark.skipif(version != VERSION, reason=f"a fact of API {version}; vendored is {VERSION}")


def validation_error_item_ref() -> str:
    """The `$ref` of one entry of a 422's `detail` (FastAPI's ValidationError, whatever it is named)."""
    body = _resolve(LIST_RUNS.responses["422"]["content"]["application/json"]["schema"])
    ref: str = body["properties"]["detail"]["items"]["$ref"]
    return ref
