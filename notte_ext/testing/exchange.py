"""One HTTP exchange as plain data: what came in, and what to send back (possibly faulty)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from notte_ext.testing.operation import SpecOperation
from notte_ext.testing.routes import Routes

__all__ = ["IncomingRequest", "Reply", "parse_int"]

_INTEGER = re.compile(r"\s*[+-]?\d+\s*")


@cache
def _default_routes() -> Routes:
    return Routes(SpecOperation.load())


def parse_int(text: str) -> int | None:
    """An integer as FastAPI/pydantic reads a query value (surrounding spaces allowed), else None."""
    return int(text) if _INTEGER.fullmatch(text) else None


@dataclass(frozen=True)
class IncomingRequest:
    method: str
    raw_path: str  # as sent, still percent-encoded, without the query
    path: str  # percent-decoded
    query: Mapping[str, str]  # last value wins, as FastAPI does for scalar parameters
    headers: Mapping[str, str]  # lower-case names, unredacted (never logged as-is)
    body: bytes = b""
    operation_id: str | None = None  # the operation of the served document the path and method match
    path_params: Mapping[str, str] = field(default_factory=dict)  # decoded path segments, by template name
    route_status: int = 200  # without an operation: 404 (no such path) or 405 (not with this method)
    allowed_methods: tuple[str, ...] = ()  # with 405: the methods the path serves

    @classmethod
    def parse(
        cls, method: str, target: str, headers: Mapping[str, str], body: bytes = b"", routes: Routes | None = None
    ) -> IncomingRequest:
        """``routes``: the served document's (default: the vendored spec's)."""
        split = urlsplit(target)
        # Matched on the raw path so an encoded "/" (%2F) stays inside its one segment.
        routed = (routes or _default_routes()).find(method, split.path)
        return cls(
            method=method,
            raw_path=split.path,
            path=unquote(split.path),
            query=dict(parse_qsl(split.query, keep_blank_values=True)),
            headers={name.lower(): value for name, value in headers.items()},
            body=body,
            operation_id=routed.operation_id,
            path_params=routed.path_params,
            route_status=routed.status,
            allowed_methods=routed.allowed,
        )

    @property
    def function_id(self) -> str | None:
        """The decoded ``{function_id}`` segment of an operation's path (None on other paths)."""
        return self.path_params.get("function_id")

    def json(self) -> Any:
        """The body as JSON (ValueError when it is not)."""
        return json.loads(self.body)

    def int_param(self, name: str, default: int) -> int | None:
        """The integer value of a query parameter (its default when absent), None when not an integer."""
        return parse_int(self.query[name]) if name in self.query else default


@dataclass
class Reply:
    """A response to send; faults edit it before the server writes it."""

    status: int
    body: Any  # JSON value
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before sending anything
    raw_body: bytes | None = None  # sent instead of the JSON encoding of ``body``
    send_body_bytes: int | None = None  # stop after this many body bytes (Content-Length still announces all)
    reset: bool = False  # abort the connection (TCP reset) after sending what was allowed
    silent: bool = False  # send nothing at all, just drop the connection
    content_type: str = "application/json"
    # Write the body as these pieces (made from ``payload()``), one write each, instead of at once
    # (``send_body_bytes``/``reset`` then don't apply; the pieces may stop early or never end).
    stream: Callable[[bytes], Iterator[bytes]] | None = None
    stream_length: int | None = None  # the Content-Length announced for ``stream``; None: chunked encoding

    def payload(self) -> bytes:
        if self.raw_body is not None:
            return self.raw_body
        return json.dumps(self.body, separators=(",", ":")).encode()

    @property
    def items(self) -> list[dict[str, Any]]:
        """The run items of a list-page body (empty for any other body)."""
        if isinstance(self.body, dict) and isinstance(self.body.get("items"), list):
            return self.body["items"]  # type: ignore[no-any-return]
        return []
