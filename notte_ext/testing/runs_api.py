"""A run's operations: start one, read it, stop it, update it; and the runner that executes it.

Starting a run (``POST /functions/{function_id}/runs/start``) creates it ``active`` and plans its end
(``ApiState.plan``: after a while, ``closed`` or ``failed``). Then, as the API does, it answers with a
redirect to its runner carrying the new run's id (``?function_run_id=``); the client posts the same
body there. The runner holds the answer until the run ends and sends its outcome as JSON
(``stream: false``), or streams server-sent events as it runs (``stream: true``, the default):
``session_start``, ``log`` lines, then ``result`` (the outcome as a JSON string). The outcome is
what the official SDK reads: ``function_id``, ``function_run_id``, ``session_id``, ``result``,
``status`` (with the ``workflow_*`` aliases). ``ApiState.start_redirects = False`` answers from the
start operation itself, as older servers did.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator, Mapping
from http import HTTPStatus
from typing import Any
from urllib.parse import quote, unquote

from notte_ext.testing.data import format_timestamp, run_rules, shape
from notte_ext.testing.exchange import IncomingRequest, Reply
from notte_ext.testing.functions_api import read_inputs
from notte_ext.testing.state import ApiState, detail
from notte_ext.testing.store import StoredRun

__all__ = ["ACTIVE", "HANDLERS", "RUNNER", "outcome", "serve_runner"]

ACTIVE = "active"
#: Where runs/start redirects to: the runner of one run (outside the document, like the API's runner).
RUNNER = "/runner/"
# How long, beyond the plan's duration, the runner waits for a run whose store clock does not move.
_GRACE_SECONDS = 5.0
_POLL_SECONDS = 0.02


def _now(state: ApiState) -> str:
    return format_timestamp(state.runs.clock())


def _run_not_found() -> Reply:
    return detail(HTTPStatus.NOT_FOUND, "Function run not found")


def outcome(run: StoredRun) -> dict[str, Any]:
    """What the start operation (or its runner) answers once a run ended: the official SDK's outcome."""
    fields = run.fields
    return {
        "function_id": fields.get("function_id"),
        "function_run_id": run.run_id,
        "workflow_id": fields.get("function_id"),
        "workflow_run_id": run.run_id,
        "session_id": fields.get("session_id"),
        "result": fields.get("result"),
        "status": fields.get("status"),
    }


def start(request: IncomingRequest, state: ApiState, token: str) -> Reply:
    operation = state.spec.of("function_run_start")
    inputs = read_inputs(request, operation)
    if isinstance(inputs, Reply):
        return inputs
    if inputs.headers.get("x-notte-api-key") not in state.api_keys():
        return detail(HTTPStatus.UNAUTHORIZED, "Invalid x-notte-api-key")
    function_id = str(request.function_id)
    if state.functions.get(function_id) is None and not state.runs.knows(function_id):
        return detail(HTTPStatus.NOT_FOUND, "Function not found")
    run = _new_run(state, function_id, token, dict(inputs.body.get("variables") or {}))
    final = state.plan.draw()
    ending = {"logs": [*run.fields.get("logs", []), f"run {final}"], "result": _result_of(final)}
    state.runs.schedule(function_id, run.run_id, final, state.plan.duration, ending)
    stream = bool(inputs.body.get("stream", _default_stream(state)))
    if state.start_redirects:
        where = f"{RUNNER}{quote(function_id, safe='')}/{quote(run.run_id, safe='')}?function_run_id={run.run_id}"
        return Reply(307, None, {"Location": where}, raw_body=b"")
    return _run_reply(state, function_id, run.run_id, stream)


def _default_stream(state: ApiState) -> bool:
    declared = state.spec.of("function_run_start").request_body()
    schema = state.spec.fields_of(declared[1]).get("stream", {}) if declared else {}
    return bool(schema.get("default", True))


def _result_of(status: str) -> str:
    return {"closed": "ok", "failed": "error: the workflow raised"}.get(status, status)


def _new_run(state: ApiState, function_id: str, token: str, variables: Mapping[str, Any]) -> StoredRun:
    """A run created now, ``active``: the fields the runs listing declares in its body, the rest
    (logs, variables... where a slimmer listing leaves them out) in its details."""
    run_id = str(uuid.uuid4())
    given = {
        "function_id": function_id,
        "function_run_id": run_id,
        "created_at": _now(state),
        "status": ACTIVE,
        "session_id": f"session-{run_id[:8]}",
        "logs": [f"run {run_id} started"],
        "variables": dict(variables),
        "result": None,
        "local": False,
    }
    listing = state.spec
    body = shape(listing.item_fields, given, run_rules(given, listing), listing, undeclared=False)
    details = {name: value for name, value in given.items() if name not in body}
    state.runs.add(function_id, [body], token, details)
    stored = state.runs.get(function_id, run_id)
    assert stored is not None
    return stored


def _run_reply(state: ApiState, function_id: str, run_id: str, stream: bool) -> Reply:
    if stream:
        return Reply(200, None, content_type="text/event-stream", stream=lambda _: _events(state, function_id, run_id))
    final = _wait_for_end(state, function_id, run_id)
    return Reply(200, outcome(final)) if final is not None else _run_not_found()


def _wait_for_end(state: ApiState, function_id: str, run_id: str) -> StoredRun | None:
    """The run once it ended (or, if its clock never gets there, as it is after a grace period)."""
    deadline = time.monotonic() + state.plan.duration + _GRACE_SECONDS
    run = state.runs.get(function_id, run_id)
    while run is not None and run.body.get("status") == ACTIVE and time.monotonic() < deadline:
        time.sleep(_POLL_SECONDS)
        run = state.runs.get(function_id, run_id)
    return run


def _event(kind: str, message: str) -> bytes:
    return b"data: " + json.dumps({"type": kind, "message": message}).encode() + b"\n\n"


def _events(state: ApiState, function_id: str, run_id: str) -> Iterator[bytes]:
    """Server-sent events while the run runs: its session, a log line each ``log_interval``, its outcome."""
    run = state.runs.get(function_id, run_id)
    if run is None:
        return
    yield _event("session_start", str(run.fields.get("session_id")))
    yield _event("log", f"run {run_id} started")
    deadline = time.monotonic() + state.plan.duration + _GRACE_SECONDS
    next_log = time.monotonic() + state.plan.log_interval
    while run is not None and run.body.get("status") == ACTIVE and time.monotonic() < deadline:
        time.sleep(_POLL_SECONDS)
        if time.monotonic() >= next_log:
            next_log += state.plan.log_interval
            yield _event("log", f"run {run_id} still running")
        run = state.runs.get(function_id, run_id)
    if run is not None:
        yield _event("log", f"run {run_id} {run.body.get('status')}")
        yield _event("result", json.dumps(outcome(run)))


def serve_runner(request: IncomingRequest, state: ApiState) -> Reply | None:
    """``POST /runner/{function_id}/{run_id}``, where runs/start redirects: runs the run it created
    (with the caller's key in ``x-notte-api-key``: Authorization is not forwarded across origins).
    None for any other path."""
    if not request.raw_path.startswith(RUNNER):
        return None
    if request.method != "POST":
        return detail(HTTPStatus.METHOD_NOT_ALLOWED, Allow="POST")
    if request.headers.get("x-notte-api-key") not in state.api_keys():
        return detail(HTTPStatus.UNAUTHORIZED, "Invalid x-notte-api-key")
    function_id, _, run_id = (unquote(part) for part in request.raw_path.removeprefix(RUNNER).partition("/"))
    if state.runs.get(function_id, run_id) is None:
        return _run_not_found()
    try:
        body = request.json()
    except (ValueError, RecursionError):  # not JSON, or nested too deep for Python
        body = None
    if not isinstance(body, dict):
        return Reply(
            422, {"detail": [{"type": "dict_type", "loc": ["body"], "msg": "Input should be a valid dictionary"}]}
        )
    return _run_reply(state, function_id, run_id, bool(body.get("stream", _default_stream(state))))


def _answer_run(operation_id: str, state: ApiState, run: StoredRun, **more: Any) -> Reply:
    """The run as ``operation_id``'s 200 schema declares it."""
    operation = state.spec.of(operation_id)
    given = {**run.fields, **more}
    return Reply(200, shape(operation.result_fields, given, run_rules(given, state.spec), operation, undeclared=False))


def read(request: IncomingRequest, state: ApiState, token: str) -> Reply:
    run = state.runs.get(str(request.function_id), request.path_params["run_id"])
    return _run_not_found() if run is None else _answer_run("function_run_get_metadata", state, run)


def stop(request: IncomingRequest, state: ApiState, token: str) -> Reply:
    function_id, run_id = str(request.function_id), request.path_params["run_id"]
    run = state.runs.get(function_id, run_id)
    if run is None:
        return _run_not_found()
    if run.body.get("status") == ACTIVE:  # stopping a finished run changes nothing, and says so the same way
        state.runs.cancel_scheduled(function_id, run_id)
        logs = [*run.fields.get("logs", []), f"run {run_id} stopped"]
        state.runs.update(function_id, run_id, "closed", logs=logs)
        run = state.runs.get(function_id, run_id) or run
    return _answer_run("function_run_stop", state, run, status="stopped")


def update(request: IncomingRequest, state: ApiState, token: str) -> Reply:
    inputs = read_inputs(request, state.spec.of("function_run_update_metadata"))
    if isinstance(inputs, Reply):
        return inputs
    function_id, run_id = str(request.function_id), request.path_params["run_id"]
    if state.runs.get(function_id, run_id) is None:
        return _run_not_found()
    fields = dict(inputs.body)
    status = str(fields.pop("status"))
    if fields.get("result") is not None and not isinstance(fields["result"], str):
        # The update takes any JSON as a run's result (the official SDK sends what a local run returned),
        # but a run is served with its result as text or null: kept as given, it broke every answer
        # showing the run (SchemaMismatchError in the client, a violation in the fixture). As JSON text.
        fields["result"] = json.dumps(fields["result"], ensure_ascii=False)
    if status != ACTIVE:  # set by hand: the planned end no longer applies
        state.runs.cancel_scheduled(function_id, run_id)
    state.runs.update(function_id, run_id, status, **fields)
    run = state.runs.get(function_id, run_id)
    assert run is not None
    return _answer_run("function_run_update_metadata", state, run, status="updated")


HANDLERS = {
    "function_run_start": start,
    "function_run_get_metadata": read,
    "function_run_stop": stop,
    "function_run_update_metadata": update,
}
