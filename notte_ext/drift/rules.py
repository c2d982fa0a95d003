"""Every rule the diff can report, with its severity, named in oasdiff's style.

Severities are judged from the side of a client generated from the *base* document:
``breaking`` means such a client (or code calling it) can fail against the revision,
``warning`` that it may behave differently, ``info`` that nothing it relies on changed.
Schema rules are named ``<subject>-<change>`` where the subject says where the schema
sits: a request parameter or body, a response body, or a property nested in either.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    BREAKING = "breaking"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for the most severe, so sorting puts breaking changes first."""
        return list(Severity).index(self)


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    description: str


# Short names keep the tables below one row per rule.
B, W, N = Severity.BREAKING, Severity.WARNING, Severity.INFO

REQUEST_SUBJECTS = ("request-parameter", "request-body", "request-property")
RESPONSE_SUBJECTS = ("response-body", "response-property")

# change suffix -> (severity in a request, severity in a response, what happened).
# A request is written by the client: accepting less breaks it. A response is read
# by the client: returning more (a new enum value, a new type, null) breaks it.
SCHEMA_CHANGES: dict[str, tuple[Severity, Severity, str]] = {
    "type-changed": (B, B, "type changed incompatibly"),
    "type-generalized": (N, B, "type now accepts more (e.g. integer -> number)"),
    "type-specialized": (B, N, "type now accepts less"),
    "format-changed": (B, B, "format changed"),
    "format-added": (W, N, "format added"),
    "format-removed": (N, W, "format removed"),
    "became-nullable": (N, B, "null became allowed"),
    "became-not-nullable": (B, N, "null is no longer allowed"),
    "enum-value-added": (N, B, "enum value added"),
    "enum-value-removed": (B, N, "enum value removed"),
    "became-enum": (B, N, "values restricted to an enum"),
    "no-longer-enum": (N, B, "enum restriction dropped"),
    "default-value-changed": (B, N, "default changed: callers that omit it get other results"),
    "default-value-added": (W, N, "default added"),
    "default-value-removed": (W, N, "default removed"),
    "pattern-changed": (W, N, "pattern changed"),
    "pattern-added": (W, N, "pattern added"),
    "pattern-removed": (N, N, "pattern removed"),
    "additional-properties-became-closed": (W, N, "additional properties no longer allowed"),
    "additional-properties-became-open": (N, N, "additional properties now allowed"),
    "any-of-added": (N, B, "anyOf alternative added"),
    "any-of-removed": (B, N, "anyOf alternative removed"),
    "one-of-added": (N, B, "oneOf alternative added"),
    "one-of-removed": (B, N, "oneOf alternative removed"),
    "description-changed": (N, N, "description changed (with --include-docs)"),
    "title-changed": (N, N, "title changed (with --include-docs)"),
    "example-changed": (N, N, "example changed (with --include-docs)"),
}

# Bounds: keyword -> (slug, whether a larger value accepts more).
BOUNDS: dict[str, tuple[str, bool]] = {
    "maximum": ("max", True),
    "exclusiveMaximum": ("exclusive-max", True),
    "maxLength": ("max-length", True),
    "maxItems": ("max-items", True),
    "maxProperties": ("max-properties", True),
    "minimum": ("min", False),
    "exclusiveMinimum": ("exclusive-min", False),
    "minLength": ("min-length", False),
    "minItems": ("min-items", False),
    "minProperties": ("min-properties", False),
}
for _slug, _upper in BOUNDS.values():
    _grow, _shrink = ("increased", "decreased") if _upper else ("decreased", "increased")
    SCHEMA_CHANGES[f"{_slug}-{_grow}"] = (N, W, f"{_slug} bound loosened")
    SCHEMA_CHANGES[f"{_slug}-{_shrink}"] = (B, N, f"{_slug} bound tightened")
    SCHEMA_CHANGES[f"{_slug}-set"] = (B, N, f"{_slug} bound added")
    SCHEMA_CHANGES[f"{_slug}-removed"] = (N, W, f"{_slug} bound removed")

_NAMED: list[tuple[str, Severity, str]] = [
    ("api-removed-without-deprecation", B, "operation removed"),
    ("api-removed-with-deprecation", W, "deprecated operation removed"),
    ("endpoint-added", N, "operation added"),
    ("endpoint-deprecated", N, "operation deprecated"),
    ("endpoint-reactivated", N, "operation no longer deprecated"),
    ("api-operation-id-updated", W, "operationId changed: the generated function is renamed"),
    ("api-summary-changed", N, "summary changed (with --include-docs)"),
    ("api-description-changed", N, "description changed (with --include-docs)"),
    ("api-security-added", B, "authentication now required"),
    ("api-security-removed", N, "authentication no longer required"),
    ("api-security-alternative-added", N, "another way to authenticate accepted"),
    ("api-security-alternative-removed", B, "a way to authenticate is no longer accepted"),
    ("api-security-scope-added", B, "security scope required"),
    ("api-security-scope-removed", N, "security scope no longer required"),
    ("request-parameter-removed", W, "parameter removed (clients still send it)"),
    ("new-required-request-parameter", B, "required parameter added"),
    ("new-optional-request-parameter", N, "optional parameter added"),
    ("request-parameter-became-required", B, "parameter became required"),
    ("request-parameter-became-optional", N, "parameter became optional"),
    ("request-parameter-deprecated", N, "parameter deprecated"),
    ("request-path-parameter-renamed", N, "path parameter renamed (with --include-docs)"),
    ("request-parameter-description-changed", N, "parameter description changed (with --include-docs)"),
    ("request-body-added-required", B, "required request body added"),
    ("request-body-added-optional", N, "optional request body added"),
    ("request-body-removed", W, "request body removed"),
    ("request-body-became-required", B, "request body became required"),
    ("request-body-became-optional", N, "request body became optional"),
    ("request-body-media-type-added", N, "request media type added"),
    ("request-body-media-type-removed", B, "request media type removed"),
    ("new-required-request-property", B, "required request property added"),
    ("new-optional-request-property", N, "optional request property added"),
    ("request-property-removed", W, "request property removed (clients still send it)"),
    ("request-property-became-required", B, "request property became required"),
    ("request-property-became-optional", N, "request property became optional"),
    ("response-success-status-removed", B, "success status removed"),
    ("response-non-success-status-removed", W, "non-success status removed"),
    ("response-success-status-added", W, "success status added: a generated client does not parse it"),
    ("response-non-success-status-added", N, "non-success status added"),
    ("response-media-type-removed", B, "response media type removed"),
    ("response-media-type-added", N, "response media type added"),
    ("response-required-property-removed", B, "required response property removed"),
    ("response-optional-property-removed", W, "optional response property removed"),
    ("response-required-property-added", N, "required response property added"),
    ("response-optional-property-added", N, "optional response property added"),
    ("response-property-became-optional", B, "response property may now be missing"),
    ("response-property-became-required", N, "response property always present now"),
    ("upstream-operation-not-vendored", N, "upstream operation not in the vendored spec (drift only)"),
]


def _build() -> dict[str, Rule]:
    rules = {rule_id: Rule(rule_id, severity, text) for rule_id, severity, text in _NAMED}
    for suffix, (request, response, text) in SCHEMA_CHANGES.items():
        for subject in REQUEST_SUBJECTS:
            rules[f"{subject}-{suffix}"] = Rule(f"{subject}-{suffix}", request, f"{subject}: {text}")
        for subject in RESPONSE_SUBJECTS:
            rules[f"{subject}-{suffix}"] = Rule(f"{subject}-{suffix}", response, f"{subject}: {text}")
    return dict(sorted(rules.items()))


RULES: dict[str, Rule] = _build()
