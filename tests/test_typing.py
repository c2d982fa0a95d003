"""mypy --strict sees the operation's query parameters: a wrong type or a misspelled option is a type error."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SNIPPET = """\
from notte_ext import AsyncNotteClient, NotteClient

client = NotteClient("k")
client.functions.list_runs("fn", page_size=50, running_only=True, status="failed", limit=3)
client.functions.list_runs_page("fn", page=2, page_size=10)
client.functions.list_runs("fn", page_size="big")  # line 6
client.functions.list_runs("fn", page_sise=5)  # line 7
client.functions.list_runs_page("fn", status="failed")  # line 8
AsyncNotteClient("k").functions.list_runs("fn", only_current_token="yes")  # line 9
"""


def test_mypy_strict_flags_wrong_types_and_misspelled_options(tmp_path: Path) -> None:
    snippet = tmp_path / "snippet.py"
    snippet.write_text(SNIPPET, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--config-file=", str(snippet)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    errors = {int(line) for line in re.findall(r"snippet\.py:(\d+): error", result.stdout)}
    assert errors == {6, 7, 8, 9}, result.stdout
    assert 'did you mean "page_size"' in result.stdout
