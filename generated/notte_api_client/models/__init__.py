"""Contains all the data models used in inputs/outputs"""

from .get_function_run_response import GetFunctionRunResponse
from .get_function_run_response_status import GetFunctionRunResponseStatus
from .get_function_run_response_variables_type_0 import GetFunctionRunResponseVariablesType0
from .http_validation_error import HTTPValidationError
from .paginated_response_get_function_run_response import PaginatedResponseGetFunctionRunResponse
from .validation_error import ValidationError
from .validation_error_context import ValidationErrorContext

__all__ = (
    "GetFunctionRunResponse",
    "GetFunctionRunResponseStatus",
    "GetFunctionRunResponseVariablesType0",
    "HTTPValidationError",
    "PaginatedResponseGetFunctionRunResponse",
    "ValidationError",
    "ValidationErrorContext",
)
