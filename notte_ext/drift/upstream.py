"""Drift: the upstream document, sliced to what we vendor, against our vendored copy."""

from __future__ import annotations

import datetime as dt
from typing import Any

from notte_ext.drift.changes import Change, ordered
from notte_ext.drift.diff import diff_documents
from notte_ext.drift.guard import guarded
from notte_ext.drift.limits import Budget
from notte_ext.drift.operations import operations
from notte_ext.drift.reading import NOTTE_EXT, Reading
from notte_ext.drift.refs import Resolver
from notte_ext.drift.slice import slice_document


@guarded
def vendored_keys(vendored: dict[str, Any]) -> list[tuple[str, str]]:
    return list(operations(vendored, Resolver(vendored)))


@guarded
def drift(
    vendored: dict[str, Any],
    upstream: dict[str, Any],
    *,
    include_docs: bool = False,
    today: dt.date | None = None,
    reading: Reading = NOTTE_EXT,
) -> list[Change]:
    """Changes from our spec to upstream's version of the same operations, plus what we lack.

    An operation we vendor that upstream dropped is reported as removed (breaking).
    """
    keys = vendored_keys(vendored)
    upstream_ops = operations(upstream, Resolver(upstream))
    sliced = slice_document(upstream, [key for key in keys if key in upstream_ops])
    changes = diff_documents(vendored, sliced, include_docs=include_docs, today=today, reading=reading)
    not_vendored = [op for key, op in upstream_ops.items() if key not in keys]
    Budget(changes=len(changes)).report(len(not_vendored))
    changes += [
        Change.of("upstream-operation-not-vendored", op.label, "", "upstream operation not in the vendored spec")
        for op in not_vendored
    ]
    return ordered(changes)
