"""One reported change, and the ordering and counts every report shares."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from notte_ext.drift.limits import cut
from notte_ext.drift.locations import readable
from notte_ext.drift.rules import RULES, Severity


@dataclass(frozen=True, order=False)
class Change:
    id: str
    severity: Severity
    operation: str
    location: str  # a JSON pointer into the operation (or the document, for components)
    message: str
    where: str = ""  # the same place for a person: "GetFunctionRunResponse.status"
    hint: str = ""  # what it means for notte_ext users, when it collides with the client's own behaviour

    @classmethod
    def of(
        cls, rule_id: str, operation: str, location: str, message: str, *, origin: str = "", hint: str = ""
    ) -> Change:
        """A change whose severity comes from the rule registry (one source of truth).

        Its text fields are cut to ``MAX_FIELD`` characters: a document may hold a value or name of
        any length, and a report line stays readable (and its size bounded).
        """
        where = readable(location, origin)
        texts = (operation, location, message, where, hint)
        operation, location, message, where, hint = (cut(text) for text in texts)
        return cls(rule_id, RULES[rule_id].severity, operation, location, message, where, hint)

    def as_dict(self) -> dict[str, str]:
        found = {
            "id": self.id,
            "severity": str(self.severity),
            "operation": self.operation,
            "where": self.where,
            "location": self.location,
            "message": self.message,
        }
        return found | ({"hint": self.hint} if self.hint else {})


def ordered(changes: Iterable[Change]) -> list[Change]:
    """Most severe first, then by operation and location: reports are stable across runs."""
    return sorted(changes, key=lambda c: (c.severity.rank, c.operation, c.location, c.id, c.message))


def summary(changes: Iterable[Change]) -> dict[str, int]:
    counts = dict.fromkeys((str(s) for s in Severity), 0)
    for change in changes:
        counts[str(change.severity)] += 1
    counts["total"] = sum(counts.values())
    return counts
