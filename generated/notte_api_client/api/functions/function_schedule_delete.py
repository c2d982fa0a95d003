from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.http_validation_error import HTTPValidationError
from ...models.schedule_delete_response import ScheduleDeleteResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    function_id: str,
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
        "method": "delete",
        "url": "/functions/{function_id}/schedule".format(
            function_id=quote(str(function_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> HTTPValidationError | ScheduleDeleteResponse | None:
    if response.status_code == 200:
        response_200 = ScheduleDeleteResponse.from_dict(response.json())

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
) -> Response[HTTPValidationError | ScheduleDeleteResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    function_id: str,
    *,
    client: AuthenticatedClient,
    x_notte_request_origin: None | str | Unset = UNSET,
    x_notte_sdk_version: None | str | Unset = UNSET,
) -> Response[HTTPValidationError | ScheduleDeleteResponse]:
    """Function Schedule Delete

    Args:
        function_id (str):
        x_notte_request_origin (None | str | Unset):
        x_notte_sdk_version (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[HTTPValidationError | ScheduleDeleteResponse]
    """

    kwargs = _get_kwargs(
        function_id=function_id,
        x_notte_request_origin=x_notte_request_origin,
        x_notte_sdk_version=x_notte_sdk_version,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    function_id: str,
    *,
    client: AuthenticatedClient,
    x_notte_request_origin: None | str | Unset = UNSET,
    x_notte_sdk_version: None | str | Unset = UNSET,
) -> HTTPValidationError | ScheduleDeleteResponse | None:
    """Function Schedule Delete

    Args:
        function_id (str):
        x_notte_request_origin (None | str | Unset):
        x_notte_sdk_version (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        HTTPValidationError | ScheduleDeleteResponse
    """

    return sync_detailed(
        function_id=function_id,
        client=client,
        x_notte_request_origin=x_notte_request_origin,
        x_notte_sdk_version=x_notte_sdk_version,
    ).parsed


async def asyncio_detailed(
    function_id: str,
    *,
    client: AuthenticatedClient,
    x_notte_request_origin: None | str | Unset = UNSET,
    x_notte_sdk_version: None | str | Unset = UNSET,
) -> Response[HTTPValidationError | ScheduleDeleteResponse]:
    """Function Schedule Delete

    Args:
        function_id (str):
        x_notte_request_origin (None | str | Unset):
        x_notte_sdk_version (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[HTTPValidationError | ScheduleDeleteResponse]
    """

    kwargs = _get_kwargs(
        function_id=function_id,
        x_notte_request_origin=x_notte_request_origin,
        x_notte_sdk_version=x_notte_sdk_version,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    function_id: str,
    *,
    client: AuthenticatedClient,
    x_notte_request_origin: None | str | Unset = UNSET,
    x_notte_sdk_version: None | str | Unset = UNSET,
) -> HTTPValidationError | ScheduleDeleteResponse | None:
    """Function Schedule Delete

    Args:
        function_id (str):
        x_notte_request_origin (None | str | Unset):
        x_notte_sdk_version (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        HTTPValidationError | ScheduleDeleteResponse
    """

    return (
        await asyncio_detailed(
            function_id=function_id,
            client=client,
            x_notte_request_origin=x_notte_request_origin,
            x_notte_sdk_version=x_notte_sdk_version,
        )
    ).parsed
