"""Shared fixtures; ``notte_server`` itself comes from the notte_ext pytest plugin (pytest11 entry point)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from notte_ext.testing import NotteTestServer

pytest_plugins = ["pytester"]

FUNCTION_ID = "fn-1"
RUN_COUNT = 250


@pytest.fixture
def server(notte_server: NotteTestServer) -> NotteTestServer:
    """The plugin's server with 250 generated runs of ``fn-1``."""
    notte_server.add_function(FUNCTION_ID, runs=RUN_COUNT)
    return notte_server


@pytest.fixture
def http(server: NotteTestServer) -> Iterator[httpx.Client]:
    """A raw httpx client authenticated against ``server``: sees exactly what the server sends."""
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {server.api_key}"}) as client:
        yield client
