"""notte-ext: a careful Python client for the Notte API, built on the generated ``notte_api_client``.

>>> from notte_ext import NotteClient
>>> with NotteClient() as client:  # NOTTE_API_KEY, NOTTE_API_URL
...     failed = client.functions.list_runs("fn-id", status="failed").to_list()

What users need is here; helpers for tests and tools stay in their modules (``notte_ext.functions.run_query``,
``notte_ext.pagination.PageRules``, ``notte_ext._timestamps.aware_utc``, ``notte_ext.testing``, ``notte_ext.drift``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

import notte_ext._imports  # noqa: F401  (first: keeps httpx from importing its CLI)

if TYPE_CHECKING:
    from notte_ext._client import AsyncNotteClient, ClientOptions, NotteClient
    from notte_ext._defaults import API_KEY_ENV, BASE_URL_ENV, DEFAULT_BASE_URL
    from notte_ext._openapi import spec_version
    from notte_ext._retry import RetryPolicy
    from notte_ext._version import __version__
    from notte_ext.errors import (
        APIConnectionError,
        APIStatusError,
        APITimeoutError,
        AuthenticationError,
        ClientClosedError,
        ClientLoopError,
        ConfigurationError,
        ForeignResponseError,
        InvalidArgumentError,
        NotFoundError,
        NotteError,
        PaginationError,
        RateLimitError,
        RequestValidationError,
        ResponseTooLargeError,
        RunFailedError,
        RunLogError,
        RunTimeoutError,
        SchemaMismatchError,
        ServerError,
        TooManyActiveRunsError,
        WatchTimeoutError,
    )
    from notte_ext.functions import (
        AsyncFunctions,
        FunctionRun,
        Functions,
        ListRunsOptions,
        RunEvent,
        RunFinished,
        RunLogLine,
        RunSessionStarted,
        RunsPage,
        RunStarted,
        RunStatus,
        StartedRun,
    )
    from notte_ext.pagination import AsyncPaginator, Page, Paginator
    from notte_ext.watch import RunAppeared, RunProgress, RunStatusChanged, RunVanished, WatchEvent

# Each public name is imported from its module on first use (PEP 562), so `notte-ext --help` and
# `import notte_ext.errors` don't pay for httpx and the generated client.
_HOME: dict[str, str] = {
    "AsyncNotteClient": "notte_ext._client",
    "ClientOptions": "notte_ext._client",
    "NotteClient": "notte_ext._client",
    "API_KEY_ENV": "notte_ext._defaults",
    "BASE_URL_ENV": "notte_ext._defaults",
    "DEFAULT_BASE_URL": "notte_ext._defaults",
    "spec_version": "notte_ext._openapi",
    "RetryPolicy": "notte_ext._retry",
    "__version__": "notte_ext._version",
    "APIConnectionError": "notte_ext.errors",
    "APIStatusError": "notte_ext.errors",
    "APITimeoutError": "notte_ext.errors",
    "AuthenticationError": "notte_ext.errors",
    "ClientClosedError": "notte_ext.errors",
    "ClientLoopError": "notte_ext.errors",
    "ConfigurationError": "notte_ext.errors",
    "ForeignResponseError": "notte_ext.errors",
    "InvalidArgumentError": "notte_ext.errors",
    "NotFoundError": "notte_ext.errors",
    "NotteError": "notte_ext.errors",
    "PaginationError": "notte_ext.errors",
    "RateLimitError": "notte_ext.errors",
    "RequestValidationError": "notte_ext.errors",
    "ResponseTooLargeError": "notte_ext.errors",
    "SchemaMismatchError": "notte_ext.errors",
    "ServerError": "notte_ext.errors",
    "AsyncFunctions": "notte_ext.functions",
    "FunctionRun": "notte_ext.functions",
    "Functions": "notte_ext.functions",
    "ListRunsOptions": "notte_ext.functions",
    "RunStatus": "notte_ext.functions",
    "RunsPage": "notte_ext.functions",
    "StartedRun": "notte_ext.functions",
    "RunEvent": "notte_ext.functions",
    "RunStarted": "notte_ext.functions",
    "RunSessionStarted": "notte_ext.functions",
    "RunLogLine": "notte_ext.functions",
    "RunFinished": "notte_ext.functions",
    "AsyncPaginator": "notte_ext.pagination",
    "Page": "notte_ext.pagination",
    "Paginator": "notte_ext.pagination",
    "RunAppeared": "notte_ext.watch",
    "RunProgress": "notte_ext.watch",
    "RunStatusChanged": "notte_ext.watch",
    "RunVanished": "notte_ext.watch",
    "WatchEvent": "notte_ext.watch",
    "WatchTimeoutError": "notte_ext.errors",
    "RunTimeoutError": "notte_ext.errors",
    "RunFailedError": "notte_ext.errors",
    "RunLogError": "notte_ext.errors",
    "TooManyActiveRunsError": "notte_ext.errors",
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'notte_ext' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOME])


__all__ = [
    "API_KEY_ENV",
    "BASE_URL_ENV",
    "DEFAULT_BASE_URL",
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncFunctions",
    "AsyncNotteClient",
    "AsyncPaginator",
    "AuthenticationError",
    "ClientClosedError",
    "ClientLoopError",
    "ClientOptions",
    "ConfigurationError",
    "ForeignResponseError",
    "FunctionRun",
    "Functions",
    "InvalidArgumentError",
    "ListRunsOptions",
    "NotFoundError",
    "NotteClient",
    "NotteError",
    "Page",
    "PaginationError",
    "Paginator",
    "RateLimitError",
    "RequestValidationError",
    "ResponseTooLargeError",
    "RetryPolicy",
    "RunAppeared",
    "RunEvent",
    "RunFailedError",
    "RunFinished",
    "RunLogError",
    "RunLogLine",
    "RunProgress",
    "RunSessionStarted",
    "RunStarted",
    "RunStatus",
    "RunStatusChanged",
    "RunTimeoutError",
    "RunVanished",
    "RunsPage",
    "SchemaMismatchError",
    "ServerError",
    "StartedRun",
    "TooManyActiveRunsError",
    "WatchEvent",
    "WatchTimeoutError",
    "__version__",
    "spec_version",
]
