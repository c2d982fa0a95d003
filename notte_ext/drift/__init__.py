"""OpenAPI document loading, slicing and semantic diffing, for the spec-drift check.

``diff_documents(base, revision)`` lists what changed from ``base`` to ``revision``,
each change with a rule id and a severity judged from a client generated from
``base``; ``drift`` does the same for upstream against our vendored slice.
"""

from notte_ext.drift.changes import Change, summary
from notte_ext.drift.diff import diff_documents
from notte_ext.drift.errors import SpecError
from notte_ext.drift.load import load_document, read_document
from notte_ext.drift.rules import RULES, Rule, Severity
from notte_ext.drift.slice import slice_document
from notte_ext.drift.upstream import drift, vendored_keys

__all__ = [
    "RULES",
    "Change",
    "Rule",
    "Severity",
    "SpecError",
    "diff_documents",
    "drift",
    "load_document",
    "read_document",
    "slice_document",
    "summary",
    "vendored_keys",
]
