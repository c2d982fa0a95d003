"""Locations people can read: ``GetFunctionRunResponse.status`` instead of a JSON pointer.

A change keeps its JSON pointer (``--format json``); reports show this form. A change inside
a component is named after the innermost component holding it, so the same wording appears
whichever operation reached it; a change in an inline schema is named after where the
schema sits (``query parameter page_size``, ``request body``, ``response 200``).
"""

from __future__ import annotations

from notte_ext.drift.refs import unescape

_COMPONENT = "#/components/"
# Pointer segments that step into a schema: those followed by a name or an index, and those not.
_NAMED_STEPS = {"properties": "{}", "anyOf": "anyOf[{}]", "oneOf": "oneOf[{}]"}
_SUFFIX_STEPS = {"items": "[]", "additionalProperties": "{*}"}
_SECTIONS = {"securitySchemes": "security scheme"}


def _field_path(tokens: list[str]) -> str:
    """``properties/a/items/properties/b/enum`` -> ``a[].b`` (a trailing keyword is left to the message)."""
    out, i = "", 0
    while i < len(tokens):
        if tokens[i] in _SUFFIX_STEPS:
            out += _SUFFIX_STEPS[tokens[i]]
            i += 1
        elif tokens[i] in _NAMED_STEPS and i + 1 < len(tokens):
            out += ("." if out else "") + _NAMED_STEPS[tokens[i]].format(tokens[i + 1])
            i += 2
        else:
            break
    return out


def _joined(place: str, path: str, separator: str) -> str:
    return place + separator + path if path else place


def _tokens(pointer: str) -> list[str]:
    return [unescape(t) for t in pointer.strip("/").split("/") if t] if pointer else []


def readable(pointer: str, origin: str = "") -> str:
    """The place a change sits, for a person; ``origin`` is its pointer inside a component."""
    if origin.startswith(_COMPONENT):
        section, name, *rest = [*_tokens(origin[len(_COMPONENT) :]), "", ""]
        rest = [t for t in rest if t]
        if section == "schemas":
            return _joined(name, _field_path(rest), "" if _field_path(rest).startswith(("[", "{")) else ".")
        return f"{_SECTIONS.get(section, section)} {name}"
    tokens = _tokens(pointer)
    if not tokens:
        return ""
    head, rest = tokens[0], tokens[1:]
    if head == "parameters" and len(rest) >= 2:
        place = f"{rest[0]} parameter {rest[1]}"
        return _joined(place, _field_path(rest[3:]), " ") if rest[2:3] == ["schema"] else place
    if head == "components" and len(rest) >= 2:
        return f"{_SECTIONS.get(rest[0], rest[0])} {rest[1]}"
    if head == "requestBody":
        return "request body" + _schema_part(rest)
    if head == "responses" and rest:
        if rest[1:2] == ["headers"] and len(rest) > 2:
            return f"response {rest[0]} header {rest[2]}"
        return f"response {rest[0]}" + _schema_part(rest[1:])
    return " ".join(tokens)


def _schema_part(tokens: list[str]) -> str:
    """After ``content/<media>/schema``: the field path (the media type only when no schema is reached)."""
    if tokens[:1] == ["content"] and len(tokens) >= 2:
        if tokens[2:3] == ["schema"]:
            return _joined("", _field_path(tokens[3:]), " ")
        return f" {tokens[1]}"
    return ""
