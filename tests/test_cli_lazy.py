"""Start-up: what `import notte_ext` and `notte-ext --help` import, and that lazy loading changes nothing visible."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from notte_ext.cli import COMMANDS, main
from notte_ext.cli.functions import FUNCTION_COMMANDS
from notte_ext.cli.runs import RUN_COMMANDS
from notte_ext.testing import NotteTestServer


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            f"{code}\nimport sys\nprint('\\n'.join(name for name, module in sys.modules.items() if module is not None))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(out.stdout.split())


def test_import_notte_ext_leaves_httpx_cli_and_its_dependencies_out() -> None:
    loaded = _modules_after("import notte_ext; notte_ext.NotteClient")
    assert "httpx" in loaded
    assert not {"click", "rich", "pygments", "httpx._main"} & loaded


def test_help_imports_no_command_module_nor_the_client() -> None:
    loaded = _modules_after(
        "import sys; sys.argv = ['notte-ext', '--help']\n"
        "from notte_ext.cli import main\ntry:\n    main()\nexcept SystemExit:\n    pass"
    )
    assert "notte_ext.cli" in loaded
    lazy = {
        "notte_ext._client",
        "notte_ext.cli.runs",
        "notte_ext.cli.functions",
        "notte_ext.cli.function_writes",
        "notte_ext.drift",
        "notte_ext.testing",
        "rich",
    }
    assert not lazy & loaded


LAZY = {
    **COMMANDS,
    **{f"runs {name}": entry for name, entry in RUN_COMMANDS.items()},
    **{f"functions {name}": entry for name, entry in FUNCTION_COMMANDS.items()},
}


@pytest.mark.parametrize("name", sorted(LAZY))
def test_each_listed_help_line_is_the_commands_own(name: str) -> None:
    module, _, attribute = LAZY[name][0].partition(":")
    command = getattr(importlib.import_module(module), attribute)
    assert isinstance(command, click.Command)
    assert command.help is not None
    assert LAZY[name][1] == command.help.strip().splitlines()[0]


def test_lazy_commands_run_and_show_their_help() -> None:
    result = CliRunner().invoke(main, ["runs", "--help"])
    assert result.exit_code == 0, result.output
    assert "summary" in result.output
    assert "list" in result.output
    assert "watch" in result.output
    unknown = CliRunner().invoke(main, ["nope"])
    assert unknown.exit_code == 2
    assert "No such command 'nope'" in unknown.output


def test_a_piped_listing_imports_neither_rich_nor_dateutil(server: NotteTestServer) -> None:
    """rich draws tables and terminal progress, dateutil parses dates people type: a piped
    `runs list` needs neither (~35 ms of start-up)."""
    argv = ["notte-ext", "--api-key", server.api_key, "--base-url", server.url, "runs", "list", "fn-1"]
    loaded = _modules_after(
        f"import sys; sys.argv = {argv!r}\nfrom notte_ext.cli import main\n"
        "try:\n    main()\nexcept SystemExit as end:\n    print(f'EXIT={end.code}')"
    )
    assert "EXIT=0" in loaded  # the listing ran (its JSON lines are in the output too)
    assert "httpx" in loaded
    assert not {"rich", "dateutil", "notte_ext.watch", "importlib.metadata"} & loaded


def test_a_diff_of_two_json_files_imports_neither_httpx_nor_yaml_nor_the_client(tmp_path: Path) -> None:
    """`spec diff` of local JSON files needs no HTTP, no YAML, no generated models and no attrs (~0.15 s ->
    ~0.10 s; attrs alone was ~15 ms of it, through the CLI's state class)."""
    base = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}
    revision = {**base, "paths": {"/x": {"get": {"operationId": "x", "responses": {"200": {"description": "ok"}}}}}}
    (tmp_path / "a.json").write_text(json.dumps(base))
    (tmp_path / "b.json").write_text(json.dumps(revision))
    argv = ["notte-ext", "spec", "diff", str(tmp_path / "a.json"), str(tmp_path / "b.json")]
    loaded = _modules_after(
        f"import sys; sys.argv = {argv!r}\nfrom notte_ext.cli import main\n"
        "try:\n    main()\nexcept SystemExit as end:\n    print(f'EXIT={end.code}')"
    )
    assert "EXIT=0" in loaded  # an added operation is not breaking
    assert "notte_ext.drift.diff" in loaded
    assert not {"httpx", "yaml", "notte_api_client", "notte_ext._client", "attr", "attrs"} & loaded
