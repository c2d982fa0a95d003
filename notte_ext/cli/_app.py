"""What every sub-command shares: the client options, and errors as one line with an exit code.

Exit codes: 0 success, 1 the API refused or answered unexpectedly, 2 usage or configuration
error (click's own usage errors too), 3 the API could not be reached.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click
from attrs import define, field

from notte_ext._settings import API_KEY_ENV, BASE_URL_ENV
from notte_ext.errors import APIConnectionError, ConfigurationError, InvalidArgumentError, NotteError

if TYPE_CHECKING:
    from notte_ext import NotteClient

F = TypeVar("F", bound=Callable[..., Any])
EXIT_API, EXIT_USAGE, EXIT_CONNECTION = 1, 2, 3


@define
class AppState:
    """The global options, resolved into a client only when a command needs one."""

    api_key: str | None = field(repr=False)
    base_url: str | None
    timeout: float | None = None
    max_retries: int = 3
    debug: bool = False

    def client(self) -> NotteClient:
        from notte_ext import NotteClient

        return NotteClient(self.api_key, base_url=self.base_url, timeout=self.timeout, max_retries=self.max_retries)


def exit_code_for(error: NotteError) -> int:
    if isinstance(error, ConfigurationError | InvalidArgumentError):
        return EXIT_USAGE
    if isinstance(error, APIConnectionError):
        return EXIT_CONNECTION
    return EXIT_API


class NotteGroup(click.Group):
    """Turns NotteError into a one-line message; `--debug` keeps the traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NotteError as error:
            state = ctx.find_object(AppState)
            if state is not None and state.debug:
                raise
            click.echo(f"Error: {error.message}", err=True)
            ctx.exit(exit_code_for(error))


def option_group(*decorators: Callable[[F], F]) -> Callable[[F], F]:
    """Several click options/arguments as one decorator, in the order they are listed."""

    def apply(command: F) -> F:
        for decorator in reversed(decorators):
            command = decorator(command)
        return command

    return apply


global_options = option_group(
    click.option("--api-key", envvar=API_KEY_ENV, help=f"API key (default: ${API_KEY_ENV})."),
    click.option("--base-url", envvar=BASE_URL_ENV, help=f"API URL (default: ${BASE_URL_ENV} or the Notte API)."),
    click.option("--timeout", type=click.FloatRange(min=0, min_open=True), help="Per-request timeout, seconds."),
    click.option(
        "--max-retries", type=click.IntRange(min=0), default=3, show_default=True, help="Retries per request."
    ),
    click.option("--debug", is_flag=True, help="Show tracebacks on errors."),
)


pass_state = click.make_pass_decorator(AppState)
