"""Read an OpenAPI document from a file or URL, given as JSON, YAML or a docs page.

Every read is bounded (see ``notte_ext.drift.limits``): at most ``max_bytes`` are read from a
file or URL, counted as they arrive, and a URL, a pipe or a device gets ``timeout`` seconds in all.
"""

from __future__ import annotations

import errno
import json
import math
import os
import re
import select
import stat
import threading
import time
from concurrent.futures import Future
from typing import Any

from notte_ext._messages import redact_logged_urls, redact_url, redact_url_text
from notte_ext.drift.errors import SpecError
from notte_ext.drift.guard import guarded
from notte_ext.drift.limits import MAX_SETTABLE_BYTES, MAX_YAML_BYTES, default_max_bytes, show_size, too_large

FETCH_TIMEOUT = 30.0  # seconds to fetch an upstream URL (connection to last byte) or to read a pipe
_CHUNK = 1 << 20  # bytes per read of a pipe or device
# docs.notte.cc publishes per-operation pages that embed the spec in a ````yaml fence.
_FENCE = re.compile(r"^````yaml[^\n]*\n(.*?)\n````", re.S | re.M)
redact_logged_urls("httpx")  # it logs each fetched URL in full, credentials included

# httpx and yaml are imported where needed: a diff of two JSON files needs neither (~60 ms of start-up).


def _load_yaml(text: str) -> Any:
    if len(text) > MAX_YAML_BYTES:
        raise SpecError(
            f"too large to parse as YAML ({len(text):,} characters, more than {show_size(MAX_YAML_BYTES)}: "
            "YAML parses ~50x slower than JSON); convert it to JSON"
        )
    import yaml

    from notte_ext.drift.yaml_loader import AliasFreeLoader

    return yaml.load(text, Loader=AliasFreeLoader)  # noqa: S506 - a safe loader that also refuses aliases


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
            return _load_yaml(fenced.group(1))
        except yaml.YAMLError as exc:
            raise SpecError(f"not valid YAML: {_one_line(exc)}") from None
    try:
        return json.loads(text)
    except RecursionError:
        raise SpecError("nested too deeply to parse (arrays or objects inside one another ~1,000 levels)") from None
    except json.JSONDecodeError as json_error:
        where = f"line {json_error.lineno} column {json_error.colno}"
        not_json = SpecError(f"not valid JSON: {json_error.msg} at {where}")
    looks_like_json = text.lstrip().startswith(("{", "["))
    if looks_like_json and len(text) > MAX_YAML_BYTES:  # broken JSON: not worth a slow YAML attempt
        raise not_json
    import yaml

    try:
        return _load_yaml(text)
    except yaml.YAMLError as exc:
        raise (not_json if looks_like_json else SpecError(f"not JSON or YAML: {_one_line(exc)}")) from None


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


def read_text(
    location: str, *, timeout: float = FETCH_TIMEOUT, proxy: str | None = None, max_bytes: int | None = None
) -> str:
    """The text at a path or http(s) URL; any failure becomes one-line ``SpecError``.

    At most ``max_bytes`` (default: ``NOTTE_EXT_SPEC_MAX_BYTES``, else 50 MiB) are read, and a URL
    gets ``timeout`` seconds from connecting to its last byte (a pipe or device: from opening it).
    URLs are fetched as httpx fetches them: through ``proxy``, else the environment's proxies
    (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, NO_PROXY), as the client routes its requests. Messages never show a credential written into
    the URL (see ``notte_ext._messages``).
    """
    shown = redact_url(location)
    limit = default_max_bytes() if max_bytes is None else max_bytes
    if not 0 < limit <= MAX_SETTABLE_BYTES:
        raise SpecError(f"max_bytes must be a byte count from 1 to {MAX_SETTABLE_BYTES:,}, got {limit!r:.40}")
    if is_url(location):
        _check_timeout(timeout)
        return _fetch(location, shown, timeout=timeout, proxy=proxy, max_bytes=limit)
    try:
        return _read_file(location, shown, timeout=timeout, max_bytes=limit).decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else _one_line(exc)
        raise SpecError(f"cannot read {shown}: {reason}") from None


def _check_timeout(timeout: float) -> None:
    if not (isinstance(timeout, int | float) and math.isfinite(timeout) and timeout > 0):
        raise SpecError(f"timeout must be a finite number of seconds > 0, got {timeout!r}")


def _read_file(location: str, shown: str, *, timeout: float, max_bytes: int) -> bytes:
    """A regular file's bytes, or what a pipe or device gives within ``timeout`` seconds in all.

    Opened non-blocking: a blocking open() of a FIFO waits for a writer, forever if none comes.
    A pipe is kept readable because ``spec diff base.json <(git show main:openapi.json)`` hands
    the command one (/dev/fd/63); its writer already holds it open, so it is read like a URL:
    bounded in bytes and in time.
    """
    fd = os.open(location, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):  # open() said so itself; os.open() opens a directory
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
        if stat.S_ISREG(mode):
            with open(fd, "rb", closefd=False) as file:
                data = file.read(max_bytes + 1)  # one byte more tells a file at the limit from a larger one
            if len(data) > max_bytes:
                raise too_large(shown, max_bytes)
            return data
        _check_timeout(timeout)
        data = _read_stream(fd, shown, timeout=timeout, max_bytes=max_bytes)
        if not data and stat.S_ISFIFO(mode):
            # A FIFO nobody writes to reads as at its end at once: say so, not "not an OpenAPI document".
            raise SpecError(f"cannot read {shown}: a pipe (FIFO) with no writer: nothing to read")
        return data
    finally:
        os.close(fd)


def _read_stream(fd: int, shown: str, *, timeout: float, max_bytes: int) -> bytes:
    """Read a non-blocking pipe or device to its end, within ``max_bytes`` and ``timeout`` (/dev/zero never ends)."""
    deadline = time.monotonic() + timeout
    data = bytearray()
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise SpecError(f"cannot read {shown}: not complete within {timeout:g} s (--timeout)")
        try:
            chunk = os.read(fd, min(_CHUNK, max_bytes + 1 - len(data)))
        except BlockingIOError:  # a writer that has not written (all of it) yet
            select.select([fd], [], [], remaining)
            continue
        if not chunk:
            return bytes(data)
        data += chunk
        if len(data) > max_bytes:
            raise too_large(shown, max_bytes)


def _fetch(location: str, shown: str, *, timeout: float, proxy: str | None, max_bytes: int) -> str:
    """The body at a URL, within ``timeout`` seconds in all and ``max_bytes``.

    httpx's timeouts bound each socket operation, so a server trickling a byte a second never trips
    them. The download runs on a daemon thread that the caller waits for at most ``timeout``;
    one given up on stops at its next chunk (or its own per-read timeout) and is never read.
    """
    import httpx

    outcome: Future[str] = Future()
    given_up = threading.Event()

    def download() -> None:
        try:
            outcome.set_result(_download(location, shown, timeout, proxy, max_bytes, given_up))
        except BaseException as exc:  # handed to the waiting caller, who maps it
            outcome.set_exception(exc)

    threading.Thread(target=download, name="spec-fetch", daemon=True).start()
    try:
        return outcome.result(timeout=timeout)
    except TimeoutError:
        given_up.set()
        raise SpecError(f"cannot fetch {shown}: no complete answer within {timeout:g} s (--timeout)") from None
    except SpecError:  # too large
        raise
    except httpx.InvalidURL:  # its message quotes pieces of the URL: a password, cut anywhere
        raise SpecError(f"cannot fetch {shown}: not a valid URL") from None
    except (httpx.HTTPError, ValueError, ImportError) as exc:  # ValueError/ImportError: an unusable proxy
        reason = redact_url_text(_one_line(exc) or type(exc).__name__, location, proxy)
        raise SpecError(f"cannot fetch {shown}: {reason}") from None


def _download(
    location: str, shown: str, timeout: float, proxy: str | None, max_bytes: int, given_up: threading.Event
) -> str:
    """Stream the body, counting decoded bytes (a gzip bomb stops at the limit too)."""
    import httpx

    with httpx.stream("GET", location, timeout=timeout, follow_redirects=True, proxy=proxy) as response:
        response.raise_for_status()
        announced = response.headers.get("Content-Length", "")
        if announced.isdigit() and int(announced) > max_bytes:
            raise too_large(shown, max_bytes)
        body = bytearray()
        for chunk in response.iter_bytes():
            if given_up.is_set():  # the caller stopped waiting: read no further
                return ""
            body += chunk
            if len(body) > max_bytes:
                raise too_large(shown, max_bytes)
        # As httpx's .text: the declared charset when Python knows it, else UTF-8.
        return body.decode(response.encoding or "utf-8", errors="replace")


def read_document(
    location: str, *, timeout: float = FETCH_TIMEOUT, proxy: str | None = None, max_bytes: int | None = None
) -> dict[str, Any]:
    """Load the OpenAPI document at a path or URL (see ``read_text`` for the limits)."""
    text = read_text(location, timeout=timeout, proxy=proxy, max_bytes=max_bytes)
    try:
        return load_document(text)
    except SpecError as exc:
        # A parse error may quote the body, and a server may have echoed the URL's credentials in it.
        raise SpecError(f"{redact_url(location)}: {redact_url_text(str(exc), location)}") from None
