"""The functions' operations: create (an uploaded workflow file), update (a new version), read (with a
download link the server also serves), delete, fork, schedule and unschedule. Each validates its
query, headers and body as the served document declares them (422, every error at once) before it
looks anything up (404), and answers with the fields its 200 schema declares."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any
from urllib.parse import quote, unquote

from notte_ext.testing.bodies import read_body, read_headers
from notte_ext.testing.data import format_timestamp, function_rules, make_function, shape
from notte_ext.testing.exchange import IncomingRequest, Reply
from notte_ext.testing.function_store import StoredFunction
from notte_ext.testing.operation import SpecOperation
from notte_ext.testing.query import read_query
from notte_ext.testing.state import ApiState, detail, validation_error

__all__ = ["DOWNLOADS", "HANDLERS", "LIST_FUNCTIONS", "Inputs", "listing", "read_inputs", "serve_download"]

LIST_FUNCTIONS = "list_functions"
#: Where the download links of `function_download_url` point (served here, outside the document).
DOWNLOADS = "/downloads/"


class Inputs:
    """A request's validated query, headers and body (each as its declarations read it)."""

    def __init__(self, query: Mapping[str, Any], headers: Mapping[str, Any], body: Mapping[str, Any]) -> None:
        self.query, self.headers, self.body = query, headers, body


def read_inputs(request: IncomingRequest, operation: SpecOperation) -> Inputs | Reply:
    """Everything the operation declares, read from the request, or the 422 listing every error."""
    parts = (read_query(request.query, operation), read_headers(request, operation), read_body(request, operation))
    errors = [error for part in parts if isinstance(part, list) for error in part]
    if errors:
        return validation_error(errors)
    query, headers, body = (part for part in parts if isinstance(part, dict))
    return Inputs(query, headers, body)


def listing(state: ApiState, only_active: bool, token: str | None) -> list[Mapping[str, Any]]:
    """The functions a listing shows, newest first, as the listing serves them."""
    return [stored.body for stored in state.functions.listing(only_active=only_active, token=token)]


def _answer(operation: SpecOperation, stored: StoredFunction, **more: Any) -> Reply:
    """The function as ``operation``'s 200 schema declares it (what the store holds, plus ``more``)."""
    given = {**stored.body, **more}
    return Reply(200, shape(operation.result_fields, given, function_rules(given), operation, undeclared=False))


def _now(state: ApiState) -> str:
    return format_timestamp(state.runs.clock())


def _not_found() -> Reply:
    return detail(HTTPStatus.NOT_FOUND, "Function not found")


def create(request: IncomingRequest, state: ApiState, token: str) -> Reply:
    operation = state.spec.of("function_create")
    inputs = read_inputs(request, operation)
    if isinstance(inputs, Reply):
        return inputs
    function_id = str(uuid.uuid4())
    body = inputs.body
    record = make_function(
        function_id,
        name=body.get("name"),
        description=body.get("description"),
        created_at=_now(state),
        shared=body.get("shared"),
        spec=state.spec,
    )
    stored = state.functions.add(record, token, {str(record["latest_version"]): bytes(body["file"])}, **inputs.query)
    state.runs.add_function(function_id)
    return _answer(operation, stored)


def update(request: IncomingRequest, state: ApiState, token: str) -> Reply:
    operation = state.spec.of("function_update")
    inputs = read_inputs(request, operation)
    if isinstance(inputs, Reply):
        return inputs
    function_id = str(request.function_id)
    stored = state.functions.get(function_id)
    if stored is None:
        return _not_found()
    version = inputs.query.get("version") or str(len(stored.files) + 1)
    versions = [*(v for v in stored.versions if v != version), version]
    changed = state.functions.update(
        function_id,
        fields={"versions": versions, "latest_version": version, "updated_at": _now(state)},
        files={version: bytes(inputs.body["file"])},
    )
    return _answer(operation, changed or stored)


def read(request: IncomingRequest, state: ApiState, token: str) -> Reply:
    operation = state.spec.of("function_download_url")
    inputs = read_inputs(request, operation)
    if isinstance(inputs, Reply):
        return inputs
    stored = state.functions.get(str(request.function_id))
    if stored is None:
        return _not_found()
    version = inputs.query.get("version") or str(stored.body.get("latest_version"))
    if version not in stored.files:
        return detail(HTTPStatus.NOT_FOUND, f"Version {version} not found")
    url = f"{state.base_url}{DOWNLOADS}{quote(str(request.function_id), safe='')}/{quote(version, safe='')}"
    return _answer(operation, stored, url=url)


def delete(request: IncomingRequest, state: ApiState, token: str) -> Reply:
    operation = state.spec.of("function_delete")
    function_id = str(request.function_id)
    if not state.functions.remove(function_id):
        return _not_found()
    state.runs.remove_function(function_id)
    given = {"status": "success", "message": f"Function {function_id} deleted"}
    return Reply(200, shape(operation.result_fields, given, {}, operation, undeclared=False))


def fork(request: IncomingRequest, state: ApiState, token: str) -> Reply:
    operation = state.spec.of("function_fork")
    source = state.functions.get(str(request.function_id))
    if source is None:
        return _not_found()
    function_id = str(uuid.uuid4())
    now = _now(state)
    record = {
        **source.body,
        "function_id": function_id,
        "workflow_id": function_id,
        "created_at": now,
        "updated_at": now,
        "reference_workflow_id": request.function_id,
    }
    stored = state.functions.add({k: v for k, v in record.items() if k in source.body}, token, source.files)
    state.runs.add_function(function_id)
    return _answer(operation, stored)


def _schedule(operation_id: str, request: IncomingRequest, state: ApiState, *, clear: bool) -> Reply:
    operation = state.spec.of(operation_id)
    inputs = read_inputs(request, operation)
    if isinstance(inputs, Reply):
        return inputs
    stored = state.functions.set_schedule(str(request.function_id), None if clear else dict(inputs.body))
    if stored is None:
        return _not_found()
    return Reply(200, shape(operation.result_fields, {"status": "success"}, {}, operation, undeclared=False))


def schedule(request: IncomingRequest, state: ApiState, token: str) -> Reply:
    return _schedule("function_schedule_set", request, state, clear=False)


def unschedule(request: IncomingRequest, state: ApiState, token: str) -> Reply:
    return _schedule("function_schedule_delete", request, state, clear=True)


def serve_download(request: IncomingRequest, state: ApiState) -> Reply | None:
    """``GET /downloads/{function_id}/{version}``: a workflow file, as the download link promises
    (no API key: a link to hand to anyone, like a presigned URL). None for any other path."""
    if request.method not in ("GET", "HEAD") or not request.raw_path.startswith(DOWNLOADS):
        return None
    function_id, _, version = request.raw_path.removeprefix(DOWNLOADS).partition("/")
    stored = state.functions.get(unquote(function_id))
    content = stored.files.get(unquote(version)) if stored is not None else None
    if content is None:
        return detail(HTTPStatus.NOT_FOUND)
    return Reply(200, None, raw_body=content, content_type="text/x-python")


HANDLERS = {
    "function_create": create,
    "function_update": update,
    "function_download_url": read,
    "function_delete": delete,
    "function_fork": fork,
    "function_schedule_set": schedule,
    "function_schedule_delete": unschedule,
}
