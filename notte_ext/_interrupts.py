"""Ctrl-C while the command line imports its modules: held back until the import is done.

An interrupt that lands inside an import does not reach the CLI's handling as a KeyboardInterrupt:
Python prints the half-done import's traceback (exit -2), a native extension's import turns it into
its own exception (jsonschema-rs: a `PanicException`, exit 1), and one that lands in importlib's
module-lock callback is printed as "Exception ignored" and lost, the command running on to exit 0.
The command line imports most of itself lazily, after it started (its command's module, the client),
so each such import runs under `imports_uninterrupted`: a Ctrl-C during it ends the program when the
import is done, as it does anywhere else: `Interrupted.` on stderr, exit 130. Standard library only:
`notte_ext.__main__` uses it before click is imported.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

EXIT_INTERRUPTED = 130  # 128 + SIGINT, what shells report for a program Ctrl-C ended


def interrupted() -> NoReturn:
    """How the command line ends on Ctrl-C: one line on stderr, exit 130."""
    # On a terminal, start a new line after the `^C` it echoed.
    sys.stderr.write(("\n" if sys.stderr.isatty() else "") + "Interrupted.\n")
    sys.exit(EXIT_INTERRUPTED)


@contextmanager
def imports_uninterrupted() -> Iterator[None]:
    """Within the block, SIGINT is only noted; once it ends, a noted one ends the program (`interrupted`).

    Only in the main thread (where Python handles signals) and only over Python's own handler: a
    program embedding the command line with a handler of its own keeps it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        yield
        return
    noted: list[int] = []
    signal.signal(signal.SIGINT, lambda signum, _frame: noted.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if noted:
        interrupted()
