"""A server that echoes the key back must not put it into our errors (message, body, value)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from notte_ext import NotteClient, NotteError, RequestValidationError, RetryPolicy, SchemaMismatchError

KEY = "sk-redaction-test-4e1d"
RUN = {
    "function_id": "fn",
    "function_run_id": "run",
    "created_at": "2026-01-01T00:00:00Z",
    "updated_at": "2026-01-01T00:00:00Z",
    "workflow_id": "fn",
    "workflow_run_id": "run",
}


def _call(status: int, body: Any) -> NotteError:
    transport = httpx.MockTransport(lambda request: httpx.Response(status, json=body))
    with (
        NotteClient(KEY, retry=RetryPolicy(max_retries=0), transport=transport) as client,
        pytest.raises(NotteError) as caught,
    ):
        client.functions.list_runs_page("fn")
    return caught.value


def test_an_echoed_key_is_scrubbed_from_status_errors_and_their_body() -> None:
    error = _call(422, {"detail": [{"loc": ["header", KEY], "msg": f"bad token {KEY}", "type": "x", "input": KEY}]})
    assert isinstance(error, RequestValidationError)
    assert KEY not in f"{error} {error.body!r} {error.errors!r}"
    assert error.body["detail"][0]["input"] == "***"
    assert error.errors[0].msg == "bad token ***"


@pytest.mark.parametrize(
    "body",
    [
        {"items": [{**RUN, "status": KEY}], "page": 1, "page_size": 1, "has_next": False, "has_previous": False},
        {"items": [{**RUN, "status": "closed"}], "page": KEY, "page_size": 1, "has_next": False, "has_previous": False},
    ],
)
def test_an_echoed_key_is_scrubbed_from_schema_mismatches(body: Any) -> None:
    error = _call(200, body)
    assert isinstance(error, SchemaMismatchError)
    assert KEY not in f"{error} {error.value!r}"
    assert "***" in f"{error} {error.value!r}"


@pytest.mark.parametrize("offset", [0, 60, 70, 78, 150, 190, 199, 250])
def test_no_part_of_an_echoed_key_survives_an_excerpt_cut(offset: int) -> None:
    """Redacted before the excerpt is cut: a key cut in two would no longer match, and its first half
    would show (a 200 HTML page quoting the key at character 70 once left 'sk-redac' in the message)."""
    for status, content_type in [(200, "text/html"), (500, "text/plain"), (503, "text/html")]:
        body = ("x" * offset + KEY + " trailing text").encode()
        transport = httpx.MockTransport(
            lambda request, body=body, status=status, content_type=content_type: httpx.Response(
                status, content=body, headers={"Content-Type": content_type}
            )
        )
        with (
            NotteClient(KEY, retry=RetryPolicy(max_retries=0), transport=transport) as client,
            pytest.raises(NotteError) as caught,
        ):
            client.functions.list_runs_page("fn")
        shown = f"{caught.value} {caught.value!r} {vars(caught.value)!r}"
        assert KEY[:6] not in shown, (status, shown)


@pytest.mark.parametrize(
    ("status", "headers", "content"),
    [
        (401, {"x-request-id": f"req-{KEY}"}, b'{"detail": "Invalid API key"}'),
        (503, {"x-request-id": f"req-{KEY}", "Retry-After": "7200"}, b"{}"),
        (200, {"Content-Type": f"text/html; charset=utf-8; echo={KEY}"}, b"<html>login</html>"),
        (200, {"Content-Type": f"application/json; echo={KEY}"}, b"{not json"),
    ],
)
def test_a_key_echoed_in_a_response_header_is_scrubbed(status: int, headers: dict[str, str], content: bytes) -> None:
    """Headers reach errors too (the request id, the content type): a server or proxy may echo the key
    in any of them, as in its body."""
    transport = httpx.MockTransport(lambda request: httpx.Response(status, content=content, headers=headers))
    with (
        NotteClient(KEY, retry=RetryPolicy(max_retries=0), transport=transport) as client,
        pytest.raises(NotteError) as caught,
    ):
        client.functions.list_runs_page("fn")
    shown = f"{caught.value} {caught.value!r} {vars(caught.value)!r}"
    assert KEY not in shown
    assert "***" in shown


def test_a_long_server_detail_gives_way_to_the_advice_and_the_request_id() -> None:
    """Every message is cut at one length: what the server said is cut first, so "retry after" (and why
    nothing was retried) and the request id to quote to support always show."""
    transport = httpx.MockTransport(
        lambda request: httpx.Response(
            429, json={"detail": "slow down " * 40}, headers={"Retry-After": "3600", "x-request-id": "req-42"}
        )
    )
    with (
        NotteClient(KEY, retry=RetryPolicy(max_retries=3), transport=transport) as client,
        pytest.raises(NotteError) as caught,
    ):
        client.functions.list_runs_page("f" * 60)
    message = str(caught.value)
    assert message.startswith(f"GET /functions/{'f' * 60}/runs failed: HTTP 429 Too Many Requests: slow down")
    assert message.endswith("exceeds the 30 s retry cap: not retried; retry after 1 h (request id req-42)")
