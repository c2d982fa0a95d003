"""The URL redaction rule (notte_ext._messages), by property, and wherever a URL can reach a person:
`spec drift` and `spec diff` in every format and their fetch errors (401 and 500 replies and a 200
echoing the request's credentials back included), logs, and the CLI's error lines.

Userinfo becomes `***@`; values of query parameters whose names look like secrets become `***`.
"""

from __future__ import annotations

import base64
import contextlib
import logging
import socket
import string
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notte_ext._messages import SECRET_NAME_PARTS, is_secret_name, redact_url, redact_url_text, redact_urls
from notte_ext.cli import main
from notte_ext.drift import Change, Severity, SpecError, read_document
from notte_ext.drift.report import FORMATS, render
from tests.upstream_server import Answer, UpstreamServer, serve_upstream

ROOT = Path(__file__).parent.parent
SEED = (ROOT / "codegen/upstream/list-function-runs-by-function-id.md").read_text(encoding="utf-8")
SPEC = str(ROOT / "openapi.json")

# Secrets start with a marker nothing else in the output contains, so `not in` means what it says.
# Any printable character: they go into URLs percent-encoded, as a URL must carry them.
secret_text = st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=4, max_size=16).map(
    lambda tail: f"Zq{tail}"
)
secret_names = st.tuples(
    st.sampled_from(["", "x_", "X-Amz-", "access_", "my"]),
    st.sampled_from([*SECRET_NAME_PARTS, "Signature", "TOKEN", "apiKey", "password"]),
    st.sampled_from(["", "_id", "s", "Value"]),
).map("".join)
plain_names = st.sampled_from(["page", "format", "v", "lang", "spec", "x-id"])
plain_values = st.text(alphabet=string.ascii_letters + string.digits, min_size=1, max_size=8)


@st.composite
def urls_with_secrets(draw: st.DrawFn) -> tuple[str, list[str], list[str]]:
    """(url, the secrets it carries, the innocuous pieces that must stay readable)."""
    secrets: list[str] = []
    userinfo = ""
    if draw(st.booleans()):
        user = draw(secret_text)
        secrets.append(user)
        userinfo = quote(user, safe="")
        if draw(st.booleans()):
            password = draw(secret_text)
            secrets.append(password)
            userinfo += ":" + quote(password, safe="")
        userinfo += "@"
    host = draw(st.sampled_from(["127.0.0.1:8000", "api.example.com", "[::1]:9"]))
    kept = [host, "/specs/openapi.json"]
    parameters = []
    for _ in range(draw(st.integers(0, 3))):
        if draw(st.booleans()):
            name, value = draw(secret_names), draw(secret_text)
            secrets.append(value)
            parameters.append(f"{name}={quote(value, safe='')}")
        else:
            pair = f"{draw(plain_names)}={draw(plain_values)}"
            kept.append(pair)
            parameters.append(pair)
    query = ("?" + "&".join(parameters)) if parameters else ""
    fragment = ""
    if draw(st.booleans()):
        token = draw(secret_text)
        secrets.append(token)
        fragment = f"#access_token={quote(token, safe='')}&state=1"
        kept.append("state=1")
    return (
        f"{draw(st.sampled_from(['http', 'https']))}://{userinfo}{host}/specs/openapi.json{query}{fragment}",
        secrets,
        kept,
    )


def _forms(secret: str) -> list[str]:
    return [secret, quote(secret, safe="")]


def assert_no_secret(text: str, secrets: list[str]) -> None:
    for secret in secrets:
        for form in _forms(secret):
            assert form not in text, f"{form!r} shows in {text!r}"


# -- the rule --------------------------------------------------------------------------------------------


@given(urls_with_secrets())
def test_redact_url_hides_every_secret_and_keeps_the_rest(case: tuple[str, list[str], list[str]]) -> None:
    url, secrets, kept = case
    shown = redact_url(url)
    assert_no_secret(shown, secrets)
    for piece in kept:
        assert piece in shown
    assert ("***@" in shown) == ("@" in url)
    assert redact_url(shown) == shown


@given(urls_with_secrets(), st.sampled_from(["cannot fetch {}: refused", "for url '{}'", "({})", '"{}"', "<{}>."]))
def test_redact_urls_finds_urls_in_free_text(case: tuple[str, list[str], list[str]], frame: str) -> None:
    url, secrets, _ = case
    text = frame.format(url)
    shown = redact_urls(text)
    assert_no_secret(shown, secrets)
    assert shown == frame.format(redact_url(url))


def test_redact_urls_is_linear_in_long_words() -> None:
    """A URL is looked for where a word starts, not at each of its letters: a 200 KB word (an enum value
    in a report, a server's error body) took 75 s when every letter started a scan to the word's end.
    2 MB: hours if quadratic, milliseconds if linear; the subprocess's timeout is the bound."""
    code = "from notte_ext._messages import redact_urls as r; w = 'a' * 2_000_000; assert r(w + ' http://u:pw@h') == w + ' http://***@h'"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=30)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://user:pw@h/x", "https://***@h/x"),
        ("https://tok@github.com/o/r", "https://***@github.com/o/r"),
        ("https://s3/o.json?X-Amz-Date=1&X-Amz-Signature=abc", "https://s3/o.json?X-Amz-Date=1&X-Amz-Signature=***"),
        ("https://h/?access_token=a&apiKey=b&page=2", "https://h/?access_token=***&apiKey=***&page=2"),
        ("https://h/cb#access_token=a&state=s", "https://h/cb#access_token=***&state=s"),
        ("http://user:pa/ss@host/x", "http://***@host/x"),  # not a valid URL, still a password
        ("http://evil.example\\@127.0.0.1", "http://***@127.0.0.1"),
        ("https://h/o.json?token=", "https://h/o.json?token="),
        ("openapi.json", "openapi.json"),
    ],
)
def test_redact_url_examples(url: str, shown: str) -> None:
    assert redact_url(url) == shown


def test_secret_names_match_as_case_insensitive_substrings() -> None:
    for name in ["access_token", "X-Amz-Signature", "apiKey", "PASSWORD", "client_secret", "sig", "Authorization"]:
        assert is_secret_name(name), name
    for name in ["page", "page_size", "format", "only_active", "v"]:
        assert not is_secret_name(name), name


def test_echoed_credentials_are_removed_from_text_about_a_url() -> None:
    url = "https://alice:pa%20ss-word@h/o.json?token=tok-12345"
    basic = base64.b64encode(b"alice:pa ss-word").decode()
    echo = f"unsupported version '/o.json?token=tok-12345' for Basic {basic}, user alice, pa ss-word"
    assert redact_url_text(echo, url) == "unsupported version '/o.json?token=***' for Basic ***, user ***, ***"


# -- drift reports in every format ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_reports_redact_urls_in_titles_messages_and_hints(fmt: str) -> None:
    url = "https://bob:hunter22@h/o.json?sig=s1gnature"
    change = Change("endpoint-added", Severity.INFO, "GET /x", "/paths/~1x", f"server {url} added", hint=f"see {url}.")
    report = render([change], fmt, f"Spec drift: openapi.json vs {url}")
    assert_no_secret(report, ["bob", "hunter22", "s1gnature"])
    assert "https://***@h/o.json?sig=***" in report


# -- spec drift / spec diff, end to end -------------------------------------------------------------------

ANSWERS = {
    "a spec": Answer(body=SEED, content_type="text/markdown"),
    "401 echoing the request": Answer(401, '{"detail": "bad credentials {authorization} for {target}"}'),
    "500 echoing the request": Answer(500, "<h1>error at {target} ({authorization})</h1>", "text/html"),
    "200 echoing the request": Answer(200, 'openapi: "{target} {authorization}"', "text/yaml"),
    "404": Answer(404, "not found"),
}


@pytest.fixture(scope="module")
def upstreams() -> Iterator[dict[str, UpstreamServer]]:
    servers: dict[str, UpstreamServer] = {}
    with contextlib.ExitStack() as stack:
        for name, answer in ANSWERS.items():
            servers[name] = stack.enter_context(serve_upstream(answer))
        yield servers


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@st.composite
def credentials(draw: st.DrawFn) -> tuple[str, str, str, str]:
    """(user, password, a secret-named parameter, its value)."""
    return draw(secret_text), draw(secret_text), draw(secret_names), draw(secret_text)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    credentials(),
    st.sampled_from([*ANSWERS, "unreachable", "not a valid URL"]),
    st.sampled_from(["drift", "diff base", "diff revision"]),
    st.sampled_from(FORMATS),
)
def test_spec_commands_never_show_a_credential_passed_in_a_url(
    upstreams: dict[str, UpstreamServer],
    secrets: tuple[str, str, str, str],
    scenario: str,
    command: str,
    fmt: str,
) -> None:
    user, password, name, value = secrets
    if scenario == "unreachable":
        authority = f"127.0.0.1:{_closed_port()}"
    elif scenario == "not a valid URL":
        authority = "127.0.0.1:notaport"
    else:
        authority = upstreams[scenario].url.removeprefix("http://")
    userinfo = f"{quote(user, safe='')}:{quote(password, safe='')}"
    url = f"http://{userinfo}@{authority}/openapi.md?{name}={quote(value, safe='')}&v=1"
    args = {
        "drift": ["drift", "--upstream", url, "--spec", SPEC, "--timeout", "5"],
        "diff base": ["diff", url, SPEC],
        "diff revision": ["diff", SPEC, url],
    }[command]
    result = CliRunner().invoke(main, ["spec", *args, "--format", fmt])
    output = result.stdout + result.stderr
    basic = base64.b64encode(f"{user}:{password}".encode()).decode()
    assert_no_secret(output, [user, password, value, basic])
    if scenario == "a spec":
        assert result.exit_code in (0, 1), output
        assert "***@" in output or fmt in ("json", "text")  # markdown and github titles name the URL
    else:
        assert result.exit_code == 2, output
        assert result.stdout == ""
        assert len(result.stderr.splitlines()) == 1
        assert "***@127.0.0.1" in result.stderr


def test_fetch_errors_from_the_library_are_redacted(upstreams: dict[str, UpstreamServer]) -> None:
    url = upstreams["500 echoing the request"].url.replace("://", "://annZq7:pw-0123@") + "/o.json?api_key=k-0123"
    with pytest.raises(SpecError) as caught:
        read_document(url)
    assert_no_secret(str(caught.value), ["annZq7", "pw-0123", "k-0123"])
    assert str(caught.value).startswith("cannot fetch http://***@127.0.0.1")


def test_logs_of_a_fetch_hold_no_credential(
    upstreams: dict[str, UpstreamServer], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="")
    url = upstreams["a spec"].url.replace("://", "://annZq7:pw-0123@") + "/o.md?token=k-0123"
    read_document(url)
    assert {"httpx", "httpcore"} <= {record.name.split(".")[0] for record in caplog.records}
    assert "***@127.0.0.1" in caplog.text
    assert_no_secret(caplog.text, ["annZq7", "pw-0123", "k-0123"])
    assert all("pw-0123" not in record.getMessage() for record in caplog.records)


def test_httpx_itself_still_sends_the_credentials(upstreams: dict[str, UpstreamServer]) -> None:
    """Redaction is for people: the request carries what the URL says (Basic auth, the query)."""
    server = upstreams["200 echoing the request"]
    url = server.url.replace("://", "://annZq7:pw-0123@") + "/o.json?token=k-0123"
    with pytest.raises(SpecError):
        read_document(url)
    assert server.targets[-1] == "/o.json?token=k-0123"
    body = httpx.get(url).text
    assert base64.b64encode(b"annZq7:pw-0123").decode() in body


def test_vendoring_from_a_url_with_credentials_commits_none(
    upstreams: dict[str, UpstreamServer], tmp_path: Path
) -> None:
    """openapi.meta.json records where the spec came from, and it is committed to git."""
    url = upstreams["a spec"].url.replace("://", "://annZq7:pw-0123@") + "/openapi.md?X-Amz-Signature=k-0123"
    out = tmp_path / "openapi.json"
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts/vendor_spec.py"), url, "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    meta = out.with_suffix(".meta.json").read_text(encoding="utf-8")
    assert_no_secret(meta + done.stdout + done.stderr, ["annZq7", "pw-0123", "k-0123"])
    assert '"source_url": "http://***@127.0.0.1' in meta
