from enum import StrEnum


class UpdateFunctionRunResponseStatus(StrEnum):
    STOPPED = "stopped"
    UPDATED = "updated"

    def __str__(self) -> str:
        return str(self.value)
