"""The exceptions notte-ext raises, catchable by meaning.

Every message is one readable line. None of them ever holds the API key: messages are
built from the operation, status and server detail only, and pass through
`notte_ext._messages.redact`. Nor a credential written into a URL: every message passes
through `notte_ext._messages.redact_urls` here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from notte_ext._messages import one_line, redact_urls

if TYPE_CHECKING:  # the generated package imports httpx: ~50 ms the CLI's exit codes don't need
    from notte_ext._bindings import ValidationErrorItem
    from notte_ext._run_start import FunctionRunDetails


class NotteError(Exception):
    """Base class of every error notte-ext raises."""

    def __init__(self, message: str) -> None:
        super().__init__(one_line(redact_urls(message)))  # redacted whole: a cut URL could hide its "@"

    @property
    def message(self) -> str:
        return str(self.args[0])


class ConfigurationError(NotteError, ValueError):
    """The client was configured wrongly (no API key, unusable base URL, bad timeout or headers)."""


class InvalidArgumentError(NotteError, ValueError):
    """An argument can't make a valid request (e.g. an empty function id); nothing was sent."""


class APIConnectionError(NotteError):
    """The API could not be reached, or the connection broke before a full response arrived."""


class APITimeoutError(APIConnectionError):
    """The request timed out (after the retries the policy allows)."""


class APIStatusError(NotteError):
    """The API answered with an error status. Subclasses name the common cases."""

    def __init__(self, message: str, *, status_code: int, request_id: str | None = None, body: Any = None) -> None:
        suffix = f" (request id {request_id})" if request_id else ""
        super().__init__(f"{message}{suffix}")
        self.status_code = status_code
        self.request_id = request_id
        self.body = body


class AuthenticationError(APIStatusError):
    """401/403: the API key is missing, wrong, or not allowed to do this."""


class NotFoundError(APIStatusError):
    """404: the resource (e.g. the function) does not exist for this key."""


class RequestValidationError(APIStatusError):
    """422: the server rejected the request's parameters; `errors` holds its per-field details
    (the generated `ValidationError` models: `loc`, `msg`, `type_`)."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        errors: Sequence[ValidationErrorItem] = (),
        request_id: str | None = None,
        body: Any = None,
    ) -> None:
        super().__init__(message, status_code=status_code, request_id=request_id, body=body)
        self.errors = list(errors)


class _WithRetryAfter(APIStatusError):
    """An error status that may come with the server's `Retry-After`: `retry_after`, in seconds."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        retry_after: float | None = None,
        request_id: str | None = None,
        body: Any = None,
    ) -> None:
        super().__init__(message, status_code=status_code, request_id=request_id, body=body)
        self.retry_after = retry_after


class RateLimitError(_WithRetryAfter):
    """429 that persisted after the retries; `retry_after` is the server's hint in seconds, if any."""


class ServerError(_WithRetryAfter):
    """5xx: the API failed (after the retries the policy allows for 502/503/504); `retry_after`
    is the server's hint in seconds, if any (a 503 may say when to come back)."""


class SchemaMismatchError(NotteError):
    """A response does not match the vendored OpenAPI spec (the API has probably changed)."""

    def __init__(self, message: str, *, operation: str, field: str | None, value: Any, spec_version: str) -> None:
        super().__init__(message)
        self.operation = operation
        self.field = field
        self.value = value
        self.spec_version = spec_version


class ForeignResponseError(SchemaMismatchError):
    """A 2xx whose body is not the API's JSON at all (an HTML login page from a proxy, a wrong
    content type, bytes that don't decode): something between you and the API answered, so the
    message names what arrived instead of pointing at spec drift. A `SchemaMismatchError` for
    code that already catches that."""

    def __init__(self, message: str, *, operation: str, content_type: str, value: Any, spec_version: str) -> None:
        super().__init__(message, operation=operation, field=None, value=value, spec_version=spec_version)
        self.content_type = content_type


class ResponseTooLargeError(NotteError):
    """A response body (decoded, as it streamed) went past the client's `max_response_bytes`;
    the connection was closed without buffering the rest. `content_length` is the size the server
    announced (None if it didn't say)."""

    def __init__(self, message: str, *, limit: int, content_length: int | None) -> None:
        super().__init__(message)
        self.limit = limit
        self.content_length = content_length


class PaginationError(NotteError):
    """Paging did not make progress (e.g. `has_next` stays true while nothing new arrives)."""


class ClientClosedError(NotteError, RuntimeError):
    """A request on a client after `close()`; nothing was sent (a RuntimeError, as httpx's own)."""


class ClientLoopError(NotteError, RuntimeError):
    """A request on an AsyncNotteClient in another event loop than the one it first sent requests in
    (each `asyncio.run` is a new loop); nothing was sent. Its connections belong to that loop, and httpx
    can't move them (its own error would be a bare `RuntimeError: Event loop is closed`)."""


class WatchTimeoutError(NotteError):
    """The watch's `timeout` passed before it ended (with `until_idle`: before no run was active).

    A typed error rather than a quiet stop, so "everything finished" and "gave up waiting"
    can't be confused (the CLI exits 4 on it). Every event seen before it was yielded.
    """

    def __init__(self, message: str, *, active_runs: int) -> None:
        super().__init__(message)
        self.active_runs = active_runs


class TooManyActiveRunsError(NotteError):
    """A watch would track more active runs than its `max_tracked_runs` bound (100,000 by default):
    it stops with this rather than hold an endless active listing in memory, or drop runs quietly.
    Every event seen before it was yielded; `limit` is the bound."""

    def __init__(self, message: str, *, limit: int) -> None:
        super().__init__(message)
        self.limit = limit


class RunTimeoutError(WatchTimeoutError):
    """`follow_run`'s (or `run()`'s) timeout passed while the run was still active; `run` is how it was
    last seen (None if never read). The run goes on: stop it with `stop_run` if it must not."""

    def __init__(self, message: str, *, run: FunctionRunDetails | None) -> None:
        super().__init__(message, active_runs=1)
        self.run = run


class RunFailedError(NotteError):
    """The run ended `failed` and the caller asked to be told so (`raise_on_failure=True`); `run` is its final state."""

    def __init__(self, message: str, *, run: FunctionRunDetails) -> None:
        super().__init__(message)
        self.run = run


class RunLogError(NotteError):
    """A run's streamed log broke its own bounds (a line longer than 1 MiB, more events than any run sends)."""
