"""`notte_ext` exports what users need, and nothing that is only a helper for tests or tools."""

from __future__ import annotations

from importlib.metadata import version

import notte_ext


def test_every_exported_name_resolves() -> None:
    for name in notte_ext.__all__:
        assert getattr(notte_ext, name) is not None, name
    assert sorted(notte_ext.__all__) == sorted(set(notte_ext.__all__))


def test_the_public_api_is_what_users_need() -> None:
    exported = set(notte_ext.__all__)
    for needed in (
        "NotteClient",
        "AsyncNotteClient",
        "NotteError",
        "SchemaMismatchError",
        "FunctionRun",
        "RunStatus",
        "RunsPage",
        "Paginator",
        "AsyncPaginator",
        "RetryPolicy",
        "spec_version",
        "__version__",
        "WatchTimeoutError",
    ):
        assert needed in exported, needed
    # Test and tool helpers stay importable from their modules, not from the package.
    assert not exported & {"run_query", "RunQuery", "PageRules", "aware_utc"}
    from notte_ext._timestamps import aware_utc
    from notte_ext.functions import RunQuery, run_query
    from notte_ext.pagination import PageRules

    helpers: list[object] = [aware_utc, run_query, RunQuery, PageRules]
    assert all(map(callable, helpers))


def test_version_is_the_installed_distribution() -> None:
    assert notte_ext.__version__ == version("notte-ext")
