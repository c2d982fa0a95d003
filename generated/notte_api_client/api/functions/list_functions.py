from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.http_validation_error import HTTPValidationError
from ...models.paginated_response_get_function_response import PaginatedResponseGetFunctionResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    page: int | Unset = 1,
    page_size: int | Unset = 10,
    only_active: bool | Unset = True,
    only_current_token: bool | Unset = False,
    x_notte_request_origin: None | str | Unset = UNSET,
    x_notte_sdk_version: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_notte_request_origin, Unset):
        headers["x-notte-request-origin"] = x_notte_request_origin

    if not isinstance(x_notte_sdk_version, Unset):
        headers["x-notte-sdk-version"] = x_notte_sdk_version

    params: dict[str, Any] = {}

    params["page"] = page

    params["page_size"] = page_size

    params["only_active"] = only_active

    params["only_current_token"] = only_current_token

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/functions",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> HTTPValidationError | PaginatedResponseGetFunctionResponse | None:
    if response.status_code == 200:
        response_200 = PaginatedResponseGetFunctionResponse.from_dict(response.json())

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
) -> Response[HTTPValidationError | PaginatedResponseGetFunctionResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    page: int | Unset = 1,
    page_size: int | Unset = 10,
    only_active: bool | Unset = True,
    only_current_token: bool | Unset = False,
    x_notte_request_origin: None | str | Unset = UNSET,
    x_notte_sdk_version: None | str | Unset = UNSET,
) -> Response[HTTPValidationError | PaginatedResponseGetFunctionResponse]:
    """List Functions

    Args:
        page (int | Unset): Page number Default: 1.
        page_size (int | Unset): Number of items per page Default: 10.
        only_active (bool | Unset): Whether to only return active sessions Default: True.
        only_current_token (bool | Unset): Whether to only return sessions for the current token
            (apikey) Default: False.
        x_notte_request_origin (None | str | Unset):
        x_notte_sdk_version (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[HTTPValidationError | PaginatedResponseGetFunctionResponse]
    """

    kwargs = _get_kwargs(
        page=page,
        page_size=page_size,
        only_active=only_active,
        only_current_token=only_current_token,
        x_notte_request_origin=x_notte_request_origin,
        x_notte_sdk_version=x_notte_sdk_version,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    page: int | Unset = 1,
    page_size: int | Unset = 10,
    only_active: bool | Unset = True,
    only_current_token: bool | Unset = False,
    x_notte_request_origin: None | str | Unset = UNSET,
    x_notte_sdk_version: None | str | Unset = UNSET,
) -> HTTPValidationError | PaginatedResponseGetFunctionResponse | None:
    """List Functions

    Args:
        page (int | Unset): Page number Default: 1.
        page_size (int | Unset): Number of items per page Default: 10.
        only_active (bool | Unset): Whether to only return active sessions Default: True.
        only_current_token (bool | Unset): Whether to only return sessions for the current token
            (apikey) Default: False.
        x_notte_request_origin (None | str | Unset):
        x_notte_sdk_version (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        HTTPValidationError | PaginatedResponseGetFunctionResponse
    """

    return sync_detailed(
        client=client,
        page=page,
        page_size=page_size,
        only_active=only_active,
        only_current_token=only_current_token,
        x_notte_request_origin=x_notte_request_origin,
        x_notte_sdk_version=x_notte_sdk_version,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    page: int | Unset = 1,
    page_size: int | Unset = 10,
    only_active: bool | Unset = True,
    only_current_token: bool | Unset = False,
    x_notte_request_origin: None | str | Unset = UNSET,
    x_notte_sdk_version: None | str | Unset = UNSET,
) -> Response[HTTPValidationError | PaginatedResponseGetFunctionResponse]:
    """List Functions

    Args:
        page (int | Unset): Page number Default: 1.
        page_size (int | Unset): Number of items per page Default: 10.
        only_active (bool | Unset): Whether to only return active sessions Default: True.
        only_current_token (bool | Unset): Whether to only return sessions for the current token
            (apikey) Default: False.
        x_notte_request_origin (None | str | Unset):
        x_notte_sdk_version (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[HTTPValidationError | PaginatedResponseGetFunctionResponse]
    """

    kwargs = _get_kwargs(
        page=page,
        page_size=page_size,
        only_active=only_active,
        only_current_token=only_current_token,
        x_notte_request_origin=x_notte_request_origin,
        x_notte_sdk_version=x_notte_sdk_version,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    page: int | Unset = 1,
    page_size: int | Unset = 10,
    only_active: bool | Unset = True,
    only_current_token: bool | Unset = False,
    x_notte_request_origin: None | str | Unset = UNSET,
    x_notte_sdk_version: None | str | Unset = UNSET,
) -> HTTPValidationError | PaginatedResponseGetFunctionResponse | None:
    """List Functions

    Args:
        page (int | Unset): Page number Default: 1.
        page_size (int | Unset): Number of items per page Default: 10.
        only_active (bool | Unset): Whether to only return active sessions Default: True.
        only_current_token (bool | Unset): Whether to only return sessions for the current token
            (apikey) Default: False.
        x_notte_request_origin (None | str | Unset):
        x_notte_sdk_version (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        HTTPValidationError | PaginatedResponseGetFunctionResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            page=page,
            page_size=page_size,
            only_active=only_active,
            only_current_token=only_current_token,
            x_notte_request_origin=x_notte_request_origin,
            x_notte_sdk_version=x_notte_sdk_version,
        )
    ).parsed
