"""Configuration and argument checks: everything that must fail before any request is sent."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from notte_ext import ConfigurationError, InvalidArgumentError, NotteClient, RunStatus
from notte_ext._settings import resolve_settings
from notte_ext._timestamps import aware_utc
from notte_ext.functions import run_query
from tests.revision import PAGE_SIZE_SCHEMA, spec_run_statuses

KEY = "sk-test-settings-0123456789"


def _resolve(api_key: str | None = KEY, base_url: str | None = None, **env: str) -> tuple[str, str]:
    settings = resolve_settings(api_key, base_url, timeout=None, headers=None, allow_insecure_http=False, environ=env)
    return settings.api_key, settings.base_url


def test_explicit_arguments_win_over_environment() -> None:
    assert _resolve(KEY, "https://a.example", NOTTE_API_KEY="env", NOTTE_API_URL="https://b.example") == (
        KEY,
        "https://a.example",
    )
    assert _resolve(None, None, NOTTE_API_KEY="env", NOTTE_API_URL="https://b.example/") == (
        "env",
        "https://b.example",
    )
    assert _resolve(KEY) == (KEY, "https://api.notte.cc")


@pytest.mark.parametrize("api_key", [None, "", "   "])
def test_missing_key_is_a_clear_error_at_construction(api_key: str | None) -> None:
    with pytest.raises(
        ConfigurationError, match=re.escape("no API key: pass api_key=... (CLI: --api-key) or set NOTTE_API_KEY")
    ):
        _resolve(api_key)


@pytest.mark.parametrize(
    ("base_url", "allowed"),
    [
        ("http://127.0.0.1:8000", True),
        ("http://localhost:1", True),
        ("http://[::1]:8080", True),
        ("http://api.notte.cc", False),
        ("http://10.0.0.5", False),
        ("ftp://api.notte.cc", False),
        ("not a url", False),
    ],
)
def test_plain_http_only_to_loopback(base_url: str, allowed: bool) -> None:
    if allowed:
        assert _resolve(KEY, base_url)[1] == base_url
    else:
        with pytest.raises(ConfigurationError) as caught:
            _resolve(KEY, base_url)
        assert KEY not in str(caught.value)
        assert "\n" not in str(caught.value)


def test_insecure_http_can_be_allowed_explicitly() -> None:
    client = NotteClient(KEY, base_url="http://api.internal", allow_insecure_http=True)
    assert client.base_url == "http://api.internal"
    client.close()


def test_client_repr_and_headers() -> None:
    with NotteClient(KEY, base_url="https://api.example", headers={"X-Trace": "1"}) as client:
        assert KEY not in repr(client)
        assert KEY not in repr(client.api)
        headers = client.api.get_httpx_client().headers
        assert headers["user-agent"].startswith("notte-ext/")
        assert headers["x-notte-sdk-version"].startswith("notte-ext/")
        assert headers["x-trace"] == "1"


def test_the_settings_repr_names_extra_headers_but_shows_none_of_their_values() -> None:
    """A header of one's own may carry a credential (a gateway's x-api-key); a traceback with locals or a
    debugger shows the resolved settings."""
    settings = resolve_settings(
        KEY, None, timeout=None, headers={"X-Gateway-Key": "gw-secret-1"}, allow_insecure_http=False, environ={}
    )
    assert "X-Gateway-Key" in repr(settings)
    assert "gw-secret-1" not in repr(settings)
    assert KEY not in repr(settings)


def test_authorization_header_cannot_be_smuggled_in_headers() -> None:
    with pytest.raises(ConfigurationError, match="api_key"):
        NotteClient(KEY, headers={"authorization": "Bearer other"})


@pytest.mark.parametrize("function_id", ["", " ", ".", "..", None, 5])
def test_unusable_function_ids_are_rejected_before_any_request(function_id: object) -> None:
    with pytest.raises(InvalidArgumentError, match="function_id"):
        run_query(function_id)  # type: ignore[arg-type]


LOWEST, HIGHEST = PAGE_SIZE_SCHEMA["minimum"], PAGE_SIZE_SCHEMA["maximum"]


@pytest.mark.parametrize("page_size", [LOWEST - 1, HIGHEST + 1, -1, True, 2.5])
def test_page_size_outside_the_spec_bounds_is_rejected(page_size: object) -> None:
    with pytest.raises(InvalidArgumentError, match=f"page_size must be an integer from {LOWEST} to {HIGHEST}"):
        run_query("fn", page_size=page_size)  # type: ignore[arg-type]


def test_query_maps_running_only_to_only_active_and_always_sends_it() -> None:
    assert run_query("fn").request(1) == {
        "function_id": "fn",
        "page": 1,
        "page_size": 100,
        "only_active": False,
    }  # the other query parameters: the generated call's (spec) defaults
    assert run_query("fn", running_only=True, page_size=5).request(3)["only_active"] is True


def test_status_and_date_filters_are_validated_and_normalized() -> None:
    query = run_query("fn", status=["failed", "closed"], created_after="2024-05-01", created_before="2024-05-02T12:00")
    assert query.status == frozenset({RunStatus.FAILED, RunStatus.CLOSED})
    assert query.created_after == dt.datetime(2024, 5, 1, tzinfo=dt.UTC)
    assert query.created_before == dt.datetime(2024, 5, 2, 12, tzinfo=dt.UTC)
    with pytest.raises(InvalidArgumentError, match="unknown run status") as caught:
        run_query("fn", status="no-such-status")
    assert set(str(caught.value).split("; valid: ")[1].split(", ")) == spec_run_statuses()
    with pytest.raises(InvalidArgumentError, match="created_after must be"):
        run_query("fn", created_after="yesterday-ish")


def test_aware_utc() -> None:
    naive = dt.datetime(2024, 1, 1, 12)
    assert aware_utc(naive) == dt.datetime(2024, 1, 1, 12, tzinfo=dt.UTC)
    paris = dt.datetime(2024, 1, 1, 13, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert aware_utc(paris) == dt.datetime(2024, 1, 1, 12, tzinfo=dt.UTC)
    assert aware_utc(paris).tzinfo is dt.UTC
