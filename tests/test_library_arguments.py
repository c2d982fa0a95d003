"""The README's promise: a bad argument raises a `NotteError` subclass (`InvalidArgumentError`,
`ConfigurationError`) before any request, counted at the local server. The table holds the inputs
issue 23 found breaking it; the fuzz tests draw hostile values for every keyword of the listing,
watch and run methods and of the client, and require: refused before any request with a typed
one-line error, or accepted and answered by the (spec-faithful) server without an error."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import math
from collections.abc import Callable, Iterator
from typing import IO, Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from notte_ext import (
    AsyncNotteClient,
    ConfigurationError,
    InvalidArgumentError,
    NotteClient,
    NotteError,
    RetryPolicy,
    WatchTimeoutError,
)
from notte_ext.functions import functions_query_parameters, query_parameters
from notte_ext.testing import NotteTestServer, RunPlan

FN = "fn-args"
Call = Callable[[NotteClient], object]


def _closed_file() -> IO[bytes]:
    file = io.BytesIO(b"print(1)")
    file.close()
    return file


ISSUE_CASES: dict[str, Call] = {
    "limit='5'": lambda c: c.functions.list_runs(FN, limit="5").to_list(),  # type: ignore[arg-type]
    "limit=5.0": lambda c: c.functions.list_runs(FN, limit=5.0).to_list(),  # type: ignore[arg-type]
    "limit=True": lambda c: c.functions.list_runs(FN, limit=True).to_list(),
    "page_size=50.0": lambda c: c.functions.list_runs(FN, page_size=50.0).to_list(),  # type: ignore[arg-type]
    "page_size=True": lambda c: c.functions.list_runs(FN, page_size=True).to_list(),
    "running_only=1": lambda c: c.functions.list_runs(FN, running_only=1).to_list(),  # type: ignore[arg-type]
    "status=3": lambda c: c.functions.list_runs(FN, status=3).to_list(),  # type: ignore[arg-type]
    "max_pages=2.0": lambda c: c.functions.list_runs(FN, max_pages=2.0).to_list(),  # type: ignore[arg-type]
    "created_after overflows": lambda c: c.functions.list_runs(FN, created_after="9999-12-31T23:59:59-14:00").to_list(),
    "page=1.0": lambda c: c.functions.list_runs_page(FN, page=1.0),  # type: ignore[arg-type]
    "page='1'": lambda c: c.functions.list_runs_page(FN, page="1"),  # type: ignore[arg-type]
    "page=0": lambda c: c.functions.list_runs_page(FN, page=0),
    "functions.list limit='3'": lambda c: c.functions.list(limit="3").to_list(),  # type: ignore[arg-type]
    "watch interval=1e-9": lambda c: c.functions.watch_runs(FN, interval=1e-9),
    "watch until_idle=1": lambda c: c.functions.watch_runs(FN, until_idle=1),  # type: ignore[arg-type]
    "watch timeout=nan": lambda c: c.functions.watch_runs(FN, timeout=math.nan),
    "watch timeout=10**400": lambda c: c.functions.watch_runs(FN, timeout=10**400),
    "run timeout=inf": lambda c: c.functions.run(FN, timeout=math.inf),  # refused before the run starts
    "run interval=0.1": lambda c: c.functions.run(FN, interval=0.1),
    "run raise_on_failure=1": lambda c: c.functions.run(FN, raise_on_failure=1),  # type: ignore[arg-type]
    "stream_run timeout=nan": lambda c: next(iter(c.functions.stream_run(FN, timeout=math.nan))),
    "follow_run timeout=-1": lambda c: c.functions.follow_run(FN, "run-1", timeout=-1),
    "a variable that is not UTF-8": lambda c: c.functions.start_run(FN, {"url": "\udcff"}),
    "a variable that is nan": lambda c: c.functions.start_run(FN, {"n": math.nan}),
    "a variable JSON lacks": lambda c: c.functions.start_run(FN, {"o": object()}),
    "a cron that is not UTF-8": lambda c: c.functions.schedule(FN, "\udcff"),
    # json writes 1 and True as "1" and "true": beside those keys, an object with a key twice on the wire.
    "a variable keyed 1 beside '1'": lambda c: c.functions.start_run(FN, {1: "a", "1": "b"}),  # type: ignore[dict-item]
    "a nested key True": lambda c: c.functions.start_run(FN, {"o": [{True: 1, "true": 2}]}),
    "a schedule's variable keyed None": lambda c: c.functions.schedule(FN, "0 * * * *", {None: 1}),  # type: ignore[dict-item]
    # A newcomer's review (2026-12-06): a typo, and values httpx refuses outside its HTTPError family.
    "watch bogus=1 (unknown)": lambda c: c.functions.watch_runs(FN, bogus=1),  # type: ignore[call-arg]
    "a function id of 70,000 characters": lambda c: c.functions.get("x" * 70_000),
    "a run id of 11,000 é": lambda c: c.functions.get_run(FN, "é" * 11_000),
    "a query value past httpx's URL limit": lambda c: c.functions.get(FN, version="é" * 11_000),
    "a workflow that is an int": lambda c: c.functions.create(5),  # type: ignore[arg-type]
    "a workflow that is an object": lambda c: c.functions.update(FN, object()),  # type: ignore[arg-type]
    # A hostile review (2026-12-06): a raw ValueError, and bounds that silently listed nothing.
    "a workflow file already closed": lambda c: c.functions.create(_closed_file()),
    "created_before not after created_after": lambda c: c.functions.list_runs(
        FN, created_after="2026-02-01", created_before="2026-01-01"
    ),
}

CLIENT_CASES: dict[str, dict[str, Any]] = {
    "api_key=123": {"api_key": 123},
    "base_url=123": {"base_url": 123},
    "timeout=nan": {"timeout": math.nan},
    "timeout=inf": {"timeout": math.inf},
    "timeout=True": {"timeout": True},
    "max_retries='3'": {"max_retries": "3"},
    "max_retries=1.0": {"max_retries": 1.0},
    "max_retries=True": {"max_retries": True},
    "max_response_bytes='1'": {"max_response_bytes": "1"},
    "max_response_bytes=2.0": {"max_response_bytes": 2.0},
    "allow_insecure_http=1": {"allow_insecure_http": 1},
    "timout=5 (a typo: not ignored)": {"timout": 5},
    "retry=3 (not a RetryPolicy)": {"retry": 3},
}


@pytest.fixture
def server(notte_server: NotteTestServer) -> NotteTestServer:
    notte_server.add_function(FN, runs=30)
    notte_server.run_plan = RunPlan(duration=0.05, outcome="closed", log_interval=0.02)
    return notte_server


def _refused(call: Call, server: NotteTestServer) -> NotteError:
    with NotteClient(server.api_key, base_url=server.url, max_retries=0) as client, pytest.raises(NotteError) as caught:
        call(client)
    assert isinstance(caught.value, InvalidArgumentError | ConfigurationError), repr(caught.value)
    assert "\n" not in str(caught.value)
    assert server.requests == [], "sent before the argument was refused"
    return caught.value


@pytest.mark.parametrize("call", ISSUE_CASES.values(), ids=ISSUE_CASES.keys())
def test_bad_arguments_are_refused_before_any_request(call: Call, server: NotteTestServer) -> None:
    _refused(call, server)


@pytest.mark.parametrize("options", CLIENT_CASES.values(), ids=CLIENT_CASES.keys())
def test_bad_client_options_are_configuration_errors(options: dict[str, Any], server: NotteTestServer) -> None:
    arguments = {"api_key": server.api_key, "base_url": server.url, **options}
    for client_class in (NotteClient, AsyncNotteClient):
        with pytest.raises(ConfigurationError) as caught:
            client_class(arguments.pop("api_key"), **arguments)
        assert "\n" not in str(caught.value)
        arguments = {"api_key": server.api_key, "base_url": server.url, **options}


@pytest.mark.parametrize("options", [{"max_wait": math.nan}, {"backoff_factor": math.inf}, {"max_retries": 2.0}])
def test_a_bad_retry_policy_is_a_configuration_error(options: dict[str, Any]) -> None:
    with pytest.raises(ConfigurationError):
        RetryPolicy(**options)


def test_the_async_client_refuses_the_same_way(server: NotteTestServer) -> None:
    async def listing() -> None:
        async with AsyncNotteClient(server.api_key, base_url=server.url) as client:
            await client.functions.list_runs(FN, limit="5").to_list()  # type: ignore[arg-type]

    with pytest.raises(InvalidArgumentError, match="limit must be an integer >= 0, got '5'"):
        asyncio.run(listing())
    assert server.requests == []


# -- fuzz: hostile values for every keyword --------------------------------------------------------

HOSTILE = st.one_of(
    st.sampled_from(
        [
            None,
            True,
            False,
            0,
            1,
            -1,
            2,
            10**400,
            0.0,
            1e-9,
            0.5,
            1.0,
            50.0,
            math.nan,
            math.inf,
            -math.inf,
            1e308,
            "",
            "5",
            "..",
            "\udcff\udcfe",
            "active",
            "sk-é",
            b"5",
            [],
            [3],
            ["active"],
            {},
            object(),
            dt.datetime.max,
            dt.datetime(1, 1, 1),
            "9999-12-31T23:59:59-14:00",
        ]
    ),
    st.integers(),
    st.floats(),
    st.text(max_size=20),
)
LIST_KEYWORDS = sorted({*query_parameters(), "running_only", "status", "created_after", "created_before", "limit"})
LIST_KEYWORDS += ["max_pages", "prefetch"]
FUNCTIONS_KEYWORDS = sorted({*functions_query_parameters(), "active_only", "limit", "max_pages", "prefetch"})
WATCH_KEYWORDS = ["interval", "jitter", "running_only", "until_idle", "timeout", "max_pages", "max_tracked_runs"]
RUN_KEYWORDS = ["timeout", "interval", "raise_on_failure"]
CLIENT_KEYWORDS = ["api_key", "base_url", "timeout", "max_retries", "max_response_bytes", "allow_insecure_http"]
CLIENT_KEYWORDS += ["proxy", "headers", "trust_env", "retry", "timout"]  # timout: a typo, always refused


def _fuzz(cap: int) -> settings:
    """The profile's number of examples (ci or proof), at most `cap`: each example may talk to the server."""
    return settings(max_examples=min(settings().max_examples, cap))


@pytest.fixture(scope="module")
def shared_server() -> Iterator[NotteTestServer]:
    """One server for every example (a fixture per example would be reset by hypothesis too rarely)."""
    with NotteTestServer(run_plan=RunPlan(duration=0, outcome="closed")) as server:
        server.add_function(FN, runs=30)
        yield server


def _refused_or_answered(call: Call, server: NotteTestServer) -> None:
    """A hostile value is refused before any request (a typed error), or the server answers without an error."""
    before = len(server.requests)
    refused: NotteError | None = None
    with NotteClient(server.api_key, base_url=server.url, max_retries=0, timeout=10) as client:
        try:
            call(client)
        except (InvalidArgumentError, ConfigurationError) as error:
            refused = error
        except WatchTimeoutError:
            pass  # an accepted timeout (run(timeout=1e-9)) that passed: what it is for
    sent = server.requests[before:]
    if refused is not None:
        assert "\n" not in str(refused)
        assert sent == [], f"sent before refusing: {refused}"
    assert all(request.status is not None and request.status < 400 for request in sent), sent


@_fuzz(1000)
@given(keyword=st.sampled_from(LIST_KEYWORDS), value=HOSTILE)
def test_fuzz_list_runs_keywords(shared_server: NotteTestServer, keyword: str, value: Any) -> None:
    _refused_or_answered(lambda c: c.functions.list_runs(FN, **{keyword: value}).to_list(), shared_server)


@_fuzz(1000)
@given(keyword=st.sampled_from([*query_parameters(), "running_only", "page"]), value=HOSTILE)
def test_fuzz_list_runs_page_keywords(shared_server: NotteTestServer, keyword: str, value: Any) -> None:
    _refused_or_answered(lambda c: c.functions.list_runs_page(FN, **{keyword: value}), shared_server)


@_fuzz(1000)
@given(keyword=st.sampled_from(FUNCTIONS_KEYWORDS), value=HOSTILE)
def test_fuzz_functions_list_keywords(shared_server: NotteTestServer, keyword: str, value: Any) -> None:
    _refused_or_answered(lambda c: c.functions.list(**{keyword: value}).to_list(), shared_server)


@_fuzz(1000)
@given(keyword=st.sampled_from(WATCH_KEYWORDS), value=HOSTILE)
def test_fuzz_watch_keywords(shared_server: NotteTestServer, keyword: str, value: Any) -> None:
    # Settings are checked when watch_runs is called; an accepted watch is not iterated (it polls forever).
    _refused_or_answered(lambda c: c.functions.watch_runs(FN, **{keyword: value}), shared_server)


@_fuzz(60)  # an accepted run() starts a run and waits for it (0.5 s or more)
@given(keyword=st.sampled_from(RUN_KEYWORDS), value=HOSTILE)
def test_fuzz_run_keywords(shared_server: NotteTestServer, keyword: str, value: Any) -> None:
    # Bounded however a value is accepted: interval=3600 waits for the 2 s timeout, not for an hour.
    options: dict[str, Any] = {"timeout": 2, "interval": 0.5, keyword: value}
    _refused_or_answered(lambda c: c.functions.run(FN, **options), shared_server)


@_fuzz(1000)
@given(keyword=st.sampled_from(CLIENT_KEYWORDS), value=HOSTILE)
def test_fuzz_client_keywords(keyword: str, value: Any) -> None:
    """Constructing a client sends nothing: it succeeds or raises ConfigurationError, for both clients."""
    arguments: dict[str, Any] = {"api_key": "sk-fuzz-0123456789", "base_url": "http://127.0.0.1:9", keyword: value}
    refused: ConfigurationError | None = None
    try:
        NotteClient(**arguments).close()
        asyncio.run(AsyncNotteClient(**arguments).aclose())
    except ConfigurationError as error:
        refused = error
    if refused is not None:
        assert "\n" not in str(refused)
        assert "fuzz-0123456789" not in str(refused)


@_fuzz(100)  # an accepted value starts a run
@given(value=HOSTILE)
def test_fuzz_run_variables(shared_server: NotteTestServer, value: Any) -> None:
    _refused_or_answered(lambda c: c.functions.start_run(FN, {"v": value, "nested": [value]}), shared_server)
