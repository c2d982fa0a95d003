"""notte-ext: a careful Python client for the Notte API, built on the generated ``notte_api_client``.

>>> from notte_ext import NotteClient
>>> with NotteClient() as client:  # NOTTE_API_KEY, NOTTE_API_URL
...     failed = client.functions.list_runs("fn-id", status="failed").to_list()
"""

from notte_ext._client import AsyncNotteClient, ClientOptions, NotteClient
from notte_ext._openapi import spec_version
from notte_ext._retry import RetryPolicy
from notte_ext._settings import API_KEY_ENV, BASE_URL_ENV, DEFAULT_BASE_URL
from notte_ext._timestamps import aware_utc
from notte_ext.errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    ConfigurationError,
    InvalidArgumentError,
    NotFoundError,
    NotteError,
    PaginationError,
    RateLimitError,
    RequestValidationError,
    SchemaMismatchError,
    ServerError,
)
from notte_ext.functions import AsyncFunctions, FunctionRun, Functions, RunQuery, RunsPage, RunStatus, run_query
from notte_ext.pagination import AsyncPaginator, Page, PageRules, Paginator

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
