from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.update_function_run_response_status import UpdateFunctionRunResponseStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="UpdateFunctionRunResponse")


@_attrs_define
class UpdateFunctionRunResponse:
    """
    Attributes:
        function_id (str): The ID of the function
        function_run_id (str): The ID of the function run
        updated_at (datetime.datetime):
        workflow_id (str):
        workflow_run_id (str):
        status (UpdateFunctionRunResponseStatus | Unset):  Default: UpdateFunctionRunResponseStatus.UPDATED.
    """

    function_id: str
    function_run_id: str
    updated_at: datetime.datetime
    workflow_id: str
    workflow_run_id: str
    status: UpdateFunctionRunResponseStatus | Unset = UpdateFunctionRunResponseStatus.UPDATED
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        function_id = self.function_id

        function_run_id = self.function_run_id

        updated_at = self.updated_at.isoformat()

        workflow_id = self.workflow_id

        workflow_run_id = self.workflow_run_id

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "function_id": function_id,
                "function_run_id": function_run_id,
                "updated_at": updated_at,
                "workflow_id": workflow_id,
                "workflow_run_id": workflow_run_id,
            }
        )
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        function_id = d.pop("function_id")

        function_run_id = d.pop("function_run_id")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        if updated_at.tzinfo is not datetime.UTC:
            updated_at = (
                updated_at.replace(tzinfo=datetime.UTC)
                if updated_at.tzinfo is None
                else updated_at.astimezone(datetime.UTC)
            )

        workflow_id = d.pop("workflow_id")

        workflow_run_id = d.pop("workflow_run_id")

        _status = d.pop("status", UNSET)
        status: UpdateFunctionRunResponseStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = UpdateFunctionRunResponseStatus(_status)

        update_function_run_response = cls(
            function_id,
            function_run_id,
            updated_at,
            workflow_id,
            workflow_run_id,
            status,
        )

        update_function_run_response.additional_properties = d
        return update_function_run_response

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
