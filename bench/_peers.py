"""Throwaway virtualenvs for peers measured beside notte_ext (the official SDK), built on demand."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SDK_REQUIREMENT = "notte-sdk==1.10.*"
SDK_VENV = ROOT / "build/bench-notte-sdk"


def sdk_python() -> tuple[Path | None, str]:
    """The python of a virtualenv holding notte-sdk 1.10 (bytecode compiled, like ours), or None and why not."""
    python = SDK_VENV / "bin/python"
    if python.exists() and _has_sdk(python):
        return python, "reused"
    uv = ROOT / ".tools/bin/uv"
    shutil.rmtree(SDK_VENV, ignore_errors=True)
    install: list[str | Path]
    try:
        if uv.exists():
            subprocess.run([uv, "venv", "-q", "--python", sys.executable, SDK_VENV], check=True)
            install = [uv, "pip", "install", "-q", "--compile-bytecode", "--python", python, SDK_REQUIREMENT]
        else:
            subprocess.run([sys.executable, "-m", "venv", SDK_VENV], check=True)
            install = [python, "-m", "pip", "install", "-q", "--compile", SDK_REQUIREMENT]
        subprocess.run(install, check=True, capture_output=True, timeout=600)
    except (OSError, subprocess.SubprocessError) as exc:
        return None, f"could not install {SDK_REQUIREMENT}: {exc}"
    return python, "installed"


def _has_sdk(python: Path) -> bool:
    return subprocess.run([python, "-c", "import notte_sdk"], capture_output=True).returncode == 0


def peer_env() -> dict[str, str]:
    """The SDK sends telemetry unless told not to; the bench talks to 127.0.0.1 only."""
    return {**os.environ, "DISABLE_TELEMETRY": "true"}


def bytecode_state(sdk_python: Path | None) -> str:
    """Whether every module the sides import was compiled before the run, e.g. "notte_ext and raw: 0
    of 5,210 modules without current bytecode; notte-sdk: 0 of 3,120". A module without it is
    compiled by each process that imports it (and not kept when PYTHONDONTWRITEBYTECODE is set)."""
    trees = {"notte_ext and raw": [ROOT / "notte_ext", ROOT / "generated", Path(sysconfig.get_paths()["purelib"])]}
    if sdk_python is not None:
        trees["notte-sdk"] = list(sdk_python.parent.parent.glob("lib/python*/site-packages"))
    counts = []
    for name, roots in trees.items():
        sources = [source for root in roots for source in root.rglob("*.py")]
        stale = sum(1 for source in sources if not _compiled(source))
        counts.append(f"{name}: {stale:,} of {len(sources):,} modules without current bytecode")
    writes = "set" if os.environ.get("PYTHONDONTWRITEBYTECODE") else "not set"
    return f"{'; '.join(counts)} (PYTHONDONTWRITEBYTECODE {writes})"


def _compiled(source: Path) -> bool:
    try:
        return Path(importlib.util.cache_from_source(str(source))).stat().st_mtime >= source.stat().st_mtime
    except (OSError, ValueError):
        return False
