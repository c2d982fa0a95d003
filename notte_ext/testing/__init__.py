"""A spec-faithful local Notte API server for tests (filled in by the local-server work)."""
