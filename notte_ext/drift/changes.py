"""One reported change, and the ordering and counts every report shares."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from notte_ext.drift.rules import RULES, Severity


@dataclass(frozen=True, order=False)
class Change:
    id: str
    severity: Severity
    operation: str
    location: str
    message: str

    @classmethod
    def of(cls, rule_id: str, operation: str, location: str, message: str) -> Change:
        """A change whose severity comes from the rule registry (one source of truth)."""
        return cls(rule_id, RULES[rule_id].severity, operation, location, message)

    def as_dict(self) -> dict[str, str]:
        return {
            "id": self.id,
            "severity": str(self.severity),
            "operation": self.operation,
            "location": self.location,
            "message": self.message,
        }


def ordered(changes: Iterable[Change]) -> list[Change]:
    """Most severe first, then by operation and location: reports are stable across runs."""
    return sorted(changes, key=lambda c: (c.severity.rank, c.operation, c.location, c.id, c.message))


def summary(changes: Iterable[Change]) -> dict[str, int]:
    counts = dict.fromkeys((str(s) for s in Severity), 0)
    for change in changes:
        counts[str(change.severity)] += 1
    counts["total"] = sum(counts.values())
    return counts
