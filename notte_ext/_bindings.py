"""Written by `make generate` (scripts/write_bindings.py from openapi.json and generated/): do not edit.

The generated names notte_ext uses, bound by operation: `<Operation>Page`, `<Operation>Item`,
`<Operation>Item<Field>` (the enum of an item field), `<Operation>Query` (its query parameters
under the generated argument names) and `<OPERATION>_QUERY` (generated argument -> spec parameter
name and generated enum, for validation and conversion).
"""

from __future__ import annotations

from enum import Enum
from typing import TypedDict

from notte_api_client.api.functions import list_function_runs_by_function_id
from notte_api_client.models.get_function_run_response import GetFunctionRunResponse
from notte_api_client.models.get_function_run_response_status import GetFunctionRunResponseStatus
from notte_api_client.models.paginated_response_get_function_run_response import PaginatedResponseGetFunctionRunResponse

__all__ = [
    "LIST_FUNCTION_RUNS_BY_FUNCTION_ID_QUERY",
    "ListFunctionRunsByFunctionIdItem",
    "ListFunctionRunsByFunctionIdItemStatus",
    "ListFunctionRunsByFunctionIdPage",
    "ListFunctionRunsByFunctionIdQuery",
    "list_function_runs_by_function_id",
]


# list_function_runs_by_function_id: the page and item models and their enums
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
