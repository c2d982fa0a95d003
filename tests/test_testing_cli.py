"""``python -m notte_ext.testing`` and ``notte-ext serve`` start the same sample server."""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest

from notte_ext.testing import NotteTestServer

COMMANDS = {
    "python -m notte_ext.testing": [sys.executable, "-m", "notte_ext.testing"],
    "notte-ext serve": [sys.executable, "-c", "from notte_ext.cli import main; main()", "serve"],
}


@pytest.mark.parametrize("name", COMMANDS)
def test_the_command_serves_sample_runs_until_stopped(name: str) -> None:
    command = [*COMMANDS[name], "--port", "0", "--api-key", "sk-cli-test", "--runs", "12"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
        try:
            assert process.stdout is not None
            url = process.stdout.readline().split(" on ")[-1].strip()
            assert process.stdout.readline().strip() == "API key: sk-cli-test"
            assert url.startswith("http://127.0.0.1:")
            response = httpx.get(
                f"{url}/functions/fn-sample/runs",
                params={"only_active": "false", "page_size": 100},
                headers={"Authorization": "Bearer sk-cli-test"},
            )
            assert response.status_code == 200
            assert len(response.json()["items"]) == 12
        finally:
            process.terminate()
            process.wait(timeout=10)


@pytest.mark.parametrize("name", COMMANDS)
@pytest.mark.parametrize("order", ["newest-first", "oldest-first", "shuffled", "misplaced"])
def test_the_command_serves_runs_in_the_order_asked(name: str, order: str) -> None:
    command = [*COMMANDS[name], "--port", "0", "--api-key", "sk-cli-test", "--runs", "30", "--order", order]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
        try:
            assert process.stdout is not None
            url = process.stdout.readline().split(" on ")[-1].strip()
            process.stdout.readline()
            response = httpx.get(
                f"{url}/functions/fn-sample/runs",
                params={"only_active": "false", "page_size": 100},
                headers={"Authorization": "Bearer sk-cli-test"},
            )
            created = [run["created_at"] for run in response.json()["items"]]  # same format: text sorts
        finally:
            process.terminate()
            process.wait(timeout=10)
    assert len(created) == 30
    newest_first = sorted(created, reverse=True)
    moved = sum(a != b for a, b in zip(created, newest_first, strict=True))
    expected = {"newest-first": created == newest_first, "oldest-first": created == newest_first[::-1]}
    assert expected.get(order, moved > 1)  # shuffled and misplaced: not newest first


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "70000"], "argument --port: '70000' is not from 0 to 65535"),
        (["--runs", "100000000"], "argument --runs: '100000000' is not from 0 to 50000"),
        (["--latency", "nan"], "argument --latency: 'nan' is not from 0 to 600"),
    ],
)
def test_bad_values_are_one_usage_error(args: list[str], message: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "notte_ext.testing", *args], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == f"python -m notte_ext.testing: error: {message}"
    assert "Traceback" not in result.stderr


def test_a_busy_port_is_named(notte_server: NotteTestServer) -> None:
    port = notte_server.url.rsplit(":", 1)[1]
    result = subprocess.run(
        [sys.executable, "-m", "notte_ext.testing", "--port", port], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert f"port {port} on 127.0.0.1 is in use" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("name", COMMANDS)
@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("", "the API key is empty"),
        ("   ", "the API key is empty"),
        ("sk-a\nb", "the API key has a line break at position 4"),
        ("sk-é", "the API key has U+00E9 at position 3"),
        (" sk-x", "the API key has spaces around it"),
    ],
)
def test_a_key_no_request_could_present_is_a_usage_error(name: str, key: str, message: str) -> None:
    """`serve --api-key "$UNSET"` served a key nobody can send: every request a 401 'Invalid API key'."""
    result = subprocess.run([*COMMANDS[name], "--api-key", key], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2, result.stdout
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("key", ["", "sk-é", "sk-\n"])
def test_the_test_server_refuses_such_a_key_too(key: str) -> None:
    with pytest.raises(ValueError, match="the API key"):
        NotteTestServer(key)
    with pytest.raises(ValueError, match="the API key"):
        NotteTestServer().add_api_key(key)
