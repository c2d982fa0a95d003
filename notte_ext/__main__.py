"""`python -m notte_ext` and the `notte-ext` command: the command line, or how to get it.

The command line needs the ``cli`` extra (click, rich, ...). Installed without it, `notte-ext`
says so in one line instead of an ImportError traceback.
"""

from __future__ import annotations

import sys

_OUR_PACKAGES = frozenset({"notte_ext", "notte_api_client"})
EXIT_USAGE = 2  # the CLI's documented "usage or configuration error" (notte_ext.cli needs click to import)


def main() -> None:
    try:
        from notte_ext.cli import main as command_line
    except ModuleNotFoundError as missing:
        if (missing.name or "").partition(".")[0] in _OUR_PACKAGES:
            raise  # a broken install of ours, not a missing extra: the traceback is the useful part
        sys.stderr.write(
            f"notte-ext: the command line needs the cli extra ({missing.name} is not installed): "
            "pip install 'notte-ext[cli]'\n"
        )
        raise SystemExit(EXIT_USAGE) from None
    command_line()


if __name__ == "__main__":
    main()
