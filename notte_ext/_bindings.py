"""Written by `make generate` (scripts/write_bindings.py from openapi.json and generated/): do not edit.

The generated names notte_ext uses, bound by operation: `<Operation>Result` (the model of its 200
response) or, for a page, `<Operation>Page` and `<Operation>Item`; `<Operation>Body` (its request
body model); `...<Field>` (the enum of a field of those); `<Operation>Query` (its query parameters
under the generated argument names) and `<OPERATION>_QUERY` (generated argument -> spec parameter
name and generated enum, for validation and conversion). `ValidationErrorBody` and `ValidationErrorItem`:
the model of a 422 and of one of its `detail` entries.
"""

from __future__ import annotations

from enum import Enum
from typing import TypedDict

from notte_api_client.api.functions import (
    function_create,
    function_delete,
    function_download_url,
    function_fork,
    function_run_get_metadata,
    function_run_start,
    function_run_stop,
    function_run_update_metadata,
    function_schedule_delete,
    function_schedule_set,
    function_update,
    list_function_runs_by_function_id,
    list_functions,
)
from notte_api_client.models.body_function_create_functions_post import BodyFunctionCreateFunctionsPost
from notte_api_client.models.body_function_update_functions_function_id_post import (
    BodyFunctionUpdateFunctionsFunctionIdPost,
)
from notte_api_client.models.delete_function_response import DeleteFunctionResponse
from notte_api_client.models.delete_function_response_status import DeleteFunctionResponseStatus
from notte_api_client.models.function_run_update_request import FunctionRunUpdateRequest
from notte_api_client.models.function_run_update_request_status import FunctionRunUpdateRequestStatus
from notte_api_client.models.function_schedule_create_request import FunctionScheduleCreateRequest
from notte_api_client.models.get_function_response import GetFunctionResponse
from notte_api_client.models.get_function_run_response import GetFunctionRunResponse
from notte_api_client.models.get_function_run_response_status import GetFunctionRunResponseStatus
from notte_api_client.models.get_function_with_link_response import GetFunctionWithLinkResponse
from notte_api_client.models.http_validation_error import HTTPValidationError
from notte_api_client.models.paginated_response_get_function_response import PaginatedResponseGetFunctionResponse
from notte_api_client.models.paginated_response_get_function_run_response import PaginatedResponseGetFunctionRunResponse
from notte_api_client.models.run_function_request import RunFunctionRequest
from notte_api_client.models.schedule_delete_response import ScheduleDeleteResponse
from notte_api_client.models.schedule_response import ScheduleResponse
from notte_api_client.models.update_function_run_response import UpdateFunctionRunResponse
from notte_api_client.models.update_function_run_response_status import UpdateFunctionRunResponseStatus
from notte_api_client.models.validation_error import ValidationError

__all__ = [
    "FUNCTION_CREATE_QUERY",
    "FUNCTION_DELETE_QUERY",
    "FUNCTION_DOWNLOAD_URL_QUERY",
    "FUNCTION_FORK_QUERY",
    "FUNCTION_RUN_GET_METADATA_QUERY",
    "FUNCTION_RUN_START_QUERY",
    "FUNCTION_RUN_STOP_QUERY",
    "FUNCTION_RUN_UPDATE_METADATA_QUERY",
    "FUNCTION_SCHEDULE_DELETE_QUERY",
    "FUNCTION_SCHEDULE_SET_QUERY",
    "FUNCTION_UPDATE_QUERY",
    "LIST_FUNCTIONS_QUERY",
    "LIST_FUNCTION_RUNS_BY_FUNCTION_ID_QUERY",
    "FunctionCreateBody",
    "FunctionCreateQuery",
    "FunctionCreateResult",
    "FunctionDeleteQuery",
    "FunctionDeleteResult",
    "FunctionDeleteResultStatus",
    "FunctionDownloadUrlQuery",
    "FunctionDownloadUrlResult",
    "FunctionForkQuery",
    "FunctionForkResult",
    "FunctionRunGetMetadataQuery",
    "FunctionRunGetMetadataResult",
    "FunctionRunGetMetadataResultStatus",
    "FunctionRunStartBody",
    "FunctionRunStartQuery",
    "FunctionRunStopQuery",
    "FunctionRunStopResult",
    "FunctionRunStopResultStatus",
    "FunctionRunUpdateMetadataBody",
    "FunctionRunUpdateMetadataBodyStatus",
    "FunctionRunUpdateMetadataQuery",
    "FunctionRunUpdateMetadataResult",
    "FunctionRunUpdateMetadataResultStatus",
    "FunctionScheduleDeleteQuery",
    "FunctionScheduleDeleteResult",
    "FunctionScheduleSetBody",
    "FunctionScheduleSetQuery",
    "FunctionScheduleSetResult",
    "FunctionUpdateBody",
    "FunctionUpdateQuery",
    "FunctionUpdateResult",
    "ListFunctionRunsByFunctionIdItem",
    "ListFunctionRunsByFunctionIdItemStatus",
    "ListFunctionRunsByFunctionIdPage",
    "ListFunctionRunsByFunctionIdQuery",
    "ListFunctionsItem",
    "ListFunctionsPage",
    "ListFunctionsQuery",
    "ValidationErrorBody",
    "ValidationErrorItem",
    "function_create",
    "function_delete",
    "function_download_url",
    "function_fork",
    "function_run_get_metadata",
    "function_run_start",
    "function_run_stop",
    "function_run_update_metadata",
    "function_schedule_delete",
    "function_schedule_set",
    "function_update",
    "list_function_runs_by_function_id",
    "list_functions",
]


# function_create (POST /functions)
FunctionCreateResult = GetFunctionResponse
FunctionCreateBody = BodyFunctionCreateFunctionsPost


class FunctionCreateQuery(TypedDict, total=False):
    """What a caller may set."""

    restricted: bool


FUNCTION_CREATE_QUERY: dict[str, tuple[str, type[Enum] | None]] = {
    "restricted": ("restricted", None),
}


# list_functions (GET /functions)
ListFunctionsPage = PaginatedResponseGetFunctionResponse
ListFunctionsItem = GetFunctionResponse


class ListFunctionsQuery(TypedDict, total=False):
    """What a caller may set (page is the paginator's; notte_ext sets only_active)."""

    page_size: int
    only_current_token: bool


LIST_FUNCTIONS_QUERY: dict[str, tuple[str, type[Enum] | None]] = {
    "page_size": ("page_size", None),
    "only_current_token": ("only_current_token", None),
}


# function_update (POST /functions/{function_id})
FunctionUpdateResult = GetFunctionResponse
FunctionUpdateBody = BodyFunctionUpdateFunctionsFunctionIdPost


class FunctionUpdateQuery(TypedDict, total=False):
    """What a caller may set."""

    version: str | None
    restricted: bool


FUNCTION_UPDATE_QUERY: dict[str, tuple[str, type[Enum] | None]] = {
    "version": ("version", None),
    "restricted": ("restricted", None),
}


# function_download_url (GET /functions/{function_id})
FunctionDownloadUrlResult = GetFunctionWithLinkResponse


class FunctionDownloadUrlQuery(TypedDict, total=False):
    """What a caller may set."""

    version: str | None
    decryption_key: str | None


FUNCTION_DOWNLOAD_URL_QUERY: dict[str, tuple[str, type[Enum] | None]] = {
    "version": ("version", None),
    "decryption_key": ("decryption_key", None),
}


# function_delete (DELETE /functions/{function_id})
FunctionDeleteResult = DeleteFunctionResponse
FunctionDeleteResultStatus = DeleteFunctionResponseStatus


class FunctionDeleteQuery(TypedDict, total=False):
    """What a caller may set."""


FUNCTION_DELETE_QUERY: dict[str, tuple[str, type[Enum] | None]] = {}


# function_fork (POST /functions/{function_id}/fork)
FunctionForkResult = GetFunctionResponse


class FunctionForkQuery(TypedDict, total=False):
    """What a caller may set."""


FUNCTION_FORK_QUERY: dict[str, tuple[str, type[Enum] | None]] = {}


# function_schedule_set (POST /functions/{function_id}/schedule)
FunctionScheduleSetResult = ScheduleResponse
FunctionScheduleSetBody = FunctionScheduleCreateRequest


class FunctionScheduleSetQuery(TypedDict, total=False):
    """What a caller may set."""


FUNCTION_SCHEDULE_SET_QUERY: dict[str, tuple[str, type[Enum] | None]] = {}


# function_schedule_delete (DELETE /functions/{function_id}/schedule)
FunctionScheduleDeleteResult = ScheduleDeleteResponse


class FunctionScheduleDeleteQuery(TypedDict, total=False):
    """What a caller may set."""


FUNCTION_SCHEDULE_DELETE_QUERY: dict[str, tuple[str, type[Enum] | None]] = {}


# function_run_start (POST /functions/{function_id}/runs/start)
FunctionRunStartBody = RunFunctionRequest


class FunctionRunStartQuery(TypedDict, total=False):
    """What a caller may set."""


FUNCTION_RUN_START_QUERY: dict[str, tuple[str, type[Enum] | None]] = {}


# function_run_get_metadata (GET /functions/{function_id}/runs/{run_id})
FunctionRunGetMetadataResult = GetFunctionRunResponse
FunctionRunGetMetadataResultStatus = GetFunctionRunResponseStatus


class FunctionRunGetMetadataQuery(TypedDict, total=False):
    """What a caller may set."""


FUNCTION_RUN_GET_METADATA_QUERY: dict[str, tuple[str, type[Enum] | None]] = {}


# function_run_update_metadata (PATCH /functions/{function_id}/runs/{run_id})
FunctionRunUpdateMetadataResult = UpdateFunctionRunResponse
FunctionRunUpdateMetadataResultStatus = UpdateFunctionRunResponseStatus
FunctionRunUpdateMetadataBody = FunctionRunUpdateRequest
FunctionRunUpdateMetadataBodyStatus = FunctionRunUpdateRequestStatus


class FunctionRunUpdateMetadataQuery(TypedDict, total=False):
    """What a caller may set."""


FUNCTION_RUN_UPDATE_METADATA_QUERY: dict[str, tuple[str, type[Enum] | None]] = {}


# function_run_stop (DELETE /functions/{function_id}/runs/{run_id})
FunctionRunStopResult = UpdateFunctionRunResponse
FunctionRunStopResultStatus = UpdateFunctionRunResponseStatus


class FunctionRunStopQuery(TypedDict, total=False):
    """What a caller may set."""


FUNCTION_RUN_STOP_QUERY: dict[str, tuple[str, type[Enum] | None]] = {}


# list_function_runs_by_function_id (GET /functions/{function_id}/runs)
ListFunctionRunsByFunctionIdPage = PaginatedResponseGetFunctionRunResponse
ListFunctionRunsByFunctionIdItem = GetFunctionRunResponse
ListFunctionRunsByFunctionIdItemStatus = GetFunctionRunResponseStatus


class ListFunctionRunsByFunctionIdQuery(TypedDict, total=False):
    """What a caller may set (page is the paginator's; notte_ext sets only_active)."""

    page_size: int
    only_current_token: bool


LIST_FUNCTION_RUNS_BY_FUNCTION_ID_QUERY: dict[str, tuple[str, type[Enum] | None]] = {
    "page_size": ("page_size", None),
    "only_current_token": ("only_current_token", None),
}


# a 422 of any operation
ValidationErrorBody = HTTPValidationError
ValidationErrorItem = ValidationError
