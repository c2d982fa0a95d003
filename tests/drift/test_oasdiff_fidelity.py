"""``--profile oasdiff`` against oasdiff's own verdicts (tests/drift/oasdiff_verdicts.py, read from
oasdiff's source) on every spec pair of tests/drift; the default profile's differences from them
are each explained in docs/spec-drift.md."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from notte_ext.drift import diff_documents
from notte_ext.drift.profiles import apply_profile, severity_in
from notte_ext.drift.rules import RULES
from tests.drift.oasdiff_verdicts import ENGINE_DIFFERENCES, LEVELS, OASDIFF_COMMIT, VERDICTS
from tests.drift.test_fixtures import CASES
from tests.drift.test_oasdiff_cases import PAIRS, api, obj

Doc = dict[str, Any]
DOCS = Path(__file__).parents[2] / "docs" / "spec-drift.md"
PAIR_DOCUMENTS: dict[str, tuple[Doc, Doc]] = {
    **{f"cases/{name}": (pair.base, pair.revision) for name, pair in PAIRS.items()},
    **{f"fixtures/{name}": case.build() for name, case in CASES.items()},
}
KNOWN = [key for key, verdict in VERDICTS.items() if verdict.breaking is not None]
_LEVEL = {"ERR": "breaking", "WARN": "warning", "INFO": "info"}


def _breaking(key: str, profile: str) -> bool:
    changes = apply_profile(diff_documents(*PAIR_DOCUMENTS[key]), profile)
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


@pytest.mark.parametrize("key", [key for key in KNOWN if key not in ENGINE_DIFFERENCES])
def test_profile_oasdiff_breaks_exactly_where_oasdiff_does(key: str) -> None:
    assert _breaking(key, "oasdiff") is VERDICTS[key].breaking, VERDICTS[key].source


@pytest.mark.parametrize("key", list(ENGINE_DIFFERENCES))
def test_each_engine_difference_is_still_one(key: str) -> None:
    """When notte_ext reads such a pair as oasdiff does, this fails: drop it from the list."""
    assert _breaking(key, "oasdiff") is not VERDICTS[key].breaking


def test_the_pairs_oasdiffs_source_does_not_settle_are_few_and_say_why() -> None:
    unknown = {key: verdict.source for key, verdict in VERDICTS.items() if verdict.breaking is None}
    assert len(unknown) <= 4, unknown
    assert all(len(why) > 40 for why in unknown.values())


def test_docs_explain_each_pair_where_the_default_profile_and_oasdiff_disagree() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    section = docs[docs.index("### Pair by pair") : docs.index("## What counts as the same")]
    explained = re.findall(r"^\| `((?:cases|fixtures)/\w+)` \| (\w+) \| (\w+) \| .{20,} \|$", section, re.MULTILINE)
    disagreeing = {key for key in KNOWN if _breaking(key, "notte-ext") is not VERDICTS[key].breaking}
    assert sorted(key for key, _, _ in explained) == sorted(disagreeing)
    for key, notte_ext, oasdiff in explained:
        assert (notte_ext, oasdiff) == (_word(_breaking(key, "notte-ext")), _word(bool(VERDICTS[key].breaking))), key


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
