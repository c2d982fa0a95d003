"""Bump rehearsal: `make vendor` each revision fixture in a copy of the project, then use it.

For tests/revisions/*.json (full OpenAPI documents derived from openapi.json): on a copy of the
project, `make vendor UPSTREAM=fixture` must print the drift report and leave a tree where
`uv sync --locked` and `make check-generated` pass, the library and the CLI send the new query
parameter, filter on the new status and expose the new field (tests/revisions/rehearse.py), and
the fast part of the suite passes. What is new is read from the fixture, not written here.
The uv cache is shared, so each copy's .venv installs from it in seconds.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.revisions.derive import derive

ROOT = Path(__file__).resolve().parents[1]
# The fixtures, and derive.py: the revision it derives from whatever openapi.json is vendored (a new
# status, every component renamed, a new field and parameter), so a bump is rehearsed after any bump.
DERIVE = ROOT / "tests/revisions/derive.py"
REVISIONS = [*sorted((ROOT / "tests/revisions").glob("*.json")), DERIVE]
# Fast and revision-independent: what a user of the bumped tree relies on first.
FAST_SUITE = [
    "tests/test_list_runs.py",
    "tests/test_client_core.py",
    "tests/test_settings_and_arguments.py",
    "tests/test_query_parameters.py",
    "tests/test_cli.py",
    "tests/test_pagination_rules.py",
    "tests/test_functions_api.py",
]
SAMPLE_VALUES = {"integer": 1234, "string": "sample", "boolean": True, "number": 1.5}


def _run(copy: Path, *command: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "VIRTUAL_ENV"}
    return subprocess.run(command, cwd=copy, capture_output=True, text=True, timeout=600, env=env, check=False)


def project_copy(tmp_path: Path) -> Path:
    """The project as a clean clone would have it (tracked and new files), sharing the pinned uv in .tools/."""
    copy = tmp_path / "project"
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, capture_output=True, check=True
    )
    for name in filter(None, listed.stdout.decode().split("\0")):
        if (ROOT / name).is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, copy / name, follow_symlinks=False)
    (copy / ".tools").symlink_to(ROOT / ".tools")
    return copy


def _list_runs(document: dict[str, Any]) -> dict[str, Any]:
    operation: dict[str, Any] = document["paths"]["/functions/{function_id}/runs"]["get"]
    return operation


def _component(document: dict[str, Any], ref: str) -> dict[str, Any]:
    found: dict[str, Any] = document["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    return found


def _item(document: dict[str, Any]) -> dict[str, Any]:
    page = _component(
        document, _list_runs(document)["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    )
    return _component(document, page["properties"]["items"]["items"]["$ref"])


def _statuses(document: dict[str, Any]) -> list[str]:
    status = _item(document)["properties"]["status"]
    values: list[str] = (_component(document, status["$ref"]) if "$ref" in status else status)["enum"]
    return values


def _schema(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """One branch of a nullable anyOf, refs followed."""
    branch = next((b for b in schema.get("anyOf", [schema]) if b.get("type") != "null"), schema)
    return _component(document, branch["$ref"]) if "$ref" in branch else branch


def _start_body(document: dict[str, Any]) -> dict[str, Any]:
    """The run request body schema of runs/start (the start operation found by its operationId)."""
    for item in document["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict) and operation.get("operationId") == "function_run_start":
                ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
                return _component(document, ref)
    raise LookupError("no function_run_start")


def _new_body_field(ours: dict[str, Any], revision: dict[str, Any]) -> list[Any] | None:
    """A run request field the revision adds, and a value for it (an enum's first value), if any."""
    known = _start_body(ours)["properties"]
    for name, schema in _start_body(revision)["properties"].items():
        if name not in known:
            branch = _schema(revision, schema)
            value = branch["enum"][0] if "enum" in branch else SAMPLE_VALUES[branch["type"]]
            return [name, value]
    return None


def what_is_new(ours: dict[str, Any], revision: dict[str, Any]) -> dict[str, Any] | None:
    """The rehearsal's expectations: a new query parameter (and a value to send), new status, new field,
    and a field the run request of runs/start gained (a change in another operation than the listing).

    None when the revision adds no query parameter to the vendored one (it is the vendored revision)."""
    known = {p["name"] for p in _list_runs(ours)["parameters"]}
    parameter = next(
        (p for p in _list_runs(revision)["parameters"] if p["name"] not in known and p["in"] == "query"), None
    )
    if parameter is None:
        return None
    schema = _schema(revision, parameter["schema"])
    value = schema["enum"][0] if "enum" in schema else SAMPLE_VALUES[schema["type"]]
    if schema["type"] == "boolean":
        value = not schema.get("default", False)  # the non-default, so sending it matters
    status = next((s for s in _statuses(revision) if s not in _statuses(ours)), None)
    fields = _item(revision)["properties"]
    new_field = next(
        (
            name
            for name in fields
            if name not in _item(ours)["properties"] and _schema(revision, fields[name]).get("type") in SAMPLE_VALUES
        ),
        None,
    )
    field = [new_field, SAMPLE_VALUES[_schema(revision, fields[new_field])["type"]]] if new_field else None
    wire = str(value).lower() if isinstance(value, bool) else str(value)
    return {
        "parameter": parameter["name"],
        "value": value,
        "wire": wire,
        "status": status,
        "field": field,
        "start_field": _new_body_field(ours, revision),
    }


def upstream_document(revision: Path, tmp_path: Path) -> Path:
    """The fixture itself, or for derive.py the revision it derives from the vendored openapi.json."""
    if revision != DERIVE:
        return revision
    derived = tmp_path / "derived.json"
    derived.write_text(json.dumps(derive(json.loads((ROOT / "openapi.json").read_text(encoding="utf-8")))))
    return derived


@pytest.mark.parametrize("fixture", REVISIONS, ids=lambda path: path.stem)
def test_make_vendor_leaves_a_tree_that_works(fixture: Path, tmp_path: Path) -> None:
    revision = upstream_document(fixture, tmp_path)
    ours = json.loads((ROOT / "openapi.json").read_text(encoding="utf-8"))
    document = json.loads(revision.read_text(encoding="utf-8"))
    expected = what_is_new(ours, document)
    if expected is None:  # visible in the -ra summary, e.g. after vendoring this very fixture
        pytest.skip(f"{revision.name} adds no query parameter to the vendored API {ours['info']['version']}")
    copy = project_copy(tmp_path)
    assert _run(copy, "make", "install").returncode == 0

    vendored = _run(copy, "make", "vendor", f"UPSTREAM={revision}")
    assert vendored.returncode == 0, vendored.stdout + vendored.stderr
    report = vendored.stdout
    assert f"query parameter {expected['parameter']} added" in report  # the drift report, before the writes
    assert report.index("change(s)") < report.index("vendor: wrote openapi.json")
    assert json.loads((copy / "openapi.json").read_text())["info"]["version"] == document["info"]["version"]
    assert f'name = "notte-api-client"\nversion = "{document["info"]["version"]}"' in (copy / "uv.lock").read_text()

    for command in (
        [".tools/bin/uv", "sync", "--locked", "--all-extras", "--all-groups"],
        ["make", "check-generated"],
        [".venv/bin/python", "tests/revisions/rehearse.py", json.dumps(expected)],
        [".venv/bin/pytest", "-q", "-p", "no:cacheprovider", *FAST_SUITE],
    ):
        result = _run(copy, *command)
        assert result.returncode == 0, f"{' '.join(command)}:\n{result.stdout[-3000:]}{result.stderr[-3000:]}"


def test_a_bump_that_fails_after_the_report_puts_the_previous_tree_back(tmp_path: Path) -> None:
    copy = project_copy(tmp_path)
    assert _run(copy, "make", "install").returncode == 0  # its own .venv: the script syncs it when it succeeds
    unlockable = json.loads((ROOT / "openapi.json").read_text(encoding="utf-8"))
    unlockable["info"]["version"] = "1.5.0-rehearsal"  # not PEP 440: the generated package can't be locked
    (tmp_path / "unlockable.json").write_text(json.dumps(unlockable), encoding="utf-8")
    derived = ["openapi.json", "openapi.meta.json", "uv.lock", "notte_ext/_bindings.py", "generated/pyproject.toml"]
    before = {name: (copy / name).read_bytes() for name in derived}
    result = _run(copy, "scripts/vendor.sh", str(tmp_path / "unlockable.json"))
    assert result.returncode != 0
    assert "put back the previous" in result.stderr
    assert {name: (copy / name).read_bytes() for name in derived} == before


def test_an_unreadable_upstream_writes_nothing_and_says_so_in_one_line(tmp_path: Path) -> None:
    copy = project_copy(tmp_path)
    assert _run(copy, "make", "install").returncode == 0  # never the project's own .venv: vendor.sh syncs it
    before = {name: (copy / name).read_bytes() for name in ("openapi.json", "openapi.meta.json", "uv.lock")}
    result = _run(copy, "scripts/vendor.sh", str(tmp_path / "missing.json"))
    assert result.returncode != 0
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "missing.json" in result.stderr
    assert {name: (copy / name).read_bytes() for name in before} == before
