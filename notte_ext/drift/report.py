"""Render changes as text, JSON or Markdown, and decide the exit status."""

from __future__ import annotations

import json
from collections.abc import Sequence

from notte_ext.drift.changes import Change, summary
from notte_ext.drift.rules import RULES, Severity

FORMATS = ("text", "json", "markdown")
FAIL_LEVELS = ("breaking", "warning", "any")


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
    lines = [f"{c.severity:<8}  {c.id}  {c.operation}  {c.location or '-'}  {c.message}" for c in changes]
    return "\n".join([*lines, _headline(changes)]) + "\n"


def render_json(changes: Sequence[Change]) -> str:
    document = {"changes": [c.as_dict() for c in changes], "summary": summary(changes)}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ") or " "


def render_markdown(changes: Sequence[Change], title: str = "OpenAPI diff") -> str:
    lines = [f"### {title}", "", _headline(changes)]
    if changes:
        lines += ["", "| severity | rule | operation | location | message |", "|---|---|---|---|---|"]
        for c in changes:
            cells = (f"**{c.severity}**" if c.severity is Severity.BREAKING else str(c.severity), f"`{c.id}`")
            rest = (f"`{c.operation}`", f"`{c.location}`" if c.location else " ", _cell(c.message))
            lines.append("| " + " | ".join((*cells, *rest)) + " |")
    return "\n".join(lines) + "\n"


def render(changes: Sequence[Change], fmt: str, title: str = "OpenAPI diff") -> str:
    if fmt == "json":
        return render_json(changes)
    if fmt == "markdown":
        return render_markdown(changes, title)
    return render_text(changes)


def rules_markdown() -> str:
    """The rule table of docs/spec-drift.md (a test keeps the two equal)."""
    lines = ["| rule id | severity | meaning |", "|---|---|---|"]
    lines += [f"| `{rule.id}` | {rule.severity} | {rule.description} |" for rule in RULES.values()]
    return "\n".join(lines) + "\n"
