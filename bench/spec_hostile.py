"""How hostile documents end: `notte-ext spec drift|diff` on each, its exit code, time and peak RSS.

    .venv/bin/python bench/spec_hostile.py

Each case runs the real console script in its own process (peak RSS is that process's own, from
`os.wait4`) against a local server answering badly on purpose, or a hostile file. The inputs are
tests/drift/hostile.py's (tests/drift/test_limits.py holds them to exit 2, one line, < 30 s,
< 400 MB). Prints one row per case, the figures docs/spec-drift.md ("Limits") quotes.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.drift.hostile import (
    ALIAS_BOMB,
    SEED,
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


def _enum(values: list[Any]) -> dict[str, Any]:
    return document({"type": "string", "enum": values})


def cases(url: str, scratch: Path) -> dict[str, Callable[[], Outcome]]:
    def drift(upstream: str, *options: str) -> Outcome:
        return notte_ext("spec", "drift", "--spec", SEED, "--upstream", upstream, *options)

    def pair(base: dict[str, Any], revision: dict[str, Any]) -> Outcome:
        return diff_files(scratch, base, revision)

    def alias_bomb() -> Outcome:
        (scratch / "bomb.yaml").write_text(ALIAS_BOMB, encoding="utf-8")
        return notte_ext("spec", "diff", SEED, str(scratch / "bomb.yaml"))

    def stalled() -> Outcome:
        with stalled_pipe(scratch) as pipe:
            return notte_ext("spec", "diff", SEED, pipe, "--timeout", "1")

    alternatives = [{"type": "object", "title": f"T{i}", "properties": {"p": {"type": "string"}}} for i in range(20000)]
    changed = [{**alt, "properties": {"q": {"type": "integer"}}} for alt in reversed(alternatives)]
    return {
        "drift --upstream /dev/zero": lambda: drift("/dev/zero"),
        "a FIFO nobody writes to": lambda: notte_ext("spec", "diff", SEED, fifo(scratch)),
        "a pipe whose writer never finishes, --timeout 1": stalled,
        "an endless HTTP body": lambda: drift(f"{url}/endless"),
        "a gzip body inflating to 51 MiB": lambda: drift(f"{url}/gzip-bomb"),
        "Content-Length: 10^12": lambda: drift(f"{url}/announced"),
        "a byte every 50 ms, --timeout 1.5": lambda: drift(f"{url}/trickle", "--timeout", "1.5"),
        "--timeout nan": lambda: drift(SEED, "--timeout", "nan"),
        "a YAML alias bomb (1 KB, 10^9 values)": alias_bomb,
        "a schema nested 150 deep": lambda: pair(*(document(nested(150, {"type": t})) for t in ("string", "integer"))),
        "a chain of 3,000 $refs": lambda: pair(*(chain(3000, {"type": t}) for t in ("string", "integer"))),
        "an enum of 1,000,000 values": lambda: pair(_enum(["a"]), _enum([f"v{i}" for i in range(1_000_000)])),
        "50,001 new operations": lambda: pair(document({}), document({}, paths=50_002)),
        "a 10 MB enum value": lambda: pair(_enum(["a"]), _enum(["a", "x" * 10_000_000])),
        "20,000 shuffled anyOf alternatives, each changed": lambda: pair(
            document({"anyOf": alternatives}), document({"anyOf": changed})
        ),
    }


def main() -> None:
    with hostile_server() as url, tempfile.TemporaryDirectory() as scratch:
        print(f"{'input':50} {'exit':>4} {'seconds':>8} {'peak RSS':>9}  stderr (first line) / stdout size")
        for name, run in cases(url, Path(scratch)).items():
            outcome = run()
            said = (
                outcome.stderr.splitlines()[0][:110] if outcome.stderr else f"{len(outcome.stdout):,} bytes of report"
            )
            rss = f"{outcome.peak_rss / 2**20:.0f} MiB"
            print(f"{name:50} {outcome.code:>4} {outcome.seconds:>8.2f} {rss:>9}  {said}", flush=True)


if __name__ == "__main__":
    main()
