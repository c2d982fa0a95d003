"""Hints where a change collides with what notte_ext itself does.

The engine diffs any two documents; for the operations notte_ext wraps it also knows what
the client sends on its own (``page_size=100``, ``only_active`` always) and that every
response is validated against the vendored schema. Keep the values in step with
notte_ext/functions.py: this package never imports the client (layer rule).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from notte_ext.drift.normalize import view
from notte_ext.drift.refs import Resolver
from notte_ext.drift.rules import RULES, VALIDATED, Severity

# (method, path shape) -> query parameters notte_ext sends on every request, with the value
# it sends unless told otherwise.
SENT_BY_DEFAULT: dict[tuple[str, str], dict[str, Any]] = {
    ("get", "/functions/{}/runs"): {"page_size": 100, "only_active": False},
}


def _json_type(value: Any) -> set[str]:
    if isinstance(value, bool):
        return {"boolean"}
    if isinstance(value, int):
        return {"integer", "number"}
    if isinstance(value, float):
        return {"number"}
    return {"string"} if isinstance(value, str) else set()


def _within_bounds(node: dict[str, Any], value: float) -> bool:
    def bound(keyword: str) -> float | None:
        found = node.get(keyword)
        return found if isinstance(found, int | float) and not isinstance(found, bool) else None

    upper, lower = bound("maximum"), bound("minimum")
    strict_upper, strict_lower = bound("exclusiveMaximum"), bound("exclusiveMinimum")
    return (
        (upper is None or value <= upper)
        and (lower is None or value >= lower)
        and (strict_upper is None or value < strict_upper)
        and (strict_lower is None or value > strict_lower)
    )


def accepts(schema: Any, value: Any, resolver: Resolver) -> bool:
    """Whether a (parameter) schema accepts a value: type, enum and numeric bounds only."""
    v = view(schema, resolver)
    if v.variants:
        return any(accepts(member, value, resolver) for member in v.variants)
    if v.types is not None and not v.types & _json_type(value):
        return False
    if v.enum is not None and not any(value == json.loads(option) for option in v.enum):
        return False
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _within_bounds(v.node, value)
    return True


@dataclass(frozen=True)
class Impact:
    """What a change means for notte_ext users beyond its rule: a hint, and a severity when the
    rule's own does not apply to them."""

    hint: str = ""
    severity: Severity | None = None


NO_IMPACT = Impact()


def parameter_impact(
    rule_id: str, *, key: tuple[str, str], name: str, revision_schema: Any, resolver: Resolver
) -> Impact:
    """A change to a parameter notte_ext sends on its own (``page_size``, ``only_active``)."""
    sent = SENT_BY_DEFAULT.get(key, {})
    if name not in sent:
        return NO_IMPACT
    value = sent[name]
    shown = str(value).lower() if isinstance(value, bool) else value
    if rule_id.startswith("request-parameter-removed"):
        return Impact(f"notte_ext sends {name}={shown} on every request: the server no longer documents it")
    if rule_id.startswith("request-parameter-default-value-"):
        # The rule is breaking for clients that leave the parameter out; notte_ext never does.
        hint = f"notte_ext always sends {name} (default {shown}): a server-side default never applies to it"
        return Impact(hint, Severity.INFO)
    if not accepts(revision_schema, value, resolver):
        return Impact(f"notte_ext sends {name}={shown} by default: the revision refuses it, so every listing fails")
    return NO_IMPACT


def validation_impact(rule_id: str) -> Impact:
    """A response change that notte_ext's validation turns into an error."""
    rule = RULES[rule_id]
    if rule.severity is Severity.BREAKING and VALIDATED in rule.description:
        return Impact(
            "notte_ext raises SchemaMismatchError on such responses (it validates them against the vendored spec)"
        )
    return NO_IMPACT
