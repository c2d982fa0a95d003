"""The client's defaults and environment variable names: one definition each.

A leaf module (it imports nothing), so the CLI can show these in `--help` without importing
httpx or the client.
"""

from __future__ import annotations

DEFAULT_BASE_URL = "https://api.notte.cc"
API_KEY_ENV = "NOTTE_API_KEY"
BASE_URL_ENV = "NOTTE_API_URL"
DEFAULT_TIMEOUT = 30.0  # seconds per attempt: connect + headers + whole body
MAX_TIMEOUT = 3600.0  # the longest accepted: an attempt past an hour is a hang (and ~1e10 s overflows sockets)
DEFAULT_MAX_RETRIES = 3
DEFAULT_MAX_WAIT = 30.0  # the longest wait between retries; a longer Retry-After is not waited for
MIN_INTERVAL = 0.5  # the shortest wait between two polls of a watch: faster only loads the API
MAX_INTERVAL = 3600.0
MAX_WAIT = 30 * 24 * 3600.0  # the longest timeout of a watch or a wait for a run (None: no limit); finite for clocks
