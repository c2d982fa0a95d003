"""Recursive comparison of two schemas, judged from a generated client's side.

Each finding is relative to the schema it started from; the operation-level diff
prefixes the location. Comparisons of two components are memoized (a component
reached from many operations is compared once) and cut on cycles.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

from notte_ext.drift.normalize import SchemaView, canonical_value, fingerprint, view
from notte_ext.drift.refs import Resolver, escape
from notte_ext.drift.rules import BOUNDS

_DOCS = {"description": "description-changed", "title": "title-changed", "example": "example-changed"}
_DOCS |= {"examples": "example-changed"}


@dataclass(frozen=True)
class Finding:
    rule_id: str
    location: str
    message: str
    # Where in the innermost component the change sits ("#/components/schemas/X/properties/y"):
    # a component reached along several paths reports each of its changes once.
    origin: str = ""

    @property
    def identity(self) -> tuple[str, str, str]:
        return self.rule_id, self.origin or self.location, self.message


def unique(findings: list[Finding]) -> list[Finding]:
    """The first occurrence of each change, in discovery order."""
    seen: set[tuple[str, str, str]] = set()
    kept: list[Finding] = []
    for finding in findings:
        if finding.identity not in seen:
            seen.add(finding.identity)
            kept.append(finding)
    return kept


@dataclass(frozen=True)
class Subject:
    """Where a schema sits; it names the rules (``request-parameter-...``)."""

    direction: str  # "request" or "response"
    name: str

    def rule(self, suffix: str) -> str:
        return f"{self.name}-{suffix}"

    def nested(self) -> Subject:
        return Subject(self.direction, f"{self.direction}-property")


def _at(prefix: str, findings: list[Finding]) -> list[Finding]:
    return [replace(f, location=prefix + f.location) for f in findings]


def _with_integers(types: frozenset[str] | None) -> frozenset[str] | None:
    """Every integer is a number: integer -> number generalizes, number -> integer narrows."""
    return types | {"integer"} if types is not None and "number" in types else types


def _own(raw: Any) -> dict[str, Any]:
    return raw if isinstance(raw, dict) else {}


def _show(values: frozenset[str] | None) -> str:
    return "any" if values is None else ", ".join(sorted(values))


class SchemaComparer:
    def __init__(self, base: Resolver, revision: Resolver, *, include_docs: bool = False) -> None:
        self.base, self.revision, self.include_docs = base, revision, include_docs
        self._cache: dict[tuple[str, str, Subject], list[Finding]] = {}
        self._stack: dict[tuple[object, object], int] = {}
        self._cut_floor = math.inf  # lowest stack depth a cycle cut referred to

    def compare(self, base_raw: Any, revision_raw: Any, subject: Subject) -> list[Finding]:
        b, r = view(base_raw, self.base), view(revision_raw, self.revision)
        out: list[Finding] = []
        if self.include_docs:  # the use site's own words: $ref siblings, an anyOf-with-null wrapper
            self._docs(_own(base_raw), _own(revision_raw), subject, out)
        if b.nullable != r.nullable:
            suffix = "became-nullable" if r.nullable else "became-not-nullable"
            out.append(
                Finding(subject.rule(suffix), "", "null is now allowed" if r.nullable else "null is no longer allowed")
            )
        return out + self._guarded(b, r, subject)

    def _guarded(self, b: SchemaView, r: SchemaView, subject: Subject) -> list[Finding]:
        key = (b.ref or id(b.node), r.ref or id(r.node))
        if key in self._stack:  # a cycle: everything below was or will be reported above
            self._cut_floor = min(self._cut_floor, self._stack[key])
            return []
        cache_key = (b.ref, r.ref, subject) if b.ref and r.ref else None
        if cache_key in self._cache:
            return self._cache[cache_key]
        depth, outer_floor = len(self._stack), self._cut_floor
        self._stack[key], self._cut_floor = depth, math.inf
        try:
            found = self._structure(b, r, subject)
        finally:
            del self._stack[key]
        if b.ref:
            found = unique([f if f.origin else replace(f, origin=b.ref + f.location) for f in found])
        # A result that depends on a cut further up the stack is incomplete elsewhere.
        complete = self._cut_floor >= depth
        self._cut_floor = min(outer_floor, math.inf if complete else self._cut_floor)
        if cache_key and complete:
            self._cache[cache_key] = found
        return found

    def _structure(self, b: SchemaView, r: SchemaView, subject: Subject) -> list[Finding]:
        if b.variants or r.variants:
            return self._variants(b, r, subject)
        out: list[Finding] = []
        if self._types(b, r, subject, out):
            return out  # an incompatible type: what lies below no longer corresponds
        self._format(b.node, r.node, subject, out)
        self._enum(b, r, subject, out)
        self._bounds(b.node, r.node, subject, out)
        self._default_and_pattern(b.node, r.node, subject, out)
        if self.include_docs and (b.ref or r.ref):  # a component's own words (inline ones: see compare)
            self._docs(b.node, r.node, subject, out)
        out += self._properties(b.node, r.node, subject)
        self._additional(b.node, r.node, subject, out)
        if "items" in b.node and "items" in r.node:
            out += _at("/items", self.compare(b.node["items"], r.node["items"], subject))
        return out

    def _types(self, b: SchemaView, r: SchemaView, subject: Subject, out: list[Finding]) -> bool:
        if b.types == r.types:
            return False
        old, new = _with_integers(b.types), _with_integers(r.types)
        message = f"type changed from {_show(b.types)} to {_show(r.types)}"
        if new is None or (old is not None and old <= new):
            out.append(Finding(subject.rule("type-generalized"), "/type", message))
            return subject.direction == "response"
        if old is None or new <= old:
            out.append(Finding(subject.rule("type-specialized"), "/type", message))
            return subject.direction == "request"
        out.append(Finding(subject.rule("type-changed"), "/type", message))
        return True

    @staticmethod
    def _format(b: dict[str, Any], r: dict[str, Any], subject: Subject, out: list[Finding]) -> None:
        old, new = b.get("format"), r.get("format")
        if old == new:
            return
        suffix = "format-added" if old is None else "format-removed" if new is None else "format-changed"
        out.append(Finding(subject.rule(suffix), "/format", f"format changed from {old} to {new}"))

    @staticmethod
    def _enum(b: SchemaView, r: SchemaView, subject: Subject, out: list[Finding]) -> None:
        if b.enum == r.enum:
            return
        if b.enum is None or r.enum is None:
            suffix = "became-enum" if b.enum is None else "no-longer-enum"
            out.append(Finding(subject.rule(suffix), "/enum", f"enum {_show(b.enum)} became {_show(r.enum)}"))
            return
        out.extend(
            Finding(subject.rule("enum-value-added"), "/enum", f"enum value {v} added") for v in sorted(r.enum - b.enum)
        )
        out.extend(
            Finding(subject.rule("enum-value-removed"), "/enum", f"enum value {v} removed")
            for v in sorted(b.enum - r.enum)
        )

    @staticmethod
    def _bounds(b: dict[str, Any], r: dict[str, Any], subject: Subject, out: list[Finding]) -> None:
        for keyword, (slug, _) in BOUNDS.items():  # increased/decreased are rated per bound in rules
            old, new = b.get(keyword), r.get(keyword)
            if old == new:
                continue
            if old is None or new is None:
                suffix = "set" if old is None else "removed"
            else:
                suffix = "increased" if new > old else "decreased"
            message = f"{keyword} changed from {old} to {new}"
            out.append(Finding(subject.rule(f"{slug}-{suffix}"), f"/{keyword}", message))

    @staticmethod
    def _default_and_pattern(b: dict[str, Any], r: dict[str, Any], subject: Subject, out: list[Finding]) -> None:
        for keyword, noun in (("default", "default-value"), ("pattern", "pattern")):
            if keyword not in b and keyword not in r:
                continue
            if keyword in b and keyword in r and canonical_value(b[keyword]) == canonical_value(r[keyword]):
                continue
            suffix = "added" if keyword not in b else "removed" if keyword not in r else "changed"
            message = f"{keyword} changed from {b.get(keyword)!r} to {r.get(keyword)!r}"
            out.append(Finding(subject.rule(f"{noun}-{suffix}"), f"/{keyword}", message))

    @staticmethod
    def _docs(b: dict[str, Any], r: dict[str, Any], subject: Subject, out: list[Finding]) -> None:
        for keyword, suffix in _DOCS.items():
            if b.get(keyword) != r.get(keyword):
                out.append(Finding(subject.rule(suffix), f"/{keyword}", f"{keyword} changed"))

    def _properties(self, b: dict[str, Any], r: dict[str, Any], subject: Subject) -> list[Finding]:
        old, new = b.get("properties") or {}, r.get("properties") or {}
        old_required, new_required = set(b.get("required", [])), set(r.get("required", []))
        nested, direction = subject.nested(), subject.direction
        # The server ignores readOnly properties in requests; clients never see writeOnly ones.
        hidden = "readOnly" if direction == "request" else "writeOnly"
        out: list[Finding] = []
        for name in [*old, *(n for n in new if n not in old)]:
            where = f"/properties/{escape(name)}"
            if name not in new or name not in old:
                schema = self.base.resolve(old[name]) if name in old else self.revision.resolve(new[name])
                if isinstance(schema, dict) and schema.get(hidden):
                    continue
                out.append(
                    self._property_presence(name, where, direction, name in old, name in old_required | new_required)
                )
                continue
            if name in old_required and name not in new_required:
                out.append(Finding(f"{direction}-property-became-optional", where, f"property {name} became optional"))
            elif name in new_required and name not in old_required:
                out.append(Finding(f"{direction}-property-became-required", where, f"property {name} became required"))
            out += _at(where, self.compare(old[name], new[name], nested))
        return out

    @staticmethod
    def _property_presence(name: str, where: str, direction: str, removed: bool, required: bool) -> Finding:
        kind = "required" if required else "optional"
        if removed:
            rule = "request-property-removed" if direction == "request" else f"response-{kind}-property-removed"
            return Finding(rule, where, f"{kind} property {name} removed")
        rule = f"new-{kind}-request-property" if direction == "request" else f"response-{kind}-property-added"
        return Finding(rule, where, f"{kind} property {name} added")

    def _additional(self, b: dict[str, Any], r: dict[str, Any], subject: Subject, out: list[Finding]) -> None:
        old, new = b.get("additionalProperties", True), r.get("additionalProperties", True)
        if isinstance(old, dict) and isinstance(new, dict):
            out += _at("/additionalProperties", self.compare(old, new, subject.nested()))
        elif (old is not False) != (new is not False):
            suffix = "additional-properties-became-open" if old is False else "additional-properties-became-closed"
            out.append(Finding(subject.rule(suffix), "/additionalProperties", suffix.replace("-", " ")))

    def _variants(self, b: SchemaView, r: SchemaView, subject: Subject) -> list[Finding]:
        """Match alternatives by structure; compare the leftovers pairwise when they line up."""
        old = list(b.variants) or [b.node]
        new = list(r.variants) or [r.node]
        new_prints = [fingerprint(m, self.revision) for m in new]
        unmatched_new = list(range(len(new)))
        unmatched_old: list[int] = []
        for i, member in enumerate(old):
            print_ = fingerprint(member, self.base)
            match = next((j for j in unmatched_new if new_prints[j] == print_), None)
            if match is None:
                unmatched_old.append(i)
            else:
                unmatched_new.remove(match)
        keyword = {"anyOf": "any-of", "oneOf": "one-of"}[r.union or b.union]
        if len(unmatched_old) == len(unmatched_new):
            out: list[Finding] = []
            for i, j in zip(unmatched_old, unmatched_new, strict=True):
                out += _at(f"/{r.union or b.union}/{j}", self.compare(old[i], new[j], subject))
            return out
        removed = [
            Finding(subject.rule(f"{keyword}-removed"), f"/{b.union or r.union}/{i}", f"alternative #{i} removed")
            for i in unmatched_old
        ]
        added = [
            Finding(subject.rule(f"{keyword}-added"), f"/{r.union or b.union}/{j}", f"alternative #{j} added")
            for j in unmatched_new
        ]
        return removed + added
