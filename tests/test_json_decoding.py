"""decode_json (jiter, then json.loads for what jiter refuses) answers exactly as json.loads does."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from notte_ext._responses import decode_json

# What json.loads accepts that jiter refuses (NaN, a lone surrogate, a BOM, UTF-16), numbers at the
# edges of int and float, and ordinary pages: same value, same type.
ACCEPTED = [
    b'{"items": [], "page": 1, "page_size": 100, "has_next": false, "has_previous": false}',
    b"18446744073709551616",
    b"-123456789012345678901234567890",
    b"9007199254740993",
    b"2.2250738585072011e-308",
    b"1e400",
    b"-1e400",
    b"1e-400",
    b"-0.0",
    b"NaN",
    b"[Infinity, -Infinity]",
    b'"\\ud800"',
    b'"\\udc00\\ud800"',
    b'"\\ud83d\\ude00"',
    b'"\xc3\xa9"',
    b'"\xed\xa0\x80"',
    b'{"a": 1, "a": 2}',
    b"\xef\xbb\xbf{}",
    '{"a": "é"}'.encode("utf-16"),
    b" \t\r\n[1]\n",
]
# Invalid JSON: json.loads's own error, so callers keep catching JSONDecodeError / UnicodeDecodeError.
REJECTED = [
    b"",
    b'"a\nb"',
    b"[1,]",
    b"{'a': 1}",
    b"01",
    b"nan",
    b"[1] x",
    b'"\xff"',
    b"\x0c{}",
    b'{"a": 1',
    b"[" * 100_000,
]


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    return type(a) is type(b) and repr(a) == repr(b)


@pytest.mark.parametrize("document", ACCEPTED, ids=repr)
def test_accepted_documents_decode_as_json_loads_does(document: bytes) -> None:
    assert _same(decode_json(document), json.loads(document))


@pytest.mark.parametrize("document", REJECTED, ids=lambda d: repr(d[:20]))
def test_invalid_documents_raise_what_json_loads_raises(document: bytes) -> None:
    try:
        json.loads(document)
    except (ValueError, RecursionError) as expected:
        with pytest.raises(type(expected)):
            decode_json(document)
    else:
        pytest.fail(f"json.loads accepted {document[:20]!r}")


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner, max_size=5),
    max_leaves=30,
)


@given(JSON_VALUES, st.booleans())
def test_any_document_decodes_as_json_loads_does(value: Any, ensure_ascii: bool) -> None:
    document = json.dumps(value, ensure_ascii=ensure_ascii).encode("utf-8", "surrogatepass")
    try:
        expected = json.loads(document)
    except ValueError as exc:  # a lone surrogate written raw is not UTF-8: both refuse it alike
        with pytest.raises(type(exc)):
            decode_json(document)
        return
    assert _same(json.dumps(decode_json(document)), json.dumps(expected))
