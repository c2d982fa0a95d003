"""The size counter behind max_response_bytes: decoded sizes as httpx would decode, in bounded steps."""

from __future__ import annotations

import gzip
import random
import zlib
from collections.abc import Callable

import httpx
import pytest

from notte_ext._limits import _DecodedSize, default_max_response_bytes, describe_bytes
from tests.conftest import FUNCTION_ID

BODY = random.Random(0).randbytes(50_000) + b"A" * 3_000_000  # noqa: S311 - test data: incompressible head, long run

ENCODERS: dict[str, Callable[[bytes], bytes]] = {
    "": lambda data: data,
    "gzip": gzip.compress,
    "x-gzip": gzip.compress,
    "deflate": zlib.compress,  # with the zlib header (RFC 9110)
    "Deflate ": lambda data: zlib.compress(data)[2:-4],  # raw deflate, as some servers send it; case and spaces
    "gzip, deflate": lambda data: zlib.compress(gzip.compress(data)),  # applied in order
}


def _count(encoding: str, wire: bytes, budget: int, chunk: int = 65_536) -> tuple[bool, int]:
    size = _DecodedSize(encoding)
    within = all(size.add(wire[start : start + chunk], budget) for start in range(0, len(wire), chunk))
    return within, size.total


@pytest.mark.parametrize("encoding", ENCODERS)
def test_the_count_is_the_decoded_size(encoding: str) -> None:
    assert _count(encoding, ENCODERS[encoding](BODY), budget=10**9) == (True, len(BODY))


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_a_bomb_is_counted_only_up_to_one_step_past_the_budget(encoding: str) -> None:
    wire = ENCODERS[encoding](b"\0" * 50_000_000)
    within, total = _count(encoding, wire, budget=1_000_000, chunk=len(wire))  # one chunk inflating to 50 MB
    assert not within
    assert 1_000_000 < total <= 1_000_000 + 64 * 1024


def test_undecodable_codings_count_as_sent() -> None:
    """br/zstd are never asked for (Accept-Encoding: gzip, deflate); httpx without their libraries hands them on raw."""
    assert _count("br", b"\x1b\x00" * 10, budget=10**9) == (True, 20)


def test_the_default_limit_is_far_above_a_full_page(http: httpx.Client) -> None:
    full_page = http.get(f"/functions/{FUNCTION_ID}/runs", params={"page_size": 100, "only_active": "false"})
    assert len(full_page.json()["items"]) == 100
    assert default_max_response_bytes() > 100 * len(full_page.content)
    assert describe_bytes(default_max_response_bytes()) == "25 MiB"  # 256 KiB x the spec's page_size maximum
