"""Which operation of the served document a request is for: its method and path template.

Paths are matched on the raw (still percent-encoded) path, one ``[^/]+`` per template parameter,
so an encoded ``/`` (``%2F``) stays inside its segment; the parameters come back decoded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

from notte_ext.testing.operation import SpecOperation

__all__ = ["Route", "Routes"]

_TEMPLATE_PARAMETER = re.compile(r"\{([^}/]+)\}")


@dataclass(frozen=True)
class Route:
    method: str  # upper case
    operation_id: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Routed:
    """Where a request goes: its operation and path parameters, or why it goes nowhere."""

    operation_id: str | None  # None: no operation (see ``status``)
    path_params: dict[str, str]
    status: int = 200  # 404 when no path matches, 405 when the path matches another method only
    allowed: tuple[str, ...] = ()  # with 405: the methods the path does serve (the ``Allow`` header)


class Routes:
    """The routes of one document, most specific first (``/runs/start`` before ``/runs/{run_id}``)."""

    def __init__(self, operation: SpecOperation) -> None:
        routes = []
        for method, path, spec_operation in operation.operations():
            literal = _TEMPLATE_PARAMETER.split(path)[::2]  # the text between parameters
            names = _TEMPLATE_PARAMETER.findall(path)
            pattern = "".join(
                re.escape(text) + (f"(?P<{name}>[^/]+)" if index < len(names) else "")
                for index, (text, name) in enumerate(zip(literal, [*names, ""], strict=True))
            )
            routes.append(Route(method.upper(), str(spec_operation["operationId"]), re.compile(pattern)))
        # A literal segment wins over a parameter in the same place, as in FastAPI's declaration order.
        self._routes = sorted(routes, key=lambda route: route.pattern.pattern.count("(?P<"))

    def find(self, method: str, raw_path: str) -> Routed:
        """``method`` as sent (methods are case-sensitive); HEAD is served as GET, as Starlette does."""
        wanted = "GET" if method == "HEAD" else method
        allowed: set[str] = set()
        for route in self._routes:
            found = route.pattern.fullmatch(raw_path)
            if found is None:
                continue
            if route.method != wanted:
                allowed.add(route.method)
                continue
            return Routed(route.operation_id, {name: unquote(value) for name, value in found.groupdict().items()})
        if not allowed:
            return Routed(None, {}, 404)
        # Every method some route of this path serves (RFC 9110 15.5.6), HEAD wherever GET is.
        return Routed(None, {}, 405, tuple(sorted(allowed | ({"HEAD"} if "GET" in allowed else set()))))
