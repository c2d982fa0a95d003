from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.function_run_update_request_status import FunctionRunUpdateRequestStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.function_run_update_request_variables_type_0 import FunctionRunUpdateRequestVariablesType0


T = TypeVar("T", bound="FunctionRunUpdateRequest")


@_attrs_define
class FunctionRunUpdateRequest:
    """
    Attributes:
        status (FunctionRunUpdateRequestStatus): The status of the workflow run
        session_id (None | str | Unset): The ID of the session
        logs (list[str] | Unset): The logs of the workflow run
        variables (FunctionRunUpdateRequestVariablesType0 | None | Unset): The variables of the workflow run
        result (Any | None | Unset): The result of the workflow run
    """

    status: FunctionRunUpdateRequestStatus
    session_id: None | str | Unset = UNSET
    logs: list[str] | Unset = UNSET
    variables: FunctionRunUpdateRequestVariablesType0 | None | Unset = UNSET
    result: Any | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.function_run_update_request_variables_type_0 import FunctionRunUpdateRequestVariablesType0  # noqa: PLC0415

        status = self.status.value

        session_id: None | str | Unset
        if isinstance(self.session_id, Unset):
            session_id = UNSET
        else:
            session_id = self.session_id

        logs: list[str] | Unset = UNSET
        if not isinstance(self.logs, Unset):
            logs = self.logs

        variables: dict[str, Any] | None | Unset
        if isinstance(self.variables, Unset):
            variables = UNSET
        elif isinstance(self.variables, FunctionRunUpdateRequestVariablesType0):
            variables = self.variables.to_dict()
        else:
            variables = self.variables

        result: Any | None | Unset
        if isinstance(self.result, Unset):
            result = UNSET
        else:
            result = self.result

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "status": status,
            }
        )
        if session_id is not UNSET:
            field_dict["session_id"] = session_id
        if logs is not UNSET:
            field_dict["logs"] = logs
        if variables is not UNSET:
            field_dict["variables"] = variables
        if result is not UNSET:
            field_dict["result"] = result

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        status = FunctionRunUpdateRequestStatus(d.pop("status"))

        session_id = d.pop("session_id", UNSET)

        logs = d.pop("logs", UNSET)

        variables = d.pop("variables", UNSET)
        if isinstance(variables, dict):
            try:
                variables_type_0 = FunctionRunUpdateRequestVariablesType0.from_dict(variables)
                variables = variables_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass

        result = d.pop("result", UNSET)

        function_run_update_request = cls(
            status,
            session_id,
            logs,
            variables,
            result,
        )

        return function_run_update_request


# from_dict's imports, at the bottom (no import cycle: this module's class already exists).
from ..models.function_run_update_request_variables_type_0 import FunctionRunUpdateRequestVariablesType0  # noqa: E402
