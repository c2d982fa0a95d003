"""``notte-ext spec``: semantic OpenAPI diff and the upstream drift check.

Exit status: 0 nothing at or above ``--fail-on``, 1 drift at or above it,
2 a document could not be loaded or understood (one line on stderr).
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.resources import files
from pathlib import Path
from typing import Any, TypeVar

import click

from notte_ext._oas import UPSTREAM_URL
from notte_ext.cli._app import option_group
from notte_ext.drift import Change, Severity, SpecError, diff_documents, drift, load_document, read_document
from notte_ext.drift.load import FETCH_TIMEOUT
from notte_ext.drift.profiles import PROFILES, apply_profile, reading_of
from notte_ext.drift.report import FAIL_LEVELS, FORMATS, fails, render, rules_markdown

LOCAL_SPEC = "openapi.json"  # a checkout's vendored spec, when run from its root
PACKAGED_SPEC = "notte_ext/openapi.json (packaged)"


class _Unusable(click.ClickException):
    """Input we cannot compare: exit 2, like a usage error, never a traceback."""

    exit_code = 2


Command = TypeVar("Command", bound=Callable[..., Any])


def _choice(
    flag: str, choices: tuple[str, ...], default: str, help_text: str, name: str | None = None
) -> Callable[[Command], Command]:
    """A --flag with fixed values and a shown default (the report options are all alike)."""
    names = (flag, name) if name else (flag,)
    return click.option(*names, type=click.Choice(choices), default=default, show_default=True, help=help_text)


_report_options = option_group(
    _choice("--format", FORMATS, "text", "text, json (with JSON pointers), markdown, or github (annotations).", "fmt"),
    _choice("--fail-on", FAIL_LEVELS, "breaking", "Exit 1 on changes at or above this level."),
    click.option("--include-docs", is_flag=True, help="Also report description/summary/title/example changes (info)."),
    _choice(
        "--profile", PROFILES, "notte-ext", "Severities as notte_ext users are affected, or as oasdiff rates them."
    ),
)


_proxy_option = click.option(
    "--proxy",
    metavar="URL",
    help="Fetch URLs through this proxy (default: $HTTPS_PROXY, $HTTP_PROXY, $ALL_PROXY, minus $NO_PROXY).",
)


def _run(compute: Callable[[], list[Change]], fmt: str, fail_on: str, title: str, profile: str) -> None:
    try:
        changes = apply_profile(compute(), profile)
    except SpecError as exc:  # the engine's only exception for unusable input
        raise _Unusable(str(exc)) from None
    click.echo(render(changes, fmt, title), nl=False)
    if fails(changes, fail_on):
        raise SystemExit(1)


@click.group()
def spec() -> None:
    """Compare OpenAPI documents and check upstream drift."""


@spec.command("diff")
@click.argument("base")
@click.argument("revision")
@_proxy_option
@_report_options
def diff_command(
    base: str, revision: str, proxy: str | None, fmt: str, fail_on: str, include_docs: bool, profile: str
) -> None:
    """Changes from BASE to REVISION (paths or http(s) URLs; JSON, YAML or a docs page)."""

    def compute() -> list[Change]:
        documents = [read_document(location, proxy=proxy) for location in (base, revision)]
        return diff_documents(*documents, include_docs=include_docs, reading=reading_of(profile))

    _run(compute, fmt, fail_on, f"OpenAPI diff: {base} -> {revision}", profile)


@spec.command("drift")
@click.option("--upstream", default=UPSTREAM_URL, show_default=True, help="Upstream spec: URL or path.")
@click.option(
    "--spec",
    "vendored",
    help="Our vendored spec (default: ./openapi.json when present, else the one packaged with notte_ext).",
)
@click.option("--timeout", default=FETCH_TIMEOUT, show_default=True, help="Seconds to wait for the upstream URL.")
@_proxy_option
@_report_options
def drift_command(
    upstream: str,
    vendored: str | None,
    timeout: float,
    proxy: str | None,
    fmt: str,
    fail_on: str,
    include_docs: bool,
    profile: str,
) -> None:
    """Diff upstream's version of our vendored operations against our spec; list what we don't vendor."""
    label = vendored or (LOCAL_SPEC if Path(LOCAL_SPEC).is_file() else PACKAGED_SPEC)
    if vendored is None:  # say which spec was chosen: stdout stays the report
        click.echo(f"spec: {label}", err=True)

    def compute() -> list[Change]:
        ours = _packaged_spec() if label == PACKAGED_SPEC else read_document(label, proxy=proxy)
        theirs = read_document(upstream, timeout=timeout, proxy=proxy)
        return drift(ours, theirs, include_docs=include_docs, reading=reading_of(profile))

    _run(compute, fmt, fail_on, f"Spec drift: {label} vs {upstream}", profile)


def _packaged_spec() -> dict[str, Any]:
    return load_document(files("notte_ext").joinpath("openapi.json").read_text(encoding="utf-8"))


@spec.command("rules")
@click.option(
    "--severity",
    type=click.Choice([str(s) for s in Severity]),
    help="Only the rules of this severity.",
)
@click.option(
    "--profile", type=click.Choice(PROFILES), default="notte-ext", show_default=True, help="Whose severities."
)
def rules_command(severity: str | None, profile: str) -> None:
    """Print every rule id with its severity (Markdown table)."""
    click.echo(rules_markdown(Severity(severity) if severity else None, profile), nl=False)
