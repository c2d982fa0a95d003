"""Read an OpenAPI document from a file or URL, given as JSON, YAML or a docs page."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from notte_ext._messages import redact_logged_urls, redact_url, redact_url_text
from notte_ext.drift.errors import SpecError
from notte_ext.drift.guard import guarded

FETCH_TIMEOUT = 30.0  # seconds to wait for an upstream URL
# docs.notte.cc publishes per-operation pages that embed the spec in a ````yaml fence.
_FENCE = re.compile(r"^````yaml[^\n]*\n(.*?)\n````", re.S | re.M)
redact_logged_urls("httpx")  # it logs each fetched URL in full, credentials included

# httpx and yaml are imported where needed: a diff of two JSON files needs neither (~60 ms of start-up).
if TYPE_CHECKING:
    import yaml


@cache
def _yaml_loader() -> type[yaml.SafeLoader]:
    """libyaml is ~10x faster on large documents; fall back to the pure-Python loader."""
    import yaml

    loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return loader


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def _parse(text: str) -> Any:
    """JSON first (the common case, and far faster than YAML for big specs), then YAML.

    A document that looks like JSON and is neither gets JSON's own words (line, column):
    YAML's flow-node wording would only confuse whoever mistyped a comma.
    """
    fenced = _FENCE.search(text)
    if fenced:
        import yaml

        try:
            return yaml.load(fenced.group(1), Loader=_yaml_loader())  # noqa: S506 - a safe loader
        except yaml.YAMLError as exc:
            raise SpecError(f"not valid YAML: {_one_line(exc)}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as json_error:
        import yaml

        try:
            return yaml.load(text, Loader=_yaml_loader())  # noqa: S506 - a safe loader
        except yaml.YAMLError as exc:
            if text.lstrip().startswith(("{", "[")):
                where = f"line {json_error.lineno} column {json_error.colno}"
                raise SpecError(f"not valid JSON: {json_error.msg} at {where}") from None
            raise SpecError(f"not JSON or YAML: {_one_line(exc)}") from None


@guarded
def load_document(text: str) -> dict[str, Any]:
    """Parse a spec given as JSON, YAML or a docs page with a yaml fence."""
    document = _parse(text)
    if not isinstance(document, dict):
        raise SpecError("not an OpenAPI document (JSON or YAML)")
    if "openapi" not in document:
        raise SpecError("not an OpenAPI 3 document (no top-level 'openapi' key)")
    if not str(document["openapi"]).startswith("3."):
        raise SpecError(f"unsupported OpenAPI version {document['openapi']!r} (3.0 and 3.1 are supported)")
    for key in ("paths", "components"):
        if not isinstance(document.get(key, {}), dict):
            raise SpecError(f"'{key}' must be a mapping")
    return document


def is_url(location: str) -> bool:
    return location.startswith(("http://", "https://"))


def read_text(location: str, *, timeout: float = FETCH_TIMEOUT, proxy: str | None = None) -> str:
    """The text at a path or http(s) URL; any failure becomes one-line ``SpecError``.

    URLs are fetched as httpx fetches them: through ``proxy``, else the environment's proxies
    (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, NO_PROXY), as the client routes its requests. Messages
    never show a credential written into the URL (see ``notte_ext._messages``).
    """
    shown = redact_url(location)
    if is_url(location):
        import httpx

        try:
            response = httpx.get(location, timeout=timeout, follow_redirects=True, proxy=proxy)
            response.raise_for_status()
        except httpx.InvalidURL:  # its message quotes pieces of the URL: a password, cut anywhere
            raise SpecError(f"cannot fetch {shown}: not a valid URL") from None
        except (httpx.HTTPError, ValueError, ImportError) as exc:  # ValueError/ImportError: an unusable proxy
            reason = redact_url_text(_one_line(exc) or type(exc).__name__, location, proxy)
            raise SpecError(f"cannot fetch {shown}: {reason}") from None
        return response.text
    try:
        return Path(location).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else _one_line(exc)
        raise SpecError(f"cannot read {shown}: {reason}") from None


def read_document(location: str, *, timeout: float = FETCH_TIMEOUT, proxy: str | None = None) -> dict[str, Any]:
    """Load the OpenAPI document at a path or URL."""
    text = read_text(location, timeout=timeout, proxy=proxy)
    try:
        return load_document(text)
    except SpecError as exc:
        # A parse error may quote the body, and a server may have echoed the URL's credentials in it.
        raise SpecError(f"{redact_url(location)}: {redact_url_text(str(exc), location)}") from None
