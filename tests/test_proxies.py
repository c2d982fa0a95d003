"""Proxies, as httpx and the official SDK use them: HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, NO_PROXY
(lower-case too), `proxy=` / `--proxy`, https through CONNECT, and our retry and deadline layers on
the proxied route. A real forward proxy on 127.0.0.1 (tests/forward_proxy.py) records what it saw.

conftest.py removes the machine's proxy variables for the whole suite; these tests set them.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import httpx
import pytest
import trustme
from click.testing import CliRunner

from notte_ext import APIConnectionError, APIStatusError, APITimeoutError, AsyncNotteClient, NotteClient, RetryPolicy
from notte_ext._proxies import environment_proxies
from notte_ext.cli import main
from notte_ext.errors import ConfigurationError
from notte_ext.testing import Latency, NotteTestServer, Status
from tests.forward_proxy import ForwardProxy, dead_proxy_url
from tests.local_http import EMPTY_PAGE, HeaderDrip, running
from tests.settle import eventually
from tests.tls_server import HttpsServer
from tests.upstream_server import Answer, serve_upstream

KEY = "sk-proxy-test-5d2c8e1f9a"
FUNCTION_ID = "fn-1"
RUNS = 250  # three pages
CLI = Path(sys.executable).with_name("notte-ext")
PROXY_VARIABLES = ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy", "HTTPS_PROXY", "https_proxy")
KINDS = ("sync", "async", "cli")


@pytest.fixture
def api() -> Iterator[NotteTestServer]:
    with NotteTestServer(KEY) as server:
        server.add_function(FUNCTION_ID, runs=RUNS)
        yield server


@pytest.fixture
def proxy() -> Iterator[ForwardProxy]:
    with ForwardProxy() as running:
        yield running


def _listed(kind: str, base_url: str, env: Mapping[str, str], monkeypatch: pytest.MonkeyPatch, **options: Any) -> int:
    """How many runs a listing returned, with `env` as its environment (added to the test's for the
    library, the whole environment for the CLI) and client options (`proxy`, `trust_env`)."""
    if kind == "cli":
        flags = ["--proxy", options.pop("proxy")] if "proxy" in options else []
        assert not options, options
        done = subprocess.run(
            [CLI, "--api-key", KEY, "--base-url", base_url, *flags, "runs", "list", FUNCTION_ID, "--format", "jsonl"],
            capture_output=True,
            text=True,
            timeout=60,
            env={"PATH": "", **env},
        )
        assert done.returncode == 0, done.stderr
        return len(done.stdout.splitlines())
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    if kind == "sync":
        with NotteClient(KEY, base_url=base_url, **options) as client:
            return len(client.functions.list_runs(FUNCTION_ID).to_list())

    async def listing() -> int:
        async with AsyncNotteClient(KEY, base_url=base_url, **options) as client:
            return len(await client.functions.list_runs(FUNCTION_ID).to_list())

    return asyncio.run(listing())


def _forwarded(proxy: ForwardProxy) -> list[str]:
    return [seen.target for seen in proxy.seen]


def _answered(proxy: ForwardProxy, api: NotteTestServer) -> list[str]:
    """What the proxy forwarded, once the server has seen all of it: a listing returns while the
    pages it asked for ahead may still be on their way through the proxy."""
    eventually(lambda: len(_forwarded(proxy)) == len(api.requests), within=10)
    return _forwarded(proxy)


# -- the routes: the same as httpx's -----------------------------------------------------------------


ENVIRONMENTS = [
    {},
    {"HTTP_PROXY": "http://p:1"},
    {"http_proxy": "http://lower:1", "HTTP_PROXY": "http://upper:1"},
    {"HTTPS_PROXY": "p:3128", "ALL_PROXY": "socks5://s:1"},
    {"all_proxy": "http://a:1", "NO_PROXY": "127.0.0.1, localhost,::1,.example.com,example.org,http://x.io:8080"},
    {"HTTP_PROXY": "http://p:1", "NO_PROXY": "example.com,*"},
    {"HTTPS_PROXY": "http://p:1", "no_proxy": "192.168.0.0/16,,"},
    {"HTTP_PROXY": ""},
]


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_routes_are_httpx_s_own(environment: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    from httpx._utils import get_environment_proxies  # private: the reference, read only here

    assert environment_proxies() == get_environment_proxies()


# -- plain http through the proxy, as the environment says --------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("variable", ["HTTP_PROXY", "http_proxy", "ALL_PROXY"])
def test_listings_go_through_the_proxy_the_environment_names(
    api: NotteTestServer, proxy: ForwardProxy, kind: str, variable: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _listed(kind, api.url, {variable: proxy.url}, monkeypatch) == RUNS
    forwarded = _answered(proxy, api)
    assert len(forwarded) == len(api.requests) >= 3
    assert all(target.startswith(f"{api.url}/functions/{FUNCTION_ID}/runs?") for target in forwarded)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("no_proxy", ["127.0.0.1", "example.com, 127.0.0.1", "*"])
def test_no_proxy_sends_matching_hosts_direct(
    api: NotteTestServer, proxy: ForwardProxy, kind: str, no_proxy: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with dead_proxy_url() as dead:
        environment = {"HTTP_PROXY": dead, "ALL_PROXY": proxy.url, "NO_PROXY": no_proxy}
        assert _listed(kind, api.url, environment, monkeypatch) == RUNS
    assert proxy.seen == []
    assert len(api.requests) >= 3


@pytest.mark.parametrize("kind", KINDS)
def test_an_explicit_proxy_takes_every_request_no_proxy_included(
    api: NotteTestServer, proxy: ForwardProxy, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As httpx's `proxy=`: the environment's routes no longer apply."""
    environment = {"NO_PROXY": "127.0.0.1"}
    assert _listed(kind, api.url, environment, monkeypatch, proxy=proxy.url) == RUNS
    assert len(_answered(proxy, api)) == len(api.requests) >= 3


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_trust_env_false_ignores_the_proxy_variables(
    api: NotteTestServer, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with dead_proxy_url() as dead:
        assert _listed(kind, api.url, {"HTTP_PROXY": dead, "ALL_PROXY": dead}, monkeypatch, trust_env=False) == RUNS


def test_a_transport_of_one_s_own_is_never_bypassed_by_environment_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    """As in httpx: `transport=` replaces the network (tests), proxies or not."""
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, content=EMPTY_PAGE, headers={"Content-Type": "application/json"})

    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    with NotteClient(KEY, transport=httpx.MockTransport(answer)) as client:
        assert client.functions.list_runs(FUNCTION_ID).to_list() == []
    assert len(seen) == 1
    with pytest.raises(ConfigurationError, match="not both"):
        NotteClient(KEY, transport=httpx.MockTransport(answer), proxy="http://127.0.0.1:9")


# -- https through a CONNECT tunnel: the key reaches the API, not the proxy --------------------------------


@pytest.fixture
def tls_api(https_server: HttpsServer) -> HttpsServer:
    https_server.authorizations.clear()
    return https_server


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("variable", ["HTTPS_PROXY", "https_proxy", "ALL_PROXY"])
def test_https_goes_through_a_connect_tunnel_and_only_the_api_sees_the_key(
    tls_api: HttpsServer,
    proxy: ForwardProxy,
    ca_bundle: str,
    kind: str,
    variable: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    environment = {variable: proxy.url, "SSL_CERT_FILE": ca_bundle}
    assert _listed(kind, tls_api.url, environment, monkeypatch) == 0  # the https test server's empty page
    assert tls_api.authorizations == [f"Bearer {KEY}"]
    (connect,) = proxy.seen
    assert (connect.method, connect.target) == ("CONNECT", tls_api.url.removeprefix("https://"))
    assert "authorization" not in connect.headers
    assert proxy.tunnel_bytes.startswith(b"\x16\x03")  # a TLS handshake record: the proxy only relays
    assert KEY.encode() not in proxy.tunnel_bytes


@pytest.mark.parametrize("kind", KINDS)
def test_no_proxy_applies_to_https_too(
    tls_api: HttpsServer, proxy: ForwardProxy, ca_bundle: str, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    environment = {"HTTPS_PROXY": proxy.url, "NO_PROXY": "127.0.0.1", "SSL_CERT_FILE": ca_bundle}
    assert _listed(kind, tls_api.url, environment, monkeypatch) == 0
    assert tls_api.authorizations == [f"Bearer {KEY}"]
    assert proxy.seen == []


def test_an_https_proxy_is_verified_with_the_same_authorities(
    api: NotteTestServer, authority: trustme.CA, trusted: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """TLS to the proxy itself: the CA bundle is loaded for it even when the API is plain http
    (an unloaded context would refuse the handshake: fail-closed)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    authority.issue_cert("127.0.0.1").configure_cert(context)
    with ForwardProxy(tls=context) as tls_proxy:
        assert _listed("sync", api.url, {"HTTP_PROXY": tls_proxy.url}, monkeypatch) == RUNS
        assert len(_answered(tls_proxy, api)) == len(api.requests)


def test_trust_env_false_ignores_ssl_cert_file_too(tls_api: HttpsServer, trusted: None) -> None:
    with (
        NotteClient(KEY, base_url=tls_api.url, trust_env=False, max_retries=0) as client,
        pytest.raises(APIConnectionError, match="CERTIFICATE_VERIFY_FAILED"),
    ):
        client.functions.list_runs_page(FUNCTION_ID)


# -- our layers stay on the proxied route ---------------------------------------------------------------


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_retries_happen_behind_the_proxy(
    api: NotteTestServer, proxy: ForwardProxy, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    api.faults.add(Status(503, retry_after=0), times=2)
    waits: list[float] = []
    retry = RetryPolicy(max_retries=3, sleep=waits.append)
    assert _listed(kind, api.url, {"HTTP_PROXY": proxy.url}, monkeypatch, retry=retry) == RUNS
    forwarded = _answered(proxy, api)
    statuses = [request.status for request in api.requests]
    assert statuses[:3] == [503, 503, 200]
    assert len(forwarded) == len(statuses)
    assert waits == [0, 0]


def test_the_cli_retries_behind_the_proxy(
    api: NotteTestServer, proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    api.faults.add(Status(503, retry_after=0), times=2)
    assert _listed("cli", api.url, {"HTTP_PROXY": proxy.url}, monkeypatch) == RUNS
    assert [request.status for request in api.requests][:3] == [503, 503, 200]
    assert len(_answered(proxy, api)) == len(api.requests)


def test_a_dead_proxy_is_retried_then_named_in_the_error(api: NotteTestServer, monkeypatch: pytest.MonkeyPatch) -> None:
    waits: list[float] = []
    with dead_proxy_url() as dead:
        monkeypatch.setenv("HTTP_PROXY", dead.replace("http://", "http://proxy-user:proxy-pass-31@"))
        with (
            NotteClient(KEY, base_url=api.url, retry=RetryPolicy(max_retries=2, sleep=waits.append)) as client,
            pytest.raises(APIConnectionError) as caught,
        ):
            client.functions.list_runs_page(FUNCTION_ID)
    assert len(waits) == 2
    assert f"through the proxy {dead.replace('http://', 'http://***@')}" in str(caught.value)
    assert "proxy-pass-31" not in str(caught.value)
    assert api.requests == []


def test_the_deadline_holds_behind_the_proxy(
    api: NotteTestServer, proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    api.faults.add(Latency(2.0))
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    with (
        NotteClient(KEY, base_url=api.url, timeout=0.3, max_retries=0) as client,
        pytest.raises(APITimeoutError, match=f"timed out through the proxy {proxy.url}"),
    ):
        client.functions.list_runs_page(FUNCTION_ID)


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_the_deadline_holds_while_headers_drip_through_a_tunnel(
    proxy: ForwardProxy, authority: trustme.CA, ca_bundle: str, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """https through CONNECT to a server that drips a header line every 0.2 s: the tunnel relays each
    one as it comes, and the attempt still ends at its deadline (it hung forever before)."""
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    authority.issue_cert("127.0.0.1").configure_cert(tls)
    with running(HeaderDrip(drips=1, tls=tls)) as drip:
        started = time.monotonic()
        with pytest.raises(APITimeoutError, match=f"timed out through the proxy {proxy.url}") as caught:
            _listed(
                kind, drip.url, {"SSL_CERT_FILE": ca_bundle}, monkeypatch, proxy=proxy.url, timeout=1, max_retries=0
            )
    assert time.monotonic() - started < 5
    assert "the 1 s deadline passed before the response headers arrived" in str(caught.value)
    assert [seen.method for seen in proxy.seen] == ["CONNECT"]


# -- proxy credentials: used, never shown ----------------------------------------------------------------

PROXY_USER, PROXY_PASSWORD = "proxy-user", "proxy-S3cret-pw"


@pytest.fixture
def guarded_proxy() -> Iterator[ForwardProxy]:
    with ForwardProxy(credentials=(PROXY_USER, PROXY_PASSWORD)) as running:
        yield running


def _with_credentials(url: str, password: str = PROXY_PASSWORD) -> str:
    return url.replace("://", f"://{PROXY_USER}:{password}@")


def test_proxy_credentials_in_the_url_authenticate_and_are_never_logged(
    api: NotteTestServer, guarded_proxy: ForwardProxy, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="")
    with NotteClient(KEY, base_url=api.url, proxy=_with_credentials(guarded_proxy.url)) as client:
        assert len(client.functions.list_runs(FUNCTION_ID).to_list()) == RUNS
        assert PROXY_PASSWORD not in repr(client)
    token = base64.b64encode(f"{PROXY_USER}:{PROXY_PASSWORD}".encode()).decode()
    assert {seen.headers.get("proxy-authorization") for seen in guarded_proxy.seen} == {f"Basic {token}"}
    assert {"httpx", "httpcore", "httpx_retries"} <= {record.name.split(".")[0] for record in caplog.records}
    assert PROXY_PASSWORD not in caplog.text
    assert token not in caplog.text


def test_a_refused_proxy_password_is_never_shown(
    api: NotteTestServer, tls_api: HttpsServer, guarded_proxy: ForwardProxy, ca_bundle: str
) -> None:
    wrong = "wrong-pass-9f3e"
    plain = NotteClient(KEY, base_url=api.url, proxy=_with_credentials(guarded_proxy.url, wrong))
    with plain, pytest.raises(APIStatusError, match="407") as refused:
        plain.functions.list_runs_page(FUNCTION_ID)  # plain http: the proxy's own 407 answer
    tunnel = NotteClient(KEY, base_url=tls_api.url, proxy=_with_credentials(guarded_proxy.url, wrong), max_retries=0)
    with tunnel, pytest.raises(APIConnectionError, match="407") as refused_tunnel:
        tunnel.functions.list_runs_page(FUNCTION_ID)  # https: the CONNECT is refused
    for error in (refused.value, refused_tunnel.value):
        assert wrong not in f"{error} {error!r} {vars(error)!r}"
    assert "through the proxy http://***@127.0.0.1" in str(refused_tunnel.value)


@pytest.mark.parametrize("status", [401, 407, 500])
def test_a_proxy_echoing_its_credentials_back_shows_none_of_them(
    api: NotteTestServer, status: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    hidden = [PROXY_USER, PROXY_PASSWORD, base64.b64encode(f"{PROXY_USER}:{PROXY_PASSWORD}".encode()).decode()]
    with ForwardProxy(echo_status=status) as echoing:
        proxy_url = _with_credentials(echoing.url)
        with (
            NotteClient(KEY, base_url=api.url, proxy=proxy_url, max_retries=0) as client,
            pytest.raises(APIStatusError) as caught,
        ):
            client.functions.list_runs_page(FUNCTION_ID)
        shown = f"{caught.value} {caught.value!r} {vars(caught.value)!r}"
        assert "refused" in shown  # the echo is there, scrubbed
        for command in ("list", "summary"):
            done = subprocess.run(
                [CLI, "--api-key", KEY, "--base-url", api.url, "--proxy", proxy_url, "runs", command, FUNCTION_ID],
                capture_output=True,
                text=True,
                timeout=60,
                env={"PATH": ""},
            )
            assert done.returncode == 1, done.stderr
            shown += done.stdout + done.stderr
        monkeypatch.setenv("HTTP_PROXY", proxy_url)  # the environment's proxy, the same
        with NotteClient(KEY, base_url=api.url, max_retries=0) as client, pytest.raises(APIStatusError) as caught:
            client.functions.list_runs_page(FUNCTION_ID)
        shown += f"{caught.value} {caught.value!r} {vars(caught.value)!r}"
    for secret in hidden:
        assert secret not in shown
    assert api.requests == []


# -- unusable proxy settings: one line, nothing sent -----------------------------------------------------


@pytest.mark.parametrize(
    ("environment", "options", "expected"),
    [
        ({"HTTP_PROXY": "ftp://user:pw-secret-1@p:21"}, {}, "HTTP_PROXY ftp://***@p:21 must be a http/https"),
        ({"ALL_PROXY": "socks5://user:pw-secret-1@p:1080"}, {}, "ALL_PROXY socks5://***@p:1080 is a SOCKS proxy"),
        ({"HTTP_PROXY": "http://p:1", "NO_PROXY": "[::1"}, {}, "NO_PROXY holds '[::1'"),
        ({}, {"proxy": "http://user:pw-secret-1@"}, "proxy http://***@ must be"),
        ({}, {"proxy": 3128}, "proxy must be a URL string, got int"),
        ({}, {"trust_env": "no"}, "trust_env must be True or False, got str"),
    ],
)
def test_unusable_proxy_settings_are_configuration_errors(
    environment: dict[str, str], options: dict[str, Any], expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    for client_class in (NotteClient, AsyncNotteClient):
        with pytest.raises(ConfigurationError) as caught:
            client_class(KEY, base_url="https://api.example", **options)
        assert expected in str(caught.value)
        assert "pw-secret-1" not in str(caught.value)


def test_the_cli_says_so_in_one_line_and_exits_2(api: NotteTestServer) -> None:
    done = subprocess.run(
        [CLI, "--api-key", KEY, "--base-url", api.url, "--proxy", "ftp://u:pw-secret-1@p", "runs", "list", "fn-1"],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": ""},
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.splitlines() == ["Error: proxy ftp://***@p must be a http/https/socks5/socks5h URL with a host"]
    assert api.requests == []


# -- spec drift fetches by the same rules ------------------------------------------------------------


@pytest.fixture
def upstream() -> Iterator[str]:
    seed = Path(__file__).parent.parent / "codegen/upstream/list-function-runs-by-function-id.md"
    with serve_upstream(Answer(body=seed.read_text(encoding="utf-8"), content_type="text/markdown")) as server:
        yield f"{server.url}/openapi.md"


def _drift(upstream: str, *extra: str) -> int:
    spec = str(Path(__file__).parent.parent / "openapi.json")
    result = CliRunner().invoke(main, ["spec", "drift", "--upstream", upstream, "--spec", spec, *extra])
    assert result.exit_code in (0, 1), result.stderr
    return result.exit_code


@pytest.mark.parametrize("variable", ["HTTP_PROXY", "http_proxy", "ALL_PROXY"])
def test_spec_drift_goes_through_the_same_proxy(
    upstream: str, proxy: ForwardProxy, variable: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(variable, proxy.url)
    _drift(upstream)
    assert _forwarded(proxy) == [upstream]
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    _drift(upstream)
    assert _forwarded(proxy) == [upstream]  # not a second time


def test_spec_drift_takes_proxy_too(upstream: str, proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_PROXY", "*")
    _drift(upstream, "--proxy", proxy.url)
    assert _forwarded(proxy) == [upstream]
