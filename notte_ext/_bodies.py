"""Request bodies built from plain values and checked against the vendored spec before any request. No I/O
except reading a workflow file the caller names.

The body model comes from the operation's bindings (`<Operation>Body`), the rules (required fields,
types, enums, no unknown field where the schema forbids them) from its request body schema in
openapi.json, so a bump that adds a body field needs no edit here. A multipart upload's file is
read whole, up to `MAX_UPLOAD_BYTES`.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator, Mapping
from functools import cache
from os import PathLike, fspath
from pathlib import Path
from typing import IO, Any

import jsonschema_rs
from notte_api_client.types import File

from notte_ext import _bindings
from notte_ext._openapi import document, operation
from notte_ext._parameters import resolve_schema
from notte_ext.errors import InvalidArgumentError

# A workflow file is Python source; a few MiB is already very large for one.
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
#: What `create`/`update` accept as the workflow: a path, the file's bytes, or an open binary file.
Workflow = str | PathLike[str] | bytes | bytearray | memoryview | IO[bytes]


def _schema(operation_id: str) -> dict[str, Any]:
    """The request body's schema (its first media type: each operation declares one), $ref followed."""
    content: dict[str, Any] = operation(operation_id).request_body["content"]
    schema: dict[str, Any] = next(iter(content.values()))["schema"]
    ref = schema.get("$ref", "")
    return dict(document()["components"]["schemas"][ref.rsplit("/", 1)[-1]]) if ref else schema


@cache
def _validator(operation_id: str) -> jsonschema_rs.Validator:
    return jsonschema_rs.validator_for(
        {**_schema(operation_id), "components": document().get("components", {})}, offline=True
    )


def _where(path: list[str | int]) -> str:
    return ".".join(str(part) for part in path) or "the body"


def check_body(operation_id: str, values: Mapping[str, Any]) -> None:
    """InvalidArgumentError naming the first field of `values` the spec's request body schema refuses."""
    _check_json(operation_id, values)
    try:
        _validator(operation_id).validate(dict(values))
    except jsonschema_rs.ValidationError as exc:
        kind = exc.kind
        if isinstance(kind, jsonschema_rs.ValidationErrorKind.Required):
            raise InvalidArgumentError(f"{operation(operation_id).label}: {kind.property} is required") from None
        if isinstance(kind, jsonschema_rs.ValidationErrorKind.AdditionalProperties):
            unknown = ", ".join(map(str, kind.unexpected))  # the names the schema does not declare
            raise InvalidArgumentError(f"{operation(operation_id).label}: unknown field {unknown}") from None
        value = exc.instance
        raise InvalidArgumentError(
            f"{operation(operation_id).label}: {_where(list(exc.instance_path))} {exc.message} (got {value!r:.80})"
        ) from None


def _check_json(operation_id: str, values: Mapping[str, Any]) -> None:
    """Values that can travel as JSON text: no object JSON lacks, no nan or inf (Python writes `NaN`, which
    is not JSON), no string holding lone surrogates (bytes that were not UTF-8: no UTF-8 encodes them),
    no mapping key that is not a string (json writes 1 and True as "1" and "true": beside those strings
    they make an object with a key twice, of which the API keeps one)."""
    try:
        json.dumps(dict(values), ensure_ascii=False, allow_nan=False).encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidArgumentError(f"{operation(operation_id).label}: a value holds text that is not UTF-8") from None
    except (TypeError, ValueError, RecursionError) as exc:
        raise InvalidArgumentError(f"{operation(operation_id).label}: the body can't be JSON: {exc}") from None
    keys = _keys_not_text(values)  # after dumps: it refused cycles, so this walk ends
    if keys:
        raise InvalidArgumentError(
            f"{operation(operation_id).label}: the key {keys[0]!r:.40} ({type(keys[0]).__name__}) is not a "
            "string: JSON object keys are text"
        )


def _keys_not_text(value: Any) -> list[object]:
    """The first mapping key in `value` that is not a str, as a list of it ([None] for a None key), else []."""
    for node in json_nodes(value):
        if isinstance(node, Mapping):
            keys = [key for key in node if not isinstance(key, str)]
            if keys:
                return keys[:1]
    return []


def json_nodes(value: Any) -> Iterator[Any]:
    """`value` and every value within it (each mapping's values, each list's or tuple's items), walked
    without recursion: a nesting deeper than Python's stack is walked too."""
    pending = [value]
    while pending:
        node = pending.pop()
        yield node
        if isinstance(node, Mapping):
            pending.extend(node.values())
        elif isinstance(node, list | tuple):
            pending.extend(node)


def json_body(operation_id: str, values: Mapping[str, Any]) -> Any:
    """The operation's generated body model for `values`, checked against the spec. Every value given is
    sent, None as JSON null: callers pass only what was set, and `update_run(..., result=None)` asks to
    clear the result (the spec's update body declares it nullable), which dropping None silently ignored."""
    check_body(operation_id, values)
    return _body_model(operation_id).from_dict(dict(values))


def _body_model(operation_id: str) -> Any:
    return getattr(_bindings, "".join(word.capitalize() for word in operation_id.split("_")) + "Body")


def _is_file(schema: Mapping[str, Any]) -> bool:
    return "contentMediaType" in schema or schema.get("format") == "binary"


def body_fields(operation_id: str) -> dict[str, dict[str, Any]]:
    """The fields of the operation's request body (a multipart body's but its file), by name, with their schema
    (`$ref`/nullable `anyOf` resolved): what `create` and `update_run` and the CLI's options set, whatever a
    bump adds."""
    properties: dict[str, dict[str, Any]] = _schema(operation_id).get("properties", {})
    return {key: resolve_schema(sub) for key, sub in properties.items() if not _is_file(sub)}


def required_fields(operation_id: str) -> frozenset[str]:
    """The fields the operation's request body schema requires."""
    return frozenset(_schema(operation_id).get("required", []))


def split_form(operation_id: str, options: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """`options` as (form fields of the operation's multipart body, the rest: its query parameters)."""
    form = body_fields(operation_id)
    return {k: v for k, v in options.items() if k in form}, {k: v for k, v in options.items() if k not in form}


def upload_body(operation_id: str, workflow: Workflow, fields: Mapping[str, Any]) -> Any:
    """The operation's multipart body: the workflow file (read now, bounded) and the other form `fields`."""
    content, name = read_workflow(workflow)
    given = {key: value for key, value in fields.items() if value is not None}
    properties = _schema(operation_id).get("properties", {})
    files = [key for key, sub in properties.items() if _is_file(sub)]
    check_body(operation_id, {**given, **dict.fromkeys(files, "")})  # the file checked as the string it travels as
    body = _body_model(operation_id).from_dict({**given, **dict.fromkeys(files, b"")})
    for key in files:
        setattr(body, key, File(payload=io.BytesIO(content), file_name=name, mime_type="text/x-python"))
    return body


def _file_name(name: str) -> str:
    """The upload's file name as UTF-8 text: a name holding bytes that were not UTF-8 (Python reads them as
    lone surrogates, which httpx can't encode into the multipart header) shows U+FFFD in their place."""
    return os.fsencode(name).decode("utf-8", "replace")


def read_workflow(workflow: Workflow) -> tuple[bytes, str]:
    """The workflow's bytes and file name; InvalidArgumentError for a missing, unreadable or too large file."""
    if isinstance(workflow, bytes | bytearray | memoryview):  # copied no further than the bound
        content, name = bytes(memoryview(workflow)[: MAX_UPLOAD_BYTES + 1]), "workflow.py"
    elif isinstance(workflow, str | PathLike):
        path = Path(fspath(workflow))
        try:
            with path.open("rb") as file:
                content = file.read(MAX_UPLOAD_BYTES + 1)
        except OSError as exc:
            raise InvalidArgumentError(f"cannot read the workflow file {str(path)!r}: {exc.strerror or exc}") from None
        name = _file_name(path.name)
    elif callable(getattr(workflow, "read", None)):
        name = _file_name(Path(str(getattr(workflow, "name", "workflow.py"))).name)
        try:
            content = workflow.read(MAX_UPLOAD_BYTES + 1)
        except UnicodeDecodeError:  # a text-mode file: said below
            content = None
        except (OSError, ValueError) as exc:  # ValueError: a file already closed
            raise InvalidArgumentError(f"cannot read the workflow file {name!r}: {exc}") from None
    else:
        content = None
    if not isinstance(content, bytes):
        raise InvalidArgumentError("the workflow must be a path, bytes or a file opened in binary mode")
    if len(content) > MAX_UPLOAD_BYTES:
        raise InvalidArgumentError(f"the workflow file is larger than {MAX_UPLOAD_BYTES:,} bytes")
    if not content:
        raise InvalidArgumentError("the workflow file is empty")
    return content, name
