"""Render changes as text, JSON, Markdown or GitHub workflow annotations, and decide the exit status."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace

from notte_ext._messages import printable, redact_urls
from notte_ext.drift.changes import Change, summary
from notte_ext.drift.limits import check_report
from notte_ext.drift.profiles import severity_in
from notte_ext.drift.rules import RULES, Severity

FORMATS = ("text", "json", "markdown", "github")
FAIL_LEVELS = ("breaking", "warning", "any")
# https://docs.github.com/actions/reference/workflow-commands-for-github-actions
_ANNOTATION = {Severity.BREAKING: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def fails(changes: Sequence[Change], fail_on: str) -> bool:
    """Whether any change is at or above the level (``any`` counts info too)."""
    threshold = len(Severity) - 1 if fail_on == "any" else Severity(fail_on).rank
    return any(change.severity.rank <= threshold for change in changes)


def _headline(changes: Sequence[Change]) -> str:
    counts = summary(changes)
    if not counts["total"]:
        return "No changes."
    return f"{counts['total']} change(s): " + ", ".join(f"{counts[str(s)]} {s}" for s in Severity)


def render_text(changes: Sequence[Change]) -> str:
    lines: list[str] = []
    for c in changes:
        lines.append(f"{c.severity:<8}  {c.id}  {c.operation}  {c.where or '-'}  {c.message}")
        if c.hint:
            lines.append(f"{'':<8}  hint: {c.hint}")
    return "\n".join([*lines, _headline(changes)]) + "\n"


def render_json(changes: Sequence[Change]) -> str:
    document = {"changes": [c.as_dict() for c in changes], "summary": summary(changes)}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ") or " "


def render_markdown(changes: Sequence[Change], title: str = "OpenAPI diff") -> str:
    lines = [f"### {title}", "", _headline(changes)]
    if changes:
        lines += ["", "| severity | rule | operation | where | message |", "|---|---|---|---|---|"]
        for c in changes:
            cells = (f"**{c.severity}**" if c.severity is Severity.BREAKING else str(c.severity), f"`{c.id}`")
            message = _cell(c.message) + (f" — _{_cell(c.hint)}_" if c.hint else "")
            rest = (f"`{c.operation}`", f"`{_cell(c.where)}`" if c.where else " ", message)
            lines.append("| " + " | ".join((*cells, *rest)) + " |")
    return "\n".join(lines) + "\n"


def _escape_annotation(text: str) -> str:
    """Workflow-command data: %, CR and LF are percent-encoded; properties also escape : and ,."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_annotation(text).replace(":", "%3A").replace(",", "%2C")


def render_github(changes: Sequence[Change], title: str = "OpenAPI diff") -> str:
    """One ``::error``/``::warning``/``::notice`` line per change: annotations on the workflow run."""
    lines = []
    for c in changes:
        heading = _escape_property(f"{c.id} ({c.operation})")
        body = f"{c.where}: {c.message}" if c.where else c.message
        if c.hint:
            body += f" ({c.hint})"
        lines.append(f"::{_ANNOTATION[c.severity]} title={heading}::{_escape_annotation(body)}")
    lines.append(f"{title}: {_headline(changes)}")
    return "\n".join(lines) + "\n"


def render(changes: Sequence[Change], fmt: str, title: str = "OpenAPI diff") -> str:
    """The report in a format; in every one, no URL shows a credential (the title names the
    documents, and a change may quote a URL from one): see `notte_ext._messages.redact_urls`.
    Raises ``SpecError`` for a report larger than ``MAX_REPORT_BYTES``."""
    title = redact_urls(title)
    changes = [replace(c, message=redact_urls(c.message), hint=redact_urls(c.hint)) for c in changes]
    if fmt == "json":
        return check_report(render_json(changes))
    # Lines for a terminal or a CI log: a name in a document (a property, a path) may hold control
    # characters, a line break that forges a line of the report or an escape sequence that rewrites
    # the terminal. JSON escapes them itself; here they are spelled out (`\x1b`).
    title = printable(title)
    changes = [
        replace(
            c,
            operation=printable(c.operation),
            where=printable(c.where),
            message=printable(c.message),
            hint=printable(c.hint),
        )
        for c in changes
    ]
    if fmt == "markdown":
        return check_report(render_markdown(changes, title))
    if fmt == "github":
        return check_report(render_github(changes, title))
    return check_report(render_text(changes))


def rules_markdown(severity: Severity | None = None, profile: str = "notte-ext") -> str:
    """The rule table of docs/spec-drift.md (a test keeps the two equal), or its rows of one severity."""
    lines = ["| rule id | severity | meaning |", "|---|---|---|"]
    rated = ((rule, severity_in(profile, rule.id)) for rule in RULES.values())
    lines += [
        f"| `{rule.id}` | {level} | {rule.description} |"
        for rule, level in rated
        if severity is None or level is severity
    ]
    return "\n".join(lines) + "\n"
