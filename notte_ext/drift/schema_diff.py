"""Recursive comparison of two schemas, judged from a generated client's side.

Each finding is relative to the schema it started from; the operation-level diff
prefixes the location. Comparisons of two components are memoized (a component
reached from many operations is compared once) and cut on cycles.
"""

from __future__ import annotations

import math
from collections import Counter, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from notte_ext.drift.errors import SpecError
from notte_ext.drift.limits import Budget, check_elements
from notte_ext.drift.normalize import SchemaView, canonical_value, fingerprint, own_view, view
from notte_ext.drift.reading import NOTTE_EXT, Reading
from notte_ext.drift.refs import Resolver, escape
from notte_ext.drift.rules import BOUNDS

_DOCS = {"description": "description-changed", "title": "title-changed", "example": "example-changed"}
_DOCS |= {"examples": "example-changed"}
# Patterns that accept every string: loosening to one of them is oasdiff's "pattern-generalized".
_ANY_PATTERN = frozenset({".*", "^.*$", "^.*", ".*$", "(.*)", "^(.*)$"})
# The flag that hides a property from a direction: the server never reads readOnly ones in
# requests, and never sends writeOnly ones in responses.
_HIDDEN = {"request": "readOnly", "response": "writeOnly"}
_FLAG_SLUG = {"readOnly": "read-only", "writeOnly": "write-only"}


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
    # Values travel as text (a query/path/header parameter, or a property of one, serialised by its
    # style): 5 and "5" look the same on the wire, so a string accepts what any scalar type sent.
    as_text: bool = False

    def rule(self, suffix: str) -> str:
        return f"{self.name}-{suffix}"

    def nested(self) -> Subject:
        return Subject(self.direction, f"{self.direction}-property", self.as_text)


def _at(prefix: str, findings: list[Finding]) -> list[Finding]:
    return [replace(f, location=prefix + f.location) for f in findings]


def _with_integers(types: frozenset[str] | None) -> frozenset[str] | None:
    """Every integer is a number: integer -> number generalizes, number -> integer narrows."""
    return types | {"integer"} if types is not None and "number" in types else types


_SCALARS = frozenset({"string", "number", "integer", "boolean"})


def _accepted(types: frozenset[str] | None, subject: Subject) -> frozenset[str] | None:
    """The types whose values a schema of ``types`` accepts where ``subject`` sits. As text, a string
    takes any scalar's spelling (number -> string sends the same "5"), as oasdiff reads parameters."""
    types = _with_integers(types)
    return types | _SCALARS if subject.as_text and types is not None and "string" in types else types


def _written(schema: SchemaView) -> frozenset[str] | None:
    """The types a schema states: none when only its properties or items imply one."""
    return schema.types if "type" in schema.node else None


def _keyword_first(b: SchemaView, r: SchemaView) -> tuple[bool, bool]:
    """Nullability as oasdiff reads it: the `nullable` keyword when it differs, else every spelling."""
    old, new = b.node.get("nullable") is True, r.node.get("nullable") is True
    return (old, new) if old != new else (b.nullable, r.nullable)


def _has_all_of(raw: Any, resolver: Resolver) -> bool:
    node = resolver.follow(raw)[1]
    return isinstance(node, dict) and "allOf" in node


def _own(raw: Any) -> dict[str, Any]:
    return raw if isinstance(raw, dict) else {}


def _show(values: frozenset[str] | None) -> str:
    return "any" if values is None else ", ".join(sorted(values))


class SchemaComparer:
    def __init__(
        self,
        base: Resolver,
        revision: Resolver,
        *,
        include_docs: bool = False,
        budget: Budget | None = None,
        reading: Reading = NOTTE_EXT,
    ) -> None:
        self.base, self.revision, self.include_docs, self.reading = base, revision, include_docs, reading
        self.budget = budget or Budget()
        self._cache: dict[tuple[str, str, Subject], list[Finding]] = {}
        self._stack: dict[tuple[object, object], int] = {}
        self._cut_floor = math.inf  # lowest stack depth a cycle cut referred to

    def compare(self, base_raw: Any, revision_raw: Any, subject: Subject) -> list[Finding]:
        self.budget.visit(len(self._stack))
        b, r = self._views(base_raw, revision_raw)
        out: list[Finding] = []
        if self.include_docs:  # the use site's own words: $ref siblings, an anyOf-with-null wrapper
            self._docs(_own(base_raw), _own(revision_raw), subject, out)
        old_null, new_null = (b.nullable, r.nullable) if self.reading.nullable_spellings_equal else _keyword_first(b, r)
        if old_null != new_null:
            suffix = "became-nullable" if new_null else "became-not-nullable"
            out.append(
                Finding(subject.rule(suffix), "", "null is now allowed" if new_null else "null is no longer allowed")
            )
        return out + self._guarded(b, r, subject)

    def _views(self, base_raw: Any, revision_raw: Any) -> tuple[SchemaView, SchemaView]:
        # oasdiff pairs two allOf wrappers member by member (merging both approximates that), but
        # reads a wrapper against a plain schema by the wrapper's own keywords.
        if not self.reading.all_of_merged and _has_all_of(base_raw, self.base) != _has_all_of(
            revision_raw, self.revision
        ):
            return own_view(base_raw, self.base), own_view(revision_raw, self.revision)
        return view(base_raw, self.base), view(revision_raw, self.revision)

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
        except SpecError as exc:
            message = str(exc)
            if message.startswith(_MALFORMED) and (b.ref or r.ref):  # name the innermost component
                raise SpecError(f"{_component(b.ref or r.ref)}: {message}") from None
            raise
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
        out: list[Finding] = []
        self._discriminator(b.node, r.node, subject, out)
        if b.variants or r.variants:
            return out + self._variants(b, r, subject)
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
        old_types, new_types = (b.types, r.types) if self.reading.implied_types else (_written(b), _written(r))
        if old_types == new_types:
            return False
        old, new = _with_integers(old_types), _accepted(new_types, subject)
        message = f"type changed from {_show(old_types)} to {_show(new_types)}"
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
            if keyword not in b and keyword not in r:
                continue
            old, new = _number(b, keyword), _number(r, keyword)
            if old == new:
                continue
            if old is None or new is None:
                suffix = "set" if old is None else "removed"
            else:
                suffix = "increased" if new > old else "decreased"
            message = _change_message(keyword, old, new)
            out.append(Finding(subject.rule(f"{slug}-{suffix}"), f"/{keyword}", message))

    @staticmethod
    def _default_and_pattern(b: dict[str, Any], r: dict[str, Any], subject: Subject, out: list[Finding]) -> None:
        for keyword, noun in (("default", "default-value"), ("pattern", "pattern")):
            had, has = _present(b, keyword), _present(r, keyword)
            if not had and not has:
                continue
            if had and has and canonical_value(b[keyword]) == canonical_value(r[keyword]):
                continue
            suffix = "added" if not had else "removed" if not has else "changed"
            if keyword == "pattern" and r.get(keyword) in _ANY_PATTERN:
                if suffix == "added":  # a pattern that accepts everything restricts nothing
                    continue
                suffix = "generalized"
            message = _change_message(keyword, b[keyword] if had else None, r[keyword] if has else None)
            out.append(Finding(subject.rule(f"{noun}-{suffix}"), f"/{keyword}", message))

    @staticmethod
    def _discriminator(b: dict[str, Any], r: dict[str, Any], subject: Subject, out: list[Finding]) -> None:
        old, new = _mapping_or_none(b, "discriminator"), _mapping_or_none(r, "discriminator")
        if old is None and new is None:
            return
        if old is None or new is None:
            suffix = "discriminator-added" if old is None else "discriminator-removed"
            out.append(Finding(subject.rule(suffix), "/discriminator", suffix.replace("-", " ")))
            return
        if old.get("propertyName") != new.get("propertyName"):
            message = f"discriminator property {old.get('propertyName')} -> {new.get('propertyName')}"
            out.append(Finding(subject.rule("discriminator-property-name-changed"), "/discriminator", message))
        old_map, new_map = _mapping_or_none(old, "mapping") or {}, _mapping_or_none(new, "mapping") or {}
        for value in sorted(old_map.keys() | new_map.keys(), key=str):
            where = f"/discriminator/mapping/{escape(str(value))}"
            if value not in new_map:
                out.append(Finding(subject.rule("discriminator-mapping-deleted"), where, f"mapping {value} deleted"))
            elif value not in old_map:
                out.append(Finding(subject.rule("discriminator-mapping-added"), where, f"mapping {value} added"))
            elif _target_name(old_map[value]) != _target_name(new_map[value]):
                message = f"mapping {value}: {old_map[value]} -> {new_map[value]}"
                out.append(Finding(subject.rule("discriminator-mapping-changed"), where, message))

    @staticmethod
    def _docs(b: dict[str, Any], r: dict[str, Any], subject: Subject, out: list[Finding]) -> None:
        for keyword, suffix in _DOCS.items():
            if b.get(keyword) != r.get(keyword):
                out.append(Finding(subject.rule(suffix), f"/{keyword}", f"{keyword} changed"))

    def _properties(self, b: dict[str, Any], r: dict[str, Any], subject: Subject) -> list[Finding]:
        old, new = _mapping(b, "properties"), _mapping(r, "properties")
        check_elements(max(len(old), len(new)), "properties")
        old_required, new_required = set(_names(b, "required")), set(_names(r, "required"))
        nested, direction = subject.nested(), subject.direction
        hidden = _HIDDEN[direction]
        out: list[Finding] = []
        for name in [*old, *(n for n in new if n not in old)]:
            where = f"/properties/{escape(name)}"
            if name not in new or name not in old:
                side = self.base if name in old else self.revision
                if _flag(old[name] if name in old else new[name], side, hidden):
                    continue  # never crosses the wire in this direction
                out.append(
                    self._property_presence(name, where, direction, name in old, name in old_required | new_required)
                )
                continue
            flags = {
                flag: (_flag(old[name], self.base, flag), _flag(new[name], self.revision, flag))
                for flag in _HIDDEN.values()
            }
            kind = "required" if name in old_required else "optional"
            for flag, (before, after) in flags.items():
                if before != after:
                    rule = f"{direction}-{kind}-property-became-{'' if after else 'not-'}{_FLAG_SLUG[flag]}"
                    out.append(Finding(rule, where, f"property {name} {'became' if after else 'is no longer'} {flag}"))
            if any(flags[hidden]):
                continue  # hidden on one side at least: what it requires or holds does not reach the client
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
        """Pair alternatives by ``$ref`` name, then by equal structure, then by title or type;
        a paired alternative reports its own changes, the rest are removed or added."""
        old = list(b.variants) or [_as_member(b)]
        new = list(r.variants) or [_as_member(r)]
        old_keyword, new_keyword = b.union or r.union, r.union or b.union
        pairs: list[tuple[int, int]] = []
        left_old, left_new = list(range(len(old))), list(range(len(new)))
        old_prints = [fingerprint(m, self.base) for m in old]
        new_prints = [fingerprint(m, self.revision) for m in new]
        old_names, new_names = [_ref_name(m) for m in old], [_ref_name(m) for m in new]
        keys: list[tuple[Sequence[str | None], Sequence[str | None]]] = [(old_names, new_names)]
        by_structure = self.reading.union_refs_match_by_structure
        if by_structure:
            keys.append((old_prints, new_prints))
        else:  # oasdiff: equal structure pairs an inline alternative with either kind, never two $refs
            keys.append((_keep(old_prints, old_names, refs=False), new_prints))
            keys.append((_keep(old_prints, old_names, refs=True), _keep(new_prints, new_names, refs=False)))
        for old_keys, new_keys in keys:
            _pair(left_old, left_new, old_keys.__getitem__, new_keys.__getitem__, pairs)
        # Under oasdiff's reading a $ref alternative left over is removed or added (a renamed one: both).
        unpaired_old = [] if by_structure else [i for i in left_old if old_names[i]]
        unpaired_new = [] if by_structure else [j for j in left_new if new_names[j]]
        left_old = [i for i in left_old if i not in unpaired_old]
        left_new = [j for j in left_new if j not in unpaired_new]
        if len(left_old) == len(left_new):  # one-for-one replacements: compare them in order
            pairs += zip(left_old, left_new, strict=True)
            left_old, left_new = [], []
        else:
            similar = (lambda i: _likeness(old[i], self.base), lambda j: _likeness(new[j], self.revision))
            _pair(left_old, left_new, *similar, pairs, unique_only=True)
        left_old, left_new = sorted(left_old + unpaired_old), sorted(left_new + unpaired_new)
        out: list[Finding] = []
        for i, j in sorted(pairs, key=lambda pair: pair[1]):
            out += _at(f"/{new_keyword}/{j}", self.compare(old[i], new[j], subject))
        keyword = {"anyOf": "any-of", "oneOf": "one-of"}[new_keyword]
        out += [
            Finding(
                subject.rule(f"{keyword}-removed"), f"/{old_keyword}/{i}", f"alternative {_label(old[i], i)} removed"
            )
            for i in left_old
        ]
        out += [
            Finding(subject.rule(f"{keyword}-added"), f"/{new_keyword}/{j}", f"alternative {_label(new[j], j)} added")
            for j in left_new
        ]
        return out


def _pair(
    left_old: list[int],
    left_new: list[int],
    old_key: Callable[[int], object],
    new_key: Callable[[int], object],
    pairs: list[tuple[int, int]],
    *,
    unique_only: bool = False,
) -> None:
    """Move (old, new) index pairs whose keys are equal (and not None) from the leftovers to ``pairs``.

    Each old index, in order, takes the first unpaired new index with its key. Linear in the
    number of alternatives (a union may have thousands): new indices wait in a queue per key.
    """
    old_keys = {i: old_key(i) for i in left_old}
    new_keys = {j: new_key(j) for j in left_new}
    waiting: dict[object, deque[int]] = {}
    for j in left_new:
        waiting.setdefault(new_keys[j], deque()).append(j)
    old_counts = Counter(old_keys.values())
    paired_old, paired_new = set(), set()
    for i in left_old:
        key = old_keys[i]
        if key is None or not waiting.get(key):
            continue
        if unique_only and (old_counts[key] > 1 or len(waiting[key]) > 1):
            continue
        j = waiting[key].popleft()
        pairs.append((i, j))
        paired_old.add(i)
        paired_new.add(j)
    left_old[:] = [i for i in left_old if i not in paired_old]
    left_new[:] = [j for j in left_new if j not in paired_new]


def _keep(prints: Sequence[str], names: Sequence[str | None], *, refs: bool) -> list[str | None]:
    """The fingerprints of only the $ref alternatives (``refs``) or only the inline ones; None elsewhere."""
    return [fp if (name is not None) == refs else None for fp, name in zip(prints, names, strict=True)]


def _as_member(schema: SchemaView) -> Any:
    """A plain schema facing a union: its reference when it has one, so it can match by name."""
    return {"$ref": schema.ref} if schema.ref else schema.node


def _ref_name(member: Any) -> str | None:
    """The component an alternative names (``#/components/schemas/Dog`` -> ``Dog``)."""
    ref = member.get("$ref") if isinstance(member, dict) else None
    return ref.rsplit("/", 1)[-1] if isinstance(ref, str) else None


def _likeness(member: Any, resolver: Resolver) -> object:
    """What an inline alternative is about, when its structure changed: its title, else its types."""
    v = view(member, resolver)
    title = v.node.get("title")
    if isinstance(title, str):
        return ("title", title)
    return ("types", tuple(sorted(v.types))) if v.types else None


def _label(member: Any, index: int) -> str:
    return _ref_name(member) or f"#{index}"


def _target_name(value: Any) -> str:
    """A discriminator mapping target: a component reference or a bare schema name."""
    return str(value).rsplit("/", 1)[-1]


def _present(node: dict[str, Any], keyword: str) -> bool:
    """Whether ``node`` has ``keyword``; an empty pattern matches every string, as an absent one does
    (oasdiff reads both as no pattern: '' -> '^a$' is a pattern added)."""
    return keyword in node and not (keyword == "pattern" and node[keyword] == "")


def _change_message(keyword: str, old: Any, new: Any) -> str:
    """``maximum 100 -> 50``, ``pattern "^a" added``: values in JSON spelling, as the document has them."""
    if old is None:
        return f"{keyword} {canonical_value(new)} added"
    if new is None:
        return f"{keyword} {canonical_value(old)} removed"
    return f"{keyword} changed from {canonical_value(old)} to {canonical_value(new)}"


_MALFORMED = "malformed schema"


def _component(ref: str | None) -> str:
    return str(ref).rsplit("/", 1)[-1]


def _number(node: dict[str, Any], keyword: str) -> float | None:
    value = node.get(keyword)
    if value is None or (isinstance(value, int | float) and not isinstance(value, bool)):
        return value
    raise SpecError(f"{_MALFORMED}: {keyword} must be a number, got {value!r}")


def _mapping(node: dict[str, Any], keyword: str) -> dict[str, Any]:
    return _mapping_or_none(node, keyword) or {}


def _mapping_or_none(node: dict[str, Any], keyword: str) -> dict[str, Any] | None:
    value = node.get(keyword)
    if value is None or isinstance(value, dict):
        return value
    raise SpecError(f"{_MALFORMED}: {keyword} must be a mapping, got {value!r}")


def _names(node: dict[str, Any], keyword: str) -> list[str]:
    value = node.get(keyword, [])
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    raise SpecError(f"{_MALFORMED}: {keyword} must be a list of names, got {value!r}")


def _flag(raw: Any, resolver: Resolver, flag: str) -> bool:
    """readOnly/writeOnly as the use site says it (a $ref sibling) or the schema itself does."""
    if isinstance(raw, dict) and (flag in raw or ("$ref" not in raw and "allOf" not in raw)):
        return raw.get(flag) is True
    node = resolver.resolve(raw)
    if not isinstance(node, dict):
        return False
    if flag in node or "allOf" not in node:  # the cheap common case: no view needed
        return node.get(flag) is True
    return view(raw, resolver).node.get(flag) is True
