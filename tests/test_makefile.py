"""Values people pass to make are data: `make drift UPSTREAM='x`touch /tmp/p`.json'` once ran the
command, because the Makefile pasted UPSTREAM into the recipe's shell line. The Makefile runs in a
sandbox whose tools are stubs recording their arguments: each value must arrive as one argument,
verbatim, and no command hidden in it may run. The workflow passes its input through `env:` only.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).parent.parent
RECORDER = f"#!{sys.executable}\nimport json, sys\njson.dump(sys.argv[1:], open('args.json', 'w'))\n"
# Each tries another way out of a quoted or unquoted shell word, or into make's own syntax.
HOSTILE = [
    "x`touch {marker}`.json",
    "x$(touch {marker}).json",
    'x"; touch {marker}; ".json',
    "x'; touch {marker}; '.json",
    "x; touch {marker}",
    "$(shell touch {marker})",
    "$$(touch {marker})",
    "a b\tc.json",
]


@pytest.fixture
def sandbox(tmp_path: Path) -> Path:
    """The project's Makefile with `install` up to date and the commands it runs replaced by recorders."""
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    for stub in (".tools/bin/uv", ".venv/bin/notte-ext", "scripts/vendor.sh"):
        path = tmp_path / stub
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(RECORDER)
        path.chmod(0o755)
    for source in ("pyproject.toml", "uv.lock", "generated/pyproject.toml"):
        (tmp_path / source).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / source).touch()
    synced = tmp_path / ".venv/bin/.synced"
    synced.touch()
    later = synced.stat().st_mtime + 10
    os.utime(synced, (later, later))  # newer than what it depends on: make won't rebuild the venv
    return tmp_path


def _make(sandbox: Path, *args: str, env: dict[str, str] | None = None) -> list[str]:
    """The arguments the recipe's command received."""
    done = subprocess.run(
        ["make", "--no-print-directory", "-s", *args],
        cwd=sandbox,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": os.environ["PATH"], **(env or {})},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    recorded: list[str] = json.loads((sandbox / "args.json").read_text())
    return recorded


def _drift_args(upstream: list[str], fmt: str = "text", fail_on: str = "breaking") -> list[str]:
    return ["spec", "drift", *upstream, "--spec", "openapi.json", "--format", fmt, "--fail-on", fail_on]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_make_variables_reach_commands_as_one_verbatim_argument(sandbox: Path, hostile: str) -> None:
    marker = sandbox / "injected"
    value = hostile.format(marker=marker)
    assert _make(sandbox, "drift", f"UPSTREAM={value}") == _drift_args(["--upstream", value])
    assert _make(sandbox, "drift", env={"UPSTREAM": value}) == _drift_args(["--upstream", value])  # the workflow's way
    assert _make(sandbox, "vendor", f"UPSTREAM={value}") == [value]
    assert _make(sandbox, "drift", f"DRIFT_FORMAT={value}", f"DRIFT_FAIL_ON={value}") == _drift_args([], value, value)
    assert not marker.exists()


def test_without_upstream_the_tools_use_their_default(sandbox: Path) -> None:
    assert _make(sandbox, "drift") == _drift_args([])
    assert _make(sandbox, "vendor") == []
    assert _make(sandbox, "drift", "UPSTREAM=") == _drift_args([])


def test_the_issue_s_injection_creates_no_file_with_the_real_tools(tmp_path: Path) -> None:
    marker = tmp_path / "p"
    for target in ("drift", "vendor"):
        done = subprocess.run(
            ["make", "--no-print-directory", "-s", "-C", str(ROOT), target, f"UPSTREAM=x`touch {marker}`.json"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode != 0  # no such file: the value was read as a path, nothing else
        assert f"x`touch {marker}`.json" in done.stderr
        assert not marker.exists()


def test_the_workflow_passes_values_through_env_only() -> None:
    """`${{ }}` inside a `run:` script is pasted into it before the shell reads it: an input holding
    `"; curl ... #` would run. The workflow keeps every expression in `env:`."""
    workflow = yaml.safe_load((ROOT / ".github/workflows/spec-drift.yml").read_text(encoding="utf-8"))
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    scripts = [step["run"] for step in steps if "run" in step]
    assert any("make -s drift" in script for script in scripts)
    for script in scripts:
        assert "${{" not in script, script
        assert "UPSTREAM=" not in script, script  # from env:, read by make verbatim
