from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.get_function_with_link_response import GetFunctionWithLinkResponse
from ...models.http_validation_error import HTTPValidationError
from ...types import UNSET, Response, Unset


def _get_kwargs(
    function_id: str,
    *,
    version: None | str | Unset = UNSET,
    decryption_key: None | str | Unset = UNSET,
    x_notte_request_origin: None | str | Unset = UNSET,
    x_notte_sdk_version: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_notte_request_origin, Unset):
        headers["x-notte-request-origin"] = x_notte_request_origin

    if not isinstance(x_notte_sdk_version, Unset):
        headers["x-notte-sdk-version"] = x_notte_sdk_version

    params: dict[str, Any] = {}

    json_version: None | str | Unset
    if isinstance(version, Unset):
        json_version = UNSET
    else:
        json_version = version
    params["version"] = json_version

    json_decryption_key: None | str | Unset
    if isinstance(decryption_key, Unset):
        json_decryption_key = UNSET
    else:
        json_decryption_key = decryption_key
    params["decryption_key"] = json_decryption_key

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/functions/{function_id}".format(
            function_id=quote(str(function_id), safe=""),
        ),
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> GetFunctionWithLinkResponse | HTTPValidationError | None:
    if response.status_code == 200:
        response_200 = GetFunctionWithLinkResponse.from_dict(response.json())

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
) -> Response[GetFunctionWithLinkResponse | HTTPValidationError]:
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
    version: None | str | Unset = UNSET,
    decryption_key: None | str | Unset = UNSET,
    x_notte_request_origin: None | str | Unset = UNSET,
    x_notte_sdk_version: None | str | Unset = UNSET,
) -> Response[GetFunctionWithLinkResponse | HTTPValidationError]:
    """Function Download Url

    Args:
        function_id (str):
        version (None | str | Unset):
        decryption_key (None | str | Unset): The decryption key for the function
        x_notte_request_origin (None | str | Unset):
        x_notte_sdk_version (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[GetFunctionWithLinkResponse | HTTPValidationError]
    """

    kwargs = _get_kwargs(
        function_id=function_id,
        version=version,
        decryption_key=decryption_key,
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
    version: None | str | Unset = UNSET,
    decryption_key: None | str | Unset = UNSET,
    x_notte_request_origin: None | str | Unset = UNSET,
    x_notte_sdk_version: None | str | Unset = UNSET,
) -> GetFunctionWithLinkResponse | HTTPValidationError | None:
    """Function Download Url

    Args:
        function_id (str):
        version (None | str | Unset):
        decryption_key (None | str | Unset): The decryption key for the function
        x_notte_request_origin (None | str | Unset):
        x_notte_sdk_version (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        GetFunctionWithLinkResponse | HTTPValidationError
    """

    return sync_detailed(
        function_id=function_id,
        client=client,
        version=version,
        decryption_key=decryption_key,
        x_notte_request_origin=x_notte_request_origin,
        x_notte_sdk_version=x_notte_sdk_version,
    ).parsed


async def asyncio_detailed(
    function_id: str,
    *,
    client: AuthenticatedClient,
    version: None | str | Unset = UNSET,
    decryption_key: None | str | Unset = UNSET,
    x_notte_request_origin: None | str | Unset = UNSET,
    x_notte_sdk_version: None | str | Unset = UNSET,
) -> Response[GetFunctionWithLinkResponse | HTTPValidationError]:
    """Function Download Url

    Args:
        function_id (str):
        version (None | str | Unset):
        decryption_key (None | str | Unset): The decryption key for the function
        x_notte_request_origin (None | str | Unset):
        x_notte_sdk_version (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[GetFunctionWithLinkResponse | HTTPValidationError]
    """

    kwargs = _get_kwargs(
        function_id=function_id,
        version=version,
        decryption_key=decryption_key,
        x_notte_request_origin=x_notte_request_origin,
        x_notte_sdk_version=x_notte_sdk_version,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    function_id: str,
    *,
    client: AuthenticatedClient,
    version: None | str | Unset = UNSET,
    decryption_key: None | str | Unset = UNSET,
    x_notte_request_origin: None | str | Unset = UNSET,
    x_notte_sdk_version: None | str | Unset = UNSET,
) -> GetFunctionWithLinkResponse | HTTPValidationError | None:
    """Function Download Url

    Args:
        function_id (str):
        version (None | str | Unset):
        decryption_key (None | str | Unset): The decryption key for the function
        x_notte_request_origin (None | str | Unset):
        x_notte_sdk_version (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        GetFunctionWithLinkResponse | HTTPValidationError
    """

    return (
        await asyncio_detailed(
            function_id=function_id,
            client=client,
            version=version,
            decryption_key=decryption_key,
            x_notte_request_origin=x_notte_request_origin,
            x_notte_sdk_version=x_notte_sdk_version,
        )
    ).parsed
