"""``notte-ext spec``: semantic OpenAPI diff and the upstream drift check.

Exit status: 0 nothing at or above ``--fail-on``, 1 drift at or above it,
2 a document could not be loaded or understood (one line on stderr).
"""

from __future__ import annotations

from collections.abc import Callable

import click

from notte_ext.cli._app import option_group
from notte_ext.drift import Change, SpecError, diff_documents, drift, read_document
from notte_ext.drift.report import FAIL_LEVELS, FORMATS, fails, render, rules_markdown

UPSTREAM_URL = "https://api.notte.cc/openapi.json"


class _Unusable(click.ClickException):
    """Input we cannot compare: exit 2, like a usage error, never a traceback."""

    exit_code = 2


_report_options = option_group(
    click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True),
    click.option(
        "--fail-on",
        type=click.Choice(FAIL_LEVELS),
        default="breaking",
        show_default=True,
        help="Exit 1 on changes at or above this level.",
    ),
    click.option("--include-docs", is_flag=True, help="Also report description/summary/title/example changes (info)."),
)


def _run(compute: Callable[[], list[Change]], fmt: str, fail_on: str, title: str) -> None:
    try:
        changes = compute()
    except SpecError as exc:
        raise _Unusable(str(exc)) from None
    except (RecursionError, TypeError, AttributeError, KeyError) as exc:
        # Structurally malformed documents (a list where a mapping belongs, ...).
        raise _Unusable(f"malformed OpenAPI document ({type(exc).__name__}: {exc})") from None
    click.echo(render(changes, fmt, title), nl=False)
    if fails(changes, fail_on):
        raise SystemExit(1)


@click.group()
def spec() -> None:
    """Compare OpenAPI documents and check upstream drift."""


@spec.command("diff")
@click.argument("base")
@click.argument("revision")
@_report_options
def diff_command(base: str, revision: str, fmt: str, fail_on: str, include_docs: bool) -> None:
    """Changes from BASE to REVISION (paths or http(s) URLs; JSON, YAML or a docs page)."""

    def compute() -> list[Change]:
        return diff_documents(read_document(base), read_document(revision), include_docs=include_docs)

    _run(compute, fmt, fail_on, f"OpenAPI diff: {base} -> {revision}")


@spec.command("drift")
@click.option("--upstream", default=UPSTREAM_URL, show_default=True, help="Upstream spec: URL or path.")
@click.option("--spec", "vendored", default="openapi.json", show_default=True, help="Our vendored spec.")
@click.option("--timeout", default=30.0, show_default=True, help="Seconds to wait for the upstream URL.")
@_report_options
def drift_command(upstream: str, vendored: str, timeout: float, fmt: str, fail_on: str, include_docs: bool) -> None:
    """Diff upstream's version of our vendored operations against our spec; list what we don't vendor."""

    def compute() -> list[Change]:
        ours = read_document(vendored)
        return drift(ours, read_document(upstream, timeout=timeout), include_docs=include_docs)

    _run(compute, fmt, fail_on, f"Spec drift: {vendored} vs {upstream}")


@spec.command("rules")
def rules_command() -> None:
    """Print every rule id with its severity (Markdown table)."""
    click.echo(rules_markdown(), nl=False)
