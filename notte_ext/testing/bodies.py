"""Request headers and bodies read the way the API (FastAPI + pydantic) reads them, from the
operation's declarations: a missing required header, a body that is not JSON, a JSON body that
breaks its schema, a form without its file — each is reported in FastAPI's 422 shape
(``{"type", "loc": ["body", ...], "msg", "input"}``), every error at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from notte_ext.testing.exchange import IncomingRequest
from notte_ext.testing.forms import FormError, parse_form
from notte_ext.testing.operation import QueryParameter, SpecOperation
from notte_ext.testing.query import read_values
from notte_ext.testing.validation import schema_validator

__all__ = ["FileField", "read_body", "read_headers"]

Errors = list[dict[str, Any]]

# pydantic's wording for a value of the wrong JSON type.
_TYPE_ERRORS = {
    "string": ("string_type", "Input should be a valid string"),
    "integer": ("int_type", "Input should be a valid integer"),
    "number": ("float_type", "Input should be a valid number"),
    "boolean": ("bool_type", "Input should be a valid boolean"),
    "object": ("dict_type", "Input should be a valid dictionary"),
    "array": ("list_type", "Input should be a valid list"),
}


def read_headers(request: IncomingRequest, operation: SpecOperation) -> dict[str, Any] | Errors:
    """The declared headers' values (names in lower case), or every error (a required one missing)."""
    declared = [
        QueryParameter(parameter.name.lower(), parameter.schema, parameter.required)
        for parameter in operation.parameters_in("header")
    ]
    return read_values(request.headers, declared, "header", operation)


class FileField(bytes):
    """An uploaded file's content, with its name."""

    filename: str

    def __new__(cls, content: bytes, filename: str) -> FileField:
        field = super().__new__(cls, content)
        field.filename = filename
        return field


def read_body(request: IncomingRequest, operation: SpecOperation) -> dict[str, Any] | Errors:
    """The request body as its schema reads it (a JSON object, or a form with ``FileField``s), or every error.

    An operation without a request body reads as ``{}``."""
    declared = operation.request_body()
    if declared is None:
        return {}
    media, schema = declared
    if media == "multipart/form-data":
        return _read_form(request, operation, schema)
    if not request.body:
        return [{"type": "missing", "loc": ["body"], "msg": "Field required", "input": None}]
    try:
        value = request.json()
        _check_depth(value)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError; RecursionError: too deep
        return [
            {
                "type": "json_invalid",
                "loc": ["body", 0],
                "msg": "JSON decode error",
                "input": {},
                "ctx": {"error": str(exc)},
            }
        ]
    errors = _schema_errors(value, operation, media)
    if errors:
        return errors
    return value if isinstance(value, dict) else {"value": value}


# pydantic's JSON parser (jiter, which FastAPI's validation rests on) stops at this depth; past it, the
# server's own copies of a run (copy.deepcopy, the schema check) would exhaust Python's recursion.
MAX_BODY_DEPTH = 200


def _check_depth(value: Any) -> None:
    """ValueError when `value` nests containers deeper than MAX_BODY_DEPTH (walked without recursion)."""
    level = [value]
    for _ in range(MAX_BODY_DEPTH + 1):
        level = [
            child
            for item in level
            if isinstance(item, dict | list)
            for child in (item.values() if isinstance(item, dict) else item)
        ]
        if not level:
            return
    raise ValueError(f"recursion limit exceeded: nested deeper than {MAX_BODY_DEPTH}")


def _schema_errors(value: Any, operation: SpecOperation, media: str) -> Errors:
    validator = schema_validator(operation, operation.request_body_pointer(media))
    errors: Errors = []
    for error in sorted(validator.iter_errors(value), key=lambda error: list(error.absolute_path)):
        where = ["body", *error.absolute_path]
        if error.validator == "required":
            name = str(error.message).split("'")[1]
            errors.append({"type": "missing", "loc": [*where, name], "msg": "Field required", "input": error.instance})
        elif error.validator == "additionalProperties":
            given = error.instance if isinstance(error.instance, Mapping) else {}
            allowed = set(error.schema.get("properties", {}) if isinstance(error.schema, Mapping) else {})
            errors += [
                {
                    "type": "extra_forbidden",
                    "loc": [*where, name],
                    "msg": "Extra inputs are not permitted",
                    "input": given[name],
                }
                for name in given
                if name not in allowed
            ]
        elif error.validator == "type" and str(error.validator_value) in _TYPE_ERRORS:
            kind, message = _TYPE_ERRORS[str(error.validator_value)]
            errors.append({"type": kind, "loc": where, "msg": message, "input": error.instance})
        else:  # anyOf, enum, bounds...: pydantic's wording varies; the schema's own message says it
            errors.append({"type": "value_error", "loc": where, "msg": error.message, "input": error.instance})
    return errors


def _is_file(schema: Mapping[str, Any]) -> bool:
    return schema.get("format") == "binary" or "contentMediaType" in schema


def _read_form(
    request: IncomingRequest, operation: SpecOperation, schema: Mapping[str, Any]
) -> dict[str, Any] | Errors:
    try:
        form = parse_form(request.headers.get("content-type", ""), request.body)
    except FormError as exc:
        return [{"type": "value_error", "loc": ["body"], "msg": f"Value error, {exc}", "input": None}]
    required = set(schema.get("required", []))
    fields = operation.fields_of(schema)
    values: dict[str, Any] = {}
    errors: Errors = []
    for name, field_schema in fields.items():
        if _is_file(field_schema):
            part = form.get(name)
            if part is None:
                if name in required:
                    errors.append({"type": "missing", "loc": ["body", name], "msg": "Field required", "input": None})
            elif part.filename is None:  # a text part where FastAPI wants an UploadFile
                message = "Value error, Expected UploadFile, received: <class 'str'>"
                errors.append({"type": "value_error", "loc": ["body", name], "msg": message, "input": part.text})
            else:
                values[name] = FileField(part.content, part.filename)
    texts = {name: part.text for name, part in form.items() if name in fields and not _is_file(fields[name])}
    declared = [QueryParameter(name, s, name in required) for name, s in fields.items() if not _is_file(s)]
    read = read_values(texts, declared, "body", operation)
    if isinstance(read, list):
        return errors + read
    return errors or {**read, **values}
