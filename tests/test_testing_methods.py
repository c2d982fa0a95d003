"""Methods the local server does not serve on a path get what FastAPI sends (405, ``Allow``, a JSON
body), never http.server's 501 HTML page; HEAD is GET without the body. The paths and their methods
are read from the vendored document, so a bump that adds or moves an operation keeps this honest."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest

from notte_ext.testing import NotteTestServer
from tests.conftest import FUNCTION_ID

_PATHS: dict[str, list[str]] = {
    path: [method.upper() for method in item]
    for path, item in json.loads(Path("openapi.json").read_text())["paths"].items()
}
# Methods a client may send; QUERY is the new safe method with a body, the rest are RFC 9110's.
_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "QUERY")


def _concrete(template: str) -> str:
    return template.replace("{function_id}", FUNCTION_ID).replace("{run_id}", "run-unknown")


def _same_path(template: str) -> list[str]:
    """The templates a request for ``template`` may match: ``/runs/start`` is also a ``/runs/{run_id}``."""
    return [
        other
        for other in _PATHS
        if re.fullmatch(re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(other)), _concrete(template))
    ]


def _allow(*templates: str) -> str:
    served = {method for template in templates for method in _PATHS[template]}
    return ", ".join(sorted(served | ({"HEAD"} if "GET" in served else set())))


_UNSERVED = [
    (template, method)
    for template in _PATHS
    for method in _METHODS
    if not any(method in _PATHS[other] for other in _same_path(template))
]


@pytest.mark.parametrize(("template", "method"), _UNSERVED, ids=[f"{m} {t}" for t, m in _UNSERVED])
def test_a_method_the_path_does_not_serve_gets_405_with_allow_and_a_json_body(
    http: httpx.Client, template: str, method: str
) -> None:
    response = http.request(method, _concrete(template))
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"detail": "Method Not Allowed"}
    assert response.headers["allow"] == _allow(*_same_path(template))


def test_a_literal_segment_allows_the_methods_of_the_parameter_it_also_matches(http: httpx.Client) -> None:
    start = "/functions/{function_id}/runs/start"
    response = http.put(start.replace("{function_id}", FUNCTION_ID))
    assert response.status_code == 405
    assert response.headers["allow"] == _allow(start, "/functions/{function_id}/runs/{run_id}")


@pytest.mark.parametrize("method", ["TRACE", "OPTIONS", "QUERY", "PROPFIND"])
def test_any_method_on_an_undeclared_path_gets_a_json_404(http: httpx.Client, method: str) -> None:
    response = http.request(method, "/sessions")
    assert (response.status_code, response.json()) == (404, {"detail": "Not Found"})


@pytest.mark.parametrize(
    "target",
    [
        f"/functions/{FUNCTION_ID}/runs?page_size=3",
        "/functions/no-such-fn/runs",
        f"/functions/{FUNCTION_ID}/runs?page=0",
    ],
)
def test_head_answers_as_get_without_the_body(http: httpx.Client, server: NotteTestServer, target: str) -> None:
    get = http.get(target)
    head = http.head(target)
    assert head.status_code == get.status_code
    assert head.content == b""
    assert head.headers["content-length"] == str(len(get.content))
    assert head.headers["content-type"] == get.headers["content-type"]
    # The connection is still usable: the server wrote no body the client would read as the next reply.
    assert http.get(target).content == get.content
    assert [request.method for request in server.requests] == ["GET", "HEAD", "GET"]


def test_head_needs_the_key_as_get_does(server: NotteTestServer) -> None:
    response = httpx.head(f"{server.url}/functions/{FUNCTION_ID}/runs")
    assert (response.status_code, response.content) == (401, b"")
    assert response.headers["www-authenticate"] == "Bearer"


def test_head_on_a_path_without_get_gets_405(http: httpx.Client) -> None:
    response = http.head(f"/functions/{FUNCTION_ID}/fork")
    assert response.status_code == 405
    assert response.headers["allow"] == _allow("/functions/{function_id}/fork")
