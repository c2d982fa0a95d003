"""Fail unless every operation in the spec has a module in the generated client.

openapi-python-client can skip an endpoint (e.g. an unsupported parameter type)
and still exit 0; this check makes a silently dropped operation a build failure.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from notte_ext._oas import HTTP_METHODS


def module_name(operation_id: str) -> str:
    """The generator's file name for an operationId (snake case)."""
    words = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", operation_id)
    return re.sub(r"[^0-9a-zA-Z]+", "_", words).strip("_").lower()


def missing_operations(spec: dict[str, object], package_dir: Path) -> list[str]:
    generated = {path.stem for path in package_dir.glob("api/*/*.py")}
    missing = []
    paths = spec.get("paths", {})
    assert isinstance(paths, dict)
    for path, item in paths.items():
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            operation_id = operation.get("operationId") or f"{method}_{path}"
            if module_name(operation_id) not in generated:
                missing.append(f"{method.upper()} {path} ({operation_id})")
    return missing


def main(argv: list[str]) -> int:
    spec_path, out_dir = Path(argv[0]), Path(argv[1])
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    missing = missing_operations(spec, out_dir / "notte_api_client")
    for operation in missing:
        print(f"check_operations: {operation} is missing from {out_dir}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
