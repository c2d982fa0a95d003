"""Making text safe to show: one line, and never the API key (a server may echo it back)."""

from __future__ import annotations

from typing import Any


def one_line(text: str, limit: int = 300) -> str:
    """Collapse whitespace so a message never spans lines, and keep it readable in a log."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def redact(text: str, secret: str | None) -> str:
    """Remove a secret from text that came from elsewhere (e.g. a server echoing the key)."""
    if not secret:
        return text
    return text.replace(secret, "***")


def redact_json(value: Any, secret: str | None) -> Any:
    """`redact` applied to every string of a decoded JSON value (keys too); other values as they are."""
    if not secret:
        return value
    if isinstance(value, str):
        return redact(value, secret)
    if isinstance(value, list):
        return [redact_json(item, secret) for item in value]
    if isinstance(value, dict):
        return {redact(str(key), secret): redact_json(item, secret) for key, item in value.items()}
    return value
