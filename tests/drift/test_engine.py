"""Loading, slicing, drift and reporting: the pieces around the rule engine."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from notte_ext.drift import (
    RULES,
    SpecError,
    diff_documents,
    drift,
    load_document,
    read_document,
    slice_document,
    vendored_keys,
)
from notte_ext.drift.locations import readable
from notte_ext.drift.profiles import OASDIFF, apply_profile
from notte_ext.drift.report import fails, render_json, render_markdown, render_text, rules_markdown
from scripts.vendor_spec import dump_document
from scripts.vendor_spec import main as vendor_main
from tests.drift.builders import OURS, ROOT, RUNS_LABEL, ours, param, pets, run_props, runs, schema
from tests.revision import UPSTREAM_COPY, only_on

SEED = ROOT / "codegen/upstream/list-function-runs-by-function-id.md"


def superset_upstream() -> dict[str, Any]:
    """Upstream as it might publish tomorrow: one more operation and its own component."""
    upstream = ours()
    upstream["paths"]["/functions"] = {
        "get": {
            "operationId": "list_functions",
            "responses": {
                "200": {
                    "description": "ok",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Fn"}}},
                }
            },
        }
    }
    upstream["components"]["schemas"]["Fn"] = {"type": "object", "properties": {"id": {"type": "string"}}}
    return upstream


def test_load_document_accepts_json_yaml_and_docs_pages() -> None:
    as_yaml = "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n"
    assert load_document(json.dumps(OURS)) == OURS
    assert load_document(as_yaml)["openapi"] == "3.0.0"
    assert load_document(SEED.read_text(encoding="utf-8")) == OURS


def test_yaml_scalars_read_as_the_json_of_the_same_document() -> None:
    """YAML 1.2's core schema, as OpenAPI 3.1 says, not PyYAML's YAML 1.1: an unquoted date example
    failed the whole diff (a date is no JSON value), yes/no/on/off turned into booleans, 017 into 15."""
    as_json = {
        "openapi": "3.1.0",
        "paths": {},
        "x-values": {
            "example": "2024-01-01",
            "stamp": "2024-01-01T10:00:00Z",
            "enum": ["yes", "no", "on", "off", "y", "n"],
            "strings": ["017", "1_000", "190:20:30", "0b11", "="],
            "numbers": [17, 15, 31, 10000000000.0, 0.5, -3],
            "others": [True, False, None, None],
        },
    }
    as_yaml = (
        "openapi: 3.1.0\npaths: {}\nx-values:\n  example: 2024-01-01\n  stamp: 2024-01-01T10:00:00Z\n"
        "  enum: [yes, no, on, off, y, n]\n  strings: ['017', 1_000, 190:20:30, 0b11, =]\n"
        "  numbers: [017, 0o17, 0x1F, 1e10, .5, -3]\n  others: [true, FALSE, ~, null]\n"
    )
    assert load_document(as_yaml) == as_json


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", r"not valid JSON: Expecting property name enclosed in double quotes at line 1 column 2"),
        ('{"openapi": "3.1.0" "paths": {}}', "not valid JSON: Expecting ',' delimiter at line 1 column 21"),
        ("[1, 2]", r"not an OpenAPI document \(JSON or YAML\)"),
        ("Just some notes.\nNothing to see.\n", r"not an OpenAPI document \(JSON or YAML\)"),
        ("a: [1\nb: 2", "not JSON or YAML: while parsing"),
        ('{"info": {}}', "no top-level 'openapi' key"),
        ('{"swagger": "2.0", "openapi": "2.0"}', "unsupported OpenAPI version"),
        ('{"openapi": "3.1.0", "paths": []}', "'paths' must be a mapping"),
    ],
)
def test_bad_documents_raise_one_line_spec_errors(text: str, message: str) -> None:
    with pytest.raises(SpecError, match=message) as caught:
        load_document(text)
    assert "\n" not in str(caught.value)


def test_read_document_names_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match=r"cannot read .*missing.json: No such file"):
        read_document(str(tmp_path / "missing.json"))


def test_unresolvable_and_circular_refs_are_spec_errors() -> None:
    broken = ours()
    runs(broken)["responses"]["200"]["content"]["application/json"]["schema"]["$ref"] = "#/components/schemas/Nope"
    with pytest.raises(SpecError, match="cannot resolve"):
        diff_documents(ours(), broken)
    looping = pets()
    looping["components"]["schemas"]["Pet"] = {"$ref": "#/components/schemas/Pet"}
    with pytest.raises(SpecError, match="cycle"):
        diff_documents(pets(), looping)


def _returning(ref: Any, schemas: dict[str, Any] | None = None) -> dict[str, Any]:
    """GET /a answering ``{"$ref": ref}``; components A (an object with a string ``p``), ``c%d`` and ``a/b``."""
    response = {"description": "ok", "content": {"application/json": {"schema": {"$ref": ref}}}}
    a = {"type": "object", "properties": {"p": {"type": "string"}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"get": {"responses": {"200": response}}}},
        "components": {"schemas": schemas or {"A": a, "c%d": copy.deepcopy(a), "a/b": copy.deepcopy(a)}},
    }


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        # Each was read as a schema with no keywords: "type changed from object to any", breaking.
        (5, r"^GET /a: \$ref must be a string, got int 5$"),
        (None, r"\$ref must be a string, got NoneType None"),
        ({"$ref": "#/components/schemas/A"}, r"\$ref must be a string, got dict"),
        ("#", r"^GET /a: \$ref '#' points to the whole OpenAPI document, not to a schema or component$"),
        ("#/components/schemas/%FF", r"cannot resolve \$ref .*: its %-escapes are not UTF-8"),
    ],
)
def test_a_ref_that_names_no_schema_is_a_spec_error_not_an_empty_schema(ref: Any, message: str) -> None:
    base = _returning("#/components/schemas/A")
    with pytest.raises(SpecError, match=message) as caught:
        diff_documents(base, _returning(ref))
    assert "\n" not in str(caught.value)
    with pytest.raises(SpecError, match=message):  # the base side too
        diff_documents(_returning(ref), base)


@pytest.mark.parametrize(
    "ref",
    [
        "#/components/schemas/%41",  # RFC 6901 section 6: a URI fragment is percent-decoded first
        "#/components/%73chemas/A",
        "#/components/schemas/c%25d",  # "c%d"
        "#/components/schemas/a~1b",  # "a/b"
        "#/components/schemas/a%7E1b",  # percent-decoded to "a~1b", then unescaped to "a/b"
    ],
)
def test_a_ref_is_read_as_a_uri_fragment(ref: str) -> None:
    assert diff_documents(_returning("#/components/schemas/A"), _returning(ref)) == []
    assert diff_documents(_returning(ref), _returning("#/components/schemas/A")) == []


def test_a_change_behind_a_percent_encoded_ref_names_the_component() -> None:
    base = _returning("#/components/schemas/%41")
    revision = copy.deepcopy(base)
    revision["components"]["schemas"]["A"]["properties"]["p"]["type"] = "integer"
    (change,) = diff_documents(base, revision)
    assert (change.id, change.where) == ("response-property-type-changed", "A.p")  # not "%41.p"


def test_slicing_keeps_the_component_a_percent_encoded_ref_reaches() -> None:
    document = _returning("#/components/schemas/%41")
    document["security"] = [{"key%1": []}]
    document["components"]["securitySchemes"] = {"key%1": {"type": "apiKey", "in": "header", "name": "X-Key"}}
    sliced = slice_document(document, vendored_keys(document))
    assert list(sliced["components"]["schemas"]) == ["A"]  # was the missing "%41", and A dropped
    assert list(sliced["components"]["securitySchemes"]) == ["key%1"]


def test_recursive_schemas_terminate_and_memoize() -> None:
    base = pets()
    schema(base, "Pet")["properties"]["parent"] = {"$ref": "#/components/schemas/Pet"}
    revision = copy.deepcopy(base)
    schema(revision, "Pet")["properties"]["name"]["maxLength"] = 3  # response: tightening is harmless
    ids = [c.id for c in diff_documents(base, revision)]
    # once per operation that returns Pet (GET and POST), not once per path into the cycle
    assert ids == ["response-property-max-length-set", "response-property-max-length-set"]


def test_docs_changes_are_reported_only_when_asked() -> None:
    base, revision = ours(), ours()
    runs(revision)["summary"] = "List runs"
    param(revision, "page")["description"] = "Which page"
    run_props(revision)["status"]["description"] = "Run status"
    run_props(revision)["session_id"]["description"] = "The session, if any"  # on an anyOf-with-null wrapper
    assert diff_documents(base, revision) == []
    found = [(c.id, str(c.severity), c.location) for c in diff_documents(base, revision, include_docs=True)]
    run = "/responses/200/content/application~1json/schema/properties/items/items/properties"
    assert found == [
        ("request-parameter-description-changed", "info", "/parameters/query/page"),
        ("response-property-description-changed", "info", f"{run}/session_id/description"),
        ("response-property-description-changed", "info", f"{run}/status/description"),
        ("api-summary-changed", "info", "/summary"),
    ]


def test_change_locations_point_into_the_operation() -> None:
    revision = ours()
    run_props(revision)["status"]["enum"].append("queued")
    (change,) = diff_documents(ours(), revision)
    assert change.operation == RUNS_LABEL
    assert (
        change.location
        == "/responses/200/content/application~1json/schema/properties/items/items/properties/status/enum"
    )
    assert change.message == 'enum value "queued" added'


@only_on("1.4.40")  # openapi.json is the upstream copy's slice only while 1.4.40 is vendored
def test_slicing_the_upstream_copy_by_the_selection_reproduces_openapi_json_byte_for_byte(tmp_path: Path) -> None:
    out = tmp_path / "openapi.json"
    selection = ["--selection", str(ROOT / "codegen/bindings.yaml")]
    assert vendor_main([str(UPSTREAM_COPY), "--out", str(out), *selection]) == 0
    assert out.read_text(encoding="utf-8") == (ROOT / "openapi.json").read_text(encoding="utf-8")
    upstream = load_document(UPSTREAM_COPY.read_text(encoding="utf-8"))
    vendored = load_document(out.read_text(encoding="utf-8"))
    assert dump_document(slice_document(upstream, vendored_keys(vendored))) == out.read_text(encoding="utf-8")
    # The seed's one operation is among them, unchanged in meaning: drift reports only what the seed lacks.
    seed = load_document(SEED.read_text(encoding="utf-8"))
    assert {change.id for change in drift(seed, vendored)} == {"upstream-operation-not-vendored"}


def test_the_vendor_selection_takes_every_operation_of_its_tags_and_drops_code_samples(tmp_path: Path) -> None:
    upstream = superset_upstream()
    runs(upstream)["x-codeSamples"] = [{"lang": "python", "source": "print('upstream code')"}]
    upstream["paths"]["/functions"]["get"]["tags"] = ["functions"]
    runs(upstream)["tags"] = ["functions"]
    (tmp_path / "upstream.json").write_text(json.dumps(upstream), encoding="utf-8")
    (tmp_path / "selection.yaml").write_text("vendor:\n  tags: [functions]\n", encoding="utf-8")
    out = tmp_path / "openapi.json"
    assert (
        vendor_main(
            [str(tmp_path / "upstream.json"), "--out", str(out), "--selection", str(tmp_path / "selection.yaml")]
        )
        == 0
    )
    written = json.loads(out.read_text(encoding="utf-8"))
    assert sorted(written["paths"]) == ["/functions", "/functions/{function_id}/runs"]
    assert "x-codeSamples" not in out.read_text(encoding="utf-8")
    (tmp_path / "selection.yaml").write_text("vendor:\n  tags: [function]\n", encoding="utf-8")
    assert (
        vendor_main(
            [str(tmp_path / "upstream.json"), "--out", str(out), "--selection", str(tmp_path / "selection.yaml")]
        )
        == 2
    )


def test_vendoring_the_same_document_again_keeps_its_meta(tmp_path: Path) -> None:
    (tmp_path / "upstream.json").write_text(json.dumps(OURS), encoding="utf-8")
    out, meta = tmp_path / "openapi.json", tmp_path / "openapi.meta.json"
    assert vendor_main([str(tmp_path / "upstream.json"), "--out", str(out), "--date", "2026-01-01"]) == 0
    first = meta.read_text(encoding="utf-8")
    again = [str(tmp_path / "upstream.json"), "--out", str(out), "--date", "2026-02-02", "--previous", str(meta)]
    assert vendor_main(again) == 0
    assert meta.read_text(encoding="utf-8") == first  # same text from the same place: not even the date moves
    changed = ours()
    param(changed, "page_size")["schema"]["maximum"] = 50
    (tmp_path / "upstream.json").write_text(json.dumps(changed), encoding="utf-8")
    assert vendor_main(again) == 0
    assert json.loads(meta.read_text(encoding="utf-8"))["retrieved"] == "2026-02-02"


def test_slicing_a_superset_keeps_only_what_our_operations_reach() -> None:
    upstream = superset_upstream()
    upstream["components"]["schemas"] = dict(reversed(upstream["components"]["schemas"].items()))
    sliced = slice_document(upstream, vendored_keys(OURS))
    assert list(sliced["paths"]) == list(OURS["paths"])
    assert "Fn" not in sliced["components"]["schemas"]
    # upstream order is kept, not ours: slicing is a function of upstream alone
    assert list(sliced["components"]["schemas"]) == [n for n in upstream["components"]["schemas"] if n != "Fn"]
    assert list(sliced["components"]["securitySchemes"]) == ["OAuth2PasswordBearer"]


def test_slicing_fails_loudly_when_upstream_dropped_an_operation() -> None:
    with pytest.raises(SpecError, match=r"upstream has no operation GET /functions/\{\}/runs"):
        slice_document(pets(), vendored_keys(OURS))


def test_drift_reports_changes_and_operations_we_do_not_vendor() -> None:
    upstream = superset_upstream()
    param(upstream, "only_active")["schema"]["default"] = False
    found = [(c.id, c.operation) for c in drift(OURS, upstream)]
    assert found == [
        ("upstream-operation-not-vendored", "GET /functions"),
        ("request-parameter-default-value-changed", RUNS_LABEL),
    ]


def test_drift_reports_an_operation_upstream_removed_as_breaking() -> None:
    assert next(c.id for c in drift(OURS, pets())) == "api-removed-without-deprecation"


def test_reports_are_deterministic_and_complete() -> None:
    revision = superset_upstream()
    param(revision, "page_size")["schema"]["maximum"] = 50
    changes = diff_documents(OURS, revision)
    assert render_json(changes) == render_json(diff_documents(OURS, copy.deepcopy(revision)))
    document = json.loads(render_json(changes))
    assert document["summary"] == {"breaking": 1, "warning": 0, "info": 1, "total": 2}
    assert set(document["changes"][0]) == {"id", "severity", "operation", "where", "location", "message", "hint"}
    assert document["changes"][0]["where"] == "query parameter page_size"
    assert document["changes"][0]["location"] == "/parameters/query/page_size/schema/maximum"  # the JSON pointer
    assert [c["severity"] for c in document["changes"]] == ["breaking", "info"]  # most severe first
    assert "request-parameter-max-decreased" in render_text(changes)
    assert "| **breaking** | `request-parameter-max-decreased` |" in render_markdown(changes)
    assert render_text([]) == "No changes.\n"


@pytest.mark.parametrize(
    ("severities", "fail_on", "expected"),
    [
        ([], "any", False),
        (["info"], "breaking", False),
        (["info"], "warning", False),
        (["info"], "any", True),
        (["warning"], "breaking", False),
        (["warning"], "warning", True),
        (["breaking"], "breaking", True),
    ],
)
def test_fail_on_levels(severities: list[str], fail_on: str, expected: bool) -> None:
    by_severity = {
        "breaking": "api-removed-without-deprecation",
        "warning": "request-parameter-removed",
        "info": "endpoint-added",
    }
    from notte_ext.drift import Change

    changes = [Change.of(by_severity[s], "GET /x", "", "m") for s in severities]
    assert fails(changes, fail_on) is expected


def test_docs_rule_table_lists_every_rule() -> None:
    docs = (ROOT / "docs/spec-drift.md").read_text(encoding="utf-8")
    assert rules_markdown() in docs
    assert all(rule.severity in ("breaking", "warning", "info") for rule in RULES.values())


@only_on("1.4.40")  # it expects the 1.4.40 slice
def test_vendor_script_slices_upstream_to_our_operations(tmp_path: Path) -> None:
    upstream = tmp_path / "upstream.json"
    upstream.write_text(json.dumps(superset_upstream()), encoding="utf-8")
    out, vendored = tmp_path / "openapi.json", tmp_path / "ours.json"
    vendored.write_text(dump_document(OURS), encoding="utf-8")
    args = [str(upstream), "--out", str(out), "--operations-from", str(vendored), "--date", "2026-01-01"]
    assert vendor_main(args) == 0
    assert out.read_text(encoding="utf-8") == dump_document(OURS)
    meta = json.loads((tmp_path / "openapi.meta.json").read_text(encoding="utf-8"))
    assert meta["operations"] == [RUNS_LABEL]
    assert meta["source_file"] == "upstream.json"
    assert vendor_main([str(upstream), "--out", str(out), "--operation", "GET /functions"]) == 0
    assert list(json.loads(out.read_text(encoding="utf-8"))["paths"]) == ["/functions"]
    assert vendor_main([str(tmp_path / "missing.json"), "--out", str(out)]) == 2


def test_docs_explain_every_rule_oasdiff_rates_differently() -> None:
    docs = (ROOT / "docs/spec-drift.md").read_text(encoding="utf-8")
    differences = docs[docs.index("### `--profile oasdiff`") : docs.index("## What counts as the same")]
    assert [rule for rule in OASDIFF if f"`{rule}`" not in differences] == []


def test_a_default_notte_ext_never_relies_on_is_info_with_a_hint_and_breaking_in_oasdiffs_profile() -> None:
    revision = ours()
    param(revision, "only_active")["schema"]["default"] = False
    (change,) = diff_documents(OURS, revision)
    assert (change.id, change.severity, change.where) == (
        "request-parameter-default-value-changed",
        "info",
        "query parameter only_active",
    )
    assert (
        change.hint == "notte_ext always sends only_active (default false): a server-side default never applies to it"
    )
    (as_oasdiff,) = apply_profile([change], "oasdiff")
    assert as_oasdiff.severity == "breaking"


@pytest.mark.parametrize(("maximum", "hinted"), [(50, True), (99, True), (100, False), (500, False)])
def test_page_size_bound_hint_only_when_notte_ext_default_is_refused(maximum: int, hinted: bool) -> None:
    revision = ours()
    param(revision, "page_size")["schema"]["maximum"] = maximum
    hints = [c.hint for c in diff_documents(OURS, revision) if c.hint]
    expected = ["notte_ext sends page_size=100 by default: the revision refuses it, so every listing fails"]
    assert hints == (expected if hinted else [])


@pytest.mark.parametrize(
    ("pointer", "origin", "expected"),
    [
        ("/parameters/query/page_size/schema/maximum", "", "query parameter page_size"),
        (
            "/responses/200/content/application~1json/schema/properties/items/items/properties/status/enum",
            "",
            "response 200 items[].status",
        ),
        ("/x", "#/components/schemas/GetFunctionRunResponse/properties/status/enum", "GetFunctionRunResponse.status"),
        ("/x", "#/components/schemas/Pet/properties/tags/items/enum", "Pet.tags[]"),
        ("/x", "#/components/schemas/Pet/oneOf/1/properties/a", "Pet.oneOf[1].a"),
        ("/requestBody/content/application~1json", "", "request body application/json"),
        ("/responses/200/headers/X-Rate", "", "response 200 header X-Rate"),
        ("/components/securitySchemes/Bearer", "", "security scheme Bearer"),
        ("", "", ""),
    ],
)
def test_locations_read_as_component_and_field(pointer: str, origin: str, expected: str) -> None:
    assert readable(pointer, origin) == expected
