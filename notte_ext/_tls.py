"""TLS for the clients: httpx's default (verify against certifi's bundle, or SSL_CERT_FILE /
SSL_CERT_DIR), with the bundle parsed once per process, before the first https request.

httpx parses the bundle (~35 ms) whenever it builds a transport, for every client, https or not
(encode/httpx#2298, #3627): every CLI run paid it, plain-http listings of the local test server
included. The context here is configured as httpx's (tests/test_tls.py compares them) but
starts with no certificate authority. It requires a verified certificate from the start, so a
handshake before the bundle is loaded fails; it never passes unverified.
"""

from __future__ import annotations

import functools
import os
import ssl
import sys
import threading

import certifi
import httpx

from notte_ext.errors import ConfigurationError


class Authorities:
    """One verifying context, its CA bundle loaded by the first `load()` (then a no-op)."""

    def __init__(self, cafile: str | None, capath: str | None) -> None:
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # CERT_REQUIRED, hostname checked
        keylog = os.environ.get("SSLKEYLOGFILE")  # as ssl.create_default_context, which httpx uses
        if keylog and not sys.flags.ignore_environment:
            try:  # opened for appending now: a directory that does not exist is a traceback otherwise
                self.context.keylog_filename = keylog
            except OSError as exc:
                raise ConfigurationError(
                    f"SSLKEYLOGFILE {keylog!r:.200} can't be written: {exc.strerror or exc}"
                ) from None
        self._pending: tuple[str | None, str | None] | None = (cafile, capath)
        self._lock = threading.Lock()

    def load(self) -> None:
        if self._pending is None:  # loaded: the common case needs no lock
            return
        with self._lock:
            if self._pending is not None:
                cafile, capath = self._pending
                try:
                    self.context.load_verify_locations(cafile=cafile, capath=capath)
                except OSError as exc:  # ssl.SSLError too: a file that holds no certificate
                    # SSL_CERT_FILE naming a missing file, a directory or garbage: not a traceback from
                    # deep inside the first https request. Not loaded: each request says it again.
                    raise ConfigurationError(
                        f"cannot load the certificate authorities from {cafile or capath} "
                        f"(SSL_CERT_FILE, SSL_CERT_DIR): {exc.strerror or exc}"
                    ) from None
                self._pending = None


def shared_authorities(trust_env: bool = True) -> Authorities:
    """The process's context for the CA setting in the environment (read as httpx reads it: only
    when `trust_env`, else certifi's bundle)."""
    if not trust_env:
        return _authorities(None, None)
    return _authorities(os.environ.get("SSL_CERT_FILE") or None, os.environ.get("SSL_CERT_DIR") or None)


@functools.cache
def _authorities(cert_file: str | None, cert_dir: str | None) -> Authorities:
    if cert_file:
        return Authorities(cert_file, None)
    return Authorities(None, cert_dir) if cert_dir else Authorities(certifi.where(), None)


def _through(proxy: str | None, authorities: Authorities) -> tuple[httpx.Proxy | None, bool]:
    """httpx's Proxy for a proxy URL, verifying an https proxy with the shared context too; and
    whether every request then needs TLS (to that proxy), whatever its own scheme."""
    if proxy is None:
        return None, False
    if httpx.URL(proxy).scheme != "https":
        return httpx.Proxy(proxy), False
    return httpx.Proxy(proxy, ssl_context=authorities.context), True


class HTTPTransport(httpx.HTTPTransport):
    """httpx's transport over the shared context, which it loads before its first https request;
    through `proxy` if given (https then goes through a CONNECT tunnel, verified end to end)."""

    def __init__(self, *, proxy: str | None = None, trust_env: bool = True) -> None:
        self._authorities = shared_authorities(trust_env)
        through, self._always_tls = _through(proxy, self._authorities)
        super().__init__(verify=self._authorities.context, proxy=through)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self._always_tls or request.url.scheme == "https":
            self._authorities.load()
        return super().handle_request(request)


class AsyncHTTPTransport(httpx.AsyncHTTPTransport):
    """The async twin: the one load blocks the event loop once per process (httpx's own
    transport does the same parse at every construction)."""

    def __init__(self, *, proxy: str | None = None, trust_env: bool = True) -> None:
        self._authorities = shared_authorities(trust_env)
        through, self._always_tls = _through(proxy, self._authorities)
        super().__init__(verify=self._authorities.context, proxy=through)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self._always_tls or request.url.scheme == "https":
            self._authorities.load()
        return await super().handle_async_request(request)
