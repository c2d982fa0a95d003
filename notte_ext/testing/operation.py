"""What one OpenAPI document declares for each operation, as the server needs it.

The server follows the document, not a copy of API 1.4.40 written by hand: the query parameters
it validates, the request bodies it accepts, the fields of a sample run or function and the statuses
it draws are read from the operations. ``SpecOperation.load(spec)`` is the runs listing
(``list_function_runs_by_function_id``); ``.of(operation_id)`` any other operation of the same
document. Components are found through the operations (200 response → page → ``items``), never by
name, so a revision that renames them is served just the same.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias
from urllib.parse import unquote

__all__ = ["DEFAULT_SPEC_PATH", "OPERATION_ID", "QueryParameter", "RunsOperation", "SpecOperation", "SpecSource"]

#: The vendored spec packaged in notte_ext (the default document of the server and validators).
DEFAULT_SPEC_PATH = Path(__file__).resolve().parent.parent / "openapi.json"
OPERATION_ID = "list_function_runs_by_function_id"

#: A document given as a path, as parsed JSON, or already loaded; None means the packaged spec.
SpecSource: TypeAlias = "SpecOperation | Mapping[str, Any] | Path | None"


@dataclass(frozen=True)
class QueryParameter:
    name: str
    schema: Mapping[str, Any]  # $refs resolved at the top level
    required: bool

    @property
    def default(self) -> Any:
        return self.schema.get("default")


class SpecOperation:
    """One operation of one OpenAPI document (read lazily, then cached)."""

    def __init__(
        self, document: Mapping[str, Any], source: str = "<document>", operation_id: str = OPERATION_ID
    ) -> None:
        self.document = document
        self.source = source  # where it came from, for messages
        self.operation_id = operation_id
        self.path, self.method, self.operation = _find_operation(document, source, operation_id)
        self._siblings: dict[str, SpecOperation] = {operation_id: self}

    @classmethod
    def load(cls, spec: SpecSource = None) -> SpecOperation:
        """The runs listing of ``spec``: a path, a parsed document, an operation (its document's
        listing), or None (the packaged spec)."""
        if isinstance(spec, SpecOperation):
            return spec.of(OPERATION_ID)
        if spec is None or isinstance(spec, Path):
            return _load_path((spec or DEFAULT_SPEC_PATH).resolve())
        return cls(spec)

    def of(self, operation_id: str) -> SpecOperation:
        """Another operation of the same document (ValueError if it declares none by that id)."""
        sibling = self._siblings.get(operation_id)
        if sibling is None:
            sibling = SpecOperation(self.document, self.source, operation_id)
            sibling._siblings = self._siblings  # one family per document: the same objects everywhere
            self._siblings[operation_id] = sibling
        return sibling

    def declares(self, operation_id: str) -> bool:
        return any(op.get("operationId") == operation_id for _, _, op in self.operations())

    def operations(self) -> list[tuple[str, str, Mapping[str, Any]]]:
        """(method, path, operation) of every operation of the document, in document order."""
        return [
            (method, path, operation)
            for path, item in self.document.get("paths", {}).items()
            for method, operation in item.items()
            if isinstance(operation, Mapping) and "operationId" in operation
        ]

    def resolve(self, schema: Mapping[str, Any]) -> Mapping[str, Any]:
        """``schema`` with its (chain of) local ``$ref`` followed."""
        seen: set[str] = set()
        while "$ref" in schema:
            ref = str(schema["$ref"])
            if not ref.startswith("#/") or ref in seen:
                raise ValueError(f"{self.source}: cannot follow $ref {ref!r} (only local, acyclic refs)")
            seen.add(ref)
            node: Any = self.document
            for part in ref[2:].split("/"):
                node = node[unquote(part).replace("~1", "/").replace("~0", "~")]
            schema = node
        return schema

    @functools.cached_property
    def query_parameters(self) -> tuple[QueryParameter, ...]:
        """The declared query parameters, in declaration order (path and header ones left out)."""
        return self.parameters_in("query")

    def parameters_in(self, location: str) -> tuple[QueryParameter, ...]:
        """The declared parameters in ``location`` ("query", "header", "path"), in declaration order."""
        declared = (self.resolve(parameter) for parameter in self.operation.get("parameters", []))
        return tuple(
            QueryParameter(str(p["name"]), self.resolve(p.get("schema", {})), bool(p.get("required", False)))
            for p in declared
            if p.get("in") == location
        )

    def request_body(self) -> tuple[str, Mapping[str, Any]] | None:
        """(media type, schema with its $ref followed) of the request body, or None when there is none."""
        content = self.resolve(self.operation.get("requestBody", {})).get("content", {})
        for media, entry in content.items():
            return str(media), self.resolve(entry.get("schema", {}))
        return None

    def fields_of(self, schema: Mapping[str, Any]) -> Mapping[str, Mapping[str, Any]]:
        """Each declared property of an object schema and its schema, refs followed, in declaration order."""
        return {name: self.resolve(sub) for name, sub in self.resolve(schema).get("properties", {}).items()}

    def response_schema(self, status: int) -> Mapping[str, Any]:
        """The JSON body schema documented for ``status`` (ValueError when there is none)."""
        responses = self.operation.get("responses", {})
        schema = responses.get(str(status), {}).get("content", {}).get("application/json", {}).get("schema")
        if schema is None:
            raise ValueError(f"{self.source} documents no body for HTTP {status} (documented: {', '.join(responses)})")
        return dict(schema)

    def response_pointer(self, status: int) -> str:
        """The JSON pointer (``#/paths/...``) of the body schema documented for ``status``."""
        self.response_schema(status)  # documented at all?
        return self._pointer("responses", str(status), "content", "application/json", "schema")

    def request_body_pointer(self, media: str) -> str:
        """The JSON pointer of the request body schema for ``media`` (see ``request_body``)."""
        return self._pointer("requestBody", "content", media, "schema")

    def _pointer(self, *parts: str) -> str:
        escaped = (part.replace("~", "~0").replace("/", "~1") for part in ("paths", self.path, self.method, *parts))
        return "#/" + "/".join(escaped)

    @functools.cached_property
    def item_schema(self) -> Mapping[str, Any]:
        """The schema of one run in a page: 200 response → page → ``items`` → its item schema."""
        page = self.resolve(self.response_schema(200))
        items = self.resolve(page.get("properties", {}).get("items", {}))
        if "items" not in items:
            raise ValueError(f"{self.source}: the 200 response of {self.operation_id} is not a page with 'items'")
        return self.resolve(items["items"])

    @functools.cached_property
    def item_fields(self) -> Mapping[str, Mapping[str, Any]]:
        """Each declared field of an item (a run, for the runs listing) and its schema, in declaration order."""
        return self.fields_of(self.item_schema)

    @functools.cached_property
    def result_fields(self) -> Mapping[str, Mapping[str, Any]]:
        """Each declared field of the 200 body (an object) and its schema, in declaration order."""
        return self.fields_of(self.response_schema(200))

    @functools.cached_property
    def nullable_fields(self) -> frozenset[str]:
        """The fields of a run that may be null."""
        return frozenset(name for name, schema in self.item_fields.items() if self.allows_null(schema))

    @functools.cached_property
    def statuses(self) -> tuple[str, ...]:
        """The ``status`` enum of a run (empty when the document declares none)."""
        return tuple(str(value) for value in self.enum_values(self.item_fields.get("status", {})))

    def enum_values(self, schema: Mapping[str, Any]) -> list[Any]:
        """The enum of ``schema``, looking through ``$ref`` and a nullable ``anyOf``/``oneOf``."""
        schema = self.resolve(schema)
        if "enum" in schema:
            return list(schema["enum"])
        for key in ("anyOf", "oneOf"):
            for branch in schema.get(key, []):
                values = self.enum_values(branch)
                if values:
                    return values
        return []

    def non_null(self, schema: Mapping[str, Any]) -> Mapping[str, Any]:
        """The one non-null branch of a nullable ``anyOf``/``oneOf`` (FastAPI's ``X | None``), else ``schema``."""
        schema = self.resolve(schema)
        for key in ("anyOf", "oneOf"):
            branches = [self.resolve(b) for b in schema.get(key, []) if self.resolve(b).get("type") != "null"]
            if key in schema and len(branches) == 1:
                return {**{k: v for k, v in schema.items() if k != key}, **branches[0]}
        return schema

    def allows_null(self, schema: Mapping[str, Any]) -> bool:
        schema = self.resolve(schema)
        kinds = schema.get("type")
        if kinds == "null" or (isinstance(kinds, list) and "null" in kinds) or None in schema.get("enum", ()):
            return True
        return any(self.allows_null(branch) for key in ("anyOf", "oneOf") for branch in schema.get(key, []))


#: The name the runs listing's operation had first; it is any operation of the document now.
RunsOperation = SpecOperation


def _find_operation(document: Mapping[str, Any], source: str, operation_id: str) -> tuple[str, str, Mapping[str, Any]]:
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            if isinstance(operation, Mapping) and operation.get("operationId") == operation_id:
                return path, method, operation
    raise ValueError(f"{source} declares no operation {operation_id!r}: not a Notte spec the server can follow")


@functools.cache
def _load_path(path: Path) -> SpecOperation:
    if not path.is_file():
        raise FileNotFoundError(f"no OpenAPI document at {path}: pass spec= (a path or the parsed document)")
    return SpecOperation(json.loads(path.read_text(encoding="utf-8")), str(path))
