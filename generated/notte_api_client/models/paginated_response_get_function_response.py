from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.get_function_response import GetFunctionResponse


T = TypeVar("T", bound="PaginatedResponseGetFunctionResponse")


@_attrs_define
class PaginatedResponseGetFunctionResponse:
    """
    Attributes:
        items (list[GetFunctionResponse]):
        page (int):
        page_size (int):
        has_next (bool):
        has_previous (bool):
    """

    items: list[GetFunctionResponse]
    page: int
    page_size: int
    has_next: bool
    has_previous: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        page = self.page

        page_size = self.page_size

        has_next = self.has_next

        has_previous = self.has_previous

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "items": items,
                "page": page,
                "page_size": page_size,
                "has_next": has_next,
                "has_previous": has_previous,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = GetFunctionResponse.from_dict(items_item_data)

            items.append(items_item)

        page = d.pop("page")

        page_size = d.pop("page_size")

        has_next = d.pop("has_next")

        has_previous = d.pop("has_previous")

        paginated_response_get_function_response = cls(
            items,
            page,
            page_size,
            has_next,
            has_previous,
        )

        paginated_response_get_function_response.additional_properties = d
        return paginated_response_get_function_response

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
from ..models.get_function_response import GetFunctionResponse  # noqa: E402
