"""How the engine reads two documents where tools disagree on *what* changed (not on how severe).

The default reading is notte_ext's: what a generated client sends and accepts on the wire.
``--profile oasdiff`` promises oasdiff's classification, quirks included, so it also reads the
documents as oasdiff's diff does (``profiles.reading_of``) where that sees a change notte_ext
does not.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reading:
    # HTTP header names ignore case (RFC 9110 5.1); oasdiff looks response headers up by exact
    # name (diff/headers_diff.go), so X-Rate-Limit -> x-rate-limit is one removed, one added.
    header_names_ignore_case: bool = True
    # A renamed component with the same schema is the same anyOf/oneOf alternative on the wire;
    # oasdiff pairs $ref alternatives by component name only (diff/subschemas_diff.go pass 1).
    union_refs_match_by_structure: bool = True
    # properties imply an object and items an array, as the generator reads them; oasdiff reads
    # only a written type, so `type: object` added to such a request body is a type change.
    implied_types: bool = True
    # 3.0 `nullable: true` and 3.1 `type: [t, "null"]` say the same; oasdiff compares the `nullable`
    # keyword as written before any other spelling (checker/nullable_type_utils.go), so true -> a
    # type list with null is "became not nullable" there.
    nullable_spellings_equal: bool = True
    # `allOf: [X]` (plus annotations) is X; oasdiff, without --flatten-allof (off by default), compares
    # such a wrapper's own keywords with X's (diff/schema_diff.go): X's type and properties read as removed.
    all_of_merged: bool = True


NOTTE_EXT = Reading()
OASDIFF = Reading(
    header_names_ignore_case=False,
    union_refs_match_by_structure=False,
    implied_types=False,
    nullable_spellings_equal=False,
    all_of_merged=False,
)
