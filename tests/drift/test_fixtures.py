"""Spec pairs, one concept each, with the exact rule ids and severities they must report.

Each builder returns (base, revision): what a client was generated from, and what the
API now publishes.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from notte_ext.drift import diff_documents
from tests.drift.builders import ours, param, pets, rename_refs, reverse_keys, run_props, runs, schema

Doc = dict[str, Any]
Pair = tuple[Doc, Doc]


@dataclass(frozen=True)
class Case:
    build: Callable[[], Pair]
    expected: tuple[tuple[str, str], ...]


CASES: dict[str, Case] = {}


def case(*expected: tuple[str, str]) -> Callable[[Callable[[], Pair]], Callable[[], Pair]]:
    def register(build: Callable[[], Pair]) -> Callable[[], Pair]:
        CASES[build.__name__] = Case(build, expected)
        return build

    return register


def edited(edit: Callable[[Doc], None], base: Doc | None = None) -> Pair:
    """(base, base with one edit); base defaults to our vendored spec."""
    base = ours() if base is None else base
    revision = copy.deepcopy(base)
    edit(revision)
    return base, revision


B, W, I = "breaking", "warning", "info"  # noqa: E741 - short on purpose, read like a legend


# --- equivalent documents: nothing breaking (most report nothing at all) -------------------


@case()
def identical() -> Pair:
    return ours(), ours()


@case()
def cosmetics_only() -> Pair:
    def edit(doc: Doc) -> None:
        runs(doc)["summary"] = "List runs"
        param(doc, "page")["description"] = "Which page"
        run_props(doc)["status"]["title"] = "Run status"
        run_props(doc)["logs"]["example"] = ["started"]
        doc["info"]["description"] = "New words"

    return edited(edit)


@case()
def key_order_reversed() -> Pair:
    return ours(), reverse_keys(ours())


@case()
def ref_inlined() -> Pair:
    def edit(doc: Doc) -> None:
        items = schema(doc, "PaginatedResponse_GetFunctionRunResponse_")["properties"]["items"]
        items["items"] = copy.deepcopy(schema(doc, "GetFunctionRunResponse"))

    return edited(edit)


@case()
def component_renamed() -> Pair:
    revision = rename_refs(ours(), "#/components/schemas/GetFunctionRunResponse", "#/components/schemas/FunctionRun")
    schemas = revision["components"]["schemas"]
    schemas["FunctionRun"] = schemas.pop("GetFunctionRunResponse")
    return ours(), revision


@case()
def path_parameter_renamed() -> Pair:
    revision = ours()
    item = revision["paths"].pop("/functions/{function_id}/runs")
    param({"paths": {"/functions/{function_id}/runs": item}}, "function_id")["name"] = "id"
    revision["paths"]["/functions/{id}/runs"] = item
    return ours(), revision


@case()
def nullable_as_type_list() -> Pair:
    def edit(doc: Doc) -> None:
        run_props(doc)["session_id"] = {"type": ["string", "null"], "title": "Session Id"}

    return edited(edit)


@case()
def openapi_30_forms_vs_31_forms() -> Pair:
    return pets("3.0.3"), pets("3.1.0")


@case()
def all_of_wrapper_vs_ref() -> Pair:
    def edit(doc: Doc) -> None:
        items = schema(doc, "PaginatedResponse_GetFunctionRunResponse_")["properties"]["items"]["items"]
        items["allOf"] = [{"$ref": items.pop("$ref")}]
        items["description"] = "A run"

    return edited(edit)


@case(("response-property-any-of-removed", I))
def response_union_narrowed() -> Pair:
    return edited(lambda doc: schema(doc, "ValidationError")["properties"]["loc"]["items"]["anyOf"].pop())


@case()
def read_only_property_added_to_request() -> Pair:
    def edit(doc: Doc) -> None:
        new_pet = schema(doc, "NewPet")
        new_pet["properties"]["id"] = {"type": "integer", "readOnly": True}
        new_pet["required"].append("id")

    return edited(edit, pets())


@case()
def implied_object_type_made_explicit() -> Pair:
    base = pets()
    del schema(base, "NewPet")["type"]
    return base, pets()


@case(("endpoint-added", I))
def operation_added() -> Pair:
    def edit(doc: Doc) -> None:
        doc["paths"]["/functions"] = {
            "get": {"operationId": "list_functions", "responses": {"200": {"description": "ok"}}}
        }

    return edited(edit)


@case(("response-optional-property-added", I))
def response_property_added() -> Pair:
    def edit(doc: Doc) -> None:
        run_props(doc)["duration_ms"] = {"type": "integer"}

    return edited(edit)


@case(("new-optional-request-parameter", I))
def optional_parameter_added() -> Pair:
    def edit(doc: Doc) -> None:
        runs(doc)["parameters"].append({"name": "order", "in": "query", "schema": {"type": "string"}})

    return edited(edit)


@case(("request-parameter-max-increased", I))
def request_bound_loosened() -> Pair:
    def edit(doc: Doc) -> None:
        param(doc, "page_size")["schema"]["maximum"] = 200

    return edited(edit)


@case(("request-parameter-type-generalized", I))
def request_integer_to_number() -> Pair:
    def edit(doc: Doc) -> None:
        param(doc, "page")["schema"]["type"] = "number"

    return edited(edit)


# --- operations and parameters ------------------------------------------------------------


@case(("api-removed-without-deprecation", B))
def operation_removed() -> Pair:
    return edited(lambda doc: doc["paths"].clear())


@case(("request-parameter-removed", W))
def parameter_removed() -> Pair:
    def edit(doc: Doc) -> None:
        runs(doc)["parameters"].remove(param(doc, "only_current_token"))

    return edited(edit)


@case(("new-required-request-parameter", B))
def required_parameter_added() -> Pair:
    def edit(doc: Doc) -> None:
        runs(doc)["parameters"].append({"name": "team", "in": "query", "required": True, "schema": {"type": "string"}})

    return edited(edit)


@case(("request-parameter-became-required", B))
def parameter_made_required() -> Pair:
    return edited(lambda doc: param(doc, "page").update(required=True))


@case(("request-parameter-type-changed", B))
def parameter_type_changed() -> Pair:
    return edited(lambda doc: param(doc, "only_active")["schema"].update(type="integer"))  # "true" is no integer


@case(("request-parameter-type-generalized", I))
def query_number_became_string() -> Pair:
    """A query value is text on the wire: page_size=100 is the same request whatever its declared type."""
    return edited(lambda doc: param(doc, "page_size")["schema"].update(type="string"))


@case(("request-parameter-max-decreased", B))
def request_bound_tightened() -> Pair:
    return edited(lambda doc: param(doc, "page_size")["schema"].update(maximum=50))


@case(("request-parameter-default-value-changed", I))
def parameter_default_flipped() -> Pair:
    """Breaking for clients that leave only_active out; notte_ext always sends it (see the hint test)."""
    return edited(lambda doc: param(doc, "only_active")["schema"].update(default=False))


@case(("request-parameter-enum-value-removed", B))
def request_enum_value_removed() -> Pair:
    def edit(doc: Doc) -> None:
        doc["paths"]["/pets"]["get"]["parameters"][0]["schema"]["enum"].remove("bird")

    return edited(edit, pets())


@case(("request-parameter-enum-value-added", I))
def request_enum_value_added() -> Pair:
    def edit(doc: Doc) -> None:
        doc["paths"]["/pets"]["get"]["parameters"][0]["schema"]["enum"].append("fish")

    return edited(edit, pets())


# --- responses ----------------------------------------------------------------------------


@case(("response-property-enum-value-added", B))
def response_enum_value_added() -> Pair:
    return edited(lambda doc: run_props(doc)["status"]["enum"].append("queued"))


@case(("response-property-enum-value-removed", I))
def response_enum_value_removed() -> Pair:
    return edited(lambda doc: run_props(doc)["status"]["enum"].remove("failed"))


@case(("response-success-status-removed", B), ("response-success-status-added", W))
def success_status_changed() -> Pair:
    def edit(doc: Doc) -> None:
        responses = runs(doc)["responses"]
        responses["201"] = responses.pop("200")

    return edited(edit)


@case(("response-media-type-removed", B), ("response-media-type-added", I))
def response_media_type_changed() -> Pair:
    def edit(doc: Doc) -> None:
        content = runs(doc)["responses"]["422"]["content"]
        content["application/problem+json"] = content.pop("application/json")

    return edited(edit)


@case(("response-required-property-removed", B))
def response_required_property_removed() -> Pair:
    def edit(doc: Doc) -> None:
        del run_props(doc)["function_run_id"]
        schema(doc, "GetFunctionRunResponse")["required"].remove("function_run_id")

    return edited(edit)


@case(("response-optional-property-removed", W))
def response_optional_property_removed() -> Pair:
    return edited(lambda doc: run_props(doc).pop("logs"))


@case(("response-property-became-optional", B))
def response_property_made_optional() -> Pair:
    return edited(lambda doc: schema(doc, "GetFunctionRunResponse")["required"].remove("status"))


@case(("response-property-type-changed", B))
def response_property_type_changed() -> Pair:
    return edited(
        lambda doc: schema(doc, "PaginatedResponse_GetFunctionRunResponse_")["properties"]["page"].update(type="string")
    )


@case(("response-property-became-nullable", B))
def response_property_became_nullable() -> Pair:
    def edit(doc: Doc) -> None:
        run_props(doc)["function_id"] = {"anyOf": [{"type": "string"}, {"type": "null"}]}

    return edited(edit)


@case(("response-property-format-changed", B))
def response_format_changed() -> Pair:
    return edited(lambda doc: run_props(doc)["created_at"].update(format="date"))


@case(("response-property-any-of-added", B))
def response_union_widened() -> Pair:
    def edit(doc: Doc) -> None:
        run_props(doc)["result"]["anyOf"].insert(1, {"type": "object"})

    return edited(edit)


@case(("response-property-enum-value-added", B))
def change_inside_recursive_schema_found_once() -> Pair:
    """GET /pets returns Pet -> Owner -> [Pet] -> ...: the Owner change is reported once."""
    base = pets()
    del base["paths"]["/pets"]["post"]
    schema(base, "Owner")["properties"]["kind"] = {"type": "string", "enum": ["person", "shelter"]}
    revision = copy.deepcopy(base)
    schema(revision, "Owner")["properties"]["kind"]["enum"].append("breeder")
    return base, revision


# --- request bodies and security ---------------------------------------------------------


@case(("new-required-request-property", B))
def request_property_required_added_charset_ignored() -> Pair:
    def edit(doc: Doc) -> None:
        new_pet = schema(doc, "NewPet")
        new_pet["properties"]["kind"] = {"type": "string"}
        new_pet["required"].append("kind")
        content = doc["paths"]["/pets"]["post"]["requestBody"]["content"]
        content["application/json; charset=utf-8"] = content.pop("application/json")

    return edited(edit, pets())


@case(("request-body-media-type-removed", B), ("request-body-media-type-added", I))
def request_media_type_replaced() -> Pair:
    def edit(doc: Doc) -> None:
        content = doc["paths"]["/pets"]["post"]["requestBody"]["content"]
        content["application/x-www-form-urlencoded"] = content.pop("application/json")

    return edited(edit, pets())


@case(("request-property-max-length-decreased", B), ("request-body-became-optional", I))
def request_body_bound_and_optional() -> Pair:
    def edit(doc: Doc) -> None:
        schema(doc, "NewPet")["properties"]["name"]["maxLength"] = 20
        doc["paths"]["/pets"]["post"]["requestBody"]["required"] = False

    return edited(edit, pets())


@case(("request-body-additional-properties-became-closed", W))
def request_object_closed() -> Pair:
    return edited(lambda doc: schema(doc, "NewPet").update(additionalProperties=False), pets())


@case(("api-security-removed", I))
def security_dropped() -> Pair:
    return edited(lambda doc: runs(doc).update(security=[]))


@case(("api-security-scope-added", B), ("api-security-added", B))
def security_tightened() -> Pair:
    base = pets()
    base["paths"]["/pets"]["post"]["security"] = []  # anonymous before
    revision = copy.deepcopy(base)
    revision["paths"]["/pets"]["get"]["security"] = [{"apiKey": ["pets:read"]}]  # GET: a scope more
    revision["paths"]["/pets"]["post"]["security"] = [{"apiKey": []}]  # POST: now authenticated
    return base, revision


@pytest.mark.parametrize("name", list(CASES))
def test_fixture_pair_reports_exactly_the_expected_rules(name: str) -> None:
    case_ = CASES[name]
    base, revision = case_.build()
    found = sorted((c.id, str(c.severity)) for c in diff_documents(base, revision))
    assert found == sorted(case_.expected), [c.as_dict() for c in diff_documents(base, revision)]


def test_fixture_suite_is_large_and_covers_equivalences() -> None:
    assert len(CASES) >= 25
    assert sum(not any(severity == B for _, severity in c.expected) for c in CASES.values()) >= 5


def test_diff_is_symmetric_in_severity_for_enum_values() -> None:
    """The same edit read in both directions: adding a response value breaks, removing it does not."""
    base, revision = CASES["response_enum_value_added"].build()
    assert [c.id for c in diff_documents(revision, base)] == ["response-property-enum-value-removed"]


@pytest.mark.parametrize("name", list(CASES))
def test_invariants_hold_on_every_fixture(name: str) -> None:
    """A document never differs from itself; key order never matters; the diff is deterministic."""
    base, revision = CASES[name].build()
    assert diff_documents(base, base) == []
    assert diff_documents(revision, reverse_keys(revision)) == []
    assert diff_documents(reverse_keys(base), reverse_keys(revision)) == diff_documents(base, revision)
