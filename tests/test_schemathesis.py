"""Schemathesis, an independent spec-driven fuzzer, against the local server: every operation of the
vendored document, all its phases (examples, coverage, fuzzing, stateful) and all its checks.

Every failure it reports is either a known gap, listed below with its reason, or a test failure; an
upstream gap that stops showing up fails too (the spec got better: the list must follow). Seeded;
CI-sized here (``SCHEMATHESIS_EXAMPLES``, default 10 per operation and phase), larger in ``make proof``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import httpx
import pytest
import schemathesis
from schemathesis.config import CacheConfig, HealthCheck, SchemathesisConfig
from schemathesis.engine import events, from_schema

from notte_ext.testing import NotteTestServer, RunsOperation

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "10"))
SEED = 24
ENGINE_ERROR = "error"  # the code of an error schemathesis met (not a check failing), followed by its type


@dataclass(frozen=True)
class Finding:
    """One kind of failure: where, schemathesis' failure code, and the status the server answered."""

    operation: str  # "METHOD /path"
    code: str  # ST103 (undocumented status), ST201 (invalid data accepted), ... or "error: <type>"
    status: int | None


@dataclass(frozen=True)
class Gap:
    code: str
    status: int | None
    reason: str
    operations: frozenset[str] | None = None  # None: any operation
    upstream: bool = True  # a gap of the upstream document shows up every run; a fuzzer artefact may not

    def explains(self, finding: Finding) -> bool:
        return (
            finding.code == self.code
            and finding.status == self.status
            and (self.operations is None or finding.operation in self.operations)
        )


_MULTIPART = frozenset({"POST /functions", "POST /functions/{function_id}"})
KNOWN_GAPS = (
    Gap(
        "ST103",
        404,
        "404 is not in the upstream document (it lists 200 and 422 only), yet the API answers it, FastAPI-"
        'shaped ({"detail": "Function not found"}), for an unknown function or run id',
    ),
    Gap(
        "ST103",
        401,
        "401 is not in the upstream document either; runs/start answers it when the required "
        "x-notte-api-key header is not a valid key (the run's runner checks it)",
        frozenset({"POST /functions/{function_id}/runs/start"}),
    ),
    Gap(
        f"{ENGINE_ERROR}: InvalidSchema",
        None,
        "the upstream document's PATCH /functions/{function_id}/runs/{run_id} does not declare its "
        "function_id path parameter, so schemathesis cannot build a request for it",
        frozenset({"PATCH /functions/{function_id}/runs/{run_id}"}),
    ),
    Gap(
        "ST201",
        200,
        "not the server's: a multipart form carries every value as text, so a 'negative' 0 for a "
        "boolean is the text '0' (pydantic's lax false) and a 'negative' object for a file is just the "
        "file's bytes; FastAPI accepts both, as the server does (test_a_form_takes_what_fastapi_takes)",
        _MULTIPART,
        upstream=False,
    ),
)


@dataclass(frozen=True)
class Run:
    findings: frozenset[Finding]
    cases: int
    operations: frozenset[str]


def _fuzz(server: NotteTestServer) -> Run:
    # No crash cache and no example database: what earlier runs found must not change this one.
    config = SchemathesisConfig(cache=CacheConfig(enabled=False))
    # too_slow measures how fast examples are generated: a loaded machine must not turn it into a finding.
    config.update(seed=SEED, max_failures=None, suppress_health_check=[HealthCheck.too_slow])
    config.projects.override.update(
        base_url=server.url, headers={"Authorization": f"Bearer {server.api_key}"}, workers=1
    )
    config.projects.override.checks.update(included_check_names=["all"])
    config.projects.override.generation.update(max_examples=EXAMPLES, database="none")
    schema = schemathesis.openapi.from_dict(dict(server.spec.document), config=config)
    findings: set[Finding] = set()
    operations: set[str] = set()
    cases = 0
    for event in from_schema(schema).execute():
        if isinstance(event, events.FatalError):
            raise event.exception
        if isinstance(event, events.NonFatalError):
            findings.add(Finding(event.label, f"{ENGINE_ERROR}: {type(event.value).__name__}", None))
        if not isinstance(event, events.ScenarioFinished):
            continue
        cases += len(event.recorder.cases)
        for case_id, node in event.recorder.cases.items():
            operations.add(node.value.operation.label)
            interaction = event.recorder.interactions.get(case_id)
            status = interaction.response.status_code if interaction and interaction.response else None
            for check in event.recorder.checks.get(case_id, []):
                if check.failure_info is not None:
                    findings.add(Finding(node.value.operation.label, check.failure_info.failure.code, status))
    return Run(frozenset(findings), cases, frozenset(operations))


@pytest.fixture(scope="module")
def fuzzed() -> Run:
    # requests (schemathesis' client) honours proxy variables; the server is local.
    with pytest.MonkeyPatch.context() as env:
        env.setenv("NO_PROXY", "127.0.0.1")
        env.setenv("no_proxy", "127.0.0.1")
        with NotteTestServer() as server:
            server.add_function("fn-sample", runs=30)
            run = _fuzz(server)
    assert not server.violations, "the server broke its own document:\n" + "\n".join(server.violations)
    return run


def test_every_operation_of_the_document_was_fuzzed(fuzzed: Run) -> None:
    declared = {
        f"{method.upper()} {path}" for path, item in RunsOperation.load().document["paths"].items() for method in item
    }
    assert fuzzed.operations == declared  # the schema error stops some phases, not all, for its operation
    assert fuzzed.cases >= len(declared) * EXAMPLES


def test_schemathesis_finds_nothing_but_the_known_gaps(fuzzed: Run) -> None:
    unexplained = sorted(
        (finding for finding in fuzzed.findings if not any(gap.explains(finding) for gap in KNOWN_GAPS)), key=str
    )
    assert unexplained == []


@pytest.mark.parametrize("gap", [gap for gap in KNOWN_GAPS if gap.upstream], ids=lambda gap: f"{gap.code}-{gap.status}")
def test_each_upstream_gap_still_shows_up(fuzzed: Run, gap: Gap) -> None:
    """When upstream documents 401/404 or declares the parameter, this fails: drop the gap from the list."""
    assert any(gap.explains(finding) for finding in fuzzed.findings), gap.reason


@pytest.mark.parametrize(("flag", "shared"), [("0", False), ("1", True), ("off", False), ("yes", True)])
def test_a_form_takes_what_fastapi_takes(http: httpx.Client, flag: str, shared: bool) -> None:
    """Why the ST201 findings on multipart operations are the fuzzer's: pydantic reads a form's text
    leniently ('0' is false), and a file part is any bytes, JSON text included."""
    content = b'{"not": ["a", "workflow"]}'
    created = http.post("/functions", files={"file": ("file", content)}, data={"shared": flag})
    assert created.status_code == 200, created.text
    assert created.json()["shared"] is shared
    assert httpx.get(http.get(f"/functions/{created.json()['function_id']}").json()["url"]).content == content
