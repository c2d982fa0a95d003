"""Every query parameter the vendored operation declares: accepted under its generated name, checked
against the spec before any request, sent as given. The parameters and their rules are read from
openapi.json, so this holds (and is rehearsed) on any revision."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from notte_ext import AsyncNotteClient, InvalidArgumentError, NotteClient
from notte_ext.functions import CLIENT_SIDE_OPTIONS, query_parameters
from notte_ext.testing import NotteTestServer
from tests.revision import QUERY_PARAMETERS, wire

FUNCTION_ID = "fn-1"
PARAMETERS = query_parameters()


def valid_value(schema: dict[str, Any]) -> Any:
    """A value the spec accepts and the API would not assume by default."""
    if "enum" in schema:
        return schema["enum"][-1]
    if schema.get("type") == "boolean":
        return not schema.get("default", False)
    if schema.get("type") == "integer":
        return schema.get("minimum", 0) + 1 if schema.get("maximum", 2) > schema.get("minimum", 0) + 1 else 1
    return "sample"


def invalid_values(schema: dict[str, Any]) -> list[Any]:
    """Values of the wrong kind for the schema, and one that is no JSON value at all (an object())."""
    if "enum" in schema:
        return ["no-such-value", 3, object()]
    if schema.get("type") == "boolean":
        return ["yes", 1, object()]
    if schema.get("type") == "integer":
        out_of_bounds = [schema[bound] + step for bound, step in (("minimum", -1), ("maximum", 1)) if bound in schema]
        return ["big", 2.5, True, object(), *out_of_bounds]
    return [object()]


def test_the_spec_declares_the_parameters_we_bind() -> None:
    # Every query parameter but page (the paginator's) and only_active (running_only) is a keyword.
    assert set(PARAMETERS) == set(QUERY_PARAMETERS) - {"page", "only_active"}
    assert "page_size" in PARAMETERS


@pytest.mark.parametrize("name", PARAMETERS)
def test_each_parameter_is_sent_as_given(name: str, server: NotteTestServer) -> None:
    value = valid_value(PARAMETERS[name])
    with NotteClient(server.api_key, base_url=server.url) as client:
        client.functions.list_runs(FUNCTION_ID, prefetch=0, **{name: value}).first()  # one request
        client.functions.list_runs_page(FUNCTION_ID, page=2, **{name: value})
    for request in server.requests:
        assert request.query[name] == wire(value)
        assert request.query["only_active"] == "false"  # running_only's default, always sent
    assert [request.query["page"] for request in server.requests] == ["1", "2"]


@pytest.mark.parametrize(("name", "value"), [(n, v) for n, s in PARAMETERS.items() for v in invalid_values(s)])
def test_a_value_the_spec_refuses_is_an_invalid_argument_naming_the_parameter(
    name: str, value: Any, notte_server: NotteTestServer
) -> None:
    with NotteClient("k", base_url=notte_server.url) as client, pytest.raises(InvalidArgumentError) as caught:
        client.functions.list_runs(FUNCTION_ID, **{name: value})
    message = str(caught.value)
    assert message.startswith(f"{name} must be ")
    for allowed in PARAMETERS[name].get("enum", []):
        assert str(allowed) in message
    assert notte_server.requests == []


def test_an_unknown_keyword_lists_the_valid_ones_sync_and_async(notte_server: NotteTestServer) -> None:
    with NotteClient("k", base_url=notte_server.url) as client, pytest.raises(InvalidArgumentError) as caught:
        client.functions.list_runs(FUNCTION_ID, page_sise=5)  # type: ignore[call-arg]
    for valid in [*PARAMETERS, "running_only", *CLIENT_SIDE_OPTIONS]:
        assert valid in str(caught.value)

    async def page_with_a_typo() -> None:
        async with AsyncNotteClient("k", base_url=notte_server.url) as client:
            await client.functions.list_runs_page(FUNCTION_ID, runing_only=True)  # type: ignore[call-arg]

    with pytest.raises(InvalidArgumentError, match=r"unknown option 'runing_only'; valid: .*running_only") as typo:
        asyncio.run(page_with_a_typo())
    assert "status" not in str(typo.value)  # list_runs_page's own keywords: no client-side filters
    assert notte_server.requests == []


@pytest.mark.parametrize(
    "option", [{"status": "failed"}, {"created_after": "2024-01-01"}, {"created_before": "2024-01-01"}, {"limit": 3}]
)
def test_list_runs_page_refuses_client_side_filters_instead_of_ignoring_them(
    option: dict[str, Any], notte_server: NotteTestServer
) -> None:
    (name,) = option
    with NotteClient("k", base_url=notte_server.url) as client, pytest.raises(InvalidArgumentError, match=name):
        client.functions.list_runs_page(FUNCTION_ID, **option)

    async def one_page() -> None:
        async with AsyncNotteClient("k", base_url=notte_server.url) as client:
            await client.functions.list_runs_page(FUNCTION_ID, **option)

    with pytest.raises(InvalidArgumentError, match="use list_runs"):
        asyncio.run(one_page())
    assert notte_server.requests == []


def test_async_list_runs_page_returns_one_page_as_the_api_sends_it(server: NotteTestServer) -> None:
    async def second_page() -> Any:
        async with AsyncNotteClient(server.api_key, base_url=server.url) as client:
            return await client.functions.list_runs_page(FUNCTION_ID, page=2, page_size=7, running_only=True)

    page = asyncio.run(second_page())
    assert (page.page, page.page_size, len(page.items)) == (2, 7, 7)
    ((request),) = server.requests
    assert (request.query["page"], request.query["page_size"], request.query["only_active"]) == ("2", "7", "true")


def test_running_only_must_be_a_boolean(notte_server: NotteTestServer) -> None:
    with (
        NotteClient("k", base_url=notte_server.url) as client,
        pytest.raises(InvalidArgumentError, match="True or False"),
    ):
        client.functions.list_runs(FUNCTION_ID, running_only="yes")  # type: ignore[arg-type]
