"""What `POST /functions/{function_id}/runs/start` answers, read. No I/O: the sync and async clients
feed it what they receive.

The spec documents that answer as `{}` (anything), so what comes back was read from the official
clients (notte-sdk 1.10, Notte's own CLI) and is checked here, field by field:

* a redirect to the run's runner (same body, same `x-notte-api-key`), whose URL carries
  `?function_run_id=`: the run exists from then on;
* from the runner, or from runs/start itself on older servers: with `stream: false`, once the run
  ended, its outcome as JSON, `{function_id, function_run_id, session_id, result, status}` (or the
  `workflow_id`/`workflow_run_id` spellings); with `stream: true`, server-sent events while it runs,
  `data: {"type": "session_start" | "log" | "result", "message": "..."}`, the `result` message being
  the outcome as JSON text.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import httpx
from attrs import frozen

from notte_ext import _bindings
from notte_ext._messages import Secret
from notte_ext._openapi import mismatch
from notte_ext._responses import UNREADABLE_JSON, foreign_body_error, reject_foreign_body
from notte_ext.errors import RunLogError

OPERATION_ID = "function_run_start"
#: One run as `get_run` reads it (its own model: it may carry more than a listed run), and its status.
FunctionRunDetails = _bindings.FunctionRunGetMetadataResult
RunDetailsStatus = _bindings.FunctionRunGetMetadataResultStatus
ACTIVE = RunDetailsStatus("active")
# One event line (a log line, or the outcome with its result) and the events of one run's log:
# far beyond a real run's, small enough that a server that never stops can't exhaust memory.
MAX_LINE_CHARS = 1024 * 1024
MAX_EVENTS = 100_000


@frozen
class StartedRun:
    """A run runs/start started: its id and, when the answer came once it ended, its outcome."""

    function_id: str
    function_run_id: str
    status: RunDetailsStatus | None = None  # None: still running when the answer came (only its id)
    session_id: str | None = None
    result: Any = None

    @property
    def finished(self) -> bool:
        return self.status is not None and self.status != ACTIVE


@frozen
class RunStarted:
    """The run exists (its id came with the redirect to its runner)."""

    run: StartedRun


@frozen
class RunSessionStarted:
    """The run opened its browser session."""

    session_id: str


@frozen
class RunLogLine:
    """One line of the run's log, as the runner sent it."""

    message: str


@frozen
class RunFinished:
    """The run ended: its outcome."""

    run: StartedRun


RunEvent = RunStarted | RunSessionStarted | RunLogLine | RunFinished


def started_by_redirect(function_id: str, response: httpx.Response) -> StartedRun | None:
    """The run a redirected runs/start created, from the runner URL it was sent to (None: not redirected)."""
    run_id = response.url.params.get("function_run_id")
    return StartedRun(function_id, run_id) if run_id else None


def is_event_stream(response: httpx.Response) -> bool:
    return response.headers.get("Content-Type", "").split(";")[0].strip().lower() in ("text/event-stream", "text/plain")


def answered_outcome(function_id: str, response: httpx.Response, secret: Secret) -> StartedRun:
    """The outcome a (read) answer that is not a stream holds: JSON, or a typed error saying what came instead."""
    reject_foreign_body(_bindings.function_run_start, response, secret)  # an HTML page, another content type
    try:
        body = response.json()
    except UNREADABLE_JSON as exc:
        raise foreign_body_error(OPERATION_ID, response, secret, exc) from None
    return outcome(function_id, body, secret)


def outcome(function_id: str, body: Any, secret: Secret) -> StartedRun:
    """A run's outcome (the JSON answer, or the `result` event's message decoded), checked field by field."""
    if not isinstance(body, Mapping):
        raise mismatch(OPERATION_ID, None, body, "the run's outcome is not an object", secret=secret, free_form=True)
    run_id = body.get("function_run_id", body.get("workflow_run_id"))
    if not isinstance(run_id, str) or not run_id:
        raise mismatch(
            OPERATION_ID, "function_run_id", run_id, "the run's outcome has no run id", secret=secret, free_form=True
        )
    status = body.get("status")
    try:
        parsed = None if status is None else RunDetailsStatus(status)
    except ValueError:
        valid = ", ".join(member.value for member in RunDetailsStatus)
        raise mismatch(OPERATION_ID, "status", status, f"not a run status ({valid})", secret=secret) from None
    session_id = body.get("session_id")
    return StartedRun(
        str(body.get("function_id", body.get("workflow_id")) or function_id),
        run_id,
        parsed,
        session_id if isinstance(session_id, str) else None,
        body.get("result"),
    )


class EventReader:
    """A run's server-sent events, line by line, into `RunEvent`s; bounded (line length, event count)."""

    def __init__(self, function_id: str, secret: Secret) -> None:
        self._function_id, self._secret = function_id, secret
        self._events = 0

    def feed(self, line: str) -> RunEvent | None:
        """The event a line carries, if any (other lines: comments, `event:`, keep-alives)."""
        if len(line) > MAX_LINE_CHARS:
            raise RunLogError(f"a line of the run's log is longer than {MAX_LINE_CHARS:,} characters")
        if not line.startswith("data:"):
            return None
        self._events += 1
        if self._events > MAX_EVENTS:
            raise RunLogError(f"the run's log sent more than {MAX_EVENTS:,} events")
        try:
            message = json.loads(line.removeprefix("data:").strip())
        except UNREADABLE_JSON:
            return RunLogLine(line.removeprefix("data:").strip())  # a plain text log line
        if not isinstance(message, Mapping):
            return RunLogLine(str(message))
        kind, text = message.get("type"), message.get("message")
        if kind == "result":
            try:
                decoded = json.loads(text) if isinstance(text, str) else text
            except UNREADABLE_JSON:
                problem = "the outcome is not JSON"
                raise mismatch(OPERATION_ID, "result", text, problem, secret=self._secret, free_form=True) from None
            return RunFinished(outcome(self._function_id, decoded, self._secret))
        if kind == "session_start" and isinstance(text, str):
            return RunSessionStarted(text)
        return RunLogLine(str(text if text is not None else message))
