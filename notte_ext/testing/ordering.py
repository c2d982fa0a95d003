"""The order the runs listing serves, for testing a client against servers that break newest first.

The API lists runs newest first in practice, but its spec promises no order (an independent
spec-driven mock serves any). ``RunOrder`` reorders the matching runs before a page is cut, the
same way on every request (seeded, keyed by run id), so pages stay consistent while runs are
created in between, as on a real server with some other sort.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from notte_ext.testing.store import StoredRun

__all__ = ["ORDERS", "RunOrder"]

#: newest-first: as the API does; oldest-first: reversed; shuffled: a seeded random order;
#: misplaced: newest first but for one run (seeded) moved elsewhere.
ORDERS = ("newest-first", "oldest-first", "shuffled", "misplaced")

R = TypeVar("R", bound=StoredRun)


@dataclass(frozen=True)
class RunOrder:
    name: str = "newest-first"
    seed: int = 0
    # misplaced: the (moved, anchor) run ids picked for a listing, by its oldest run (which runs
    # created later never change): the pair stays put, so the order stays one fixed order.
    _picks: dict[str, tuple[str, str]] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.name not in ORDERS:
            raise ValueError(f"unknown run order {self.name!r}; one of {', '.join(ORDERS)}")

    def apply(self, runs: Sequence[R]) -> list[R]:
        """``runs`` (newest first, as the store keeps them) in this order."""
        if self.name == "oldest-first":
            return list(reversed(runs))
        if self.name == "shuffled":
            return sorted(runs, key=lambda run: self._draw(run.run_id))
        ordered = list(runs)
        if self.name == "misplaced" and len(ordered) > 1:  # the run drawn first, right below the second
            ids = [run.run_id for run in ordered]
            moved, anchor = self._picks.get(ids[-1]) or self._pick(ids)
            if moved in ids and anchor in ids:
                run = ordered.pop(ids.index(moved))
                ordered.insert([run.run_id for run in ordered].index(anchor) + 1, run)
        return ordered

    def _pick(self, ids: list[str]) -> tuple[str, str]:
        moved, anchor = sorted(ids, key=self._draw)[:2]
        self._picks[ids[-1]] = (moved, anchor)
        return moved, anchor

    def _draw(self, text: str) -> int:
        """A number fixed by the seed and ``text``: the same on every request."""
        return int.from_bytes(hashlib.sha256(f"{self.seed}:{text}".encode()).digest()[:8], "big")
