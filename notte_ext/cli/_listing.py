"""What the listing commands share (`runs list|summary`, `functions list`): one option per query
parameter of the vendored operation, the page-ahead option, and progress while pages arrive."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import click

from notte_ext.cli._progress import progress
from notte_ext.cli._values import TEXT
from notte_ext.pagination import DEFAULT_PREFETCH, MAX_PREFETCH, Paginator

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


def query_option(
    name: str,
    schema: dict[str, Any],
    largest_page: int | None = None,
    noun: str = "runs",
    *,
    off: str | None = None,
    required: bool = False,
) -> Callable[[F], F]:
    """One option for one parameter of the vendored spec (a query parameter, a form field, a body field): its
    type, bounds or choices, its description, `required` if the spec requires it. `off`: a boolean's second
    flag (`--shared/--private`), else `--no-NAME`.

    Unset, the parameter is not sent (the API's default applies), except a listing's `--page-size`
    (`largest_page` given): the maximum.
    """
    flag = "--" + name.replace("_", "-")
    help_text = str(schema.get("description") or schema.get("title") or name).rstrip(".") + "."
    if name == "page_size" and largest_page is not None:  # ours is the maximum: fewer requests for a whole history
        help_text = f"{noun.capitalize()} per request (the API's maximum is the fastest way through a long history)."
        return click.option(
            flag, type=click.IntRange(1, largest_page), default=largest_page, show_default=True, help=help_text
        )
    default = schema.get("default")
    if default is not None:
        help_text += f" API default: {str(default).lower() if isinstance(default, bool) else default}."
    kind: click.ParamType[Any]
    if "enum" in schema:
        kind = click.Choice([str(value) for value in schema["enum"]])
    elif schema.get("type") == "boolean":
        return click.option(f"{flag}/--{off or 'no-' + flag[2:]}", default=None, required=required, help=help_text)
    elif schema.get("type") == "integer":
        kind = click.IntRange(schema.get("minimum"), schema.get("maximum"))
    else:
        kind = TEXT
    return click.option(flag, type=kind, required=required, help=help_text)


# Separate from listing_options: how to fetch, not what to list.
PREFETCH_OPTION = click.option(
    "--prefetch",
    type=click.IntRange(0, MAX_PREFETCH),
    default=DEFAULT_PREFETCH,
    show_default=True,
    help="Pages requested ahead while earlier ones are written, at most (0: one request at a time).",
)


def with_progress(paginator: Paginator[T], noun: str = "run") -> Iterator[T]:
    count = 0
    with progress(f"fetching {noun}s…") as status:
        for page in paginator.pages():
            if status is not None:
                count += len(page.items)
                status.update(f"fetched {count} {noun}(s), page {page.number}…")
            yield from page.items
