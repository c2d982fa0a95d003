"""``components.securitySchemes``: how credentials are sent, compared scheme by scheme.

Operations report which schemes they require (``api-security-*``); this reports what
changed inside a scheme both documents define. A scheme that now takes credentials another
way (type, HTTP scheme, apiKey location or name) refuses the client's.
"""

from __future__ import annotations

from typing import Any

from notte_ext.drift.changes import Change
from notte_ext.drift.limits import Budget
from notte_ext.drift.refs import escape

_WHERE = "/components/securitySchemes"
_OPERATION = "components"
_URLS = ("authorizationUrl", "tokenUrl", "refreshUrl")


def _schemes(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    components = document.get("components") or {}
    schemes = components.get("securitySchemes") if isinstance(components, dict) else None
    if not isinstance(schemes, dict):
        return {}
    return {str(name): scheme for name, scheme in schemes.items() if isinstance(scheme, dict)}


def _how_sent(scheme: dict[str, Any]) -> tuple[str, ...]:
    """What the client must do to present the credential; case-insensitive where HTTP is."""
    kind = str(scheme.get("type"))
    if kind == "http":
        return kind, str(scheme.get("scheme", "")).lower()
    if kind == "apiKey":
        where = str(scheme.get("in"))
        name = str(scheme.get("name"))
        return kind, where, name.lower() if where == "header" else name
    return (kind,)


def _flows(scheme: dict[str, Any]) -> dict[str, dict[str, Any]]:
    flows = scheme.get("flows")
    return {str(k): v for k, v in flows.items() if isinstance(v, dict)} if isinstance(flows, dict) else {}


def security_scheme_changes(
    base: dict[str, Any], revision: dict[str, Any], budget: Budget | None = None
) -> list[Change]:
    old, new = _schemes(base), _schemes(revision)
    changes: list[Change] = []
    budget = budget or Budget()

    def add(rule_id: str, name: str, message: str, tail: str = "") -> None:
        budget.report()
        changes.append(Change.of(rule_id, _OPERATION, f"{_WHERE}/{escape(name)}{tail}", message))

    for name in sorted(old.keys() - new.keys()):
        add("api-security-component-removed", name, f"security scheme {name} removed")
    for name in sorted(new.keys() - old.keys()):
        add("api-security-component-added", name, f"security scheme {name} added")
    for name in sorted(old.keys() & new.keys()):
        before, after = _how_sent(old[name]), _how_sent(new[name])
        if before != after:
            add("api-security-component-type-changed", name, f"{name}: {' '.join(before)} -> {' '.join(after)}")
            continue
        old_flows, new_flows = _flows(old[name]), _flows(new[name])
        for flow in sorted(old_flows.keys() & new_flows.keys()):
            tail = f"/flows/{escape(flow)}"
            for url in _URLS:
                if old_flows[flow].get(url) != new_flows[flow].get(url):
                    message = f"{name} {flow} {url}: {old_flows[flow].get(url)} -> {new_flows[flow].get(url)}"
                    add("api-security-component-oauth-url-changed", name, message, tail)
            old_scopes = old_flows[flow].get("scopes") or {}
            new_scopes = new_flows[flow].get("scopes") or {}
            for scope in sorted(set(new_scopes) - set(old_scopes)):
                add("api-security-component-oauth-scope-added", name, f"{name} {flow} scope {scope} added", tail)
            for scope in sorted(set(old_scopes) - set(new_scopes)):
                add("api-security-component-oauth-scope-removed", name, f"{name} {flow} scope {scope} removed", tail)
    return changes
