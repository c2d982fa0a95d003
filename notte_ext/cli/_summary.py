"""`runs summary`: counts by status, failure rate, first/last run, runs per day. Streams runs."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

from attrs import define, field

from notte_ext._messages import printable
from notte_ext.cli._time import show_time
from notte_ext.functions import FunctionRun, RunStatus

if TYPE_CHECKING:
    from rich.console import Console

BAR_WIDTH = 40
MAX_DAYS = 14


@define
class RunSummary:
    by_status: Counter[str] = field(factory=Counter)
    by_day: Counter[dt.date] = field(factory=Counter)
    first: dt.datetime | None = None
    last: dt.datetime | None = None

    @classmethod
    def of(cls, runs: Iterable[FunctionRun]) -> RunSummary:
        summary = cls()
        for run in runs:
            summary.add(run)
        return summary

    def add(self, run: FunctionRun) -> None:
        self.by_status[str(run.status)] += 1
        self.by_day[run.created_at.date()] += 1
        self.first = min(self.first or run.created_at, run.created_at)
        self.last = max(self.last or run.created_at, run.created_at)

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def failure_rate(self) -> float:
        return self.by_status[RunStatus.FAILED.value] / self.total if self.total else 0.0

    def render(self, console: Console, function_id: str) -> None:
        console.print(f"Function {function_id}: {self.total} run(s)")
        if not self.total:
            return
        for status in RunStatus:
            console.print(f"  {status.value:<8} {self.by_status[status.value]:>7}")
        for other in sorted(set(self.by_status) - {status.value for status in RunStatus}):
            console.print(f"  {printable(other):<8} {self.by_status[other]:>7}")  # a status the spec lacks
        console.print(f"  failure rate {self.failure_rate:.1%}")
        console.print(f"  first run    {show_time(self.first) if self.first else '-'}")
        console.print(f"  last run     {show_time(self.last) if self.last else '-'}")
        days = sorted(self.by_day)[-MAX_DAYS:]
        console.print(f"Runs per day (UTC, last {len(days)} day(s) with runs):")
        peak = max(self.by_day[day] for day in days)
        for day in days:
            count = self.by_day[day]
            bar = "█" * max(1, round(count / peak * BAR_WIDTH))
            console.print(f"  {day.isoformat()} {bar} {count}")
