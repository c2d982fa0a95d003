"""resolve_settings refuses what can't make a safe request, before any request, in one line that holds
no secret: base URLs with credentials, a query or a fragment; keys that are not printable ASCII; keys,
URLs, timeouts and headers of the wrong type or out of bounds. The CLI exits 2 and sends nothing."""

from __future__ import annotations

import math
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from notte_ext import AsyncNotteClient, ConfigurationError, NotteClient
from notte_ext._defaults import MAX_TIMEOUT
from notte_ext._settings import resolve_settings
from notte_ext.testing import NotteTestServer
from tests.test_url_redaction import assert_no_secret, secret_text

KEY = "sk-settings-check-0123456789"
CLI = Path(sys.executable).with_name("notte-ext")


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network touched: {args!r}")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def _refused(**options: Any) -> list[ConfigurationError]:
    """The error each client raises at construction (both must)."""
    api_key = options.pop("api_key", KEY)
    errors = []
    for client_class in (NotteClient, AsyncNotteClient):
        with pytest.raises(ConfigurationError) as caught:
            client_class(api_key, **options)
        assert "\n" not in str(caught.value)
        errors.append(caught.value)
    return errors


def _texts(error: BaseException) -> str:
    return f"{error} {error!r} {error.args!r} {vars(error)!r} {error.__cause__!r} {error.__context__!r}"


# -- base URLs ------------------------------------------------------------------------------------------


@st.composite
def unsafe_base_urls(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A base URL with credentials, a query or a fragment (one or more), and the secrets in it."""
    secrets: list[str] = []
    user = draw(secret_text)
    password = draw(secret_text)
    token = draw(secret_text)
    parts = draw(st.sets(st.sampled_from(["userinfo", "user only", "query", "fragment"]), min_size=1))
    userinfo = ""
    if "userinfo" in parts:
        userinfo, secrets = f"{quote(user, safe='')}:{quote(password, safe='')}@", [user, password]
    elif "user only" in parts:
        userinfo, secrets = f"{quote(user, safe='')}@", [user]
    url = f"{draw(st.sampled_from(['http', 'https']))}://{userinfo}127.0.0.1:8000/v1"
    if "query" in parts:
        url += f"?{draw(st.sampled_from(['token', 'x', 'page']))}={quote(token, safe='')}"
        secrets.append(token)
    if "fragment" in parts:
        url += f"#{quote(token, safe='')}"
        secrets.append(token)
    return url, secrets


@given(unsafe_base_urls())
def test_base_urls_with_credentials_query_or_fragment_are_refused_unseen(case: tuple[str, list[str]]) -> None:
    url, secrets = case
    for error in _refused(base_url=url):
        assert_no_secret(_texts(error), secrets)
        assert "base URL" in str(error)


def test_refused_base_urls_touch_no_network(no_network: None) -> None:
    for url in ["https://u:pw@api.example", "https://api.example/?token=t", "https://api.example/#f", "https://a/?"]:
        _refused(base_url=url)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://user:pw-7c1d@api.example", "base URL https://***@api.example must not hold credentials"),
        ("https://api.example/v1?token=t-7c1d", "base URL https://api.example/v1 must not have a query string"),
        ("https://api.example/v1#t-7c1d", "base URL https://api.example/v1 must not have a fragment"),
        ("http://user:pa/ss-7c1d@host/x", "base URL http://***@host/x must not hold credentials"),
    ],
)
def test_base_url_messages(url: str, message: str) -> None:
    for error in _refused(base_url=url):
        assert str(error).startswith(message)


def test_a_base_url_from_the_environment_is_checked_the_same_way(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOTTE_API_URL", "https://user:pw-7c1d@api.example")
    for error in _refused():
        assert "pw-7c1d" not in _texts(error)


# -- API keys ---------------------------------------------------------------------------------------------

hex_text = st.text(alphabet="0123456789ABCDEF", min_size=1, max_size=60)
not_printable_ascii = st.characters(codec="utf-8").filter(lambda char: not " " <= char <= "~")


@given(hex_text, not_printable_ascii, hex_text)
def test_a_key_that_is_not_printable_ascii_is_refused_showing_4_characters_at_most(
    head: str, bad: str, tail: str
) -> None:
    key = "sk-" + head + bad + tail  # hex around it: no 5 characters of the key spell a word of the message
    (error, _) = _refused(api_key=key)
    text = _texts(error)
    assert [key[i : i + 5] for i in range(len(key) - 4) if key[i : i + 5] in text] == []
    assert f"position {3 + len(head)}" in str(error)


def test_the_key_message_names_the_character_and_where() -> None:
    (error, _) = _refused(api_key="sk-abcdefghijklmnop\u00e9xyz")
    assert str(error) == (
        "the API key has U+00E9 at position 19, not printable ASCII; the key starts 'sk-a'; "
        "check how it was read or copied"
    )
    (error, _) = _refused(api_key="sk-abc\n")
    assert "a line break at position 6, not printable ASCII; the key starts 's';" in str(error)  # a quarter at most


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"api_key": 123}, "api_key must be a string, got int"),
        ({"api_key": b"sk-bytes-key"}, "api_key must be a string, got bytes"),
        ({"base_url": 123}, "base_url must be a URL string, got int"),
        ({"allow_insecure_http": "yes"}, "allow_insecure_http must be True or False, got str"),
    ],
)
def test_wrong_types_are_configuration_errors(options: dict[str, Any], message: str) -> None:
    for error in _refused(**options):
        assert str(error) == message


# -- timeouts -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "timeout",
    [
        0,
        -1,
        -0.5,
        math.nan,
        math.inf,
        -math.inf,
        1e308,
        MAX_TIMEOUT + 1,
        pytest.param(10**400, id="10**400"),
        True,
        False,
        "10",
        [1],
    ],
)
def test_unusable_timeouts_are_refused_before_any_request(timeout: Any, no_network: None) -> None:
    for error in _refused(timeout=timeout, base_url="https://api.example"):
        assert str(error).startswith("timeout must be")


@pytest.mark.parametrize("timeout", [0.001, 1, 30, 2.5, MAX_TIMEOUT])
def test_usable_timeouts(timeout: float) -> None:
    settings = resolve_settings(KEY, None, timeout=timeout, headers=None, allow_insecure_http=False, environ={})
    assert settings.timeout == timeout
    assert isinstance(settings.timeout, float)


# -- headers ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({"X-Token": "t\u00e9-7c1d"}, "the value of header 'X-Token' must be a printable ASCII string"),
        ({"X-Token": "t-7c1d\r\nX-Injected: 1"}, "the value of header 'X-Token' must be"),
        ({"X-Token": 7}, "the value of header 'X-Token' must be"),
        ({"Bad Name\n": "v"}, "header names must be non-empty printable ASCII strings"),
        ({"AUTHORIZATION": "Bearer t-7c1d"}, "pass the key as api_key=..., not as an Authorization header"),
        ([("X-A", "1")], "headers must be a mapping of names to values, got list"),
    ],
)
def test_unusable_headers(headers: Any, message: str) -> None:
    for error in _refused(headers=headers):
        assert str(error).startswith(message)
        assert "t-7c1d" not in _texts(error)


# -- the CLI: one line, exit 2, nothing sent -----------------------------------------------------------------


@pytest.fixture
def listening() -> Iterator[NotteTestServer]:
    with NotteTestServer(KEY) as server:
        server.add_function("fn-1", runs=3)
        yield server


@pytest.mark.parametrize("command", [["runs", "list", "fn-1"], ["runs", "summary", "fn-1"]])
@pytest.mark.parametrize(
    ("flags", "secret"),
    [
        (["--base-url", "http://user:pw-secret-42@{host}"], "pw-secret-42"),
        (["--base-url", "http://{host}/?token=tok-secret-42"], "tok-secret-42"),
        (["--base-url", "http://{host}/#tok-secret-42"], "tok-secret-42"),
        (["--api-key", "sk-\u00e9-secret-42-abcdef"], "secret-42"),
        (["--api-key", "sk-secret-42\x01abcdefghijkl"], "secret-42"),
        (["--timeout", "nan"], None),
        (["--timeout", "inf"], None),
    ],
)
def test_the_cli_refuses_in_one_line_with_exit_2_and_sends_nothing(
    listening: NotteTestServer, command: list[str], flags: list[str], secret: str | None
) -> None:
    host = listening.url.removeprefix("http://")
    given_flags = [flag.format(host=host) for flag in flags]
    defaults = {"--api-key": KEY, "--base-url": listening.url}
    options = [part for name, value in defaults.items() if name not in given_flags for part in (name, value)]
    done = subprocess.run(
        [CLI, *options, *given_flags, *command],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": ""},
    )
    assert (done.returncode, done.stdout) == (2, ""), done.stderr
    assert len(done.stderr.splitlines()) == 1
    assert done.stderr.startswith("Error: ")
    if secret is not None:
        assert secret not in done.stderr
    assert listening.requests == []


def test_a_proxy_port_outside_1_to_65535_is_a_configuration_error_that_hides_its_password() -> None:
    with pytest.raises(ConfigurationError) as caught:
        NotteClient("sk-test", proxy="http://user:hunter22@127.0.0.1:99999")
    assert str(caught.value) == "proxy http://***@127.0.0.1:99999 has port 99999: a port is 1 to 65535"
