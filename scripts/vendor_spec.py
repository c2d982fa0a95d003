"""Write ``openapi.json`` from an upstream document and record where it came from.

The source may be a path or URL, given as JSON, YAML, or a docs page that embeds the
spec in a ````yaml fence (how docs.notte.cc publishes per-operation slices). With
``--operations-from`` the document is first sliced to the operations that file
vendors (plus every component they reach): ``make vendor`` bumps our slice this way.
The output keeps upstream key order, as 2-space JSON, plus ``openapi.meta.json``
with its provenance and sha256.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from notte_ext._messages import redact_url
from notte_ext._oas import HTTP_METHODS, UPSTREAM_URL
from notte_ext.drift import SpecError, load_document, read_document, slice_document, vendored_keys
from notte_ext.drift.load import is_url
from notte_ext.drift.operations import parse_label

__all__ = ["dump_document", "load_document", "main"]


def dump_document(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _operation_keys(args: argparse.Namespace) -> list[tuple[str, str]] | None:
    """The operations to keep, or None to keep the whole document."""
    if args.operations_from is None and not args.operation:
        return None
    keys = vendored_keys(read_document(str(args.operations_from))) if args.operations_from else []
    return keys + [parse_label(label) for label in args.operation]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "source", nargs="?", default=UPSTREAM_URL, help="upstream spec (path or http(s) URL): JSON, YAML or docs page"
    )
    parser.add_argument("--out", type=Path, default=Path("openapi.json"))
    parser.add_argument("--operations-from", type=Path, help="slice to the operations of this spec (e.g. openapi.json)")
    parser.add_argument(
        "--operation", action="append", default=[], help='also keep this operation, e.g. "GET /functions"'
    )
    parser.add_argument("--source-url", help=f"provenance URL (default: the source if a URL, else {UPSTREAM_URL})")
    parser.add_argument("--date", default=dt.date.today().isoformat(), help="retrieval date")
    args = parser.parse_args(argv)
    try:
        document = read_document(args.source)
        keys = _operation_keys(args)
        if keys is not None:
            document = slice_document(document, keys)
    except SpecError as exc:
        print(f"vendor_spec: {exc}", file=sys.stderr)
        return 2
    text = dump_document(document)
    args.out.write_text(text, encoding="utf-8")
    meta = {
        # Committed to git: a token or password in the source URL must not be.
        "source_url": redact_url(args.source_url or (args.source if is_url(args.source) else UPSTREAM_URL)),
        "source_file": redact_url(args.source).rstrip("/").rsplit("/", 1)[-1],
        "api_version": document.get("info", {}).get("version"),
        "operations": sorted(
            f"{method.upper()} {path}"
            for path, item in document.get("paths", {}).items()
            for method in item
            if method in HTTP_METHODS
        ),
        "retrieved": args.date,
        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
    }
    args.out.with_suffix(".meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out} (API {meta['api_version']}, {len(meta['operations'])} operation(s))")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
