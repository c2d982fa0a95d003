from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.function_schedule_create_request_variables_type_0 import FunctionScheduleCreateRequestVariablesType0


T = TypeVar("T", bound="FunctionScheduleCreateRequest")


@_attrs_define
class FunctionScheduleCreateRequest:
    """
    Attributes:
        cron (str):
        variables (FunctionScheduleCreateRequestVariablesType0 | None):
    """

    cron: str
    variables: FunctionScheduleCreateRequestVariablesType0 | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.function_schedule_create_request_variables_type_0 import (
            FunctionScheduleCreateRequestVariablesType0,  # noqa: PLC0415
        )

        cron = self.cron

        variables: dict[str, Any] | None
        if isinstance(self.variables, FunctionScheduleCreateRequestVariablesType0):
            variables = self.variables.to_dict()
        else:
            variables = self.variables

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "cron": cron,
                "variables": variables,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        cron = d.pop("cron")

        variables = d.pop("variables")
        if isinstance(variables, dict):
            try:
                variables_type_0 = FunctionScheduleCreateRequestVariablesType0.from_dict(variables)
                variables = variables_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass

        function_schedule_create_request = cls(
            cron,
            variables,
        )

        function_schedule_create_request.additional_properties = d
        return function_schedule_create_request

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
from ..models.function_schedule_create_request_variables_type_0 import FunctionScheduleCreateRequestVariablesType0  # noqa: E402
