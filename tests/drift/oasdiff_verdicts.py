"""oasdiff's breaking / not-breaking verdict for every spec pair in tests/drift, as test data.

oasdiff can't be built here (its Go is newer than this machine's), so each verdict is read from
oasdiff's source at the commit in oasdiff_levels.json, never guessed:

* ``reports(ids...)``: the rule ids oasdiff reports for the pair. The pairs of test_oasdiff_cases.py
  each follow the oasdiff checker test their ``oasdiff`` field names, and the fixtures make the same
  kinds of change; the ids' levels come from checker/rules.go (oasdiff_levels.json). oasdiff fails
  (breaking) when one of them is ERR.
* ``settled(breaking, where)``: no rule id to name (oasdiff reports nothing, or the verdict follows
  from its diff code); ``where`` cites the file and what it does.

Where oasdiff's diff (not a rule's level) reads the documents otherwise than notte_ext, ``--profile
oasdiff`` reads them as oasdiff does too (notte_ext/drift/reading.py), so every settled verdict
here is one ``--profile oasdiff`` must equal.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

_LEVELS_FILE = json.loads((Path(__file__).parent / "oasdiff_levels.json").read_text(encoding="utf-8"))
OASDIFF_COMMIT: str = _LEVELS_FILE["oasdiff_commit"]
LEVELS: dict[str, str] = _LEVELS_FILE["levels"]  # rule id -> ERR / WARN / INFO


@dataclass(frozen=True)
class Verdict:
    breaking: bool
    source: str


def reports(*rule_ids: str) -> Verdict:
    levels = [LEVELS[rule_id] for rule_id in rule_ids]  # KeyError: not an oasdiff rule id
    cited = ", ".join(f"{rule_id}: {level}" for rule_id, level in zip(rule_ids, levels, strict=True))
    return Verdict("ERR" in levels, f"checker/rules.go: {cited}")


def settled(breaking: bool, where: str) -> Verdict:
    return Verdict(breaking, where)


_SAME = "equal documents: oasdiff's diff is empty"
_READ_ONLY = "request-read-only-property-max-length-decreased: INFO (checker/rules.go)"

VERDICTS: dict[str, Verdict] = {
    "cases/read_only_property_became_required": reports("response-property-became-required"),
    "cases/write_only_property_became_required": reports("request-property-became-required"),
    "cases/write_only_property_became_optional": reports("request-property-became-optional"),
    "cases/read_only_required_property_added": reports("response-required-property-added"),
    "cases/write_only_property_removed": reports("request-property-removed"),
    "cases/request_required_property_became_read_only": reports("request-required-property-became-read-only"),
    "cases/request_optional_property_became_not_read_only": reports("request-optional-property-became-not-read-only"),
    "cases/request_optional_property_became_write_only": reports("request-optional-property-became-write-only"),
    "cases/response_required_property_became_write_only": reports("response-required-property-became-write-only"),
    "cases/response_optional_property_became_write_only": reports("response-optional-property-became-write-only"),
    "cases/response_optional_property_became_not_write_only": reports(
        "response-optional-property-became-not-write-only"
    ),
    "cases/response_required_property_became_read_only": reports("response-required-property-became-read-only"),
    "cases/request_media_type_schema_added": reports("request-body-media-type-schema-added"),
    "cases/request_media_type_schema_removed": reports("request-body-media-type-schema-removed"),
    "cases/response_media_type_schema_added": reports("response-body-media-type-schema-added"),
    "cases/response_media_type_schema_removed": reports("response-body-media-type-schema-removed"),
    "cases/request_discriminator_added": reports("request-body-discriminator-added"),
    "cases/response_discriminator_removed": reports("response-body-discriminator-removed"),
    "cases/response_discriminator_property_name_changed": reports("response-body-discriminator-property-name-changed"),
    "cases/request_discriminator_mapping_added_and_deleted": reports(
        "request-body-discriminator-mapping-added", "request-body-discriminator-mapping-deleted"
    ),
    "cases/response_discriminator_mapping_changed": reports("response-body-discriminator-mapping-changed"),
    "cases/property_discriminator_added": reports("request-property-discriminator-added"),
    "cases/inline_one_of_removed_while_another_gains_a_property": reports(
        "response-body-one-of-removed", "response-optional-property-added"
    ),
    "cases/request_body_removed": reports("request-body-removed"),
    "cases/response_minimum_decreased": reports("response-property-min-decreased"),
    "cases/request_parameter_default_added": reports("request-parameter-default-value-added"),
    "cases/request_parameter_default_removed": reports("request-parameter-default-value-removed"),
    "cases/request_parameter_pattern_added": reports("request-parameter-pattern-added"),
    "cases/request_property_pattern_added": reports("request-property-pattern-added"),
    "cases/request_parameter_pattern_changed": reports("request-parameter-pattern-changed"),
    "cases/request_parameter_pattern_generalized": reports("request-parameter-pattern-generalized"),
    "cases/request_property_pattern_added_to_empty": reports("request-property-pattern-added"),
    "cases/response_maximum_raised": reports("response-property-max-increased"),
    "cases/response_max_length_raised": reports("response-property-max-length-increased"),
    "cases/response_pattern_removed": reports("response-property-pattern-removed"),
    "cases/response_enum_value_added": reports("response-property-enum-value-added"),
    "cases/response_type_widened": reports("response-property-type-generalized"),
    "cases/request_maximum_raised": reports("request-parameter-max-increased"),
    "cases/request_minimum_lowered": reports("request-parameter-min-decreased"),
    "cases/request_pattern_removed": reports("request-parameter-pattern-removed"),
    "cases/response_pattern_added": reports("response-property-pattern-added"),
    "cases/required_response_header_removed": reports("required-response-header-removed"),
    "cases/optional_response_header_removed_and_one_added": reports(
        "optional-response-header-removed", "response-header-added"
    ),
    "cases/response_header_became_optional_and_type_changed": reports(
        "response-header-became-optional", "response-header-type-changed"
    ),
    "cases/security_scheme_type_changed": reports("api-security-component-type-changed"),
    "cases/security_scheme_scope_and_url_changed": reports(
        "api-security-component-oauth-scope-added", "api-security-component-oauth-url-changed"
    ),
    "cases/security_scheme_added": reports("api-security-component-added"),
    "cases/operation_removed_before_sunset": reports("api-removed-before-sunset"),
    "cases/operation_removed_after_sunset": reports("api-removed-with-deprecation"),
    "cases/parameter_removed_before_sunset": reports("request-parameter-removed-before-sunset"),
    "cases/parameter_removed_after_sunset": reports("request-parameter-removed-with-deprecation"),
    "cases/request_parameter_property_number_to_string": reports("request-parameter-property-type-changed"),
    "cases/read_only_property_tightened_in_request": settled(False, _READ_ONLY),
    "cases/write_only_property_enum_value_added_in_response": reports("response-write-only-property-enum-value-added"),
    # One ERR rule is enough; the other ids are notte_ext's names for the same alternatives' changes.
    "cases/response_one_of_added_while_another_is_modified": reports(
        "request-body-one-of-added", "request-property-became-enum", "response-body-one-of-added"
    ),
    "cases/request_any_of_removed_while_another_is_modified": reports(
        "request-body-any-of-removed", "request-property-max-length-decreased", "response-body-any-of-removed"
    ),
    "cases/one_of_reordered": settled(
        False, "diff/subschemas_diff.go pass 1: $ref alternatives match by component name, in any order"
    ),
    # diff/subschemas_diff.go: $ref alternatives pair by name only; pass 3 skips $ref-to-$ref ("a rename like
    # UserRoleV1 -> UserRole is still a change the user wants to see").
    "cases/one_of_alternative_component_renamed": reports(
        "request-body-one-of-added",
        "request-body-one-of-removed",
        "response-body-one-of-added",
        "response-body-one-of-removed",
    ),
    "cases/response_max_items_raised": settled(
        False,
        "no response maxItems check: MaxItemsDiff is read only by the request checks (checker/check_request_*max_items*.go)",
    ),
    "cases/response_pattern_loosened": reports("response-property-pattern-changed"),
    "cases/response_maximum_lowered": settled(
        False, "checker/check_response_property_max_increased.go reports only a raised response maximum"
    ),
    # diff/headers_diff.go looks each base header up in the revision's map by its exact name.
    "cases/response_header_name_case_only": reports("required-response-header-removed", "response-header-added"),
    "cases/security_scheme_bearer_case_only": settled(
        False,
        "checker/check_components_security_updated.go reads no scheme change (only type and OAuth flows), all INFO",
    ),
    "cases/no_change_shared_schema": settled(False, _SAME),
    "cases/no_change_discriminated_union": settled(False, _SAME),
    "cases/no_change_headers": settled(False, _SAME),
    "cases/no_change_params": settled(False, _SAME),
    "fixtures/response_union_narrowed": reports("response-property-any-of-removed"),
    "fixtures/operation_added": reports("endpoint-added"),
    "fixtures/response_property_added": reports("response-optional-property-added"),
    "fixtures/optional_parameter_added": reports("new-optional-request-parameter"),
    "fixtures/request_bound_loosened": reports("request-parameter-max-increased"),
    "fixtures/request_integer_to_number": reports("request-parameter-type-generalized"),
    "fixtures/operation_removed": reports("api-removed-without-deprecation"),
    "fixtures/parameter_removed": reports("request-parameter-removed"),
    "fixtures/required_parameter_added": reports("new-required-request-parameter"),
    "fixtures/parameter_made_required": reports("request-parameter-became-required"),
    "fixtures/parameter_type_changed": reports("request-parameter-type-changed"),
    "fixtures/query_number_became_string": reports("request-parameter-type-generalized"),
    "fixtures/request_bound_tightened": reports("request-parameter-max-decreased"),
    "fixtures/parameter_default_flipped": reports("request-parameter-default-value-changed"),
    "fixtures/request_enum_value_removed": reports("request-parameter-enum-value-removed"),
    "fixtures/request_enum_value_added": reports("request-parameter-enum-value-added"),
    "fixtures/response_enum_value_added": reports("response-property-enum-value-added"),
    "fixtures/response_enum_value_removed": reports("response-property-enum-value-removed"),
    "fixtures/success_status_changed": reports("response-success-status-added", "response-success-status-removed"),
    "fixtures/response_media_type_changed": reports("response-media-type-added", "response-media-type-removed"),
    "fixtures/response_required_property_removed": reports("response-required-property-removed"),
    "fixtures/response_optional_property_removed": reports("response-optional-property-removed"),
    "fixtures/response_property_made_optional": reports("response-property-became-optional"),
    "fixtures/response_property_type_changed": reports("response-property-type-changed"),
    "fixtures/response_union_widened": reports("response-property-any-of-added"),
    "fixtures/change_inside_recursive_schema_found_once": reports("response-property-enum-value-added"),
    "fixtures/request_property_required_added_charset_ignored": reports("new-required-request-property"),
    "fixtures/request_media_type_replaced": reports("request-body-media-type-added", "request-body-media-type-removed"),
    "fixtures/request_body_bound_and_optional": reports(
        "request-body-became-optional", "request-property-max-length-decreased"
    ),
    "fixtures/security_dropped": reports("api-security-removed"),
    "fixtures/security_tightened": reports("api-security-added", "api-security-scope-added"),
    "fixtures/identical": settled(False, _SAME),
    "fixtures/key_order_reversed": settled(
        False, "the loader unmarshals JSON objects into maps: key order is not in the model"
    ),
    "fixtures/cosmetics_only": settled(
        False, "checker/rules.go has no rule on summaries, descriptions, titles or examples"
    ),
    "fixtures/ref_inlined": settled(
        False, "diff/schema_diff.go compares the resolved schema values; $ref names only mark cycles"
    ),
    "fixtures/component_renamed": settled(
        False, "diff/schema_diff.go compares resolved values; the unused old component is api-schema-removed: INFO"
    ),
    "fixtures/path_parameter_renamed": settled(
        False, "diff/path_params_map.go pairs renamed path parameters by position"
    ),
    "fixtures/read_only_property_added_to_request": settled(
        False, "checker/check_request_property_updated.go skips added readOnly properties"
    ),
    # check_types.go isFormatContained: a date is within date-time, read in the response frame.
    "fixtures/response_format_changed": reports("response-property-type-specialized"),
    "fixtures/request_object_closed": settled(
        False, "diff/schema_diff.go records AdditionalPropertiesAllowedDiff, but no check in checker/ reads it"
    ),
    # check_types.go: a type added to an untyped JSON body is not contained (isTypeContained needs one
    # type on each side; a JSON body is strongly typed), so requestTypeFormatBreaking is true.
    "fixtures/implied_object_type_made_explicit": reports("request-body-type-changed"),
    # anyOf [string, null] -> type [string, null]: diff/list_of_types_diff.go reads the base as the list
    # {string, null} and the revision by its first type, {string}: null deleted, narrowed. The transition
    # (checker/transition_claims.go) claims the raw type and anyOf changes; no nullability change either
    # (checker/nullable_type_utils.go: the base had no type array).
    "fixtures/nullable_as_type_list": reports(
        "response-property-list-of-types-narrowed", "response-property-any-of-removed"
    ),
    # 3.0.3 -> 3.1.0 spellings, without --auto-upgrade (off by default: internal/cmd_flags.go). kin-openapi
    # loads `nullable` as written, so tag's NullableDiff is true -> false, which checker/nullable_type_utils.go
    # reads first: became not nullable (NewPet.tag in the request, Pet.tag in the response). The boolean
    # exclusiveMinimum -> 0 is a ValueDiff true -> 0 (diff/value_diff.go), which IsIncreased reads as decreased.
    "fixtures/openapi_30_forms_vs_31_forms": reports(
        "request-property-became-not-nullable",
        "response-property-became-not-nullable",
        "request-parameter-exclusive-min-decreased",
    ),
    # $ref X -> allOf [$ref X] + description in a response array's items. Without --flatten-allof (off by
    # default: internal/cmd_flags.go) diff/schema_diff.go compares the wrapper's own keywords with X's: no
    # type, no properties. checker/checks_utils.go walks items into PropertiesDiff.Deleted, and
    # check_response_required_property_updated.go reports each of X's required properties (no transition in
    # checker/transition_claims.go claims them: none matches an allOf wrapper).
    "fixtures/all_of_wrapper_vs_ref": reports("response-required-property-removed", "response-property-all-of-added"),
    # string -> anyOf [string, null]: not a nullable wrapping (diff/nullable_wrapping_diff.go wants oneOf) but
    # a list of types, {string} -> {string, null} (diff/list_of_types_diff.go): widened in a response.
    "fixtures/response_property_became_nullable": reports("response-property-list-of-types-widened"),
}
