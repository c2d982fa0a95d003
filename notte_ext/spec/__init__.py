"""OpenAPI document loading, slicing and semantic diffing (filled in by the spec-drift work)."""
