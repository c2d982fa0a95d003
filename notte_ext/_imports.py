"""Keep `import notte_ext` light: httpx's own command line stays unimported.

`import httpx` runs `from ._main import main` for its `httpx` console script, which loads click,
rich and pygments (~190 ms here) whenever they are installed, as they are with our `cli` extra.
No library use needs that module, so before httpx is first imported we mark it as absent; httpx
then falls back to a stub `httpx.main`. The `httpx` command itself runs in its own process and is
unaffected. If httpx is already imported, there is nothing left to save and nothing is changed.
"""

from __future__ import annotations

import sys

if "httpx" not in sys.modules:
    sys.modules["httpx._main"] = None  # type: ignore[assignment]  # None: "import fails", as documented for sys.modules
