"""Semantic diff of two OpenAPI documents, operation by operation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import Any

from notte_ext.drift.changes import Change, ordered
from notte_ext.drift.errors import SpecError
from notte_ext.drift.guard import guarded
from notte_ext.drift.impact import Impact, parameter_impact, validation_impact
from notte_ext.drift.limits import Budget
from notte_ext.drift.normalize import view
from notte_ext.drift.operations import Operation, operations, parameter_schema, parameters
from notte_ext.drift.reading import NOTTE_EXT, Reading
from notte_ext.drift.refs import Resolver, escape
from notte_ext.drift.schema_diff import Finding, SchemaComparer, Subject
from notte_ext.drift.security import security_scheme_changes

_REQUEST_PARAMETER = Subject("request", "request-parameter")
# A parameter given by `schema` (not `content`) is serialised by its style: its values travel as text.
_TEXT_PARAMETER = Subject("request", "request-parameter", as_text=True)
_REQUEST_BODY = Subject("request", "request-body")
_RESPONSE_BODY = Subject("response", "response-body")


def _media_type(name: str) -> str:
    """``application/json; charset=utf-8`` is still JSON."""
    return name.split(";")[0].strip().lower()


def _content(node: dict[str, Any]) -> dict[str, dict[str, Any]]:
    content = node.get("content") or {}
    return {_media_type(k): v if isinstance(v, dict) else {} for k, v in content.items()}


class _OperationDiff:
    """Compares one matched pair of operations, collecting changes under its label."""

    def __init__(self, base: Operation, revision: Operation, differ: DocumentDiff) -> None:
        self.base, self.revision, self.differ = base, revision, differ
        self.changes: list[Change] = []
        self._seen: set[tuple[str, str, str]] = set()

    def add(self, rule_id: str, location: str, message: str, *, origin: str = "", impact: Impact | None = None) -> None:
        self.differ.budget.report()
        impact = impact or validation_impact(rule_id)
        change = Change.of(rule_id, self.base.label, location, message, origin=origin, hint=impact.hint)
        self.changes.append(replace(change, severity=impact.severity) if impact.severity else change)

    def add_findings(
        self, prefix: str, findings: list[Finding], impact: Callable[[str], Impact] = validation_impact
    ) -> None:
        # Report each component change once per operation, at the first place it is reached.
        for finding in findings:
            identity = (finding.rule_id, finding.origin or prefix + finding.location, finding.message)
            if identity not in self._seen:
                self._seen.add(identity)
                self.add(
                    finding.rule_id,
                    prefix + finding.location,
                    finding.message,
                    origin=finding.origin,
                    impact=impact(finding.rule_id),
                )

    def run(self) -> list[Change]:
        b, r = self.base.node, self.revision.node
        if b.get("operationId") != r.get("operationId"):
            self.add(
                "api-operation-id-updated",
                "/operationId",
                f"operationId {b.get('operationId')} -> {r.get('operationId')}",
            )
        if bool(b.get("deprecated")) != bool(r.get("deprecated")):
            self.add(
                "endpoint-deprecated" if r.get("deprecated") else "endpoint-reactivated",
                "/deprecated",
                "deprecation changed",
            )
        if self.differ.include_docs:
            for keyword in ("summary", "description"):
                if b.get(keyword) != r.get(keyword):
                    self.add(f"api-{keyword}-changed", f"/{keyword}", f"{keyword} changed")
        self.security()
        self.parameters()
        self.request_body()
        self.responses()
        return self.changes

    def security(self) -> None:
        def alternatives(document: dict[str, Any], node: dict[str, Any]) -> dict[frozenset[str], dict[str, set[str]]]:
            requirements = node.get("security", document.get("security")) or []
            return {
                frozenset(req): {k: set(v or []) for k, v in req.items()}
                for req in requirements
                if isinstance(req, dict)
            }

        old = alternatives(self.differ.base.document, self.base.node)
        new = alternatives(self.differ.revision.document, self.revision.node)
        old_anonymous, new_anonymous = not old or frozenset() in old, not new or frozenset() in new
        if old_anonymous and not new_anonymous:
            self.add("api-security-added", "/security", f"authentication now required: {_schemes(new)}")
        elif new_anonymous and not old_anonymous:
            self.add("api-security-removed", "/security", "authentication no longer required")
        for schemes in old.keys() - new.keys() - {frozenset()}:
            if not new_anonymous:
                self.add("api-security-alternative-removed", "/security", f"{_schemes([schemes])} no longer accepted")
        for schemes in new.keys() - old.keys() - {frozenset()}:
            if not old_anonymous:
                self.add("api-security-alternative-added", "/security", f"{_schemes([schemes])} now accepted")
        for schemes in old.keys() & new.keys():
            for scheme in sorted(schemes):
                for scope in sorted(new[schemes][scheme] - old[schemes][scheme]):
                    self.add("api-security-scope-added", "/security", f"{scheme} now requires scope {scope}")
                for scope in sorted(old[schemes][scheme] - new[schemes][scheme]):
                    self.add("api-security-scope-removed", "/security", f"{scheme} no longer requires scope {scope}")

    def parameters(self) -> None:
        old = parameters(self.base, self.differ.base)
        new = parameters(self.revision, self.differ.revision)
        for key, param in old.items():
            where = f"/parameters/{param.get('in')}/{escape(str(param.get('name')))}"
            name = f"{param.get('in')} parameter {param.get('name')}"
            other = new.get(key)
            if other == param and "$ref" not in repr(param):
                continue  # the very same self-contained parameter: nothing below it can differ
            rate = partial(
                parameter_impact,
                key=self.base.key,
                name=str(param.get("name")),
                revision_schema=None if other is None else parameter_schema(other),
                resolver=self.differ.revision,
            )
            if other is None:
                rule = _removal_rule("request-parameter-removed", param, self.differ.today)
                self.add(rule, where, f"{name} removed", impact=rate(rule))
                continue
            if param.get("required") and not other.get("required"):
                self.add("request-parameter-became-optional", where, f"{name} became optional")
            elif other.get("required") and not param.get("required"):
                self.add("request-parameter-became-required", where, f"{name} became required")
            if other.get("deprecated") and not param.get("deprecated"):
                self.add("request-parameter-deprecated", where, f"{name} deprecated")
            if self.differ.include_docs:
                if param.get("name") != other.get("name"):
                    self.add("request-path-parameter-renamed", where, f"{name} renamed to {other.get('name')}")
                if param.get("description") != other.get("description"):
                    self.add("request-parameter-description-changed", where, f"{name} description changed")
            subject = _TEXT_PARAMETER if "schema" in param and "schema" in other else _REQUEST_PARAMETER
            findings = self.differ.schemas.compare(parameter_schema(param), parameter_schema(other), subject)
            self.add_findings(f"{where}/schema", findings, rate)
        for key, param in new.items():
            if key not in old:
                kind = "required" if param.get("required") else "optional"
                where = f"/parameters/{param.get('in')}/{escape(str(param.get('name')))}"
                self.add(
                    f"new-{kind}-request-parameter",
                    where,
                    f"{kind} {param.get('in')} parameter {param.get('name')} added",
                )

    def request_body(self) -> None:
        old = self.differ.base.resolve(self.base.node.get("requestBody"))
        new = self.differ.revision.resolve(self.revision.node.get("requestBody"))
        if not isinstance(old, dict) and not isinstance(new, dict):
            return
        if not isinstance(old, dict):
            kind = "required" if new.get("required") else "optional"
            self.add(f"request-body-added-{kind}", "/requestBody", f"{kind} request body added")
            return
        if not isinstance(new, dict):
            self.add("request-body-removed", "/requestBody", "request body removed")
            return
        if bool(old.get("required")) != bool(new.get("required")):
            rule = "request-body-became-required" if new.get("required") else "request-body-became-optional"
            self.add(rule, "/requestBody", rule.replace("-", " "))
        self.contents("/requestBody", old, new, "request-body-media-type", _REQUEST_BODY)

    def contents(self, where: str, old: dict[str, Any], new: dict[str, Any], rule: str, subject: Subject) -> None:
        old_content, new_content = _content(old), _content(new)
        for media, entry in old_content.items():
            location = f"{where}/content/{escape(media)}"
            if media not in new_content:
                self.add(f"{rule}-removed", location, f"media type {media} removed")
            elif "schema" in entry and "schema" in new_content[media]:
                findings = self.differ.schemas.compare(entry["schema"], new_content[media]["schema"], subject)
                self.add_findings(f"{location}/schema", findings)
            elif "schema" in entry or "schema" in new_content[media]:
                suffix = "removed" if "schema" in entry else "added"
                rule_id = f"{subject.name}-media-type-schema-{suffix}"
                self.add(rule_id, f"{location}/schema", f"media type {media}: schema {suffix}")
        for media in sorted(new_content.keys() - old_content.keys()):
            self.add(f"{rule}-added", f"{where}/content/{escape(media)}", f"media type {media} added")

    def responses(self) -> None:
        old = {str(k): v for k, v in (self.base.node.get("responses") or {}).items()}
        new = {str(k): v for k, v in (self.revision.node.get("responses") or {}).items()}
        for status, raw in old.items():
            kind = "success" if status.startswith("2") else "non-success"
            if status not in new:
                self.add(f"response-{kind}-status-removed", f"/responses/{status}", f"status {status} removed")
                continue
            old_response, new_response = self.differ.base.resolve(raw), self.differ.revision.resolve(new[status])
            if isinstance(old_response, dict) and isinstance(new_response, dict):
                self.contents(f"/responses/{status}", old_response, new_response, "response-media-type", _RESPONSE_BODY)
                self.headers(f"/responses/{status}", old_response, new_response)
        for status in sorted(new.keys() - old.keys()):
            kind = "success" if status.startswith("2") else "non-success"
            self.add(f"response-{kind}-status-added", f"/responses/{status}", f"status {status} added")

    def headers(self, where: str, old: dict[str, Any], new: dict[str, Any]) -> None:
        """Response headers, matched by name (ignoring case, unless the reading says otherwise):
        removals, requiredness, schema type."""
        fold = self.differ.reading.header_names_ignore_case
        old_headers, new_headers = _headers(old, self.differ.base, fold), _headers(new, self.differ.revision, fold)
        for key, (name, header) in old_headers.items():
            location = f"{where}/headers/{escape(name)}"
            other = new_headers.get(key, ("", None))[1]
            if other is None:
                kind = "required" if header.get("required") else "optional"
                self.add(f"{kind}-response-header-removed", location, f"{kind} header {name} removed")
                continue
            if bool(header.get("required")) != bool(other.get("required")):
                rule = "response-header-became-required" if other.get("required") else "response-header-became-optional"
                self.add(rule, location, f"header {name} became {rule.rsplit('-', 1)[1]}")
            old_view = view(parameter_schema(header), self.differ.base)
            new_view = view(parameter_schema(other), self.differ.revision)
            if (old_view.types, old_view.nullable) != (new_view.types, new_view.nullable):
                message = (
                    f"header {name} type {sorted(old_view.types or ['any'])} -> {sorted(new_view.types or ['any'])}"
                )
                self.add("response-header-type-changed", location, message)
        for key in sorted(new_headers.keys() - old_headers.keys()):
            name = new_headers[key][0]
            self.add("response-header-added", f"{where}/headers/{escape(name)}", f"header {name} added")


def _headers(response: dict[str, Any], resolver: Resolver, fold: bool) -> dict[str, tuple[str, dict[str, Any]]]:
    """Name (lower-cased when ``fold``: HTTP header names ignore case) -> (name as written, resolved header)."""
    raw = response.get("headers") or {}
    if not isinstance(raw, dict):
        return {}
    resolved = {str(name): resolver.resolve(header) for name, header in raw.items()}
    return {
        name.lower() if fold else name: (name, header) for name, header in resolved.items() if isinstance(header, dict)
    }


def _sunset(node: dict[str, Any]) -> dt.date | None:
    """The ``x-sunset`` date of a deprecated operation or parameter (an ISO date, or YAML's own date)."""
    value = node.get("x-sunset")
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value is not None else None
    except ValueError:
        return None


def _removal_rule(plain: str, node: dict[str, Any], today: dt.date) -> str:
    """``plain`` for a removal without deprecation; deprecated ones are judged by their ``x-sunset``."""
    if not node.get("deprecated"):
        return plain
    sunset = _sunset(node)
    stem = plain.removesuffix("-without-deprecation").removesuffix("-removed") + "-removed"
    return f"{stem}-before-sunset" if sunset is not None and sunset > today else f"{stem}-with-deprecation"


def _schemes(alternatives: Any) -> str:
    return " or ".join(" + ".join(sorted(alt)) for alt in sorted(alternatives, key=sorted)) or "none"


class DocumentDiff:
    """Two documents and the shared state (resolvers, schema memo) of comparing them."""

    def __init__(
        self,
        base: dict[str, Any],
        revision: dict[str, Any],
        *,
        include_docs: bool = False,
        today: dt.date | None = None,
        reading: Reading = NOTTE_EXT,
    ) -> None:
        self.base, self.revision = Resolver(base), Resolver(revision)
        self.include_docs, self.reading = include_docs, reading
        self.today = today or dt.datetime.now(dt.UTC).date()
        self.budget = Budget()
        self.schemas = SchemaComparer(
            self.base, self.revision, include_docs=include_docs, budget=self.budget, reading=reading
        )

    def changes(self) -> list[Change]:
        old = operations(self.base.document, self.base)
        new = operations(self.revision.document, self.revision)
        found: list[Change] = []
        for key, operation in old.items():
            if key in new:
                try:
                    found += _OperationDiff(operation, new[key], self).run()
                except SpecError as exc:  # say which operation reaches the malformed part
                    raise SpecError(f"{operation.label}: {exc}") from None
            else:
                self.budget.report()
                rule = _removal_rule("api-removed-without-deprecation", operation.node, self.today)
                found.append(Change.of(rule, operation.label, "", "operation removed"))
        added = [op for key, op in new.items() if key not in old]
        self.budget.report(len(added))
        found += [Change.of("endpoint-added", op.label, "", "operation added") for op in added]
        found += security_scheme_changes(self.base.document, self.revision.document, self.budget)
        return ordered(found)


@guarded
def diff_documents(
    base: dict[str, Any],
    revision: dict[str, Any],
    *,
    include_docs: bool = False,
    today: dt.date | None = None,
    reading: Reading = NOTTE_EXT,
) -> list[Change]:
    """Every change from ``base`` to ``revision``, most severe first.

    ``today`` (default: the UTC date) decides whether a deprecated operation or parameter was
    removed before its ``x-sunset`` date; ``reading`` where tools disagree on what changed
    (``profiles.reading_of``). Raises only ``SpecError`` for malformed documents.
    """
    return DocumentDiff(base, revision, include_docs=include_docs, today=today, reading=reading).changes()
