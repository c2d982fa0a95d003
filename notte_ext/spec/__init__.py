"""OpenAPI document loading, slicing and semantic diffing, for the spec-drift check.

``diff_documents(base, revision)`` lists what changed from ``base`` to ``revision``,
each change with a rule id and a severity judged from a client generated from
``base``; ``drift`` does the same for upstream against our vendored slice.
"""

from notte_ext.spec.changes import Change, summary
from notte_ext.spec.diff import diff_documents
from notte_ext.spec.drift import drift, vendored_keys
from notte_ext.spec.errors import SpecError
from notte_ext.spec.load import load_document, read_document
from notte_ext.spec.rules import RULES, Rule, Severity
from notte_ext.spec.slice import slice_document

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
