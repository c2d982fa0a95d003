"""Function-run records in the shape of the spec's ``GetFunctionRunResponse``.

``make_run`` builds one explicit run; ``generate_runs`` builds many deterministic ones
(same function id and seed, same runs) so tests can assert on exact ids and order.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

__all__ = ["RUN_STATUSES", "format_timestamp", "generate_runs", "make_run", "parse_timestamp"]

#: The ``status`` enum of API 1.4.40.
RUN_STATUSES = ("closed", "active", "failed")

# Generated runs count back from a fixed instant so their timestamps never depend on the clock.
_GENERATED_NEWEST = datetime(2026, 1, 1, tzinfo=UTC)
# 9 hours apart with under an hour of jitter: strictly ordered, spread over days.
_GENERATED_SPACING = timedelta(hours=9)


def format_timestamp(moment: datetime) -> str:
    """ISO 8601 in UTC with a ``Z`` suffix, as the API (pydantic) writes aware datetimes."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def parse_timestamp(text: str) -> datetime:
    """Parse an ISO 8601 timestamp; a naive one is read as UTC (used for ordering only)."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _as_text(moment: datetime | str) -> str:
    return moment if isinstance(moment, str) else format_timestamp(moment)


def make_run(
    function_id: str,
    *,
    function_run_id: str | None = None,
    status: str = "closed",
    created_at: datetime | str | None = None,
    updated_at: datetime | str | None = None,
    session_id: str | None = None,
    logs: Sequence[str] = (),
    variables: Mapping[str, Any] | None = None,
    result: str | None = None,
    local: bool = False,
    **extra: Any,
) -> dict[str, Any]:
    """One run as the API returns it.

    Defaults: a random run id, ``created_at`` now, ``updated_at`` = ``created_at``.
    Timestamps may be datetimes (written as UTC ``...Z``) or strings (written verbatim).
    ``workflow_id``/``workflow_run_id`` mirror the function ids, as the real API's read-only
    aliases do. ``extra`` keys are added as-is (e.g. fields from a newer API version).
    """
    run_id = function_run_id or str(uuid.uuid4())
    created = _as_text(created_at if created_at is not None else datetime.now(UTC))
    return {
        "function_id": function_id,
        "function_run_id": run_id,
        "created_at": created,
        "updated_at": _as_text(updated_at) if updated_at is not None else created,
        "status": status,
        "session_id": session_id,
        "logs": list(logs),
        "variables": dict(variables) if variables is not None else None,
        "result": result,
        "local": local,
        "workflow_id": function_id,
        "workflow_run_id": run_id,
        **extra,
    }


def generate_runs(function_id: str, count: int, *, seed: int = 0) -> list[dict[str, Any]]:
    """``count`` deterministic runs, newest first: mostly closed, some active and failed.

    Run ``i`` is created about ``9*i`` hours before 2026-01-01T00:00Z; ids are UUIDs drawn
    from a generator seeded by ``(function_id, seed)``, unique within the call.
    """
    rng = random.Random(f"{function_id}:{seed}")  # noqa: S311 - reproducible test data, not secrets
    runs: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index in range(count):
        run_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        while run_id in seen:  # astronomically unlikely, but ids must be unique
            run_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        seen.add(run_id)
        status = rng.choices(RUN_STATUSES, weights=(6, 2, 2))[0]
        created = _GENERATED_NEWEST - index * _GENERATED_SPACING - timedelta(minutes=rng.randrange(60))
        runs.append(
            make_run(
                function_id,
                function_run_id=run_id,
                status=status,
                created_at=created,
                updated_at=created + timedelta(seconds=rng.randrange(1, 3600)),
                session_id=f"session-{run_id[:8]}",
                logs=[f"run {index} started", *([f"run {index} {status}"] if status != "active" else [])],
                variables={"index": index} if index % 3 else None,
                result={"closed": "ok", "failed": "error: step timed out"}.get(status),
                local=index % 10 == 0,
            )
        )
    return runs
