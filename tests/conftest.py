"""Shared fixtures; ``notte_server`` itself comes from the notte_ext pytest plugin (pytest11 entry point)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import trustme
from hypothesis import HealthCheck, settings

from notte_ext.testing import NotteTestServer
from tests.settle import settle_page_ahead
from tests.tls_server import HttpsServer, serve_https

# Proxy variables of the machine (CI runners often set them) would send the suite's loopback traffic
# to a proxy: httpx, and notte_ext with it, exempt no host, 127.0.0.1 included, unless NO_PROXY names
# it. The suite runs without them (subprocesses inherit this environment); tests/test_proxies.py sets
# them deliberately.
for _name in [name for name in os.environ if name.lower() in {"http_proxy", "https_proxy", "all_proxy", "no_proxy"}]:
    del os.environ[_name]

pytest_plugins = ["pytester"]

# Property-based tests: "ci" in `make test`, "proof" (HYPOTHESIS_PROFILE=proof) in `make proof`.
# No deadline: a slow CI machine must not turn into a flaky failure; derandomized in CI so a
# red build is reproducible, random in the proof run so each run explores new inputs.
_PROPERTY = settings(
    deadline=None, print_blob=True, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
settings.register_profile("ci", _PROPERTY, max_examples=150, derandomize=True)
settings.register_profile("proof", _PROPERTY, max_examples=5_000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

FUNCTION_ID = "fn-1"
RUN_COUNT = 250
# The fixture's sample data ends at this fixed instant (not the wall clock), so tests may rely on
# its runs being in the past: `--since 1h` finds none of them.
SAMPLE_NOW = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _page_ahead_settled() -> Iterator[None]:
    """Each test ends once the page-ahead requests it left on the wire have ended, so none
    reaches the next test or runs (and draws random numbers) during it."""
    yield
    settle_page_ahead()


@pytest.fixture
def server(notte_server: NotteTestServer) -> NotteTestServer:
    """The plugin's server with 250 generated runs of ``fn-1``, the newest at ``SAMPLE_NOW``."""
    notte_server.add_function(FUNCTION_ID, runs=RUN_COUNT, now=SAMPLE_NOW)
    return notte_server


@pytest.fixture
def http(server: NotteTestServer) -> Iterator[httpx.Client]:
    """A raw httpx client authenticated against ``server``: sees exactly what the server sends."""
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {server.api_key}"}) as client:
        yield client


# -- https: a throwaway CA (trustme) and a local https server (tests/tls_server.py) -----------------


@pytest.fixture(scope="session")
def authority() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def https_server(authority: trustme.CA) -> Iterator[HttpsServer]:
    with serve_https(authority) as server:
        yield server


@pytest.fixture
def https_url(https_server: HttpsServer) -> str:
    return https_server.url


@pytest.fixture
def ca_bundle(authority: trustme.CA, tmp_path: Path) -> str:
    """The throwaway CA's certificate as a PEM file."""
    bundle = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(bundle))
    return str(bundle)


@pytest.fixture
def trusted(ca_bundle: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The throwaway CA trusted through SSL_CERT_FILE, as httpx (and notte_ext) read it."""
    monkeypatch.setenv("SSL_CERT_FILE", ca_bundle)
