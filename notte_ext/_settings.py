"""Client configuration: explicit arguments win over NOTTE_API_KEY / NOTTE_API_URL, then defaults.

Everything is checked here, once, before any request: a wrong value is a `ConfigurationError` whose
one-line message never holds the key, nor a credential written into a URL.
"""

from __future__ import annotations

import importlib.util
import ipaddress
import os
import platform
from collections.abc import Mapping
from typing import Any

import httpx
from attrs import define, field

from notte_ext._arguments import is_text
from notte_ext._defaults import API_KEY_ENV, BASE_URL_ENV, DEFAULT_BASE_URL, DEFAULT_TIMEOUT, MAX_TIMEOUT
from notte_ext._messages import REDACTED, redact_url
from notte_ext._version import __version__ as PACKAGE_VERSION
from notte_ext.errors import ConfigurationError

USER_AGENT = f"notte-ext/{PACKAGE_VERSION} (python {platform.python_version()}; httpx {httpx.__version__})"
PROXY_SCHEMES = ("http", "https", "socks5", "socks5h")  # what httpx's transports can tunnel through


@define(frozen=True)
class Settings:
    """What a client needs to talk to the API, resolved and checked once."""

    api_key: str = field(repr=False)
    base_url: str
    timeout: float
    # A header's value may be a credential (an x-api-key of a gateway): the repr names the headers only.
    headers: Mapping[str, str] = field(repr=lambda headers: repr(dict.fromkeys(headers, REDACTED)))
    proxy: str | None = field(default=None, repr=lambda proxy: repr(proxy and redact_url(proxy)))
    trust_env: bool = True  # proxies (and the CA bundle) from the environment, as httpx reads them

    @property
    def default_headers(self) -> dict[str, str]:
        return {
            "User-Agent": USER_AGENT,
            "x-notte-sdk-version": f"notte-ext/{PACKAGE_VERSION}",
            # Only the codings the size limit can count as they inflate (see _limits).
            "Accept-Encoding": "gzip, deflate",
            **self.headers,
            "Authorization": f"Bearer {self.api_key}",
        }


def resolve_settings(
    api_key: str | None,
    base_url: str | None,
    *,
    timeout: float | None,
    headers: Mapping[str, str] | None,
    allow_insecure_http: bool,
    proxy: str | None = None,
    trust_env: bool = True,
    environ: Mapping[str, str] = os.environ,
) -> Settings:
    key = _api_key(api_key if api_key is not None else environ.get(API_KEY_ENV, ""))
    _expect_type("base_url", base_url, str, "a URL string")
    _expect_type("allow_insecure_http", allow_insecure_http, bool, "True or False")
    _expect_type("trust_env", trust_env, bool, "True or False")
    url = (base_url if base_url is not None else environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL).rstrip("/")
    _check_base_url(url, allow_insecure_http=allow_insecure_http)
    if proxy is not None:
        check_proxy_url(proxy, "proxy")
    return Settings(
        api_key=key,
        base_url=url,
        timeout=_timeout(timeout),
        headers=_extra_headers(headers),
        proxy=proxy,
        trust_env=trust_env,
    )


def _expect_type(name: str, value: object, kind: type, what: str) -> None:
    """None passes (the default applies). Never shows the value: it may be the key in the wrong place."""
    if value is not None and not isinstance(value, kind):
        raise ConfigurationError(f"{name} must be {what}, got {type(value).__name__}")


def _api_key(key: object) -> str:
    _expect_type("api_key", key, str, "a string")
    assert isinstance(key, str)
    if not key.strip():
        raise ConfigurationError(f"no API key: pass api_key=... (CLI: --api-key) or set {API_KEY_ENV}")
    bad = next((index for index, char in enumerate(key) if not " " <= char <= "~"), None)
    if bad is not None:
        # It goes into an HTTP header, which carries printable ASCII; say where, show a quarter at most.
        char = key[bad]
        what = "a line break" if char in "\r\n" else f"U+{ord(char):04X}"
        shown = key[: min(4, len(key) // 4)]
        start = f"; the key starts {shown!r}" if shown else ""
        raise ConfigurationError(
            f"the API key has {what} at position {bad}, not printable ASCII{start}; check how it was read or copied"
        )
    return key


def _timeout(timeout: object) -> float:
    if timeout is None:
        return DEFAULT_TIMEOUT
    if isinstance(timeout, bool) or not isinstance(timeout, int | float):
        raise ConfigurationError(f"timeout must be a number of seconds, got {type(timeout).__name__}")
    # Beyond MAX_TIMEOUT an attempt is a hang, and far beyond it socket and lock timeouts overflow.
    # Compared, not converted: nan fails every comparison, and a huge int has no float.
    if not 0 < timeout <= MAX_TIMEOUT:
        raise ConfigurationError(f"timeout must be seconds in (0, {MAX_TIMEOUT:g}], got {timeout!r}")
    return float(timeout)


def _extra_headers(headers: object) -> dict[str, str]:
    if headers is None:
        return {}
    if not isinstance(headers, Mapping):
        raise ConfigurationError(f"headers must be a mapping of names to values, got {type(headers).__name__}")
    extra: dict[str, str] = {}
    for name, value in headers.items():
        if not (isinstance(name, str) and _printable_ascii(name) and name.strip()):
            raise ConfigurationError(f"header names must be non-empty printable ASCII strings, got {name!r}")
        if name.lower() == "authorization":
            raise ConfigurationError("pass the key as api_key=..., not as an Authorization header")
        if not (isinstance(value, str) and _printable_ascii(value)):  # the value may be a credential: not shown
            raise ConfigurationError(f"the value of header {name!r} must be a printable ASCII string")
        extra[name] = value
    return extra


def _printable_ascii(text: str) -> bool:
    return all(" " <= char <= "~" for char in text)


def _check_base_url(url: str, *, allow_insecure_http: bool) -> None:
    # Checked on the text, before parsing: httpx would send user:password@ as Basic auth in place of
    # the key, put a query before the operation's path, and quote pieces of a bad URL in its errors.
    shown = redact_url(url.split("?", 1)[0].split("#", 1)[0])  # never the query or fragment: they may hold a token
    if not is_text(url):  # bytes that were not UTF-8 (lone surrogates): httpx can't even encode them
        raise ConfigurationError("base URL is not UTF-8 text: check how it was read")
    if "@" in url:
        raise ConfigurationError(
            f"base URL {shown} must not hold credentials (user:password@) or an '@': "
            "pass the key as api_key=... (CLI: --api-key)"
        )
    for mark, part in (("?", "query string"), ("#", "fragment")):
        if mark in url:
            raise ConfigurationError(
                f"base URL {shown} must not have a {part} ('{mark}...'): give scheme, host and path only"
            )
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise ConfigurationError(f"base URL {shown!r} is not a valid URL: {exc}") from None
    if parsed.scheme not in {"http", "https"} or not parsed.host:
        raise ConfigurationError(f"base URL {shown!r} must be an http(s) URL with a host")
    _check_port(parsed, f"base URL {shown!r}")
    if parsed.scheme == "http" and not allow_insecure_http and not is_loopback(parsed.host):
        # The key would travel in clear text to another machine.
        raise ConfigurationError(
            f"refusing plain http to {parsed.host}: use https, or pass allow_insecure_http=True (CLI: --allow-insecure-http)"
        )


def check_proxy_url(proxy: Any, source: str) -> None:
    """A proxy URL httpx can use: `scheme://[user:password@]host[:port]`; `source` names where it came from."""
    _expect_type(source, proxy, str, "a URL string")
    if not is_text(proxy):
        raise ConfigurationError(f"{source} is not UTF-8 text: check how it was read")
    shown = redact_url(proxy)
    try:
        parsed = httpx.URL(proxy)
    except httpx.InvalidURL:
        raise ConfigurationError(f"{source} {shown} is not a valid URL") from None
    if parsed.scheme not in PROXY_SCHEMES or not parsed.host:
        raise ConfigurationError(f"{source} {shown} must be a {'/'.join(PROXY_SCHEMES)} URL with a host")
    _check_port(parsed, f"{source} {shown}")
    if parsed.scheme.startswith("socks") and importlib.util.find_spec("socksio") is None:
        raise ConfigurationError(
            f"{source} {shown} is a SOCKS proxy: install httpx's socks extra (pip install 'httpx[socks]')"
        )


def _check_port(parsed: httpx.URL, what: str) -> None:
    """httpx parses any integer as a port; one outside 1-65535 would fail later as a network error
    (an errno, exit 3) rather than as the configuration mistake it is."""
    if parsed.port is not None and not 1 <= parsed.port <= 65535:
        raise ConfigurationError(f"{what} has port {parsed.port}: a port is 1 to 65535")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
