from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.parameter_info import ParameterInfo


T = TypeVar("T", bound="GetFunctionResponse")


@_attrs_define
class GetFunctionResponse:
    """
    Attributes:
        function_id (str): The ID of the function
        created_at (datetime.datetime): The creation time of the workflow
        updated_at (datetime.datetime): The last update time of the workflow
        latest_version (str): The version of the workflow
        versions (list[str]): The versions of the workflow
        status (str): The status of the workflow
        workflow_id (str):
        variables (list[ParameterInfo] | None | Unset): The variables to run the workflow with
        name (None | str | Unset): The name of the workflow
        description (None | str | Unset): The description of the workflow
        shared (bool | Unset): Whether the workflow is public and can beshared with other users Default: False.
        reference_workflow_id (None | str | Unset): The ID of the reference workflow (i.e wether the workflow was forked
            from another workflow or not)
    """

    function_id: str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    latest_version: str
    versions: list[str]
    status: str
    workflow_id: str
    variables: list[ParameterInfo] | None | Unset = UNSET
    name: None | str | Unset = UNSET
    description: None | str | Unset = UNSET
    shared: bool | Unset = False
    reference_workflow_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        function_id = self.function_id

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        latest_version = self.latest_version

        versions = self.versions

        status = self.status

        workflow_id = self.workflow_id

        variables: list[dict[str, Any]] | None | Unset
        if isinstance(self.variables, Unset):
            variables = UNSET
        elif isinstance(self.variables, list):
            variables = []
            for variables_type_0_item_data in self.variables:
                variables_type_0_item = variables_type_0_item_data.to_dict()
                variables.append(variables_type_0_item)

        else:
            variables = self.variables

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        shared = self.shared

        reference_workflow_id: None | str | Unset
        if isinstance(self.reference_workflow_id, Unset):
            reference_workflow_id = UNSET
        else:
            reference_workflow_id = self.reference_workflow_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "function_id": function_id,
                "created_at": created_at,
                "updated_at": updated_at,
                "latest_version": latest_version,
                "versions": versions,
                "status": status,
                "workflow_id": workflow_id,
            }
        )
        if variables is not UNSET:
            field_dict["variables"] = variables
        if name is not UNSET:
            field_dict["name"] = name
        if description is not UNSET:
            field_dict["description"] = description
        if shared is not UNSET:
            field_dict["shared"] = shared
        if reference_workflow_id is not UNSET:
            field_dict["reference_workflow_id"] = reference_workflow_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        function_id = d.pop("function_id")

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

        latest_version = d.pop("latest_version")

        versions = d.pop("versions")

        status = d.pop("status")

        workflow_id = d.pop("workflow_id")

        variables = d.pop("variables", UNSET)
        if isinstance(variables, list):
            try:
                variables_type_0 = []
                _variables_type_0 = variables
                for variables_type_0_item_data in _variables_type_0:
                    variables_type_0_item = ParameterInfo.from_dict(variables_type_0_item_data)

                    variables_type_0.append(variables_type_0_item)
                variables = variables_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass

        name = d.pop("name", UNSET)

        description = d.pop("description", UNSET)

        shared = d.pop("shared", UNSET)

        reference_workflow_id = d.pop("reference_workflow_id", UNSET)

        get_function_response = cls(
            function_id,
            created_at,
            updated_at,
            latest_version,
            versions,
            status,
            workflow_id,
            variables,
            name,
            description,
            shared,
            reference_workflow_id,
        )

        get_function_response.additional_properties = d
        return get_function_response

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
from ..models.parameter_info import ParameterInfo  # noqa: E402
