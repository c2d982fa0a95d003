"""A spec-faithful local Notte API for tests, with fault injection: every operation of the functions
tag (functions created, uploaded, forked, scheduled, deleted; runs listed, started, read, stopped,
updated), with state.

    from notte_ext.testing import NotteTestServer, Status, Match

    with NotteTestServer() as server:            # http://127.0.0.1:<free port>
        server.add_function("fn-1", runs=250)
        server.faults.add(Status(503, retry_after=1), match=Match(page=2))
        ...                                      # point your client at server.url / server.api_key
        assert [r.status for r in server.requests] == [200, 503, 200]

In pytest, the ``notte_server`` fixture gives a started server (and fails the test if the server
ever generated a response that does not match openapi.json). From a shell:
``python -m notte_ext.testing --port 8000`` or ``notte-ext serve``.

The server follows its OpenAPI document (default: the vendored openapi.json; ``NotteTestServer(
spec=path_or_document)`` for another revision): run fields, statuses, query parameters, schemas.
Sample runs end at the current minute (``add_function(..., now=...)`` pins the clock). Runs
started through the API follow ``server.run_plan`` (``RunPlan``: active for a while, then closed or
failed, seeded).
"""

from notte_ext.testing.api import SYSTEM_TOKEN
from notte_ext.testing.data import (
    RUN_STATUSES,
    SAMPLE_DAYS,
    format_timestamp,
    generate_runs,
    make_function,
    make_run,
    sample_clock,
)
from notte_ext.testing.exchange import IncomingRequest, Reply
from notte_ext.testing.faults import (
    SOAK_EFFECTS,
    CompressedOversizedBody,
    DropConnection,
    Effect,
    EndlessPages,
    ExtraFields,
    FaultContext,
    FaultPlan,
    FaultRule,
    HugeRetryAfter,
    InsertRuns,
    Latency,
    MalformedJSON,
    Match,
    MissingField,
    NaiveTimestamps,
    NoFault,
    OversizedBody,
    ProxyPage,
    RandomFaults,
    Status,
    TrickledBody,
    TruncatedJSON,
    UnknownEnumValue,
)
from notte_ext.testing.operation import RunsOperation, SpecOperation
from notte_ext.testing.ordering import ORDERS, RunOrder
from notte_ext.testing.request_log import RecordedRequest, redact_headers
from notte_ext.testing.server import DEFAULT_API_KEY, SAMPLE_WORKFLOW, NotteTestServer
from notte_ext.testing.state import RunPlan
from notte_ext.testing.validation import SpecViolationError, spec_violations, validate_response

__all__ = [
    "DEFAULT_API_KEY",
    "ORDERS",
    "RUN_STATUSES",
    "SAMPLE_DAYS",
    "SAMPLE_WORKFLOW",
    "SOAK_EFFECTS",
    "SYSTEM_TOKEN",
    "CompressedOversizedBody",
    "DropConnection",
    "Effect",
    "EndlessPages",
    "ExtraFields",
    "FaultContext",
    "FaultPlan",
    "FaultRule",
    "HugeRetryAfter",
    "IncomingRequest",
    "InsertRuns",
    "Latency",
    "MalformedJSON",
    "Match",
    "MissingField",
    "NaiveTimestamps",
    "NoFault",
    "NotteTestServer",
    "OversizedBody",
    "ProxyPage",
    "RandomFaults",
    "RecordedRequest",
    "Reply",
    "RunOrder",
    "RunPlan",
    "RunsOperation",
    "SpecOperation",
    "SpecViolationError",
    "Status",
    "TrickledBody",
    "TruncatedJSON",
    "UnknownEnumValue",
    "format_timestamp",
    "generate_runs",
    "make_function",
    "make_run",
    "redact_headers",
    "sample_clock",
    "spec_violations",
    "validate_response",
]
