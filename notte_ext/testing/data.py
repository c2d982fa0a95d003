"""Function-run and function records shaped by the spec's schemas (whatever the vendored spec names them).

``make_run`` builds one explicit run; ``generate_runs`` builds many deterministic ones (same
function id and seed, same ids; same clock too, same runs) so tests can assert on exact ids
and order. A run carries exactly the fields the runs listing's item schema declares, a function
those of the functions listing's item: the fields we know get realistic sample rules, any other
declared field a value generated from its schema. ``shape`` fits known fields to any schema (the
body of another operation: a single run, a function with its download link).
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from notte_ext.testing.operation import RunsOperation, SpecSource
from notte_ext.testing.schema_values import value_for_schema

__all__ = [
    "FUNCTIONS_LISTING",
    "RUN_STATUSES",
    "SAMPLE_DAYS",
    "format_timestamp",
    "function_rules",
    "generate_runs",
    "make_function",
    "make_run",
    "parse_timestamp",
    "run_rules",
    "sample_clock",
    "shape",
]

#: The operation whose items a function record is shaped like.
FUNCTIONS_LISTING = "list_functions"

#: The ``status`` enum of the vendored spec (``closed``, ``active``, ``failed`` in API 1.4.40).
RUN_STATUSES = RunsOperation.load().statuses

#: Generated runs span this many days back from their clock's current minute.
SAMPLE_DAYS = 90

# How often each status turns up in generated runs; a status only a newer spec knows gets 1.
_STATUS_WEIGHTS = {"closed": 6, "active": 2, "failed": 2}


def format_timestamp(moment: datetime) -> str:
    """ISO 8601 in UTC with a ``Z`` suffix, as the API (pydantic) writes aware datetimes."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def parse_timestamp(text: str) -> datetime:
    """Parse an ISO 8601 timestamp; a naive one is read as UTC (used for ordering only)."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def sample_clock(now: datetime | None = None) -> datetime:
    """The instant sample data ends at: ``now`` (default: the wall clock) to the minute, in UTC."""
    moment = now if now is not None else datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(second=0, microsecond=0)


def _as_text(moment: datetime | str) -> str:
    return moment if isinstance(moment, str) else format_timestamp(moment)


def make_run(
    function_id: str,
    *,
    function_run_id: str | None = None,
    status: str | None = None,
    created_at: datetime | str | None = None,
    updated_at: datetime | str | None = None,
    session_id: str | None = None,
    logs: Sequence[str] | None = None,
    variables: Mapping[str, Any] | None = None,
    result: str | None = None,
    local: bool | None = None,
    spec: SpecSource = None,
    **extra: Any,
) -> dict[str, Any]:
    """One run as the API returns it, with exactly the fields ``spec``'s item schema declares.

    ``spec``: the OpenAPI document (default: the vendored one). A keyword left out (None) takes
    its rule's default when the schema declares the field: a random run id, status ``closed``
    (else the enum's first value), ``created_at`` now, ``updated_at`` = ``created_at``, no session,
    logs, variables or result, not local, ``workflow_id``/``workflow_run_id`` mirroring the
    function ids (as the real API's read-only aliases do); a declared field with no rule gets a
    value generated from its schema. A value given for a field the schema does not declare is
    written as given, like ``extra`` keys (e.g. fields from another API version). Timestamps may
    be datetimes (written as UTC ``...Z``) or strings (written verbatim).
    """
    run_id = function_run_id or str(uuid.uuid4())
    given = {
        "function_id": function_id,
        "function_run_id": run_id,
        "created_at": _as_text(created_at if created_at is not None else datetime.now(UTC)),
        "updated_at": _as_text(updated_at) if updated_at is not None else None,
        "status": status,
        "session_id": session_id,
        "logs": list(logs) if logs is not None else None,
        "variables": dict(variables) if variables is not None else None,
        "result": result,
        "local": local,
    }
    operation = RunsOperation.load(spec)
    return {**shape(operation.item_fields, given, run_rules(given, operation), operation), **extra}


def run_rules(given: Mapping[str, Any], operation: RunsOperation) -> dict[str, Any]:
    """The sample value of each known run field that ``given`` leaves out."""
    statuses = operation.statuses
    return {
        "updated_at": given["created_at"],
        "status": "closed" if "closed" in statuses or not statuses else statuses[0],
        "logs": [],
        "local": False,
        "workflow_id": given["function_id"],
        "workflow_run_id": given["function_run_id"],
    }


def shape(
    fields: Mapping[str, Mapping[str, Any]],
    given: Mapping[str, Any],
    rules: Mapping[str, Any],
    operation: RunsOperation,
    rng: random.Random | None = None,
    *,
    undeclared: bool = True,
) -> dict[str, Any]:
    """A record with every declared field of ``fields``: the ``given`` value (None: not given), else
    the field's rule, else null where a known field may be null, else a value generated from its
    schema (varied by ``rng``). With ``undeclared``, given values of fields not declared follow, as given."""
    moment = str(given.get("created_at") or format_timestamp(datetime.now(UTC)))
    record: dict[str, Any] = {}
    for name, schema in fields.items():
        if given.get(name) is not None:
            record[name] = given[name]
        elif name in rules:
            record[name] = rules[name]
        elif name in given and operation.allows_null(schema):  # a known field whose default is null
            record[name] = None
        else:
            record[name] = value_for_schema(schema, operation, name=name, moment=moment, rng=rng)
    if undeclared:
        record.update({name: value for name, value in given.items() if value is not None and name not in record})
    return record


def function_rules(given: Mapping[str, Any]) -> dict[str, Any]:
    """The sample value of each known function field that ``given`` leaves out."""
    return {
        "updated_at": given["created_at"],
        "latest_version": (given.get("versions") or ["1"])[-1],
        "versions": ["1"],
        "status": "active",
        "shared": False,
        "workflow_id": given["function_id"],
    }


def make_function(
    function_id: str,
    *,
    name: str | None = None,
    description: str | None = None,
    created_at: datetime | str | None = None,
    spec: SpecSource = None,
    **fields: Any,
) -> dict[str, Any]:
    """One function as the functions listing returns it, with exactly the fields ``spec``'s item
    schema declares (the runs listing's document when it has no functions listing: then as given).

    Left out: version ``1``, status ``active``, not shared, not forked, no declared variables,
    ``created_at`` now and ``updated_at`` = ``created_at``; ``fields`` set any other field."""
    given = {
        "function_id": function_id,
        "name": name,
        "description": description,
        "created_at": _as_text(created_at if created_at is not None else datetime.now(UTC)),
        "variables": None,
        "reference_workflow_id": None,
        **fields,
    }
    operation = RunsOperation.load(spec)
    if not operation.declares(FUNCTIONS_LISTING):
        return {**function_rules(given), **{k: v for k, v in given.items() if v is not None}}
    listing = operation.of(FUNCTIONS_LISTING)
    return shape(listing.item_fields, given, function_rules(given), listing, undeclared=False)


def _age_seconds(index: int, count: int, days: float) -> float:
    """How long before the newest run run ``index`` was created: denser towards now, like real
    traffic (a quarter of the runs in the last ~6% of the span), ``days`` back at the oldest."""
    return days * 86_400 * (index / count) ** 2


def generate_runs(
    function_id: str,
    count: int,
    *,
    seed: int = 0,
    now: datetime | None = None,
    days: float = SAMPLE_DAYS,
    spec: SpecSource = None,
) -> list[dict[str, Any]]:
    """``count`` deterministic runs, newest first: mostly closed, some active and failed.

    The newest is created at ``now``'s minute (default: the current one, see ``sample_clock``),
    the oldest about ``days`` days earlier, more of them towards now. Ids are UUIDs drawn from a
    generator seeded by ``(function_id, seed)``, unique within the call and the same whatever the
    clock or spec; everything else also follows the seed, ``now`` and ``spec`` (default: the
    vendored document, whose item schema and status enum shape the runs).
    """
    operation = RunsOperation.load(spec)
    newest = sample_clock(now)
    ids = random.Random(f"{function_id}:{seed}")  # noqa: S311 - reproducible test data, not secrets
    rng = random.Random(f"{function_id}:{seed}:data")  # noqa: S311
    statuses = operation.statuses or ("closed",)
    weights = [_STATUS_WEIGHTS.get(status, 1) for status in statuses]
    runs: list[dict[str, Any]] = []
    seen: set[str] = set()
    previous_age = -1
    for index in range(count):
        run_id = str(uuid.UUID(int=ids.getrandbits(128), version=4))
        while run_id in seen:  # astronomically unlikely, but ids must be unique
            run_id = str(uuid.UUID(int=ids.getrandbits(128), version=4))
        seen.add(run_id)
        status = rng.choices(statuses, weights=weights)[0]
        # Jitter within half the gap to the next run keeps the order; whole seconds, strictly older.
        gap = _age_seconds(index + 1, count, days) - _age_seconds(index, count, days)
        jitter = rng.random() * gap / 2 if index else 0.0  # the newest run is at the clock's minute
        age = max(previous_age + 1, int(_age_seconds(index, count, days) + jitter))
        previous_age = age
        created = newest - timedelta(seconds=age)
        updated = min(newest, created + timedelta(seconds=rng.randrange(1, 3600)))
        given = {
            "function_id": function_id,
            "function_run_id": run_id,
            "created_at": format_timestamp(created),
            "updated_at": format_timestamp(updated),
            "status": status,
            "session_id": f"session-{run_id[:8]}",
            "logs": [f"run {index} started", *([f"run {index} {status}"] if status != "active" else [])],
            "variables": {"index": index} if index % 3 else None,
            "result": {"closed": "ok", "failed": "error: step timed out"}.get(status),
            "local": index % 10 == 0,
        }
        # Only declared fields: a sample run of a revision without `logs` has no logs.
        run = shape(operation.item_fields, given, run_rules(given, operation), operation, rng, undeclared=False)
        runs.append(run)
    return runs
