"""What every sub-command shares: the client options, and how a run of the program ends.

Exit codes: 0 success (a closed output pipe too: `notte-ext runs list fn | head -1` is a success),
1 the API refused or answered unexpectedly, 2 usage or configuration error (one line on stderr,
click's own usage errors too; and output that could not be written, a full disk: never `spec`'s
"drift" 1), 3 the API could not be reached, 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NoReturn, TextIO, TypeVar

import click

# Only what `--help` needs is imported here: the client (httpx, the generated models) loads
# when a command asks AppState for one.
from notte_ext._defaults import API_KEY_ENV, BASE_URL_ENV, DEFAULT_MAX_RETRIES, MAX_TIMEOUT
from notte_ext._interrupts import imports_uninterrupted, interrupted
from notte_ext._messages import one_line, redact_urls
from notte_ext.cli._values import SECRET_TEXT, count, seconds
from notte_ext.errors import APIConnectionError, ConfigurationError, InvalidArgumentError, NotteError

if TYPE_CHECKING:
    from notte_ext import NotteClient

F = TypeVar("F", bound=Callable[..., Any])
EXIT_OK, EXIT_API, EXIT_USAGE, EXIT_CONNECTION = 0, 1, 2, 3
MAX_RETRIES = 100  # --max-retries: each retry may wait up to 30 s; past this a command only hangs
# What writing the output fails with, rather than the reader leaving (EPIPE): a full disk or quota, a
# file past its size limit, a terminal gone, a closed descriptor.
_OUTPUT_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EBADF})


# A dataclass, not attrs: `spec diff` needs no attrs otherwise (its import was ~15 ms of a 0.10 s
# command), while the drift engine imports dataclasses anyway.
@dataclass(slots=True)
class AppState:
    """The global options, resolved into a client only when a command needs one."""

    api_key: str | None = field(default=None, repr=False)
    base_url: str | None = None
    timeout: float | None = None
    max_retries: int = DEFAULT_MAX_RETRIES
    debug: bool = False
    allow_insecure_http: bool = False
    proxy: str | None = field(default=None, repr=False)  # may hold the proxy's password

    def client(self) -> NotteClient:
        with imports_uninterrupted():  # the client's modules (httpx's transports, anyio...) load here
            from notte_ext import NotteClient

        return NotteClient(
            self.api_key,
            base_url=self.base_url,
            timeout=self.timeout,
            max_retries=self.max_retries,
            allow_insecure_http=self.allow_insecure_http,
            proxy=self.proxy,
        )


def exit_code_for(error: NotteError) -> int:
    if isinstance(error, ConfigurationError | InvalidArgumentError):
        return EXIT_USAGE
    if isinstance(error, APIConnectionError):
        return EXIT_CONNECTION
    return EXIT_API


class NotteGroup(click.Group):
    """The top-level group: every way a run ends is one line on stderr (or none) and a documented code."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        _stand_in_for_closed_streams()
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
            sys.stdout.flush()  # a short output is still buffered: its write fails here, not at exit
        except BrokenPipeError:
            _reader_left()
        except (UnicodeEncodeError, OSError) as error:
            _output_failed(error)
        except click.exceptions.NoArgsIsHelpError as error:
            error.show()  # a bare `notte-ext` or `notte-ext runs`: the help itself is the answer
            sys.exit(error.exit_code)
        except click.UsageError as error:
            where = error.ctx.command_path if error.ctx else self.name
            message = error.format_message()
            stop = "" if message.endswith((".", "?", "!")) else "."
            _fail(f"{message}{stop} See '{where} --help'.", error.exit_code)
        except click.ClickException as error:
            _fail(error.format_message(), error.exit_code)
        except click.Abort:  # Ctrl-C while parsing or prompting
            interrupted()
        sys.exit(code if isinstance(code, int) else EXIT_OK)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NotteError as error:
            state = ctx.find_object(AppState)
            if state is not None and state.debug:  # more detail, the same exit code
                traceback.print_exc(file=sys.stderr)
            _fail(error.message, exit_code_for(error))
        except BrokenPipeError:
            _discard_output()  # the reader has all it wanted (`| head -1`): stop quietly
            ctx.exit(EXIT_OK)
        except KeyboardInterrupt:
            interrupted()

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any
    ) -> click.Context:
        try:  # parsing prints --help and --version: click would exit 1 when their reader left
            return super().make_context(info_name, args, parent, **extra)
        except BrokenPipeError:
            _reader_left()


def _output_failed(error: UnicodeEncodeError | OSError) -> NoReturn:
    """Writing the output failed, otherwise than by its reader leaving: one line and exit 2 (never
    spec's "drift found" 1), the rest of the output dropped. Any other error goes on as it was."""
    if isinstance(error, UnicodeEncodeError) and error.encoding == getattr(sys.stdout, "encoding", None):
        char = ord(error.object[error.start])  # said as U+XXXX: the message must be ASCII, as stderr may be
        reason = (
            f"a value holds U+{char:04X}, half of a UTF-16 surrogate pair (a JSON escape no encoding writes)"
            if 0xD800 <= char <= 0xDFFF
            else f"its encoding, {error.encoding}, has no U+{char:04X} (a value holds it); set PYTHONIOENCODING=utf-8"
        )
    elif isinstance(error, OSError) and error.errno in _OUTPUT_ERRNOS and error.filename is None:
        reason = error.strerror or str(error)
    else:
        raise error
    _discard_output()
    _fail(f"the output could not be written: {reason}", EXIT_USAGE)


def _reader_left() -> NoReturn:
    """The reader has all it wanted (`| head -1`): stop quietly."""
    _discard_output()
    sys.exit(EXIT_OK)


def _discard_output(stream: TextIO | None = None) -> None:
    """Point stdout (or `stream`) at devnull, so that the interpreter's final flush of what is still
    buffered cannot fail again (a traceback on stderr, exit 120)."""
    with contextlib.suppress(OSError, ValueError):  # a closed stream's stand-in has no descriptor
        os.dup2(os.open(os.devnull, os.O_WRONLY), (stream or sys.stdout).fileno())


class _ClosedStream(io.TextIOBase):
    """Stands in for a standard stream the shell closed (`>&-`), where Python leaves None: writing
    output there fails as a write to a closed descriptor does (one line, exit 2) rather than as an
    AttributeError, or as a success that wrote nothing."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "standard output is closed")


def _stand_in_for_closed_streams() -> None:
    if sys.stdout is None:
        sys.stdout = _ClosedStream()
    if sys.stderr is None:  # nowhere to say what went wrong: the exit code still does
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115  (the process's own stderr, open until it ends)
    if sys.stdin is None:
        sys.stdin = open(os.devnull)  # noqa: SIM115  (reads as empty input, as `</dev/null`)


def _fail(message: str, exit_code: int) -> NoReturn:
    # Every error line, click's usage errors too (they quote the value given), shows no URL credential.
    try:
        click.echo(f"Error: {one_line(redact_urls(message))}", err=True)
    except OSError:  # stderr full or closed: nowhere to say it, the exit code still does
        _discard_output(sys.stderr)
    sys.exit(exit_code)


def option_group(*decorators: Callable[[F], F]) -> Callable[[F], F]:
    """Several click options/arguments as one decorator, in the order they are listed."""

    def apply(command: F) -> F:
        for decorator in reversed(decorators):
            command = decorator(command)
        return command

    return apply


def _client_options(*, on_group: bool) -> Callable[[F], F]:
    """The client options, declared once for two places.

    On the top-level group they carry the environment fallbacks and defaults and build the
    AppState. On each command that talks to the API (see `pass_state`) the same names are
    accepted again, so they work anywhere on the line (`runs list fn --api-key K`); there a
    given value overrides the state and an absent one leaves it alone.
    """

    def option(*decls: str, help: str, envvar: str | None = None, default: Any = None, **kwargs: Any) -> Any:
        if on_group:
            return click.option(*decls, envvar=envvar, default=default, help=help, **kwargs)
        return click.option(*decls, expose_value=False, callback=_override_state, help=help, **kwargs)

    return option_group(
        option(
            "--api-key", envvar=API_KEY_ENV, type=SECRET_TEXT, metavar="KEY", help=f"API key (default: ${API_KEY_ENV})."
        ),
        option(
            "--base-url",
            envvar=BASE_URL_ENV,
            type=SECRET_TEXT,
            metavar="URL",
            help=f"API URL (default: ${BASE_URL_ENV} or the Notte API).",
        ),
        option("--timeout", type=seconds(MAX_TIMEOUT), metavar="SECONDS", help="Per-request timeout, seconds."),
        option(
            "--max-retries",
            type=count(MAX_RETRIES),
            default=DEFAULT_MAX_RETRIES,
            help=f"Retries per request on 429/502/503/504 and connection failures (default: {DEFAULT_MAX_RETRIES}).",
        ),
        option(
            "--proxy",
            type=SECRET_TEXT,
            metavar="URL",
            help="Send requests through this proxy, http://[user:password@]host:port (default: $HTTPS_PROXY, "
            "$HTTP_PROXY, $ALL_PROXY, minus $NO_PROXY, as httpx reads them).",
        ),
        option(
            "--allow-insecure-http",
            is_flag=True,
            default=False,
            help="Allow plain http:// to a host other than this machine (the key travels in clear text).",
        ),
        option(
            "--debug",
            is_flag=True,
            default=False,
            help="Also print the traceback of an error (the exit code stays the same).",
        ),
    )


def _override_state(ctx: click.Context, param: click.Parameter, value: Any) -> None:
    if value is None or value is False or param.name is None:
        return  # not given on this command: what the group resolved stands
    state = ctx.find_object(AppState)
    if state is None:  # the command was run without the group (tests calling it directly)
        state = ctx.ensure_object(AppState)
    setattr(state, param.name, value)


def _print_versions(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from importlib.metadata import version  # only when asked: start-up stays lean

    from notte_ext._openapi import spec_version

    client = "notte-api-client"
    click.echo(f"notte-ext {version('notte-ext')} ({client} {version(client)}, Notte API spec {spec_version()})")
    ctx.exit(EXIT_OK)


version_option = click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_versions,
    help="Print the versions of notte-ext, the generated client and the vendored API spec, then exit.",
)
global_options = _client_options(on_group=True)
#: The client options again, for a sub-group or command after the program name (see `pass_state`).
client_options = _client_options(on_group=False)
_pass_state = click.make_pass_decorator(AppState, ensure=True)


def pass_state(command: Callable[..., Any]) -> Callable[..., Any]:
    """For a command that talks to the API: pass it the AppState, and accept the client options
    after the command name too."""
    return client_options(_pass_state(command))
