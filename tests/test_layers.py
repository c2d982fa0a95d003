"""CONTRIBUTING's layering, checked: `drift` and `testing` work when the client is broken, so they
import nothing of it but the leaf modules, and the leaf modules import only the standard library."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).parent.parent / "notte_ext"
LEAVES = {"notte_ext._oas", "notte_ext._messages"}


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found


def test_drift_and_testing_import_only_leaf_modules_of_the_client() -> None:
    for standalone in ("drift", "testing"):
        for path in (PACKAGE / standalone).rglob("*.py"):
            ours = {name for name in _imports(path) if name.split(".")[0] == "notte_ext"}
            outside = {name for name in ours if not name.startswith(f"notte_ext.{standalone}")}
            assert outside <= LEAVES, f"{path.relative_to(PACKAGE)} imports {sorted(outside - LEAVES)}"


def test_leaf_modules_import_only_the_standard_library() -> None:
    for leaf in LEAVES:
        path = PACKAGE / f"{leaf.rsplit('.', 1)[1]}.py"
        roots = {name.split(".")[0] for name in _imports(path)}
        assert roots <= set(sys.stdlib_module_names) | {"__future__"}, (leaf, roots)
