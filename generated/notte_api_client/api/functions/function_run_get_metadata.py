from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.get_function_run_response import GetFunctionRunResponse
from ...models.http_validation_error import HTTPValidationError
from ...types import UNSET, Response, Unset


def _get_kwargs(
    function_id: str,
    run_id: str,
    *,
    x_notte_request_origin: None | str | Unset = UNSET,
    x_notte_sdk_version: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_notte_request_origin, Unset):
        headers["x-notte-request-origin"] = x_notte_request_origin

    if not isinstance(x_notte_sdk_version, Unset):
        headers["x-notte-sdk-version"] = x_notte_sdk_version

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/functions/{function_id}/runs/{run_id}".format(
            function_id=quote(str(function_id), safe=""),
            run_id=quote(str(run_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> GetFunctionRunResponse | HTTPValidationError | None:
    if response.status_code == 200:
        response_200 = GetFunctionRunResponse.from_dict(response.json())

        return response_200

    if response.status_code == 422:
        response_422 = HTTPValidationError.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[GetFunctionRunResponse | HTTPValidationError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    function_id: str,
    run_id: str,
    *,
    client: AuthenticatedClient,
    x_notte_request_origin: None | str | Unset = UNSET,
    x_notte_sdk_version: None | str | Unset = UNSET,
) -> Response[GetFunctionRunResponse | HTTPValidationError]:
    """Function Run Get Metadata

    Args:
        function_id (str):
        run_id (str):
        x_notte_request_origin (None | str | Unset):
        x_notte_sdk_version (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[GetFunctionRunResponse | HTTPValidationError]
    """

    kwargs = _get_kwargs(
        function_id=function_id,
        run_id=run_id,
        x_notte_request_origin=x_notte_request_origin,
        x_notte_sdk_version=x_notte_sdk_version,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    function_id: str,
    run_id: str,
    *,
    client: AuthenticatedClient,
    x_notte_request_origin: None | str | Unset = UNSET,
    x_notte_sdk_version: None | str | Unset = UNSET,
) -> GetFunctionRunResponse | HTTPValidationError | None:
    """Function Run Get Metadata

    Args:
        function_id (str):
        run_id (str):
        x_notte_request_origin (None | str | Unset):
        x_notte_sdk_version (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        GetFunctionRunResponse | HTTPValidationError
    """

    return sync_detailed(
        function_id=function_id,
        run_id=run_id,
        client=client,
        x_notte_request_origin=x_notte_request_origin,
        x_notte_sdk_version=x_notte_sdk_version,
    ).parsed


async def asyncio_detailed(
    function_id: str,
    run_id: str,
    *,
    client: AuthenticatedClient,
    x_notte_request_origin: None | str | Unset = UNSET,
    x_notte_sdk_version: None | str | Unset = UNSET,
) -> Response[GetFunctionRunResponse | HTTPValidationError]:
    """Function Run Get Metadata

    Args:
        function_id (str):
        run_id (str):
        x_notte_request_origin (None | str | Unset):
        x_notte_sdk_version (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[GetFunctionRunResponse | HTTPValidationError]
    """

    kwargs = _get_kwargs(
        function_id=function_id,
        run_id=run_id,
        x_notte_request_origin=x_notte_request_origin,
        x_notte_sdk_version=x_notte_sdk_version,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    function_id: str,
    run_id: str,
    *,
    client: AuthenticatedClient,
    x_notte_request_origin: None | str | Unset = UNSET,
    x_notte_sdk_version: None | str | Unset = UNSET,
) -> GetFunctionRunResponse | HTTPValidationError | None:
    """Function Run Get Metadata

    Args:
        function_id (str):
        run_id (str):
        x_notte_request_origin (None | str | Unset):
        x_notte_sdk_version (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        GetFunctionRunResponse | HTTPValidationError
    """

    return (
        await asyncio_detailed(
            function_id=function_id,
            run_id=run_id,
            client=client,
            x_notte_request_origin=x_notte_request_origin,
            x_notte_sdk_version=x_notte_sdk_version,
        )
    ).parsed
