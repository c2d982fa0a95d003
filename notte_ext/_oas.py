"""OpenAPI facts shared by the client, the drift engine, the CLI and scripts/: one home each.

A leaf module (it imports nothing of notte_ext), so every layer may depend on it.
"""

from __future__ import annotations

# The keys of an OpenAPI path item that are operations (the others are summary, parameters...).
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# Where Notte publishes the whole API document: the default upstream of `make vendor` and
# `make drift`, `notte-ext spec drift` and scripts/vendor_spec.py.
UPSTREAM_URL = "https://api.notte.cc/openapi.json"
