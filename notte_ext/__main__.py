"""`python -m notte_ext` and the `notte-ext` command: the command line, or how to get it.

The command line needs the ``cli`` extra (click, rich, ...). Installed without it, `notte-ext`
says so in one line instead of an ImportError traceback.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
from typing import NoReturn

_OUR_PACKAGES = frozenset({"notte_ext", "notte_api_client"})
EXIT_USAGE = 2  # the CLI's documented "usage or configuration error" (notte_ext.cli needs click to import)


def main() -> None:
    from notte_ext._interrupts import imports_uninterrupted

    try:
        with imports_uninterrupted():  # click, and the command line's own modules
            from notte_ext.cli import main as command_line
    except ModuleNotFoundError as missing:
        if (missing.name or "").partition(".")[0] in _OUR_PACKAGES:
            raise  # a broken install of ours, not a missing extra: the traceback is the useful part
        sys.stderr.write(
            f"notte-ext: the command line needs the cli extra ({missing.name} is not installed): "
            "pip install 'notte-ext[cli]'\n"
        )
        raise SystemExit(EXIT_USAGE) from None
    try:
        command_line()  # click's standalone mode: it always ends with SystemExit
    except SystemExit as end:
        _leave(end)


def _leave(end: SystemExit) -> NoReturn:
    """Exit with `end`'s code without the interpreter's teardown, when nothing needs it.

    Freeing every module and object of a process that is about to end costs ~30 ms, about 15% of
    a short command. What that teardown does that matters is done here: the atexit handlers run
    (logging's flush, weakref finalizers) and stdout and stderr are flushed; a reader that left
    (`| head -1`) is success, as everywhere in the CLI. Anything else takes the ordinary way out:
    a message as the code, a non-daemon thread still running (it would be joined), a flush that
    fails otherwise (the interpreter reports it).
    """
    code = end.code
    run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)
    others = [thread for thread in threading.enumerate() if thread is not threading.main_thread()]
    if not (code is None or isinstance(code, int)) or run_exit_handlers is None or not all(t.daemon for t in others):
        raise end
    run_exit_handlers()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:
            pass  # the reader has all it wanted
        except OSError:
            raise end from None
    os._exit(code or 0)


if __name__ == "__main__":
    main()
