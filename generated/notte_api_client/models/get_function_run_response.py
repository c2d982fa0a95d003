from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.get_function_run_response_status import GetFunctionRunResponseStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.get_function_run_response_variables_type_0 import GetFunctionRunResponseVariablesType0


T = TypeVar("T", bound="GetFunctionRunResponse")


@_attrs_define
class GetFunctionRunResponse:
    """
    Attributes:
        function_id (str): The ID of the function
        function_run_id (str): The ID of the function run
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        status (GetFunctionRunResponseStatus):
        workflow_id (str):
        workflow_run_id (str):
        session_id (None | str | Unset): The ID of the session
        logs (list[str] | Unset): The logs of the workflow run
        variables (GetFunctionRunResponseVariablesType0 | None | Unset): The variables of the workflow run
        result (None | str | Unset): The result of the workflow run (if any)
        local (bool | Unset): Whether the workflow has been run locally or on the cloud Default: False.
    """

    function_id: str
    function_run_id: str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    status: GetFunctionRunResponseStatus
    workflow_id: str
    workflow_run_id: str
    session_id: None | str | Unset = UNSET
    logs: list[str] | Unset = UNSET
    variables: GetFunctionRunResponseVariablesType0 | None | Unset = UNSET
    result: None | str | Unset = UNSET
    local: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.get_function_run_response_variables_type_0 import GetFunctionRunResponseVariablesType0  # noqa: PLC0415

        function_id = self.function_id

        function_run_id = self.function_run_id

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        status = self.status.value

        workflow_id = self.workflow_id

        workflow_run_id = self.workflow_run_id

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
        elif isinstance(self.variables, GetFunctionRunResponseVariablesType0):
            variables = self.variables.to_dict()
        else:
            variables = self.variables

        result: None | str | Unset
        if isinstance(self.result, Unset):
            result = UNSET
        else:
            result = self.result

        local = self.local

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "function_id": function_id,
                "function_run_id": function_run_id,
                "created_at": created_at,
                "updated_at": updated_at,
                "status": status,
                "workflow_id": workflow_id,
                "workflow_run_id": workflow_run_id,
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
        if local is not UNSET:
            field_dict["local"] = local

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        function_id = d.pop("function_id")

        function_run_id = d.pop("function_run_id")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        if created_at.tzinfo is not datetime.UTC:
            created_at = (
                created_at.replace(tzinfo=datetime.UTC)
                if created_at.tzinfo is None
                else created_at.astimezone(datetime.UTC)
            )

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        if updated_at.tzinfo is not datetime.UTC:
            updated_at = (
                updated_at.replace(tzinfo=datetime.UTC)
                if updated_at.tzinfo is None
                else updated_at.astimezone(datetime.UTC)
            )

        status = GetFunctionRunResponseStatus(d.pop("status"))

        workflow_id = d.pop("workflow_id")

        workflow_run_id = d.pop("workflow_run_id")

        session_id = d.pop("session_id", UNSET)

        logs = d.pop("logs", UNSET)

        variables = d.pop("variables", UNSET)
        if isinstance(variables, dict):
            try:
                variables_type_0 = GetFunctionRunResponseVariablesType0.from_dict(variables)
                variables = variables_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass

        result = d.pop("result", UNSET)

        local = d.pop("local", UNSET)

        get_function_run_response = cls(
            function_id,
            function_run_id,
            created_at,
            updated_at,
            status,
            workflow_id,
            workflow_run_id,
            session_id,
            logs,
            variables,
            result,
            local,
        )

        get_function_run_response.additional_properties = d
        return get_function_run_response

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties


# from_dict's imports, at the bottom (no import cycle: this module's class already exists).
from ..models.get_function_run_response_variables_type_0 import GetFunctionRunResponseVariablesType0  # noqa: E402
