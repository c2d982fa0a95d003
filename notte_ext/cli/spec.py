"""``notte-ext spec``: semantic OpenAPI diff and the upstream drift check.

Exit status: 0 nothing at or above ``--fail-on``, 1 drift at or above it,
2 a document could not be loaded or understood (one line on stderr).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial
from importlib.resources import files
from pathlib import Path
from typing import Any, TypeVar

import click

from notte_ext._oas import UPSTREAM_URL
from notte_ext.cli._app import option_group
from notte_ext.drift import Change, Severity, SpecError, diff_documents, drift, load_document, read_document
from notte_ext.drift.limits import DEFAULT_MAX_BYTES, MAX_BYTES_ENV, parse_size, show_size
from notte_ext.drift.load import FETCH_TIMEOUT
from notte_ext.drift.profiles import PROFILES, apply_profile, reading_of
from notte_ext.drift.reading import Reading
from notte_ext.drift.report import FAIL_LEVELS, FORMATS, fails, render, rules_markdown

LOCAL_SPEC = "openapi.json"  # a checkout's vendored spec, when run from its root
PACKAGED_SPEC = "notte_ext/openapi.json (packaged)"
MAX_TIMEOUT = 3600.0  # seconds: an upstream that needs longer is down


class _Unusable(click.ClickException):
    """Input we cannot compare: exit 2, like a usage error, never a traceback."""

    exit_code = 2


Command = TypeVar("Command", bound=Callable[..., Any])


class _Seconds(click.ParamType):  # type: ignore[type-arg]  # generic only in click's stubs
    """A timeout: finite and > 0 (0 would fail every fetch, nan and inf never end one)."""

    name = "seconds"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            seconds = math.nan
        if not 0 < seconds <= MAX_TIMEOUT:  # nan compares false too
            self.fail(f"{str(value)[:40]!r} is not a number of seconds > 0 and <= {MAX_TIMEOUT:g}", param, ctx)
        return seconds


class _Size(click.ParamType):  # type: ignore[type-arg]  # generic only in click's stubs
    name = "size"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        try:
            return parse_size(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


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


_max_bytes_option = click.option(
    "--max-bytes",
    type=_Size(),
    help=f"Read at most this much of each document: bytes, or e.g. 200MiB "
    f"(default: ${MAX_BYTES_ENV}, else {show_size(DEFAULT_MAX_BYTES)}).",
)

_timeout_option = click.option(
    "--timeout",
    type=_Seconds(),
    default=FETCH_TIMEOUT,
    show_default=True,
    help="Seconds for each URL in all, from connecting to the last byte (and for a pipe, from opening it).",
)

_proxy_option = click.option(
    "--proxy",
    metavar="URL",
    help="Fetch URLs through this proxy (default: $HTTPS_PROXY, $HTTP_PROXY, $ALL_PROXY, minus $NO_PROXY).",
)


def _run(
    compute: Callable[[bool, Reading], list[Change]],
    title: str,
    *,
    fmt: str,
    fail_on: str,
    include_docs: bool,
    profile: str,
) -> None:
    """Report what ``compute(include_docs, reading)`` finds, in the report options' format; exit 1 on
    failing changes. The profile decides both the reading (what the diff sees) and the severities."""
    try:
        changes = apply_profile(compute(include_docs, reading_of(profile)), profile)
        report = render(changes, fmt, title)
    except SpecError as exc:  # the engine's only exception for unusable input (or a report too large)
        raise _Unusable(str(exc)) from None
    click.echo(report, nl=False)
    if fails(changes, fail_on):
        raise SystemExit(1)


@click.group()
def spec() -> None:
    """Compare OpenAPI documents and check upstream drift."""


@spec.command("diff")
@click.argument("base")
@click.argument("revision")
@_timeout_option
@_proxy_option
@_max_bytes_option
@_report_options
def diff_command(
    base: str, revision: str, timeout: float, proxy: str | None, max_bytes: int | None, **report: Any
) -> None:
    """Changes from BASE to REVISION (paths or http(s) URLs; JSON, YAML or a docs page)."""

    def compute(include_docs: bool, reading: Reading) -> list[Change]:
        read = partial(read_document, timeout=timeout, proxy=proxy, max_bytes=max_bytes)
        documents = [read(location) for location in (base, revision)]
        return diff_documents(*documents, include_docs=include_docs, reading=reading)

    _run(compute, f"OpenAPI diff: {base} -> {revision}", **report)


@spec.command("drift")
@click.option("--upstream", default=UPSTREAM_URL, show_default=True, help="Upstream spec: URL or path.")
@click.option(
    "--spec",
    "vendored",
    help="Our vendored spec (default: ./openapi.json when present, else the one packaged with notte_ext).",
)
@_timeout_option
@_proxy_option
@_max_bytes_option
@_report_options
def drift_command(
    upstream: str, vendored: str | None, timeout: float, proxy: str | None, max_bytes: int | None, **report: Any
) -> None:
    """Diff upstream's version of our vendored operations against our spec; list what we don't vendor."""
    label = vendored or (LOCAL_SPEC if Path(LOCAL_SPEC).is_file() else PACKAGED_SPEC)

    def compute(include_docs: bool, reading: Reading) -> list[Change]:
        read = partial(read_document, timeout=timeout, proxy=proxy, max_bytes=max_bytes)
        ours = _packaged_spec() if label == PACKAGED_SPEC else read(label)
        theirs = read(upstream)
        changes = drift(ours, theirs, include_docs=include_docs, reading=reading)
        if vendored is None:  # say which spec was chosen (stdout stays the report); an error stays one line
            click.echo(f"spec: {label}", err=True)
        return changes

    _run(compute, f"Spec drift: {label} vs {upstream}", **report)


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
