"""TLS: the clients verify as httpx does by default, and parse the CA bundle only for https.

A local https server with a certificate from a throwaway CA (trustme): trusted through
SSL_CERT_FILE the listing works; under the default bundle (certifi) it is refused; a handshake
before the bundle is loaded is refused too (fail-closed)."""

from __future__ import annotations

import asyncio
import gc
import subprocess
import sys
import time
from pathlib import Path

import certifi
import httpx
import pytest

from notte_ext import APIConnectionError, APITimeoutError, AsyncNotteClient, ConfigurationError, NotteClient
from notte_ext._tls import Authorities, HTTPTransport, shared_authorities
from notte_ext.testing import NotteTestServer
from tests.local_http import TrickleForwarder
from tests.tls_server import HttpsServer


def test_a_server_trusted_through_ssl_cert_file_serves_the_listing(https_url: str, trusted: None) -> None:
    with NotteClient("sk-test", base_url=https_url, max_retries=0) as client:
        assert client.functions.list_runs("fn-1").to_list() == []


def test_a_certificate_the_default_bundle_does_not_vouch_for_is_refused(
    https_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    with (
        NotteClient("sk-test", base_url=https_url, max_retries=0) as client,
        pytest.raises(APIConnectionError, match="CERTIFICATE_VERIFY_FAILED"),
    ):
        client.functions.list_runs("fn-1").to_list()


@pytest.mark.parametrize("bundle", ["missing.pem", "garbage.pem", "."])
def test_an_unusable_ssl_cert_file_is_one_configuration_error(
    bundle: str, https_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A missing file, one without a certificate, a directory: was a FileNotFoundError, ssl.SSLError or
    IsADirectoryError traceback from the first https request (exit 1 in the CLI)."""
    (tmp_path / "garbage.pem").write_text("not a certificate\n")
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / bundle))
    with NotteClient("sk-test", base_url=https_url, max_retries=0) as client:
        with pytest.raises(ConfigurationError, match=r"cannot load the certificate authorities from .*SSL_CERT_FILE"):
            client.functions.list_runs_page("fn-1")
        with pytest.raises(ConfigurationError):  # not loaded: said again, never a handshake without authorities
            client.functions.list_runs_page("fn-1")


@pytest.mark.parametrize("keylog", ["no-such-dir/keys.log", "."])
def test_an_unwritable_sslkeylogfile_is_one_configuration_error(
    keylog: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opened when the process's first client is built, https or not: was a FileNotFoundError traceback."""
    monkeypatch.setenv("SSLKEYLOGFILE", str(tmp_path / keylog))
    with pytest.raises(ConfigurationError, match=r"SSLKEYLOGFILE .* can't be written"):
        Authorities(certifi.where(), None)


def test_a_handshake_before_the_bundle_is_loaded_is_refused(https_url: str, ca_bundle: str) -> None:
    unloaded = Authorities(ca_bundle, None)
    with httpx.Client(transport=httpx.HTTPTransport(verify=unloaded.context)) as client:
        with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            client.get(https_url)
        unloaded.load()
        assert client.get(https_url).status_code == 200


def test_the_context_is_httpx_s_default_once_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    ours, theirs = Authorities(certifi.where(), None), httpx.create_ssl_context()
    ours.load()
    for setting in ("protocol", "verify_mode", "check_hostname", "options", "verify_flags", "minimum_version"):
        assert getattr(ours.context, setting) == getattr(theirs, setting), setting
    assert ours.context.maximum_version == theirs.maximum_version
    assert ours.context.cert_store_stats() == theirs.cert_store_stats()
    assert shared_authorities() is shared_authorities()  # once per process


def test_plain_http_clients_never_parse_the_bundle(server: NotteTestServer) -> None:
    """In a fresh process: a client, a listing over http, and the default context still holds no CA."""
    url, key = server.url, server.api_key
    code = (
        "from notte_ext import NotteClient\nfrom notte_ext._tls import shared_authorities\n"
        f"with NotteClient({key!r}, base_url={url!r}) as client:\n"
        "    assert len(client.functions.list_runs('fn-1').to_list()) == 250\n"
        "print(shared_authorities().context.cert_store_stats()['x509_ca'])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env={})
    assert out.stdout.strip() == "0"


def test_https_transport_loads_the_bundle_on_its_first_https_request(https_url: str, trusted: None) -> None:
    authorities = shared_authorities()
    with httpx.Client(transport=HTTPTransport()) as client:
        assert client.get(https_url).status_code == 200
    assert authorities.context.cert_store_stats()["x509_ca"] == 1  # the test CA only


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_a_trickled_handshake_ends_at_the_timeout(https_server: HttpsServer, trusted: None, kind: str) -> None:
    """The server's half of the handshake a byte every 20 ms (~40 s in all): every read brings something,
    so per-read timeouts never trip. The handshake is bounded as a whole, by the attempt's connect
    timeout (CPython's ssl holds one deadline over the handshake; anyio's cancel scope async), and
    the listing fails in about 1 s instead of waiting the handshake out."""
    sent = len(https_server.authorizations)
    with TrickleForwarder(int(https_server.url.rsplit(":", 1)[1])) as forwarder:
        url = f"https://127.0.0.1:{forwarder.port}"
        started = time.monotonic()
        with pytest.raises(APITimeoutError, match="timeout=1 s"):
            _first_run(kind, url)
        assert time.monotonic() - started < 4
        gc.collect()  # a socket left open (async, before the fix) warns here: filterwarnings = error
    assert len(https_server.authorizations) == sent  # no request was ever sent


def _first_run(kind: str, url: str) -> None:
    if kind == "sync":
        with NotteClient("sk-test", base_url=url, timeout=1, max_retries=0) as client:
            client.functions.list_runs("fn-1").first()
        return

    async def listing() -> None:
        async with AsyncNotteClient("sk-test", base_url=url, timeout=1, max_retries=0) as client:
            await client.functions.list_runs("fn-1").first()

    asyncio.run(listing())
