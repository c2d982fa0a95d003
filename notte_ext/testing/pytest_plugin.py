"""pytest plugin (registered through the ``pytest11`` entry point): the ``notte_server`` fixture."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from notte_ext.testing.server import NotteTestServer


@pytest.fixture
def notte_server() -> Iterator[NotteTestServer]:
    """A started ``NotteTestServer`` (no data yet: call ``add_function``), stopped after the test.

    The test fails if the server generated any 200/422 body that does not match openapi.json
    (set ``notte_server.validate_responses = False`` when you store deliberately odd runs).
    """
    with NotteTestServer() as server:
        yield server
    if server.violations:
        pytest.fail("the local Notte server sent responses that break openapi.json:\n" + "\n".join(server.violations))
