"""Spec pairs for the cases oasdiff's checker tests cover (``checker/*_test.go``, ``data/checker/``).

The documents are written here, small and one concept each; what is carried over from
oasdiff is the case and its rule id. Every pair states the exact rule ids with their
severity *for notte_ext users* and the exit code of ``notte-ext spec diff`` with the
default ``--fail-on breaking``, checked through the real command. ``oasdiff`` names the
oasdiff test a case follows; where our severity differs from oasdiff's level, ``why`` says
so (DESIGN fact 13: notte_ext validates every response against the vendored schema).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from notte_ext.cli import main
from notte_ext.drift import diff_documents

Doc = dict[str, Any]
B, W, I = "breaking", "warning", "info"  # noqa: E741 - short on purpose, read like a legend
FAR_FUTURE, LONG_AGO = "2999-01-01", "2000-01-01"


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(required: tuple[str, ...] = (), **properties: Any) -> Doc:
    schema: Doc = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    return schema


def api(
    *,
    request: Any = None,
    response: Any = None,
    params: tuple[Doc, ...] = (),
    headers: Doc | None = None,
    schemas: Doc | None = None,
    security_schemes: Doc | None = None,
    operation: Doc | None = None,
) -> Doc:
    """One operation, POST /pets, with what a case needs: a request body, a 200 body, parameters..."""
    ok: Doc = {"description": "ok"}
    if response is not None:
        ok["content"] = {"application/json": {"schema": response}}
    if headers is not None:
        ok["headers"] = headers
    post: Doc = {"operationId": "updatePets", "responses": {"200": ok}, **(operation or {})}
    if params:
        post["parameters"] = list(params)
    if request is not None:
        post["requestBody"] = {"required": True, "content": {"application/json": {"schema": request}}}
    document: Doc = {
        "openapi": "3.1.0",
        "info": {"title": "Pets", "version": "1"},
        "paths": {"/pets": {"post": post}},
        "components": {"schemas": schemas or {}},
    }
    if security_schemes is not None:
        document["components"]["securitySchemes"] = security_schemes
        post["security"] = [{name: []} for name in security_schemes][:1]
    return document


def query(name: str, **schema: Any) -> Doc:
    return {"name": name, "in": "query", "schema": schema}


@dataclass(frozen=True)
class Pair:
    base: Doc
    revision: Doc
    expected: tuple[tuple[str, str], ...]
    exit_code: int
    oasdiff: str = ""  # the oasdiff checker test this case follows
    why: str = ""  # why our severity differs from oasdiff's level, if it does


PAIRS: dict[str, Pair] = {}


def pair(
    name: str,
    base: Doc,
    edit: Callable[[Doc], object],
    *expected: tuple[str, str],
    exit_code: int,
    oasdiff: str = "",
    why: str = "",
) -> None:
    revision = copy.deepcopy(base)
    edit(revision)
    PAIRS[name] = Pair(base, revision, expected, exit_code, oasdiff, why)


def schema_of(document: Doc, name: str) -> Doc:
    found: Doc = document["components"]["schemas"][name]
    return found


def post(document: Doc) -> Doc:
    found: Doc = document["paths"]["/pets"]["post"]
    return found


def props(document: Doc, name: str) -> Doc:
    found: Doc = schema_of(document, name)["properties"]
    return found


# --- readOnly / writeOnly: no false alarms, and flips ---------------------------------------
# Pet is both the request body and the 200 body; NewPet only the request; PetView only the response.
SHARED = api(
    request=ref("Pet"),
    response=ref("Pet"),
    schemas={
        "Pet": obj(
            ("name",),
            id={"type": "string", "readOnly": True},
            name={"type": "string"},
            password={"type": "string", "writeOnly": True},
        )
    },
)
REQUEST_ONLY = api(
    request=ref("NewPet"),
    schemas={
        "NewPet": obj(("name",), id={"type": "string", "readOnly": True, "maxLength": 10}, name={"type": "string"})
    },
)
RESPONSE_ONLY = api(
    response=ref("PetView"),
    schemas={
        "PetView": obj(
            ("id", "name"),
            id={"type": "string"},
            name={"type": "string"},
            tag={"type": "string"},
            secret={"type": "string", "writeOnly": True, "enum": ["a", "b"]},
        )
    },
)

SHARED_PASSWORD_REQUIRED = copy.deepcopy(SHARED)
schema_of(SHARED_PASSWORD_REQUIRED, "Pet")["required"].append("password")

pair(
    "read_only_property_became_required",
    SHARED,
    lambda d: schema_of(d, "Pet")["required"].append("id"),
    ("response-property-became-required", I),
    exit_code=0,
    oasdiff="check_request_property_required_updated_test (readOnly is skipped in requests)",
)
pair(
    "write_only_property_became_required",
    SHARED,
    lambda d: schema_of(d, "Pet")["required"].append("password"),
    ("request-property-became-required", B),
    exit_code=1,
    oasdiff="check_response_property_became_required_test (writeOnly is skipped in responses)",
)
pair(
    "write_only_property_became_optional",
    SHARED_PASSWORD_REQUIRED,
    lambda d: schema_of(d, "Pet")["required"].remove("password"),
    ("request-property-became-optional", I),
    exit_code=0,
    oasdiff="check_response_property_became_optional_test (writeOnly is skipped in responses)",
)
pair(
    "read_only_required_property_added",
    SHARED,
    lambda d: (
        props(d, "Pet").update(created={"type": "string", "readOnly": True}),
        schema_of(d, "Pet")["required"].append("created"),
    ),
    ("response-required-property-added", I),
    exit_code=0,
    oasdiff="check_new_required_request_property_test (readOnly)",
)
pair(
    "write_only_property_removed",
    SHARED,
    lambda d: props(d, "Pet").pop("password"),
    ("request-property-removed", W),
    exit_code=0,
    oasdiff="check_response_optional_property_write_only_read_only_test (write-only removed: info)",
)
pair(
    "read_only_property_tightened_in_request",
    REQUEST_ONLY,
    lambda d: props(d, "NewPet")["id"].update(maxLength=5),
    exit_code=0,
    oasdiff="check_request_property_max_length_updated_test (request-read-only-property-max-length-decreased: info)",
)
pair(
    "write_only_property_enum_value_added_in_response",
    RESPONSE_ONLY,
    lambda d: props(d, "PetView")["secret"]["enum"].append("c"),
    exit_code=0,
    oasdiff="check_response_property_enum_value_added_test (response-write-only-property-enum-value-added: info)",
)
# readOnly/writeOnly flips of an existing property: (schema, property, flag, set it?) -> rule, severity.
_W_INFO = "oasdiff: info; "
FLIPS: list[tuple[Doc, str, str, str, bool, str, str, str]] = [
    (
        REQUEST_ONLY,
        "NewPet",
        "name",
        "readOnly",
        True,
        "request-required-property-became-read-only",
        W,
        _W_INFO + "the server now ignores a value the client sends, like a removed property (warning)",
    ),
    (REQUEST_ONLY, "NewPet", "id", "readOnly", False, "request-optional-property-became-not-read-only", I, ""),
    (REQUEST_ONLY, "NewPet", "id", "writeOnly", True, "request-optional-property-became-write-only", I, ""),
    (
        RESPONSE_ONLY,
        "PetView",
        "name",
        "writeOnly",
        True,
        "response-required-property-became-write-only",
        B,
        _W_INFO + "the validated response may now lack a property the vendored schema requires",
    ),
    (
        RESPONSE_ONLY,
        "PetView",
        "tag",
        "writeOnly",
        True,
        "response-optional-property-became-write-only",
        W,
        _W_INFO + "the property stops arriving, like an optional property removed (warning)",
    ),
    (RESPONSE_ONLY, "PetView", "secret", "writeOnly", False, "response-optional-property-became-not-write-only", I, ""),
    (RESPONSE_ONLY, "PetView", "id", "readOnly", True, "response-required-property-became-read-only", I, ""),
]


def _flip(component: str, name: str, flag: str, value: bool) -> Callable[[Doc], object]:
    def edit(d: Doc) -> object:
        return props(d, component)[name].update({flag: True}) if value else props(d, component)[name].pop(flag)

    return edit


for document, component, name, flag, value, rule, severity, why in FLIPS:
    source = (
        "check_request_property_write_only_read_only_test"
        if rule.startswith("request")
        else (
            "check_response_required_property_write_only_read_only_test"
            if "required" in rule
            else "check_response_optional_property_write_only_read_only_test"
        )
    )
    pair(
        rule.replace("-", "_"),
        document,
        _flip(component, name, flag, value),
        (rule, severity),
        exit_code=1 if severity == B else 0,
        oasdiff=source,
        why=why,
    )

# --- a media type gains or loses its schema ---------------------------------------------------
NO_SCHEMAS = api(request={"type": "object"}, response={"type": "object"})
for side, key in (("request", "requestBody"), ("response", "responses")):
    del (post(NO_SCHEMAS)[key] if side == "request" else post(NO_SCHEMAS)[key]["200"])["content"]["application/json"][
        "schema"
    ]
WITH_SCHEMAS = api(request=obj(name={"type": "string"}), response=obj(name={"type": "string"}))


def _drop_schema(side: str) -> Callable[[Doc], object]:
    def edit(d: Doc) -> object:
        holder = post(d)["requestBody"] if side == "request" else post(d)["responses"]["200"]
        return holder["content"]["application/json"].pop("schema")

    return edit


def _add_schema(side: str) -> Callable[[Doc], object]:
    def edit(d: Doc) -> object:
        holder = post(d)["requestBody"] if side == "request" else post(d)["responses"]["200"]
        return holder["content"]["application/json"].update(schema=obj(name={"type": "string"}))

    return edit


pair(
    "request_media_type_schema_added",
    NO_SCHEMAS,
    _add_schema("request"),
    ("request-body-media-type-schema-added", B),
    exit_code=1,
    oasdiff="TestMediaTypeSchemaExistence",
)
pair(
    "request_media_type_schema_removed",
    WITH_SCHEMAS,
    _drop_schema("request"),
    ("request-body-media-type-schema-removed", I),
    exit_code=0,
    oasdiff="TestMediaTypeSchemaExistence",
)
pair(
    "response_media_type_schema_added",
    NO_SCHEMAS,
    _add_schema("response"),
    ("response-body-media-type-schema-added", I),
    exit_code=0,
    oasdiff="TestMediaTypeSchemaExistence",
)
pair(
    "response_media_type_schema_removed",
    WITH_SCHEMAS,
    _drop_schema("response"),
    ("response-body-media-type-schema-removed", B),
    exit_code=1,
    oasdiff="TestMediaTypeSchemaExistence",
    why="oasdiff: warning; the validated response is no longer described, so anything may arrive",
)

# --- discriminator ----------------------------------------------------------------------------
ANIMALS = {
    "Cat": obj(("kind",), kind={"type": "string"}, lives={"type": "integer"}),
    "Dog": obj(("kind",), kind={"type": "string"}, breed={"type": "string", "maxLength": 30}),
}


def pets_union(keyword: str = "oneOf", discriminator: Doc | None = None, **extra: Doc) -> Doc:
    union: Doc = {keyword: [ref("Cat"), ref("Dog")]}
    if discriminator is not None:
        union["discriminator"] = discriminator
    return api(request=union, response=copy.deepcopy(union), schemas={**copy.deepcopy(ANIMALS), **extra})


KIND = {"propertyName": "kind", "mapping": {"cat": "#/components/schemas/Cat", "dog": "#/components/schemas/Dog"}}


def _discriminator(side: str) -> Callable[[Doc], Doc]:
    def get(d: Doc) -> Doc:
        holder = post(d)["requestBody"] if side == "request" else post(d)["responses"]["200"]
        found: Doc = holder["content"]["application/json"]["schema"]
        return found

    return get


request_union, response_union = _discriminator("request"), _discriminator("response")
pair(
    "request_discriminator_added",
    pets_union(),
    lambda d: request_union(d).update(discriminator={"propertyName": "kind"}),
    ("request-body-discriminator-added", I),
    exit_code=0,
    oasdiff="TestRequestDiscriminatorUpdatedCheckAdded",
)
pair(
    "response_discriminator_removed",
    pets_union(discriminator=KIND),
    lambda d: response_union(d).pop("discriminator"),
    ("response-body-discriminator-removed", I),
    exit_code=0,
    oasdiff="TestResponseDiscriminatorUpdatedCheckRemoved",
)
pair(
    "response_discriminator_property_name_changed",
    pets_union(discriminator=KIND),
    lambda d: response_union(d)["discriminator"].update(propertyName="type"),
    ("response-body-discriminator-property-name-changed", W),
    exit_code=0,
    oasdiff="TestResponseDiscriminatorUpdatedCheckPropertyNameChanging",
    why="oasdiff: info; generated clients pick the alternative by this field",
)
pair(
    "request_discriminator_mapping_added_and_deleted",
    pets_union(discriminator=KIND),
    lambda d: request_union(d)["discriminator"].update(
        mapping={"cat": "#/components/schemas/Cat", "kitten": "#/components/schemas/Cat"}
    ),
    ("request-body-discriminator-mapping-added", I),
    ("request-body-discriminator-mapping-deleted", W),
    exit_code=0,
    oasdiff="TestRequestDiscriminatorUpdatedCheckMappingAdding / MappingDeleting",
)
pair(
    "response_discriminator_mapping_changed",
    pets_union(discriminator=KIND),
    lambda d: response_union(d)["discriminator"]["mapping"].update(dog="#/components/schemas/Cat"),
    ("response-body-discriminator-mapping-changed", W),
    exit_code=0,
    oasdiff="TestResponseDiscriminatorUpdatedCheckMappingChanging",
)
pair(
    "property_discriminator_added",
    api(
        request=obj(pet={"oneOf": [ref("Cat"), ref("Dog")]}),
        schemas=copy.deepcopy(ANIMALS),
    ),
    lambda d: request_union(d)["properties"]["pet"].update(discriminator={"propertyName": "kind"}),
    ("request-property-discriminator-added", I),
    exit_code=0,
    oasdiff="TestRequestDiscriminatorUpdatedCheckAdded (property)",
)

# --- oneOf / anyOf alternatives: by $ref name, then by structure -----------------------------
pair(
    "response_one_of_added_while_another_is_modified",
    pets_union(Bird=obj(wings={"type": "integer"})),
    lambda d: (
        response_union(d)["oneOf"].append(ref("Bird")),
        props(d, "Dog")["breed"].update(enum=["lab", "pug"]),
        request_union(d)["oneOf"].append(ref("Bird")),
    ),
    ("response-body-one-of-added", B),
    ("request-body-one-of-added", I),
    ("request-property-became-enum", B),
    ("response-property-became-enum", I),
    exit_code=1,
    oasdiff="TestResponsePropertyOneOfAdded",
)
pair(
    "request_any_of_removed_while_another_is_modified",
    pets_union("anyOf"),
    lambda d: (
        request_union(d)["anyOf"].pop(0),
        response_union(d)["anyOf"].pop(0),
        props(d, "Dog")["breed"].update(maxLength=10),
    ),
    ("request-body-any-of-removed", B),
    ("response-body-any-of-removed", I),
    ("request-property-max-length-decreased", B),
    ("response-property-max-length-decreased", I),
    exit_code=1,
    oasdiff="TestRequestPropertyAnyOfRemoved",
)
pair(
    "one_of_reordered",
    pets_union(),
    lambda d: (request_union(d)["oneOf"].reverse(), response_union(d)["oneOf"].reverse()),
    exit_code=0,
    oasdiff="check_not_breaking_test (order of alternatives)",
)
pair(
    "one_of_alternative_component_renamed",
    pets_union(),
    lambda d: (
        schema_of(d, "Cat") and d["components"]["schemas"].update(Feline=d["components"]["schemas"].pop("Cat")),
        request_union(d).update(oneOf=[ref("Feline"), ref("Dog")]),
        response_union(d).update(oneOf=[ref("Feline"), ref("Dog")]),
    ),
    exit_code=0,
    oasdiff="check_not_breaking_test (renamed component, same structure)",
)
INLINE_UNION = api(
    response={
        "oneOf": [
            {"title": "Card", **obj(("number",), number={"type": "string"})},
            {"title": "Bank", **obj(("iban",), iban={"type": "string"})},
            {"title": "Cash", **obj(currency={"type": "string"})},
        ]
    }
)
pair(
    "inline_one_of_removed_while_another_gains_a_property",
    INLINE_UNION,
    lambda d: (
        response_union(d)["oneOf"].pop(2),
        response_union(d)["oneOf"][0]["properties"].update(expiry={"type": "string"}),
    ),
    ("response-body-one-of-removed", I),
    ("response-optional-property-added", I),
    exit_code=0,
    oasdiff="TestResponsePropertyOneOfRemoved (subschema matched by title)",
)

# --- severities that follow what breaks a notte_ext user ------------------------------------
PARAMS = api(
    params=(
        query("limit", type="integer", minimum=1, maximum=100),
        query("name", type="string"),
        query("sort", type="string", default="asc", pattern="^(asc|desc)$"),
    ),
    request=obj(code={"type": "string"}),
    response=obj(
        ("count",),
        count={"type": "integer", "minimum": 0, "maximum": 1000},
        code={"type": "string", "maxLength": 8, "pattern": "^[A-Z]+$"},
        tags={"type": "array", "items": {"type": "string", "enum": ["a", "b"]}, "maxItems": 5},
    ),
)


def param_schema(d: Doc, name: str) -> Doc:
    found: Doc = next(p for p in post(d)["parameters"] if p["name"] == name)["schema"]
    return found


def response_props(d: Doc) -> Doc:
    found: Doc = post(d)["responses"]["200"]["content"]["application/json"]["schema"]["properties"]
    return found


def request_props(d: Doc) -> Doc:
    found: Doc = post(d)["requestBody"]["content"]["application/json"]["schema"]["properties"]
    return found


pair(
    "request_body_removed",
    PARAMS,
    lambda d: post(d).pop("requestBody"),
    ("request-body-removed", B),
    exit_code=1,
    oasdiff="check_request_body_removed_test",
)
pair(
    "response_minimum_decreased",
    PARAMS,
    lambda d: response_props(d)["count"].update(minimum=-1),
    ("response-property-min-decreased", B),
    exit_code=1,
    oasdiff="check_breaking_min_max_test (response-property-min-decreased: error)",
)
pair(
    "request_parameter_default_added",
    PARAMS,
    lambda d: param_schema(d, "name").update(default="rex"),
    ("request-parameter-default-value-added", B),
    exit_code=1,
    oasdiff="check_request_parameters_default_value_changed_test",
)
pair(
    "request_parameter_default_removed",
    PARAMS,
    lambda d: param_schema(d, "sort").pop("default"),
    ("request-parameter-default-value-removed", B),
    exit_code=1,
    oasdiff="check_request_parameters_default_value_changed_test",
)
pair(
    "request_parameter_pattern_added",
    PARAMS,
    lambda d: param_schema(d, "name").update(pattern="^[a-z]+$"),
    ("request-parameter-pattern-added", B),
    exit_code=1,
    oasdiff="check_request_parameter_pattern_added_or_changed_test",
)
# A pattern added where there was none, or only '' (which matches anything, so a real pattern is a
# new restriction: oasdiff's data/checker/request_property_pattern_added_or_changed_*.yaml, '' -> '^\w+$').
for name, base, oasdiff_test in (
    ("request_property_pattern_added", PARAMS, "check_request_property_pattern_added_or_changed_test"),
    (
        "request_property_pattern_added_to_empty",
        api(request=obj(code={"type": "string", "pattern": ""})),
        "TestRequestPropertyPatternAdded ('' matches anything: a real pattern is a new restriction)",
    ),
):
    pair(
        name,
        base,
        lambda d: request_props(d)["code"].update(pattern="^\\w+$"),
        ("request-property-pattern-added", B),
        exit_code=1,
        oasdiff=oasdiff_test,
    )
pair(
    "request_parameter_pattern_changed",
    PARAMS,
    lambda d: param_schema(d, "sort").update(pattern="^(asc|desc|none)$"),
    ("request-parameter-pattern-changed", W),
    exit_code=0,
    oasdiff="check_request_parameter_pattern_added_or_changed_test",
)
pair(
    "request_parameter_pattern_generalized",
    PARAMS,
    lambda d: param_schema(d, "sort").update(pattern=".*"),
    ("request-parameter-pattern-generalized", I),
    exit_code=0,
    oasdiff="check_request_parameter_pattern_added_or_changed_test (to .*)",
)
# oasdiff's data/checker/request_parameter_property_type_changed_*.yaml: a query object's property.
FILTERS = api(params=(query("filters", type="object", properties={"groupId": {"type": "number"}}),))
pair(
    "request_parameter_property_number_to_string",
    FILTERS,
    lambda d: param_schema(d, "filters")["properties"]["groupId"].update(type="string"),
    ("request-property-type-generalized", I),
    exit_code=0,
    oasdiff="TestBreaking_ReqQueryParamTypeNumberToString (request-parameter-property-type-changed: warning)",
    why="a query value is text: filters[groupId]=5 is the same request whether 5 is a number or a string",
)
for name, edit, rule in [
    (
        "response_maximum_raised",
        lambda d: response_props(d)["count"].update(maximum=5000),
        "response-property-max-increased",
    ),
    (
        "response_max_length_raised",
        lambda d: response_props(d)["code"].update(maxLength=80),
        "response-property-max-length-increased",
    ),
    (
        "response_max_items_raised",
        lambda d: response_props(d)["tags"].update(maxItems=50),
        "response-property-max-items-increased",
    ),
    (
        "response_pattern_removed",
        lambda d: response_props(d)["code"].pop("pattern"),
        "response-property-pattern-removed",
    ),
    (
        "response_pattern_loosened",
        lambda d: response_props(d)["code"].update(pattern=".*"),
        "response-property-pattern-generalized",
    ),
    (
        "response_enum_value_added",
        lambda d: response_props(d)["tags"]["items"]["enum"].append("c"),
        "response-property-enum-value-added",
    ),
    (
        "response_type_widened",
        lambda d: response_props(d)["count"].update(type="number"),
        "response-property-type-generalized",
    ),
]:
    pair(
        name,
        PARAMS,
        edit,
        (rule, B),
        exit_code=1,
        oasdiff="check_breaking_min_max_test / check_response_pattern_added_or_changed_test",
        why="oasdiff rates some of these below error; notte_ext's response validation refuses what the base schema forbade",
    )

# --- harmless for a client: loosened request constraints, additions (exit 0) ------------------
for name, edit, rule in [
    (
        "request_maximum_raised",
        lambda d: param_schema(d, "limit").update(maximum=500),
        "request-parameter-max-increased",
    ),
    (
        "request_minimum_lowered",
        lambda d: param_schema(d, "limit").update(minimum=0),
        "request-parameter-min-decreased",
    ),
    ("request_pattern_removed", lambda d: param_schema(d, "sort").pop("pattern"), "request-parameter-pattern-removed"),
    (
        "response_maximum_lowered",
        lambda d: response_props(d)["count"].update(maximum=10),
        "response-property-max-decreased",
    ),
    (
        "response_pattern_added",
        lambda d: response_props(d)["tags"]["items"].update(pattern="^[ab]$"),
        "response-property-pattern-added",
    ),
]:
    pair(name, PARAMS, edit, (rule, I), exit_code=0, oasdiff="check_not_breaking_test")

# --- response headers -------------------------------------------------------------------------
HEADERS = api(
    response=obj(),
    headers={
        "X-Rate-Limit": {"required": True, "schema": {"type": "integer"}},
        "X-Request-Id": {"schema": {"type": "string"}},
    },
)
response_headers: Callable[[Doc], Doc] = lambda d: post(d)["responses"]["200"]["headers"]  # noqa: E731
pair(
    "required_response_header_removed",
    HEADERS,
    lambda d: response_headers(d).pop("X-Rate-Limit"),
    ("required-response-header-removed", W),
    exit_code=0,
    oasdiff="check_response_header_removed (required: error)",
    why="oasdiff: error; neither notte_ext nor the generated client reads response headers",
)
pair(
    "optional_response_header_removed_and_one_added",
    HEADERS,
    lambda d: (
        response_headers(d).pop("X-Request-Id"),
        response_headers(d).update({"X-Trace": {"schema": {"type": "string"}}}),
    ),
    ("optional-response-header-removed", W),
    ("response-header-added", I),
    exit_code=0,
    oasdiff="check_response_header_removed / TestResponseHeaderAdded",
)
pair(
    "response_header_became_optional_and_type_changed",
    HEADERS,
    lambda d: response_headers(d)["X-Rate-Limit"].update(required=False, schema={"type": "string"}),
    ("response-header-became-optional", W),
    ("response-header-type-changed", W),
    exit_code=0,
    oasdiff="check_response_header_became_optional / TestResponseHeaderTypeChanged",
    why="oasdiff: error; notte_ext reads no response header",
)
pair(
    "response_header_name_case_only",
    HEADERS,
    lambda d: response_headers(d).update({"x-rate-limit": response_headers(d).pop("X-Rate-Limit")}),
    exit_code=0,
    oasdiff="HTTP header names ignore case",
)

# --- components.securitySchemes -------------------------------------------------------------
BEARER = {"Bearer": {"type": "http", "scheme": "bearer"}}
OAUTH = {
    "OAuth": {
        "type": "oauth2",
        "flows": {"clientCredentials": {"tokenUrl": "https://a.example/token", "scopes": {"read": "read"}}},
    }
}
pair(
    "security_scheme_type_changed",
    api(response=obj(), security_schemes=copy.deepcopy(BEARER)),
    lambda d: d["components"]["securitySchemes"].update(Bearer={"type": "apiKey", "in": "header", "name": "X-Key"}),
    ("api-security-component-type-changed", B),
    exit_code=1,
    oasdiff="check_components_security_updated_test",
    why="oasdiff: info; the client keeps sending a bearer token, which the API no longer takes",
)
pair(
    "security_scheme_scope_and_url_changed",
    api(response=obj(), security_schemes=copy.deepcopy(OAUTH)),
    lambda d: d["components"]["securitySchemes"]["OAuth"]["flows"]["clientCredentials"].update(
        tokenUrl="https://b.example/token", scopes={"read": "read", "write": "write"}
    ),
    ("api-security-component-oauth-url-changed", I),
    ("api-security-component-oauth-scope-added", I),
    exit_code=0,
    oasdiff="check_components_security_updated_test",
)
pair(
    "security_scheme_added",
    api(response=obj(), security_schemes=copy.deepcopy(BEARER)),
    lambda d: d["components"]["securitySchemes"].update(copy.deepcopy(OAUTH)),
    ("api-security-component-added", I),
    exit_code=0,
    oasdiff="check_components_security_updated_test",
)
pair(
    "security_scheme_bearer_case_only",
    api(response=obj(), security_schemes=copy.deepcopy(BEARER)),
    lambda d: d["components"]["securitySchemes"]["Bearer"].update(scheme="Bearer"),
    exit_code=0,
    oasdiff="RFC 7235: auth scheme names ignore case",
)


# --- x-sunset-aware removals ------------------------------------------------------------------
def _deprecated_until(date: str) -> Doc:
    document = api(response=obj(), params=(query("legacy", type="string") | {},))
    post(document).update({"deprecated": True, "x-sunset": date})
    post(document)["parameters"][0].update({"deprecated": True, "x-sunset": date})
    document["paths"]["/old"] = {"get": copy.deepcopy(post(document))}
    return document


pair(
    "operation_removed_before_sunset",
    _deprecated_until(FAR_FUTURE),
    lambda d: d["paths"].pop("/old"),
    ("api-removed-before-sunset", B),
    exit_code=1,
    oasdiff="check_api_removed_test (api-removed-before-sunset)",
)
pair(
    "operation_removed_after_sunset",
    _deprecated_until(LONG_AGO),
    lambda d: d["paths"].pop("/old"),
    ("api-removed-with-deprecation", W),
    exit_code=0,
    oasdiff="check_api_removed_test (api-removed-with-deprecation)",
)
pair(
    "parameter_removed_before_sunset",
    _deprecated_until(FAR_FUTURE),
    lambda d: post(d).pop("parameters"),
    ("request-parameter-removed-before-sunset", B),
    exit_code=1,
    oasdiff="check_request_parameter_removed_test (before sunset)",
)
pair(
    "parameter_removed_after_sunset",
    _deprecated_until(LONG_AGO),
    lambda d: post(d).pop("parameters"),
    ("request-parameter-removed-with-deprecation", I),
    exit_code=0,
    oasdiff="check_request_parameter_removed_test (with deprecation)",
)

# --- no change at all: false-positive guards ---------------------------------------------------
for name, document in [
    ("shared_schema", SHARED),
    ("discriminated_union", pets_union(discriminator=KIND)),
    ("headers", HEADERS),
    ("params", PARAMS),
]:
    pair(f"no_change_{name}", document, lambda d: None, exit_code=0, oasdiff="every checker test's base vs itself")


def _write(tmp_path: Path, name: str, document: Doc) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("name", list(PAIRS))
def test_oasdiff_case_reports_exactly_its_rules_and_exit_code(name: str, tmp_path: Path) -> None:
    case = PAIRS[name]
    base, revision = _write(tmp_path, "base.json", case.base), _write(tmp_path, "revision.json", case.revision)
    result = CliRunner().invoke(main, ["spec", "diff", base, revision, "--format", "json"], catch_exceptions=False)
    found = sorted((c["id"], c["severity"]) for c in json.loads(result.stdout)["changes"])
    assert (found, result.exit_code) == (sorted(case.expected), case.exit_code), result.stdout


@pytest.mark.parametrize("name", list(PAIRS))
def test_oasdiff_case_is_deterministic_and_clean_against_itself(name: str) -> None:
    case = PAIRS[name]
    assert diff_documents(case.revision, copy.deepcopy(case.revision)) == []
    assert diff_documents(case.base, case.revision) == diff_documents(copy.deepcopy(case.base), case.revision)


def test_every_case_names_its_oasdiff_source_and_harmless_ones_exit_0() -> None:
    assert all(case.oasdiff for case in PAIRS.values())
    for name, case in PAIRS.items():
        assert case.exit_code == (1 if any(severity == B for _, severity in case.expected) else 0), name


@pytest.mark.parametrize(
    ("name", "expected", "exit_code"),
    [
        # oasdiff only warns on a new response enum value; notte_ext's validation refuses it
        ("response_enum_value_added", [("response-property-enum-value-added", W)], 0),
        # oasdiff fails on a removed required header; notte_ext reads none
        ("required_response_header_removed", [("required-response-header-removed", B)], 1),
        ("request_parameter_default_added", [("request-parameter-default-value-added", B)], 1),
    ],
)
def test_profile_oasdiff_rates_as_oasdiff_does(
    name: str, expected: list[tuple[str, str]], exit_code: int, tmp_path: Path
) -> None:
    case = PAIRS[name]
    base, revision = _write(tmp_path, "base.json", case.base), _write(tmp_path, "revision.json", case.revision)
    args = ["spec", "diff", base, revision, "--format", "json", "--profile", "oasdiff"]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    found = [(c["id"], c["severity"]) for c in json.loads(result.stdout)["changes"]]
    assert (found, result.exit_code) == (expected, exit_code)
