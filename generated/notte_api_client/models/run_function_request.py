from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.run_function_request_variables import RunFunctionRequestVariables


T = TypeVar("T", bound="RunFunctionRequest")


@_attrs_define
class RunFunctionRequest:
    """
    Attributes:
        workflow_id (str): The ID of the function to run
        variables (RunFunctionRequestVariables): The variables to run the workflow with
        stream (bool | Unset): Whether to stream logs, or only return final response Default: True.
    """

    workflow_id: str
    variables: RunFunctionRequestVariables
    stream: bool | Unset = True

    def to_dict(self) -> dict[str, Any]:
        workflow_id = self.workflow_id

        variables = self.variables.to_dict()

        stream = self.stream

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "workflow_id": workflow_id,
                "variables": variables,
            }
        )
        if stream is not UNSET:
            field_dict["stream"] = stream

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        workflow_id = d.pop("workflow_id")

        variables = RunFunctionRequestVariables.from_dict(d.pop("variables"))

        stream = d.pop("stream", UNSET)

        run_function_request = cls(
            workflow_id,
            variables,
            stream,
        )

        return run_function_request


# from_dict's imports, at the bottom (no import cycle: this module's class already exists).
from ..models.run_function_request_variables import RunFunctionRequestVariables  # noqa: E402
