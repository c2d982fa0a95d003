"""``--profile oasdiff`` against oasdiff's own verdicts (tests/drift/oasdiff_verdicts.py, read from
oasdiff's source) on every spec pair of tests/drift; the default profile's differences from them
are each explained in docs/spec-drift.md."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from notte_ext.drift import diff_documents
from notte_ext.drift.profiles import apply_profile, reading_of, severity_in
from notte_ext.drift.rules import RULES
from tests.drift.oasdiff_verdicts import LEVELS, OASDIFF_COMMIT, VERDICTS
from tests.drift.test_fixtures import CASES
from tests.drift.test_oasdiff_cases import ANIMALS, PAIRS, api, obj, ref

Doc = dict[str, Any]
DOCS = Path(__file__).parents[2] / "docs" / "spec-drift.md"
PAIR_DOCUMENTS: dict[str, tuple[Doc, Doc]] = {
    **{f"cases/{name}": (pair.base, pair.revision) for name, pair in PAIRS.items()},
    **{f"fixtures/{name}": case.build() for name, case in CASES.items()},
}
_LEVEL = {"ERR": "breaking", "WARN": "warning", "INFO": "info"}


def _breaking(key: str, profile: str) -> bool:
    changes = apply_profile(diff_documents(*PAIR_DOCUMENTS[key], reading=reading_of(profile)), profile)
    return any(change.severity == "breaking" for change in changes)


def test_every_pair_has_an_oasdiff_verdict_with_its_source() -> None:
    assert sorted(VERDICTS) == sorted(PAIR_DOCUMENTS)
    assert all(verdict.source for verdict in VERDICTS.values())
    assert re.fullmatch(r"[0-9a-f]{40}", OASDIFF_COMMIT)


def test_the_oasdiff_profile_rates_every_rule_oasdiff_has_at_oasdiffs_level() -> None:
    shared = [rule_id for rule_id in RULES if rule_id in LEVELS]
    assert len(shared) > 200
    assert [
        (r, str(severity_in("oasdiff", r)), _LEVEL[LEVELS[r]])
        for r in shared
        if _LEVEL[LEVELS[r]] != severity_in("oasdiff", r)
    ] == []


@pytest.mark.parametrize("key", list(VERDICTS))
def test_profile_oasdiff_breaks_exactly_where_oasdiff_does(key: str) -> None:
    assert _breaking(key, "oasdiff") is VERDICTS[key].breaking, VERDICTS[key].source


def test_docs_explain_each_pair_where_the_default_profile_and_oasdiff_disagree() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    section = docs[docs.index("### Pair by pair") : docs.index("## What counts as the same")]
    explained = re.findall(r"^\| `((?:cases|fixtures)/\w+)` \| (\w+) \| (\w+) \| .{20,} \|$", section, re.MULTILINE)
    disagreeing = {key for key in VERDICTS if _breaking(key, "notte-ext") is not VERDICTS[key].breaking}
    assert sorted(key for key, _, _ in explained) == sorted(disagreeing)
    for key, notte_ext, oasdiff in explained:
        assert (notte_ext, oasdiff) == (_word(_breaking(key, "notte-ext")), _word(VERDICTS[key].breaking)), key


def _word(breaking: bool) -> str:
    return "breaking" if breaking else "not"


@pytest.mark.parametrize(
    ("side", "old", "new", "breaking"),
    [
        ("request", "date", "date-time", False),  # the server now accepts more
        ("request", "date-time", "date", True),
        ("request", "int32", "int64", False),
        ("response", "date-time", "date", False),  # the server now sends less
        ("response", "date", "date-time", True),
        ("response", "float", "uuid", True),
    ],
)
def test_profile_oasdiff_rates_a_format_change_as_oasdiffs_type_rules_do(
    side: str, old: str, new: str, breaking: bool
) -> None:
    """checker/check_types.go isFormatContained, toward the revision in a request, the base in a response."""

    def document(format_: str) -> Doc:
        schema = obj(at={"type": "string", "format": format_})
        return api(request=schema) if side == "request" else api(response=schema)

    (change,) = apply_profile(diff_documents(document(old), document(new)), "oasdiff")
    assert (change.id, change.severity == "breaking") == (f"{side}-property-format-changed", breaking)


def _ids(base: Doc, revision: Doc, profile: str) -> list[str]:
    return sorted(change.id for change in diff_documents(base, revision, reading=reading_of(profile)))


CAT, DOG = ANIMALS["Cat"], ANIMALS["Dog"]


@pytest.mark.parametrize(
    ("old", "new", "oasdiff_ids"),
    [
        # diff/subschemas_diff.go pass 1: two $refs pair by component name only ("a rename ... is still a change").
        (
            [ref("Cat"), ref("Dog")],
            [ref("Feline"), ref("Dog")],
            ["response-body-one-of-added", "response-body-one-of-removed"],
        ),
        # pass 3 (MatchInlineRefs): an inline alternative and a validation-equivalent $ref are one alternative.
        ([CAT, ref("Dog")], [ref("Feline"), ref("Dog")], []),
        ([ref("Cat"), ref("Dog")], [CAT, ref("Dog")], []),
        # pass 2: equal inline alternatives pair wherever they stand.
        ([CAT, DOG], [DOG, CAT], []),
    ],
)
def test_the_oasdiff_reading_pairs_union_alternatives_as_oasdiff_does(
    old: list[Doc], new: list[Doc], oasdiff_ids: list[str]
) -> None:
    schemas = {**ANIMALS, "Feline": CAT}
    base, revision = api(response={"oneOf": old}, schemas=schemas), api(response={"oneOf": new}, schemas=schemas)
    assert _ids(base, revision, "oasdiff") == oasdiff_ids
    assert _ids(base, revision, "notte-ext") == []  # the same JSON on the wire


@pytest.mark.parametrize(("side", "breaking"), [("request", True), ("response", False)])
def test_the_oasdiff_reading_sees_only_written_types(side: str, breaking: bool) -> None:
    """check_types.go: a type added to an untyped JSON request body is breaking; to a response body it is not."""
    untyped = {k: v for k, v in CAT.items() if k != "type"}
    base, revision = (api(request=s) if side == "request" else api(response=s) for s in (untyped, CAT))
    assert _ids(base, revision, "notte-ext") == []  # properties make it an object on both sides
    (change,) = apply_profile(diff_documents(base, revision, reading=reading_of("oasdiff")), "oasdiff")
    assert (change.id, change.severity == "breaking") == (f"{side}-body-type-specialized", breaking)


def test_the_oasdiff_reading_matches_response_headers_by_exact_name() -> None:
    def headers(name: str) -> Doc:
        return api(response=obj(), headers={name: {"required": True, "schema": {"type": "integer"}}})

    assert _ids(headers("X-Rate-Limit"), headers("x-rate-limit"), "oasdiff") == [
        "required-response-header-removed",
        "response-header-added",
    ]
    assert _ids(headers("X-Rate-Limit"), headers("x-rate-limit"), "notte-ext") == []
