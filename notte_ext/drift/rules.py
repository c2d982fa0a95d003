"""Every rule the diff can report, with its severity, named in oasdiff's style.

Severities are judged from the side of a notte_ext user, i.e. a client generated from the
*base* document that also validates every response against that document (DESIGN fact 13):
``breaking`` means the client (or code calling it) can fail against the revision,
``warning`` that it may behave differently, ``info`` that nothing it relies on changed.
Where that differs from oasdiff's level, the rule's ``why`` says so (docs/spec-drift.md).
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

# Why a loosened response constraint breaks notte_ext although a plain generated client would not care.
VALIDATED = "notte_ext validates responses against the vendored schema: now-valid responses raise SchemaMismatchError"


# A response default only says what a *missing* property stands for; the server sends the value.
_SERVER_SENDS = "matters only when the server leaves the property out"


@dataclass(frozen=True)
class SchemaChange:
    """A schema change, rated once for a request (the client writes it) and once for a response
    (the client reads and validates it)."""

    request: Severity
    response: Severity
    text: str
    response_text: str = ""  # when the change means something else in a response


# A request is written by the client: accepting less breaks it. A response is read and
# validated by the client: returning anything the base schema did not allow breaks it.
SCHEMA_CHANGES: dict[str, SchemaChange] = {
    "type-changed": SchemaChange(B, B, "type changed incompatibly"),
    "type-generalized": SchemaChange(N, B, "type now accepts more (e.g. integer -> number)"),
    "type-specialized": SchemaChange(B, N, "type now accepts less"),
    "format-changed": SchemaChange(B, B, "format changed"),
    "format-added": SchemaChange(W, N, "format added"),
    "format-removed": SchemaChange(N, B, "format removed", f"format removed: {VALIDATED}"),
    "became-nullable": SchemaChange(N, B, "null became allowed"),
    "became-not-nullable": SchemaChange(B, N, "null is no longer allowed"),
    "enum-value-added": SchemaChange(N, B, "enum value added", f"enum value added: {VALIDATED}"),
    "enum-value-removed": SchemaChange(B, N, "enum value removed"),
    "became-enum": SchemaChange(B, N, "values restricted to an enum"),
    "no-longer-enum": SchemaChange(N, B, "enum restriction dropped", f"enum restriction dropped: {VALIDATED}"),
    "default-value-changed": SchemaChange(
        B, N, "default changed: requests that omit it get other results", f"default changed: {_SERVER_SENDS}"
    ),
    "default-value-added": SchemaChange(W, N, "default added", f"default added: {_SERVER_SENDS}"),
    "default-value-removed": SchemaChange(W, N, "default removed", f"default removed: {_SERVER_SENDS}"),
    "pattern-changed": SchemaChange(W, B, "pattern changed", f"pattern changed: {VALIDATED}"),
    "pattern-generalized": SchemaChange(
        N, B, "pattern loosened to accept anything (.*)", f"pattern loosened: {VALIDATED}"
    ),
    "pattern-added": SchemaChange(B, N, "pattern added: values the client sends may be refused"),
    "pattern-removed": SchemaChange(N, B, "pattern removed", f"pattern removed: {VALIDATED}"),
    "additional-properties-became-closed": SchemaChange(W, N, "additional properties no longer allowed"),
    "additional-properties-became-open": SchemaChange(
        N, B, "additional properties now allowed", f"additional properties now allowed: {VALIDATED}"
    ),
    "any-of-added": SchemaChange(N, B, "anyOf alternative added"),
    "any-of-removed": SchemaChange(B, N, "anyOf alternative removed"),
    "one-of-added": SchemaChange(N, B, "oneOf alternative added"),
    "one-of-removed": SchemaChange(B, N, "oneOf alternative removed"),
    "discriminator-added": SchemaChange(N, N, "discriminator added"),
    "discriminator-removed": SchemaChange(N, N, "discriminator removed"),
    "discriminator-property-name-changed": SchemaChange(
        W, W, "discriminator property renamed: alternatives are told apart by another field"
    ),
    "discriminator-mapping-added": SchemaChange(N, N, "discriminator mapping entry added"),
    "discriminator-mapping-deleted": SchemaChange(W, W, "discriminator mapping entry deleted"),
    "discriminator-mapping-changed": SchemaChange(W, W, "discriminator mapping entry points elsewhere"),
    "description-changed": SchemaChange(N, N, "description changed (with --include-docs)"),
    "title-changed": SchemaChange(N, N, "title changed (with --include-docs)"),
    "example-changed": SchemaChange(N, N, "example changed (with --include-docs)"),
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
    SCHEMA_CHANGES[f"{_slug}-{_grow}"] = SchemaChange(
        N, B, f"{_slug} bound loosened", f"{_slug} bound loosened: {VALIDATED}"
    )
    SCHEMA_CHANGES[f"{_slug}-{_shrink}"] = SchemaChange(B, N, f"{_slug} bound tightened")
    SCHEMA_CHANGES[f"{_slug}-set"] = SchemaChange(B, N, f"{_slug} bound added")
    SCHEMA_CHANGES[f"{_slug}-removed"] = SchemaChange(
        N, B, f"{_slug} bound removed", f"{_slug} bound removed: {VALIDATED}"
    )

# Where one subject is rated apart from the others of its direction (oasdiff does the same):
# a query parameter's default is what the server uses when the client leaves it out, and
# generated clients leave out unset parameters; a body property's default is the model's.
SUBJECT_SEVERITY: dict[str, tuple[Severity, str]] = {
    "request-parameter-default-value-added": (B, "default added: the server now fills in a value when omitted"),
    "request-parameter-default-value-removed": (B, "default removed: omitting it no longer means the old value"),
    "request-body-default-value-added": (N, "default added"),
    "request-body-default-value-removed": (N, "default removed"),
    "request-property-default-value-added": (N, "default added"),
    "request-property-default-value-removed": (N, "default removed"),
}

# readOnly/writeOnly flips of a property both sides have: (direction, required?, flip) -> severity.
# A readOnly property is never read from requests; a writeOnly one is never sent in responses.
_MUTABILITY: list[tuple[str, Severity, str]] = [
    ("request-required-property-became-read-only", W, "the server now ignores a required property the client sends"),
    ("request-optional-property-became-read-only", W, "the server now ignores a property the client sends"),
    ("request-required-property-became-not-read-only", N, "the server now reads a property the client sends"),
    ("request-optional-property-became-not-read-only", N, "the server now reads a property"),
    ("request-required-property-became-write-only", N, "request property became writeOnly"),
    ("request-optional-property-became-write-only", N, "request property became writeOnly"),
    ("request-required-property-became-not-write-only", N, "request property no longer writeOnly"),
    ("request-optional-property-became-not-write-only", N, "request property no longer writeOnly"),
    ("response-required-property-became-write-only", B, f"a required response property is no longer sent: {VALIDATED}"),
    ("response-optional-property-became-write-only", W, "an optional response property is no longer sent"),
    ("response-required-property-became-not-write-only", N, "a writeOnly property is now returned"),
    ("response-optional-property-became-not-write-only", N, "a writeOnly property is now returned"),
    ("response-required-property-became-read-only", N, "response property became readOnly"),
    ("response-optional-property-became-read-only", N, "response property became readOnly"),
    ("response-required-property-became-not-read-only", N, "response property no longer readOnly"),
    ("response-optional-property-became-not-read-only", N, "response property no longer readOnly"),
]

_NAMED: list[tuple[str, Severity, str]] = [
    ("api-removed-without-deprecation", B, "operation removed"),
    ("api-removed-with-deprecation", W, "deprecated operation removed (after its x-sunset date, if any)"),
    ("api-removed-before-sunset", B, "deprecated operation removed before its x-sunset date"),
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
    ("api-security-component-added", N, "security scheme added to components"),
    ("api-security-component-removed", N, "security scheme removed from components (operations report their own)"),
    (
        "api-security-component-type-changed",
        B,
        "security scheme sends credentials another way (type, scheme, header/query name): the client's are refused",
    ),
    ("api-security-component-oauth-url-changed", N, "OAuth authorization or token URL changed"),
    ("api-security-component-oauth-scope-added", N, "OAuth scope added to the scheme"),
    ("api-security-component-oauth-scope-removed", N, "OAuth scope removed from the scheme"),
    ("request-parameter-removed", W, "parameter removed (clients still send it)"),
    ("request-parameter-removed-with-deprecation", N, "deprecated parameter removed (after its x-sunset date, if any)"),
    ("request-parameter-removed-before-sunset", B, "deprecated parameter removed before its x-sunset date"),
    ("new-required-request-parameter", B, "required parameter added"),
    ("new-optional-request-parameter", N, "optional parameter added"),
    ("request-parameter-became-required", B, "parameter became required"),
    ("request-parameter-became-optional", N, "parameter became optional"),
    ("request-parameter-deprecated", N, "parameter deprecated"),
    ("request-path-parameter-renamed", N, "path parameter renamed (with --include-docs)"),
    ("request-parameter-description-changed", N, "parameter description changed (with --include-docs)"),
    ("request-body-added-required", B, "required request body added"),
    ("request-body-added-optional", N, "optional request body added"),
    ("request-body-removed", B, "request body removed: the body the client sends is refused or ignored"),
    ("request-body-became-required", B, "request body became required"),
    ("request-body-became-optional", N, "request body became optional"),
    ("request-body-media-type-added", N, "request media type added"),
    ("request-body-media-type-removed", B, "request media type removed"),
    (
        "request-body-media-type-schema-added",
        B,
        "request media type gained a schema: what the client sends may be refused",
    ),
    ("request-body-media-type-schema-removed", N, "request media type lost its schema: anything is accepted"),
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
    ("response-body-media-type-schema-added", N, "response media type gained a schema"),
    ("response-body-media-type-schema-removed", B, f"response media type lost its schema: {VALIDATED}"),
    ("response-required-property-removed", B, "required response property removed"),
    ("response-optional-property-removed", W, "optional response property removed"),
    ("response-required-property-added", N, "required response property added"),
    ("response-optional-property-added", N, "optional response property added"),
    ("response-property-became-optional", B, "response property may now be missing"),
    ("response-property-became-required", N, "response property always present now"),
    ("required-response-header-removed", W, "required response header removed (notte_ext reads none; your code may)"),
    ("optional-response-header-removed", W, "optional response header removed"),
    ("response-header-added", N, "response header added"),
    ("response-header-became-optional", W, "response header may now be missing"),
    ("response-header-became-required", N, "response header always present now"),
    ("response-header-type-changed", W, "response header schema changed"),
    ("upstream-operation-not-vendored", N, "upstream operation not in the vendored spec (drift only)"),
    *_MUTABILITY,
]


def _build() -> dict[str, Rule]:
    rules = {rule_id: Rule(rule_id, severity, text) for rule_id, severity, text in _NAMED}
    for suffix, change in SCHEMA_CHANGES.items():
        for subject in REQUEST_SUBJECTS:
            rules[f"{subject}-{suffix}"] = Rule(f"{subject}-{suffix}", change.request, f"{subject}: {change.text}")
        for subject in RESPONSE_SUBJECTS:
            text = change.response_text or change.text
            rules[f"{subject}-{suffix}"] = Rule(f"{subject}-{suffix}", change.response, f"{subject}: {text}")
    for rule_id, (severity, text) in SUBJECT_SEVERITY.items():
        rules[rule_id] = Rule(rule_id, severity, f"{rule_id.rsplit('-default', 1)[0]}: {text}")
    return dict(sorted(rules.items()))


RULES: dict[str, Rule] = _build()
