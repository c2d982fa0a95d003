"""notte-ext: a careful Python client for the Notte API, built on the generated ``notte_api_client``.

>>> from notte_ext import NotteClient
>>> with NotteClient() as client:  # NOTTE_API_KEY, NOTTE_API_URL
...     failed = client.functions.list_runs("fn-id", status="failed").to_list()
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
    from notte_ext._timestamps import aware_utc
    from notte_ext.errors import (
        APIConnectionError,
        APIStatusError,
        APITimeoutError,
        AuthenticationError,
        ConfigurationError,
        ForeignResponseError,
        InvalidArgumentError,
        NotFoundError,
        NotteError,
        PaginationError,
        RateLimitError,
        RequestValidationError,
        ResponseTooLargeError,
        SchemaMismatchError,
        ServerError,
    )
    from notte_ext.functions import AsyncFunctions, FunctionRun, Functions, RunQuery, RunsPage, RunStatus, run_query
    from notte_ext.pagination import AsyncPaginator, Page, PageRules, Paginator

# Each public name is imported from its module on first use (PEP 562), so `notte-ext --help` and
# `import notte_ext.errors` don't pay for httpx and the generated client.
_HOME: dict[str, str] = {
    "APIConnectionError": "notte_ext.errors",
    "APIStatusError": "notte_ext.errors",
    "APITimeoutError": "notte_ext.errors",
    "API_KEY_ENV": "notte_ext._defaults",
    "AsyncFunctions": "notte_ext.functions",
    "AsyncNotteClient": "notte_ext._client",
    "AsyncPaginator": "notte_ext.pagination",
    "AuthenticationError": "notte_ext.errors",
    "BASE_URL_ENV": "notte_ext._defaults",
    "ClientOptions": "notte_ext._client",
    "ConfigurationError": "notte_ext.errors",
    "DEFAULT_BASE_URL": "notte_ext._defaults",
    "ForeignResponseError": "notte_ext.errors",
    "FunctionRun": "notte_ext.functions",
    "Functions": "notte_ext.functions",
    "InvalidArgumentError": "notte_ext.errors",
    "NotFoundError": "notte_ext.errors",
    "NotteClient": "notte_ext._client",
    "NotteError": "notte_ext.errors",
    "Page": "notte_ext.pagination",
    "PageRules": "notte_ext.pagination",
    "PaginationError": "notte_ext.errors",
    "Paginator": "notte_ext.pagination",
    "RateLimitError": "notte_ext.errors",
    "RequestValidationError": "notte_ext.errors",
    "ResponseTooLargeError": "notte_ext.errors",
    "RetryPolicy": "notte_ext._retry",
    "RunQuery": "notte_ext.functions",
    "RunStatus": "notte_ext.functions",
    "RunsPage": "notte_ext.functions",
    "SchemaMismatchError": "notte_ext.errors",
    "ServerError": "notte_ext.errors",
    "aware_utc": "notte_ext._timestamps",
    "run_query": "notte_ext.functions",
    "spec_version": "notte_ext._openapi",
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
    "ClientOptions",
    "ConfigurationError",
    "ForeignResponseError",
    "FunctionRun",
    "Functions",
    "InvalidArgumentError",
    "NotFoundError",
    "NotteClient",
    "NotteError",
    "Page",
    "PageRules",
    "PaginationError",
    "Paginator",
    "RateLimitError",
    "RequestValidationError",
    "ResponseTooLargeError",
    "RetryPolicy",
    "RunQuery",
    "RunStatus",
    "RunsPage",
    "SchemaMismatchError",
    "ServerError",
    "aware_utc",
    "run_query",
    "spec_version",
]
