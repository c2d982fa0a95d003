"""Write ``openapi.json`` from an upstream document and record where it came from.

The source may be JSON, YAML, or a docs page that embeds the spec in a
````yaml fence (how docs.notte.cc publishes per-operation slices). The output
is the same document, key order kept, as 2-space JSON, plus
``openapi.meta.json`` with its provenance and sha256.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml

UPSTREAM_URL = "https://api.notte.cc/openapi.json"
_FENCE = re.compile(r"^````yaml[^\n]*\n(.*?)\n````", re.S | re.M)


def load_document(text: str) -> dict[str, Any]:
    """Parse a spec given as JSON, YAML or a docs page with a yaml fence."""
    fenced = _FENCE.search(text)
    document = yaml.safe_load(fenced.group(1) if fenced else text)
    if not isinstance(document, dict) or "openapi" not in document:
        raise ValueError("not an OpenAPI document (no top-level 'openapi' key)")
    return document


def dump_document(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="upstream spec: JSON, YAML or docs page")
    parser.add_argument("--out", type=Path, default=Path("openapi.json"))
    parser.add_argument("--source-url", default=UPSTREAM_URL)
    parser.add_argument("--date", default=dt.date.today().isoformat(), help="retrieval date")
    args = parser.parse_args(argv)
    try:
        document = load_document(args.source.read_text(encoding="utf-8"))
    except (OSError, ValueError, yaml.YAMLError) as exc:
        print(f"vendor_spec: cannot read {args.source}: {exc}", file=sys.stderr)
        return 2
    text = dump_document(document)
    args.out.write_text(text, encoding="utf-8")
    meta = {
        "source_url": args.source_url,
        "source_file": args.source.name,
        "api_version": document.get("info", {}).get("version"),
        "operations": sorted(
            f"{method.upper()} {path}"
            for path, item in document.get("paths", {}).items()
            for method in item
            if method in {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
        ),
        "retrieved": args.date,
        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
    }
    args.out.with_suffix(".meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out} (API {meta['api_version']}, {len(meta['operations'])} operation(s))")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
