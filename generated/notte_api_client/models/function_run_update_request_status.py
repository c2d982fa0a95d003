from enum import StrEnum


class FunctionRunUpdateRequestStatus(StrEnum):
    ACTIVE = "active"
    CLOSED = "closed"
    FAILED = "failed"

    def __str__(self) -> str:
        return str(self.value)
