"""Client configuration: explicit arguments win over NOTTE_API_KEY / NOTTE_API_URL, then defaults."""

from __future__ import annotations

import ipaddress
import os
import platform
from collections.abc import Mapping

import httpx
from attrs import define, field

from notte_ext._defaults import API_KEY_ENV, BASE_URL_ENV, DEFAULT_BASE_URL, DEFAULT_TIMEOUT
from notte_ext._version import __version__ as PACKAGE_VERSION
from notte_ext.errors import ConfigurationError

USER_AGENT = f"notte-ext/{PACKAGE_VERSION} (python {platform.python_version()}; httpx {httpx.__version__})"


@define(frozen=True)
class Settings:
    """What a client needs to talk to the API, resolved and checked once."""

    api_key: str = field(repr=False)
    base_url: str
    timeout: float
    headers: Mapping[str, str]

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
    environ: Mapping[str, str] = os.environ,
) -> Settings:
    key = api_key if api_key is not None else environ.get(API_KEY_ENV, "")
    if not key.strip():
        raise ConfigurationError(f"no API key: pass api_key=... (CLI: --api-key) or set {API_KEY_ENV}")
    if any(char in key for char in "\r\n"):
        raise ConfigurationError("the API key contains a line break; check how it was read")
    url = (base_url if base_url is not None else environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL).rstrip("/")
    _check_base_url(url, allow_insecure_http=allow_insecure_http)
    if timeout is not None and timeout <= 0:
        raise ConfigurationError(f"timeout must be positive seconds, got {timeout!r}")
    extra = dict(headers or {})
    if any(name.lower() == "authorization" for name in extra):
        raise ConfigurationError("pass the key as api_key=..., not as an Authorization header")
    return Settings(api_key=key, base_url=url, timeout=timeout or DEFAULT_TIMEOUT, headers=extra)


def _check_base_url(url: str, *, allow_insecure_http: bool) -> None:
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise ConfigurationError(f"base URL {url!r} is not a valid URL: {exc}") from None
    if parsed.scheme not in {"http", "https"} or not parsed.host:
        raise ConfigurationError(f"base URL {url!r} must be an http(s) URL with a host")
    if parsed.scheme == "http" and not allow_insecure_http and not is_loopback(parsed.host):
        # The key would travel in clear text to another machine.
        raise ConfigurationError(
            f"refusing plain http to {parsed.host}: use https, or pass allow_insecure_http=True (CLI: --allow-insecure-http)"
        )


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
