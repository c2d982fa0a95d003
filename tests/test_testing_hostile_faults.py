"""The hostile-server fault kinds, as a raw httpx client observes them (no notte_ext client involved)."""

from __future__ import annotations

import time
import zlib

import httpx
import pytest

from notte_ext.testing import (
    CompressedOversizedBody,
    HugeRetryAfter,
    NotteTestServer,
    OversizedBody,
    ProxyPage,
    TrickledBody,
    validate_response,
)
from tests.conftest import FUNCTION_ID

RUNS = f"/functions/{FUNCTION_ID}/runs"
MiB = 1024 * 1024


def test_a_trickled_body_arrives_whole_and_slowly(server: NotteTestServer, http: httpx.Client) -> None:
    server.faults.add(TrickledBody(interval=0.05, chunk_bytes=100))
    started = time.monotonic()
    with http.stream("GET", RUNS, params={"page_size": 3}) as response:
        pieces = list(response.iter_raw())
    body = b"".join(pieces)
    assert len(pieces) >= 3
    assert response.headers["content-length"] == str(len(body))
    assert time.monotonic() - started >= 0.05 * (len(body) // 100)
    validate_response(httpx.Response(200, content=body).json(), 200)  # the page itself is valid


@pytest.mark.parametrize("announce_length", [False, True])
def test_an_oversized_body_has_the_size_asked_for(
    server: NotteTestServer, http: httpx.Client, announce_length: bool
) -> None:
    server.faults.add(OversizedBody(size=3 * MiB + 5, announce_length=announce_length))
    response = http.get(RUNS)
    assert len(response.content) == 3 * MiB + 5
    assert response.json()["items"] == []
    assert ("content-length" in response.headers) is announce_length
    assert (response.headers.get("transfer-encoding") == "chunked") is not announce_length


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_a_compressed_oversized_body_inflates_a_thousandfold(
    server: NotteTestServer, http: httpx.Client, encoding: str
) -> None:
    server.faults.add(CompressedOversizedBody(size=8 * MiB, encoding=encoding))
    with http.stream("GET", RUNS) as response:
        wire = b"".join(response.iter_raw())  # iter_raw: as sent, not decoded
    assert response.headers["content-encoding"] == encoding
    assert len(wire) < 8 * MiB / 500
    inflated = zlib.decompress(wire, zlib.MAX_WBITS | (16 if encoding == "gzip" else 0))
    assert len(inflated) == 8 * MiB


def test_a_compressed_oversized_body_knows_only_gzip_and_deflate() -> None:
    with pytest.raises(ValueError, match="'gzip' or 'deflate'"):
        CompressedOversizedBody(encoding="br")


def test_a_huge_retry_after(server: NotteTestServer, http: httpx.Client) -> None:
    server.faults.add(HugeRetryAfter())
    response = http.get(RUNS)
    assert (response.status_code, response.headers["retry-after"]) == (429, "3600")


def test_a_proxy_page_is_html_with_200(server: NotteTestServer, http: httpx.Client) -> None:
    server.faults.add(ProxyPage())
    response = http.get(RUNS)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.text.startswith("<!DOCTYPE html>")
