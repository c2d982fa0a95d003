"""Which requests go through a proxy, decided as httpx decides for a client it builds itself.

httpx reads HTTP_PROXY, HTTPS_PROXY, ALL_PROXY and NO_PROXY (lower-case forms first) only when it
builds its own transport (`allow_env_proxies = trust_env and transport is None`, httpx 0.28). The
clients pass their own (retries, deadline, size limit), so they make httpx's routes themselves: URL
patterns (`http://`, `https://`, `all://`, and `all://host` for each NO_PROXY entry, which go direct)
mounted on the httpx client, each with a proxied transport under the same retry and limit layers.
Like httpx, nothing is exempt by default: a loopback base URL is proxied unless NO_PROXY names it.
"""

from __future__ import annotations

import ipaddress
from urllib.request import getproxies

import httpx

from notte_ext._messages import redact_url
from notte_ext._settings import check_proxy_url
from notte_ext._tls import AsyncHTTPTransport, HTTPTransport
from notte_ext.errors import ConfigurationError

# Set on each request a proxied transport sends, so a connection error can name the proxy.
PROXY_EXTENSION = "notte_ext.proxy"


def environment_proxies() -> dict[str, str | None]:
    """URL pattern -> proxy URL (None: go direct), from the environment, exactly as httpx reads it
    (httpx._utils.get_environment_proxies; tests/test_proxies.py compares the two)."""
    found = getproxies()  # the environment (and the system settings on macOS and Windows)
    routes: dict[str, str | None] = {}
    for scheme in ("http", "https", "all"):
        if url := found.get(scheme):
            routes[f"{scheme}://"] = url if "://" in url else f"http://{url}"
    for host in (entry.strip() for entry in found.get("no", "").split(",")):
        if host == "*":
            return {}
        if host:
            routes[_direct_pattern(host)] = None
    return routes


def _direct_pattern(host: str) -> str:
    """A NO_PROXY entry as httpx mounts it: `.example.com` and `example.com` also cover subdomains."""
    if "://" in host:
        return host
    address = host.split("/")[0]
    for kind, form in ((ipaddress.IPv4Address, "all://{}"), (ipaddress.IPv6Address, "all://[{}]")):
        try:
            kind(address)
        except ValueError:
            continue
        return form.format(host)
    return f"all://{host}" if host.lower() == "localhost" else f"all://*{host}"


def proxy_routes(proxy: str | None, *, trust_env: bool) -> dict[str, str | None]:
    """The routes of a client: an explicit proxy takes every request (NO_PROXY included, as in httpx);
    else the environment's when `trust_env`; else none."""
    if proxy is not None:
        return {"all://": proxy}
    if not trust_env:
        return {}
    routes = environment_proxies()
    for pattern, url in routes.items():
        if url is not None:
            check_proxy_url(url, f"{pattern[:-3].upper()}_PROXY")
            continue
        try:  # httpx would fail on it when building the client, with a bare InvalidURL
            httpx.URL(pattern)
        except httpx.InvalidURL:
            entry = pattern.removeprefix("all://").removeprefix("*")
            raise ConfigurationError(f"NO_PROXY holds {entry!r}: not a host, an address or a URL") from None
    return routes


def proxy_of(error: httpx.HTTPError) -> str | None:
    """The proxy (credentials redacted) a failed request went through, if any."""
    try:
        request = error.request
    except RuntimeError:  # an error raised before any request was built
        return None
    proxy = request.extensions.get(PROXY_EXTENSION)
    return proxy if isinstance(proxy, str) else None


class ProxyTransport(HTTPTransport):
    """The shared-TLS transport through one proxy; marks what it sends (see `proxy_of`)."""

    def __init__(self, proxy: str, *, trust_env: bool) -> None:
        super().__init__(proxy=proxy, trust_env=trust_env)
        self._shown = redact_url(proxy)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.extensions[PROXY_EXTENSION] = self._shown
        return super().handle_request(request)


class AsyncProxyTransport(AsyncHTTPTransport):
    """The async twin of ProxyTransport."""

    def __init__(self, proxy: str, *, trust_env: bool) -> None:
        super().__init__(proxy=proxy, trust_env=trust_env)
        self._shown = redact_url(proxy)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        request.extensions[PROXY_EXTENSION] = self._shown
        return await super().handle_async_request(request)
