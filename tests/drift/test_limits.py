"""Hostile documents end in one line and exit 2, quickly and in bounded memory (issue 23).

Each case runs the real console script in its own process against a real server on 127.0.0.1
(an endless body, a trickling one, a gzip bomb) or a hostile file (``/dev/zero``, a YAML alias
bomb, deep nesting, a huge enum); its peak RSS is that process's own (``os.wait4``). The inputs
live in tests/drift/hostile.py; bench/spec_hostile.py prints the same cases' figures.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from notte_ext.cli import main
from notte_ext.drift import SpecError, limits, load_document, read_document
from notte_ext.drift.limits import MAX_CHANGES, MAX_DEPTH, MAX_ELEMENTS, MAX_SETTABLE_BYTES, MAX_YAML_BYTES, parse_size
from scripts.vendor_spec import main as vendor_main
from tests.drift.hostile import (
    ALIAS_BOMB,
    BOMB,
    CLI,
    MAX_RSS,
    SEED,
    WITHIN_SECONDS,
    Outcome,
    chain,
    diff_files,
    document,
    fifo,
    hostile_server,
    nested,
    notte_ext,
    stalled_pipe,
)


def assert_refused(outcome: Outcome, *words: str) -> None:
    """Exit 2, nothing on stdout, one line on stderr naming ``words``, quickly, in bounded memory."""
    assert outcome.code == 2, outcome
    assert outcome.stdout == ""
    lines = outcome.stderr.splitlines()
    assert len(lines) == 1, outcome.stderr
    assert "Traceback" not in outcome.stderr
    for word in words:
        assert word in lines[0]
    assert outcome.seconds < WITHIN_SECONDS
    assert outcome.peak_rss < MAX_RSS, f"peak RSS {outcome.peak_rss / 2**20:.0f} MiB"


def drift(upstream: str, *options: str, env: dict[str, str] | None = None) -> Outcome:
    return notte_ext("spec", "drift", "--spec", SEED, "--upstream", upstream, *options, env=env)


@pytest.fixture(scope="module")
def hostile() -> Iterator[str]:
    with hostile_server() as url:
        yield url


def test_dev_zero_stops_at_the_byte_limit(tmp_path: Path) -> None:
    assert_refused(drift("/dev/zero"), "/dev/zero", "larger than the 50 MiB limit", "--max-bytes")
    # Without --spec (the packaged one is used), the note naming it comes only with a report.
    outcome = notte_ext("spec", "drift", "--upstream", "/dev/zero", cwd=tmp_path)
    assert_refused(outcome, "/dev/zero", "larger than the 50 MiB limit")


def test_a_fifo_nobody_writes_to_is_refused_at_once(tmp_path: Path) -> None:
    """It hung in open(), which waits for a writer; the reviewer's `mkfifo /tmp/f; spec diff x /tmp/f`."""
    outcome = notte_ext("spec", "diff", SEED, fifo(tmp_path))
    assert_refused(outcome, "spec-fifo.json", "a pipe (FIFO) with no writer")
    assert outcome.seconds < 10  # start-up on a loaded machine; no wait for the --timeout
    assert_refused(drift(fifo(tmp_path)), "spec-fifo.json", "a pipe (FIFO) with no writer")


def test_a_pipe_whose_writer_never_finishes_ends_at_the_deadline(tmp_path: Path) -> None:
    with stalled_pipe(tmp_path) as pipe:
        outcome = notte_ext("spec", "diff", SEED, pipe, "--timeout", "1")
    assert_refused(outcome, "stalled-fifo.json", "not complete within 1 s (--timeout)")
    assert outcome.seconds < 1 + 10


def test_a_pipe_with_a_document_is_read_like_a_file() -> None:
    """`spec diff base <(git show main:openapi.json)` passes /dev/fd/63, a pipe; /dev/stdin may be one too."""
    substituted = subprocess.run(
        ["bash", "-c", '"$0" spec diff "$1" <(cat "$1")', CLI, SEED], capture_output=True, text=True, timeout=60
    )
    assert (substituted.returncode, substituted.stdout.strip()) == (0, "No changes."), substituted.stderr
    piped = subprocess.run(
        [CLI, "spec", "diff", SEED, "/dev/stdin"], input=Path(SEED).read_bytes(), capture_output=True, timeout=60
    )
    assert (piped.returncode, piped.stdout.strip()) == (0, b"No changes."), piped.stderr


def test_an_endless_body_stops_at_the_byte_limit(hostile: str) -> None:
    assert_refused(drift(f"{hostile}/endless"), "/endless", "larger than the 50 MiB limit")


def test_a_gzip_bomb_is_counted_decoded(hostile: str) -> None:
    assert len(BOMB) < 1024 * 1024
    assert_refused(drift(f"{hostile}/gzip-bomb"), "larger than the 50 MiB limit")


def test_an_announced_length_over_the_limit_is_refused_before_reading(hostile: str) -> None:
    assert_refused(drift(f"{hostile}/announced", "--timeout", "20"), "larger than the 50 MiB limit")


def test_a_trickling_body_ends_at_the_total_deadline(hostile: str) -> None:
    """Each byte comes long before any per-read timeout: only a total deadline ends it."""
    outcome = drift(f"{hostile}/trickle", "--timeout", "1.5")
    assert_refused(outcome, "/trickle", "no complete answer within 1.5 s")
    assert outcome.seconds < 1.5 + 10  # the deadline, plus start-up on a loaded machine
    outcome = notte_ext("spec", "diff", SEED, f"{hostile}/trickle", "--timeout", "1")
    assert_refused(outcome, "/trickle", "no complete answer within 1 s")


def test_the_limit_can_be_lowered_and_raised(hostile: str, tmp_path: Path) -> None:
    assert_refused(drift(SEED, "--max-bytes", "1KiB"), "larger than the 1 KiB limit")
    assert_refused(drift(SEED, env={"NOTTE_EXT_SPEC_MAX_BYTES": "2k"}), "larger than the 2 KiB limit")
    assert drift(f"{hostile}/seed", "--max-bytes", "1MiB").code == 0
    size = Path(SEED).stat().st_size
    assert drift(SEED, "--max-bytes", str(size)).code == 0  # the limit itself is allowed
    assert_refused(drift(SEED, "--max-bytes", str(size - 1)), f"larger than the {size - 1:,} bytes limit")


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "-inf", "1e308", "", "soon"])
@pytest.mark.parametrize("command", ["drift", "diff"])
def test_timeout_must_be_finite_and_positive(command: str, value: str) -> None:
    documents = ["--spec", SEED, "--upstream", SEED] if command == "drift" else [SEED, SEED]
    outcome = notte_ext("spec", command, *documents, "--timeout", value)
    assert outcome.code == 2
    assert outcome.stderr.count("\n") == 1
    assert "Invalid value for '--timeout'" in outcome.stderr
    assert "Errno" not in outcome.stderr
    assert "Traceback" not in outcome.stderr


@pytest.mark.parametrize("value", ["0", "-5", "lots", "1.5MiB", "10 parsecs"])
def test_max_bytes_must_be_a_positive_size(value: str) -> None:
    outcome = drift(SEED, "--max-bytes", value)
    assert outcome.code == 2
    assert "Invalid value for '--max-bytes'" in outcome.stderr
    assert outcome.stderr.count("\n") == 1


def test_a_bad_environment_limit_is_one_line() -> None:
    assert_refused(drift(SEED, env={"NOTTE_EXT_SPEC_MAX_BYTES": "many"}), "NOTTE_EXT_SPEC_MAX_BYTES", "'many'")


def test_sizes() -> None:
    assert [parse_size(s) for s in ("1", "2k", "3 KiB", "50MiB", "50m", "1GiB", "1gb")] == [
        1,
        2048,
        3072,
        50 * 2**20,
        50 * 2**20,
        2**30,
        2**30,
    ]


def test_sizes_past_the_settable_maximum_are_refused() -> None:
    assert parse_size("1GiB") == MAX_SETTABLE_BYTES
    for text in ("0", "2GiB", "99999999999999999999999999"):
        with pytest.raises(ValueError, match="is not a size from 1 byte to 1 GiB"):
            parse_size(text)


def test_the_library_checks_its_own_arguments(hostile: str) -> None:
    for bad in (0.0, -1.0, float("nan"), float("inf")):
        with pytest.raises(SpecError, match="timeout must be a finite number of seconds > 0"):
            read_document(f"{hostile}/seed", timeout=bad)
    for size in (0, MAX_SETTABLE_BYTES + 1, 10**26):  # 10**26: read() can't size a buffer for it
        with pytest.raises(SpecError, match="max_bytes must be a byte count from 1 to"):
            read_document(SEED, max_bytes=size)
    assert read_document(f"{hostile}/seed", timeout=5)["openapi"].startswith("3.")
    assert read_document(f"{hostile}/bogus-charset")["openapi"].startswith("3.")  # decoded as UTF-8, as httpx does


def test_a_yaml_alias_bomb_is_refused(tmp_path: Path) -> None:
    """A 1 KB file that walks as 10^9 values (the enum of a response status, where the diff looks)."""
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(ALIAS_BOMB, encoding="utf-8")
    plain = tmp_path / "plain.yaml"
    plain.write_text(ALIAS_BOMB.split("x-bomb")[0] + "paths: {}\n", encoding="utf-8")
    outcome = notte_ext("spec", "diff", str(plain), str(bomb), "--format", "markdown")
    assert_refused(outcome, "bomb.yaml", "YAML aliases (*name) are not accepted", "line 4")


def test_yaml_without_aliases_still_loads(tmp_path: Path) -> None:
    """Anchors nothing refers to are harmless; so are inline merge keys."""
    text = "openapi: 3.1.0\ninfo: &info {title: t, version: '1'}\npaths: {}\nx-merged: {<<: {a: 1}, b: 2}\n"
    path = tmp_path / "anchors.yaml"
    path.write_text(text, encoding="utf-8")
    document = read_document(str(path))
    assert document["x-merged"] == {"a": 1, "b": 2}
    merged = tmp_path / "merged.yaml"
    merged.write_text(text.replace("x-merged: {<<: {a: 1}, b: 2}", "x-merged: {<<: *info}"), encoding="utf-8")
    with pytest.raises(SpecError, match="aliases"):
        read_document(str(merged))


def test_json_nested_beyond_the_parser_is_one_line(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text('{"openapi": "3.1.0", "x": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    assert_refused(notte_ext("spec", "diff", str(deep), str(deep)), "deep.json", "nested too deeply")


def test_plain_documents_are_unaffected(tmp_path: Path) -> None:
    copy = tmp_path / "copy.json"
    copy.write_text(json.dumps(read_document(SEED)), encoding="utf-8")
    outcome = notte_ext("spec", "diff", SEED, str(copy))
    assert (outcome.code, outcome.stdout, outcome.stderr) == (0, "No changes.\n", "")


# --- bounds on the walk and the report: documents small enough to read, shaped to make the diff explode


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    base, revision = (document(nested(MAX_DEPTH + 50, {"type": t})) for t in ("string", "integer"))
    assert_refused(diff_files(tmp_path, base, revision), "GET /runs", f"schemas nested more than {MAX_DEPTH} deep")


def test_a_long_ref_chain_is_refused(tmp_path: Path) -> None:
    """3,000 components each pointing to the next: shallow JSON, a deep walk."""
    base, revision = (chain(3000, {"type": t}) for t in ("string", "integer"))
    assert_refused(diff_files(tmp_path, base, revision), f"schemas nested more than {MAX_DEPTH} deep")


def test_a_long_all_of_chain_is_refused(tmp_path: Path) -> None:
    """allOf merges follow $refs on their own: the Python recursion limit is the last bound."""

    def chain(leaf: str) -> dict[str, Any]:
        links = {
            f"A{i}": {"allOf": [{"$ref": f"#/components/schemas/A{i + 1}"}], "properties": {"p": {"type": "string"}}}
            for i in range(3000)
        }
        return document({"$ref": "#/components/schemas/A0"}, {**links, "A3000": {"type": leaf}})

    assert_refused(diff_files(tmp_path, chain("object"), chain("string")), "nested too deeply to compare")


def test_nesting_within_the_bound_is_compared(tmp_path: Path) -> None:
    base, revision = (document(nested(MAX_DEPTH - 5, {"type": t})) for t in ("string", "integer"))
    outcome = diff_files(tmp_path, base, revision, "--format", "json")
    assert outcome.code == 1, outcome
    assert [c["id"] for c in json.loads(outcome.stdout)["changes"]] == ["response-property-type-changed"]


def test_a_huge_enum_is_refused(tmp_path: Path) -> None:
    base = document({"type": "string", "enum": ["a"]})
    revision = document({"type": "string", "enum": [f"v{i}" for i in range(MAX_ELEMENTS + 1)]})
    assert_refused(diff_files(tmp_path, base, revision), f"enum has {MAX_ELEMENTS + 1:,} entries")


def test_too_many_properties_are_refused(tmp_path: Path) -> None:
    many = {"type": "object", "properties": {f"p{i}": {"type": "string"} for i in range(MAX_ELEMENTS + 1)}}
    assert_refused(diff_files(tmp_path, document({"type": "object"}), document(many)), "properties has")


def test_too_many_changes_are_refused(tmp_path: Path) -> None:
    """Each new operation is one change: a report of 50,001 says nothing anyone reads."""
    many = document({"type": "string"}, paths=MAX_CHANGES + 2)  # the base has one of them
    assert_refused(diff_files(tmp_path, document({"type": "string"}), many), f"more than {MAX_CHANGES:,} changes")


def test_a_wide_union_is_compared_in_linear_time(tmp_path: Path) -> None:
    """Alternatives pair by title: 5,000 shuffled ones used to take seconds each way (quadratic)."""
    alternatives = [{"type": "object", "title": f"T{i}", "properties": {"p": {"type": "string"}}} for i in range(5000)]
    shuffled = [
        {**alt, "properties": {"p": {"type": "string"}, "q": {"type": "integer"}}} for alt in reversed(alternatives)
    ]
    outcome = diff_files(tmp_path, document({"anyOf": alternatives}), document({"anyOf": shuffled}), "--format", "json")
    assert outcome.code == 0, outcome
    assert json.loads(outcome.stdout)["summary"]["info"] == 5000  # q added to each, paired by title
    assert outcome.seconds < WITHIN_SECONDS


def test_a_huge_value_is_cut_in_the_report(tmp_path: Path) -> None:
    """A 2 MB enum value is quoted as its first characters: the line stays short (and fast to redact)."""
    base = document({"type": "string", "enum": ["a"]})
    revision = document({"type": "string", "enum": ["a", "x" * 2_000_000]})
    outcome = diff_files(tmp_path, base, revision, "--format", "markdown")
    assert outcome.code == 1, outcome
    assert len(outcome.stdout) < 2000
    assert re.search(r"x\.\.\. \(2,000,0\d\d characters\)", outcome.stdout)  # the message, cut
    assert outcome.seconds < WITHIN_SECONDS


def test_a_malformed_huge_value_is_one_short_line(tmp_path: Path) -> None:
    base = document({"type": "string", "maximum": 1})
    revision = document({"type": "string", "maximum": "9" * 1_000_000})
    outcome = diff_files(tmp_path, base, revision)
    assert_refused(outcome, "maximum must be a number")
    assert len(outcome.stderr) < 1200


def test_a_report_larger_than_its_limit_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(limits, "MAX_REPORT_BYTES", 500)
    base = document({"type": "string", "enum": ["a"]})
    revision = document({"type": "string", "enum": [f"v{i}" for i in range(20)]})
    for name, written in (("base", base), ("revision", revision)):
        (tmp_path / f"{name}.json").write_text(json.dumps(written), encoding="utf-8")
    result = CliRunner().invoke(main, ["spec", "diff", str(tmp_path / "base.json"), str(tmp_path / "revision.json")])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert "the report would take" in result.stderr


def _timed_refusal(text: str, match: str) -> float:
    started = time.monotonic()
    with pytest.raises(SpecError, match=match):
        load_document(text)
    return time.monotonic() - started


def test_yaml_beyond_its_own_limit_is_refused_at_once() -> None:
    """YAML parses ~50x slower than JSON: 50 MiB of it would take minutes."""
    big = "openapi: 3.1.0\nx:\n" + "".join(f"  k{i}: v\n" for i in range(MAX_YAML_BYTES // 8))
    assert _timed_refusal(big, f"too large to parse as YAML .* more than {MAX_YAML_BYTES // 2**20} MiB") < 5


def test_broken_json_beyond_the_yaml_limit_gets_the_json_error_at_once() -> None:
    broken = '{"openapi": "3.1.0", ' + '"a": 1,' * (MAX_YAML_BYTES // 6) + "}"
    assert _timed_refusal(broken, "not valid JSON: Expecting property name") < 5


def test_vendoring_has_the_same_limits(
    hostile: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`make vendor` reads upstream through scripts/vendor_spec.py: bounded alike, configured by the variable."""
    out = tmp_path / "openapi.json"
    assert vendor_main(["/dev/zero", "--out", str(out)]) == 2
    assert vendor_main([f"{hostile}/endless", "--out", str(out)]) == 2
    with monkeypatch.context() as patched:
        patched.setenv(limits.MAX_BYTES_ENV, "1KiB")
        assert vendor_main([SEED, "--out", str(out)]) == 2
    errors = capsys.readouterr().err.splitlines()
    assert len(errors) == 3
    for line, limit in zip(errors, ("50 MiB", "50 MiB", "1 KiB"), strict=True):
        assert line.startswith("vendor_spec: ")
        assert f"larger than the {limit} limit" in line
    assert not out.exists()
    assert vendor_main([SEED, "--out", str(out)]) == 0
