"""Contains all the data models used in inputs/outputs"""

from .body_function_create_functions_post import BodyFunctionCreateFunctionsPost
from .body_function_update_functions_function_id_post import BodyFunctionUpdateFunctionsFunctionIdPost
from .delete_function_response import DeleteFunctionResponse
from .delete_function_response_status import DeleteFunctionResponseStatus
from .function_run_update_request import FunctionRunUpdateRequest
from .function_run_update_request_status import FunctionRunUpdateRequestStatus
from .function_run_update_request_variables_type_0 import FunctionRunUpdateRequestVariablesType0
from .function_schedule_create_request import FunctionScheduleCreateRequest
from .function_schedule_create_request_variables_type_0 import FunctionScheduleCreateRequestVariablesType0
from .get_function_response import GetFunctionResponse
from .get_function_run_response import GetFunctionRunResponse
from .get_function_run_response_status import GetFunctionRunResponseStatus
from .get_function_run_response_variables_type_0 import GetFunctionRunResponseVariablesType0
from .get_function_with_link_response import GetFunctionWithLinkResponse
from .http_validation_error import HTTPValidationError
from .paginated_response_get_function_response import PaginatedResponseGetFunctionResponse
from .paginated_response_get_function_run_response import PaginatedResponseGetFunctionRunResponse
from .parameter_info import ParameterInfo
from .run_function_request import RunFunctionRequest
from .run_function_request_variables import RunFunctionRequestVariables
from .schedule_delete_response import ScheduleDeleteResponse
from .schedule_response import ScheduleResponse
from .update_function_run_response import UpdateFunctionRunResponse
from .update_function_run_response_status import UpdateFunctionRunResponseStatus
from .validation_error import ValidationError
from .validation_error_context import ValidationErrorContext

__all__ = (
    "BodyFunctionCreateFunctionsPost",
    "BodyFunctionUpdateFunctionsFunctionIdPost",
    "DeleteFunctionResponse",
    "DeleteFunctionResponseStatus",
    "FunctionRunUpdateRequest",
    "FunctionRunUpdateRequestStatus",
    "FunctionRunUpdateRequestVariablesType0",
    "FunctionScheduleCreateRequest",
    "FunctionScheduleCreateRequestVariablesType0",
    "GetFunctionResponse",
    "GetFunctionRunResponse",
    "GetFunctionRunResponseStatus",
    "GetFunctionRunResponseVariablesType0",
    "GetFunctionWithLinkResponse",
    "HTTPValidationError",
    "PaginatedResponseGetFunctionResponse",
    "PaginatedResponseGetFunctionRunResponse",
    "ParameterInfo",
    "RunFunctionRequest",
    "RunFunctionRequestVariables",
    "ScheduleDeleteResponse",
    "ScheduleResponse",
    "UpdateFunctionRunResponse",
    "UpdateFunctionRunResponseStatus",
    "ValidationError",
    "ValidationErrorContext",
)
