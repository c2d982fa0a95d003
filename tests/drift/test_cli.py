"""``notte-ext spec diff|drift`` through the real entry point, with a local upstream server."""

from __future__ import annotations

import json
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from notte_ext.cli import main
from tests.drift.builders import ROOT, ours, param, run_props
from tests.drift.test_engine import superset_upstream
from tests.drift.test_fixtures import CASES
from tests.revision import UPSTREAM_COPY, only_on
from tests.upstream_server import Answer, serve_upstream

SEED = str(ROOT / "codegen/upstream/list-function-runs-by-function-id.md")
OPENAPI = SEED  # the base the fixtures edit: API 1.4.40, whatever revision openapi.json holds


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["spec", *args], catch_exceptions=False)


@pytest.fixture
def revision(tmp_path: Path) -> str:
    """Our spec with one breaking, one warning and one info change."""
    document = superset_upstream()  # + GET /functions: info
    param(document, "page_size")["schema"]["maximum"] = 50  # breaking
    del run_props(document)["logs"]  # optional response property removed: warning
    path = tmp_path / "revision.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return str(path)


@pytest.fixture
def upstream_url() -> Iterator[str]:
    """A stdlib HTTP server on an ephemeral 127.0.0.1 port serving a modified superset of our spec."""
    document = superset_upstream()
    run_props(document)["status"]["enum"].append("queued")  # breaking for our generated client
    with serve_upstream(Answer(body=json.dumps(document), path="/openapi.json")) as server:
        yield f"{server.url}/openapi.json"


def test_a_spec_against_itself_has_no_changes() -> None:
    result = run("diff", OPENAPI, OPENAPI)
    assert result.exit_code == 0
    assert result.stdout == "No changes.\n"


def test_real_console_script_runs() -> None:
    done = subprocess.run(
        [str(ROOT / ".venv/bin/notte-ext"), "spec", "diff", OPENAPI, SEED], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "No changes.\n", "")


def test_json_format(revision: str) -> None:
    result = run("diff", OPENAPI, revision, "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["summary"] == {"breaking": 1, "warning": 1, "info": 1, "total": 3}
    assert [c["id"] for c in document["changes"]] == [
        "request-parameter-max-decreased",
        "response-optional-property-removed",
        "endpoint-added",
    ]


def test_text_and_markdown_formats(revision: str) -> None:
    text = run("diff", OPENAPI, revision).stdout
    assert text.splitlines()[0].split()[:3] == ["breaking", "request-parameter-max-decreased", "GET"]
    assert text.endswith("3 change(s): 1 breaking, 1 warning, 1 info\n")
    markdown = run("diff", OPENAPI, revision, "--format", "markdown").stdout
    assert markdown.startswith("### OpenAPI diff")
    assert "| severity | rule | operation | where | message |" in markdown


@pytest.mark.parametrize(
    ("fail_on", "code_with_breaking", "code_without_breaking"), [("breaking", 1, 0), ("warning", 1, 1), ("any", 1, 1)]
)
def test_fail_on_levels(
    revision: str, tmp_path: Path, fail_on: str, code_with_breaking: int, code_without_breaking: int
) -> None:
    assert run("diff", OPENAPI, revision, "--fail-on", fail_on).exit_code == code_with_breaking
    only_warning_and_info = json.loads(Path(revision).read_text(encoding="utf-8"))
    param(only_warning_and_info, "page_size")["schema"]["maximum"] = 100
    softer = tmp_path / "softer.json"
    softer.write_text(json.dumps(only_warning_and_info), encoding="utf-8")
    assert run("diff", OPENAPI, str(softer), "--fail-on", fail_on).exit_code == code_without_breaking


def test_info_only_fails_with_any() -> None:
    assert run("drift", "--spec", OPENAPI, "--upstream", SEED, "--fail-on", "any").exit_code == 0


MALFORMED = json.dumps({"openapi": "3.1.0", "paths": {"/functions/{id}/runs": {"get": {"parameters": 7}}}})


@pytest.mark.parametrize("content", [None, "{not json", "just: [yaml", MALFORMED])
def test_missing_or_garbage_files_exit_2_with_one_line(tmp_path: Path, content: str | None) -> None:
    path = tmp_path / "broken.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = run("diff", OPENAPI, str(path))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_drift_against_a_local_upstream_server(upstream_url: str) -> None:
    result = run("drift", "--upstream", upstream_url, "--spec", OPENAPI, "--format", "json")
    assert result.exit_code == 1
    found = [(c["id"], c["severity"], c["operation"]) for c in json.loads(result.stdout)["changes"]]
    assert found == [
        ("response-property-enum-value-added", "breaking", "GET /functions/{function_id}/runs"),
        ("upstream-operation-not-vendored", "info", "GET /functions"),
    ]


def test_drift_when_upstream_is_unreachable_exits_2(upstream_url: str) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens there
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}/openapi.json"
    for url in (closed, upstream_url.replace("openapi.json", "missing.json")):
        result = run("drift", "--upstream", url, "--spec", OPENAPI, "--timeout", "5")
        assert result.exit_code == 2, result.stdout
        assert result.stdout == ""  # never a false "No changes."
        assert result.stderr.startswith(f"Error: cannot fetch {url}")
        assert len(result.stderr.splitlines()) == 1


def _only_not_vendored(report: str) -> bool:
    """A text report whose every change is an upstream operation we don't vendor (info)."""
    *lines, total = report.strip().splitlines()
    return total.endswith(" 0 breaking, 0 warning, " + f"{len(lines)} info") and all(
        line.startswith("info      upstream-operation-not-vendored") for line in lines
    )


@only_on("1.4.40")  # openapi.json is the upstream copy's slice only while 1.4.40 is vendored
def test_make_drift_on_the_local_upstream_copy_passes() -> None:
    """What .ci/run does offline: every vendored operation equals upstream's, nothing else reported."""
    done = subprocess.run(
        ["make", "-s", "--no-print-directory", "-C", str(ROOT), "drift", f"UPSTREAM={UPSTREAM_COPY}"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert _only_not_vendored(done.stdout), done.stdout


@only_on("1.4.40")  # it compares the packaged spec with the 1.4.40 upstream copy
def test_drift_without_spec_uses_the_packaged_spec_outside_a_checkout(tmp_path: Path) -> None:
    done = subprocess.run(
        [str(ROOT / ".venv/bin/notte-ext"), "spec", "drift", "--upstream", str(UPSTREAM_COPY)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,  # no openapi.json here
    )
    assert done.returncode == 0, done.stderr
    assert _only_not_vendored(done.stdout), done.stdout
    assert done.stderr == "spec: notte_ext/openapi.json (packaged)\n"


def test_drift_without_spec_prefers_openapi_json_in_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    local = superset_upstream()
    param(local, "page_size")["schema"]["maximum"] = 50
    (tmp_path / "openapi.json").write_text(json.dumps(local), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("drift", "--upstream", SEED, "--format", "json")
    assert result.stderr == "spec: openapi.json\n"
    # upstream allows page_size up to 100 where our local spec said 50: a loosened request bound
    assert [c["id"] for c in json.loads(result.stdout)["changes"]] == [
        "api-removed-without-deprecation",
        "request-parameter-max-increased",
    ]


def test_github_format_writes_workflow_annotations(revision: str) -> None:
    result = run("diff", OPENAPI, revision, "--format", "github")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("::error title=request-parameter-max-decreased (GET /functions/{function_id}/runs)::")
    assert "query parameter page_size: maximum changed from 100 to 50" in lines[0]
    assert "notte_ext sends page_size=100 by default" in lines[0]
    assert lines[1].startswith("::warning title=response-optional-property-removed")
    assert lines[2].startswith("::notice title=endpoint-added")
    assert lines[3].endswith("3 change(s): 1 breaking, 1 warning, 1 info")


def test_text_names_components_and_fields(revision: str) -> None:
    text = run("diff", OPENAPI, revision).stdout
    assert "GetFunctionRunResponse.logs  optional property logs removed" in text
    assert "hint: notte_ext sends page_size=100 by default" in text


@pytest.mark.parametrize("severity", ["breaking", "warning", "info"])
def test_rules_can_be_filtered_by_severity(severity: str) -> None:
    result = run("rules", "--severity", severity)
    rows = result.stdout.splitlines()[2:]
    assert result.exit_code == 0
    assert rows
    assert all(row.split(" | ")[1] == severity for row in rows)
    assert len(run("rules").stdout.splitlines()) > len(rows) + 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"openapi": "3.1.0" "paths": {}}', "not valid JSON: Expecting ',' delimiter at line 1 column 21"),
        ("These are my notes about the API.\n", "not an OpenAPI document (JSON or YAML)"),
    ],
)
def test_loader_errors_speak_the_documents_language(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "broken.json"
    path.write_text(content, encoding="utf-8")
    result = run("diff", OPENAPI, str(path))
    assert result.exit_code == 2
    assert result.stderr == f"Error: {path}: {message}\n"


@pytest.mark.parametrize("command", ["diff", "drift"])
def test_profile_oasdiff_also_reads_the_documents_as_oasdiff(command: str, tmp_path: Path) -> None:
    """`type: object` added to an untyped request body: no change on the wire, a type change to oasdiff."""
    paths = []
    for name, document in zip(("base", "revision"), CASES["implied_object_type_made_explicit"].build(), strict=True):
        paths.append(tmp_path / f"{name}.json")
        paths[-1].write_text(json.dumps(document), encoding="utf-8")
    base, revision = map(str, paths)
    args = ["diff", base, revision] if command == "diff" else ["drift", "--spec", base, "--upstream", revision]
    assert run(*args).exit_code == 0
    oasdiff = run(*args, "--profile", "oasdiff", "--format", "json")
    assert oasdiff.exit_code == 1
    assert [c["id"] for c in json.loads(oasdiff.stdout)["changes"]] == ["request-body-type-specialized"]


@pytest.mark.parametrize("fmt", ["text", "markdown", "github"])
def test_control_characters_in_a_name_are_spelled_out_not_written(fmt: str, tmp_path: Path) -> None:
    """A property named with a line break forged a line of the report; an escape sequence in one rewrote
    the terminal that showed it (click strips ANSI only when it is not a terminal)."""
    document = ours()
    run_props(document)["evil\x1b]0;owned\x07\nNo changes."] = {"type": "string"}
    revision = tmp_path / "revision.json"
    revision.write_text(json.dumps(document))
    result = run("diff", OPENAPI, str(revision), "--format", fmt, "--fail-on", "any")
    assert result.exit_code == 1
    assert "\x1b" not in result.stdout
    assert "\x07" not in result.stdout
    assert "evil\\x1b]0;owned\\x07\\x0aNo changes." in result.stdout
    assert "No changes." not in result.stdout.replace("\\x0aNo changes.", "")
