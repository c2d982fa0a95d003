"""The installed notte-ext version, read once from the package metadata."""

from __future__ import annotations

from importlib.metadata import version

__version__ = version("notte-ext")
