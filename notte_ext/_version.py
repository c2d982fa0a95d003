"""The notte-ext version.

Written here rather than read from the installed metadata at import: importlib.metadata costs
~5 ms of every command's start-up. tests/test_public_api.py checks it equals the installed
distribution's version (pyproject.toml's [project] version)."""

__version__ = "0.1.0"
