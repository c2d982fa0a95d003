"""``--profile oasdiff``: classify exactly as oasdiff does, for teams that gate on its levels.

Only the rules oasdiff rates differently are listed (ERR = breaking, WARN = warning,
INFO = info, from oasdiff's ``checker/rules.go``); every other rule has the same level in
both, or is ours alone and keeps its own. Why the default profile differs is in each rule's
meaning (docs/spec-drift.md): mostly notte_ext's validation of every response.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from notte_ext.drift.changes import Change, ordered
from notte_ext.drift.reading import NOTTE_EXT, Reading
from notte_ext.drift.reading import OASDIFF as OASDIFF_READING
from notte_ext.drift.rules import RULES, Severity

B, W, N = Severity.BREAKING, Severity.WARNING, Severity.INFO

OASDIFF: dict[str, Severity] = {
    "api-removed-with-deprecation": N,
    "api-security-added": N,
    "api-security-component-type-changed": N,
    "api-security-scope-added": N,
    "request-body-default-value-changed": N,
    "request-body-discriminator-mapping-changed": N,
    "request-body-discriminator-mapping-deleted": N,
    "request-body-discriminator-property-name-changed": N,
    "request-body-exclusive-max-set": W,
    "request-body-exclusive-min-set": W,
    "request-body-max-length-set": W,
    "request-body-max-set": W,
    "request-body-min-items-set": W,
    "request-body-min-set": W,
    "request-optional-property-became-read-only": N,
    "request-parameter-exclusive-max-set": W,
    "request-parameter-exclusive-min-set": W,
    "request-parameter-max-length-set": W,
    "request-parameter-max-set": W,
    "request-parameter-min-items-set": W,
    "request-parameter-min-set": W,
    "request-property-default-value-changed": N,
    "request-property-discriminator-mapping-changed": N,
    "request-property-discriminator-mapping-deleted": N,
    "request-property-discriminator-property-name-changed": N,
    "request-property-exclusive-max-set": W,
    "request-property-exclusive-min-set": W,
    "request-property-max-length-set": W,
    "request-property-max-set": W,
    "request-property-min-items-set": W,
    "request-property-min-set": W,
    "request-required-property-became-read-only": N,
    "required-response-header-removed": B,
    "response-body-any-of-added": N,
    "response-body-discriminator-mapping-changed": N,
    "response-body-discriminator-mapping-deleted": N,
    "response-body-discriminator-property-name-changed": N,
    "response-body-media-type-schema-removed": W,
    "response-header-became-optional": B,
    "response-header-type-changed": B,
    "response-non-success-status-removed": N,
    "response-optional-property-became-write-only": N,
    "response-property-any-of-added": N,
    "response-property-discriminator-mapping-changed": N,
    "response-property-discriminator-mapping-deleted": N,
    "response-property-discriminator-property-name-changed": N,
    "response-property-enum-value-added": W,
    "response-property-pattern-changed": N,
    "response-property-pattern-removed": N,
    "response-required-property-became-not-write-only": W,
    "response-required-property-became-write-only": N,
    "response-success-status-added": N,
    # No oasdiff rule by these names: what its checks report for the same change.
    "response-body-max-items-increased": N,  # no check reads a response's maxItems
    "response-property-max-items-increased": N,
    "response-body-pattern-generalized": N,  # a response pattern to ".*" is response-property-pattern-changed
    "response-property-pattern-generalized": N,
    "request-body-format-added": B,  # a format is part of the type: a new one is request-*-type-changed
    "request-parameter-format-added": B,
    "request-property-format-added": B,
}
# oasdiff folds format into its type rules (checker/check_types.go isFormatContained): a format
# changed to one that contains the old is compatible, any other change breaks; read toward the
# revision in a request (what the server now accepts) and toward the base in a response.
_CONTAINED_FORMATS = {("date", "date-time"), ("time", "date-time"), ("float", "double")}
_CONTAINED_FORMATS |= {("int32", "int64"), ("int32", "bigint"), ("int64", "bigint")}
_FORMAT_CHANGED = re.compile(r"format changed from (\S+) to (\S+)")
PROFILES = ("notte-ext", "oasdiff")


def severity_in(profile: str, rule_id: str) -> Severity:
    if profile == "oasdiff":
        return OASDIFF.get(rule_id, RULES[rule_id].severity)
    return RULES[rule_id].severity


def _oasdiff_severity(change: Change) -> Severity:
    formats = _FORMAT_CHANGED.fullmatch(change.message)
    if not change.id.endswith("-format-changed") or formats is None:
        return severity_in("oasdiff", change.id)
    old, new = formats.groups()
    narrow_to_wide = (old, new) if change.id.startswith("request-") else (new, old)
    return N if narrow_to_wide in _CONTAINED_FORMATS else B


def apply_profile(changes: Iterable[Change], profile: str) -> list[Change]:
    """The changes with their severities as the profile rates them, re-ordered most severe first.

    The default profile keeps each change's own severity: the engine already rated it for
    notte_ext users, including where notte_ext's behaviour makes a rule moot (see impact.py).
    """
    if profile != "oasdiff":
        return ordered(changes)
    return ordered(replace(c, severity=_oasdiff_severity(c)) for c in changes)


def reading_of(profile: str) -> Reading:
    """How the engine reads the documents for ``profile``: oasdiff's profile sees what its diff sees."""
    return OASDIFF_READING if profile == "oasdiff" else NOTTE_EXT
