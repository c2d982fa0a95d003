"""Write ``openapi.json`` from an upstream document and record where it came from.

The source may be a path or URL, given as JSON, YAML, or a docs page that embeds the
spec in a ````yaml fence (how docs.notte.cc publishes per-operation slices). The document
is sliced to the chosen operations (plus every component they reach): those of a selection
file's ``vendor`` section (``--selection codegen/bindings.yaml``: every operation under its
tags, plus the operations it lists; ``make vendor`` bumps our slice this way), those another
spec vendors (``--operations-from``), and single ``--operation``s. Code samples
(``x-codeSamples``) are dropped: no upstream code is carried. The output keeps upstream key
order, as 2-space JSON, plus ``openapi.meta.json`` with its provenance and sha256.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import yaml

from notte_ext._messages import redact_url
from notte_ext._oas import HTTP_METHODS, UPSTREAM_URL
from notte_ext.drift import SpecError, load_document, read_document, slice_document, vendored_keys
from notte_ext.drift.load import is_url
from notte_ext.drift.operations import operations, parse_label
from notte_ext.drift.refs import Resolver

__all__ = ["drop_code_samples", "dump_document", "load_document", "main", "selected_keys"]

CODE_SAMPLES = "x-codeSamples"


def dump_document(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def drop_code_samples(document: dict[str, Any]) -> dict[str, Any]:
    """The document without any operation's code samples (upstream's examples in other languages)."""
    paths = {
        path: {
            key: {k: v for k, v in value.items() if k != CODE_SAMPLES} if isinstance(value, dict) else value
            for key, value in item.items()
        }
        if isinstance(item, dict)
        else item
        for path, item in document.get("paths", {}).items()
    }
    return {**document, "paths": paths} if "paths" in document else document


def selected_keys(document: dict[str, Any], selection: dict[str, Any]) -> list[tuple[str, str]]:
    """The operations a selection's `vendor` section picks in `document`: every one under its tags,
    plus the ones it names. A tag that picks nothing is an error (a renamed tag must not empty the
    slice quietly); a named operation the document lacks is reported by `slice_document`."""
    wanted = selection.get("vendor") or {}
    tags = [str(tag) for tag in wanted.get("tags") or []]
    found = operations(document, Resolver(document))
    keys: list[tuple[str, str]] = []
    for tag in tags:
        tagged = [key for key, op in found.items() if tag in (op.node.get("tags") or [])]
        if not tagged:
            raise SpecError(f"no operation has the tag {tag!r} (selected in the vendor section)")
        keys += tagged
    return keys + [parse_label(str(label)) for label in wanted.get("operations") or []]


def _operation_keys(args: argparse.Namespace, document: dict[str, Any]) -> list[tuple[str, str]] | None:
    """The operations to keep, or None to keep the whole document."""
    if args.operations_from is None and args.selection is None and not args.operation:
        return None
    keys = vendored_keys(read_document(str(args.operations_from))) if args.operations_from else []
    if args.selection is not None:
        keys += selected_keys(document, yaml.safe_load(args.selection.read_text(encoding="utf-8")) or {})
    return list(dict.fromkeys(keys + [parse_label(label) for label in args.operation]))


def _same_as_before(meta: dict[str, Any], previous: Path | None) -> dict[str, Any]:
    """The previous meta when it describes the same text from the same place: vendoring the same
    document again changes nothing (not even the retrieval date)."""
    if previous is None or not previous.is_file():
        return meta
    before: dict[str, Any] = json.loads(previous.read_text(encoding="utf-8"))
    unchanged = all(before.get(key) == meta[key] for key in ("sha256", "source_url", "source_file"))
    return before if unchanged else meta


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "source", nargs="?", default=UPSTREAM_URL, help="upstream spec (path or http(s) URL): JSON, YAML or docs page"
    )
    parser.add_argument("--out", type=Path, default=Path("openapi.json"))
    parser.add_argument("--operations-from", type=Path, help="slice to the operations of this spec (e.g. openapi.json)")
    parser.add_argument(
        "--selection", type=Path, help="slice to the tags and operations of this file's vendor section (bindings.yaml)"
    )
    parser.add_argument(
        "--operation", action="append", default=[], help='also keep this operation, e.g. "GET /functions"'
    )
    parser.add_argument("--source-url", help=f"provenance URL (default: the source if a URL, else {UPSTREAM_URL})")
    parser.add_argument("--date", default=dt.date.today().isoformat(), help="retrieval date")
    parser.add_argument(
        "--previous", type=Path, help="the meta of the vendored spec: kept as is if this one is the same document"
    )
    args = parser.parse_args(argv)
    try:
        document = drop_code_samples(read_document(args.source))
        keys = _operation_keys(args, document)
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
    meta = _same_as_before(meta, args.previous)
    args.out.with_suffix(".meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out} (API {meta['api_version']}, {len(meta['operations'])} operation(s))")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
