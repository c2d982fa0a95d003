"""`notte-ext` leaves without the interpreter's teardown (~30 ms), keeping what the teardown does
that matters: atexit handlers run, output is flushed, running non-daemon threads are joined."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def _run_main(prelude: str, *args: str) -> subprocess.CompletedProcess[str]:
    code = (
        f"import sys\n{prelude}\nsys.argv = ['notte-ext', *{list(args)!r}]\nfrom notte_ext.__main__ import main\nmain()"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)


def test_atexit_handlers_run_and_output_is_flushed(tmp_path: Path) -> None:
    marker = tmp_path / "atexit-ran"
    done = _run_main(f"import atexit, pathlib\natexit.register(pathlib.Path({str(marker)!r}).touch)", "--version")
    assert done.returncode == 0, done.stderr
    assert "notte-ext" in done.stdout
    assert marker.exists()


def test_exit_codes_and_messages_are_kept() -> None:
    usage = _run_main("", "runs", "list")
    assert usage.returncode == 2
    assert "FUNCTION_ID" in usage.stderr


def test_a_running_non_daemon_thread_is_joined_first() -> None:
    prelude = (
        "import threading, time\n"
        "def late():\n    time.sleep(0.3)\n    print('joined', flush=True)\n"
        "threading.Thread(target=late).start()"
    )
    done = _run_main(prelude, "--version")
    assert done.returncode == 0, done.stderr
    assert "joined" in done.stdout
