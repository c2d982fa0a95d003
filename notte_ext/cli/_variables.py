"""`--var KEY=TEXT` and `--var-json KEY=JSON`: a run's variables (`runs start`) or a schedule's
(`functions schedule`), parsed one way for both; and options whose value is JSON (`JSON_VALUE`: `runs update
--result`), read as `--var-json` reads its JSON."""

from __future__ import annotations

import json
import math
import sys
from typing import Any

import click

from notte_ext._bodies import MAX_UPLOAD_BYTES
from notte_ext.cli._app import option_group
from notte_ext.cli._values import VARIABLE_TEXT

variable_options = option_group(
    click.option(
        "--var",
        "texts",
        multiple=True,
        type=VARIABLE_TEXT,
        metavar="KEY=VALUE",
        help="A variable of the run, as text (repeatable).",
    ),
    click.option(
        "--var-json",
        "jsons",
        multiple=True,
        type=VARIABLE_TEXT,
        metavar="KEY=JSON",
        help="A variable given as JSON: 3, true, [1, 2] (repeatable).",
    ),
)


def variables(texts: tuple[str, ...], jsons: tuple[str, ...]) -> dict[str, Any]:
    """The variables from `--var KEY=TEXT` and `--var-json KEY=JSON`; a key given twice (in either)
    is a usage error rather than one value silently replacing the other."""
    found: dict[str, Any] = {}
    given = [(value, "--var", False) for value in texts] + [(value, "--var-json", True) for value in jsons]
    for value, option, is_json in given:
        key, equals, text = value.partition("=")
        key = key.strip()
        if not equals or not key:
            raise click.BadParameter(f"{value!r:.60} is not KEY=VALUE", param_hint=option)
        if key in found:
            raise click.BadParameter(f"{key!r:.60} is given more than once", param_hint=option)
        found[key] = json_value(key, text, option) if is_json else text
    return found


class _NotStrictJSON(ValueError):
    """What json.loads takes that the API can't be sent: it would drop, or refuse, part of the value."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name, value in pairs:
        if name in found:
            raise _NotStrictJSON(f"has the key {name!r:.60} twice (one value would silently replace the other)")
        found[name] = value
    return found


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise _NotStrictJSON(f"has {text:.30}, beyond the largest float (it would be sent as Infinity, not JSON)")
    return number


def _no_constant(name: str) -> Any:
    raise _NotStrictJSON(f"has {name}, which is not JSON")


def json_value(key: str, text: str, option: str) -> Any:
    """`text` read as strict JSON (`_loads`), or a usage error naming `option` and `key`."""
    try:
        return _loads(text)
    except ValueError as exc:
        raise click.BadParameter(f"{key!r:.60}: {exc}", param_hint=option) from None


def _loads(text: str) -> Any:
    """`text` read as strict JSON, or a ValueError saying in one line why it can't be: as for a key given
    twice on the command line, an object with a key twice (json.loads keeps the last), and what json.loads
    takes beyond JSON (NaN, Infinity, 1e999) are refused here, not lost or refused later."""
    try:
        return json.loads(text, object_pairs_hook=_unique_keys, parse_float=_finite, parse_constant=_no_constant)
    except _NotStrictJSON as exc:
        raise ValueError(f"the JSON {exc}") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"{text!r:.60} is not JSON ({exc.msg})") from None
    except (ValueError, RecursionError):  # valid JSON past what Python reads
        raise ValueError("the JSON is nested too deep or with too long a number for Python to read") from None


class JsonValue(click.ParamType):  # type: ignore[type-arg]  # generic only in click's stubs
    """An option's value as JSON text (`3`, `"done"`, `null`, `{"rows": 2}`), or `-`: the JSON on stdin, as
    `functions create -` reads a workflow: at most MAX_UPLOAD_BYTES (10 MiB), read no further than one byte
    past them, so a huge or endless pipe is refused rather than read whole (an argument is bounded as `--var`)."""

    name = "JSON"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        text = VARIABLE_TEXT.convert(value, param, ctx)
        if text == "-":
            text = self._stdin(param, ctx)
        try:
            return _loads(text)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)

    def _stdin(self, param: click.Parameter | None, ctx: click.Context | None) -> str:
        # Stdin can be read once: a second `-` would read nothing and be refused as "'' is not JSON".
        if ctx is not None:
            if ctx.meta.get(_STDIN_READ):
                self.fail(f"stdin is read by {ctx.meta[_STDIN_READ]} already: give - to one option", param, ctx)
            ctx.meta[_STDIN_READ] = param.get_error_hint(ctx) if param is not None else "another option"
        content = sys.stdin.buffer.read(MAX_UPLOAD_BYTES + 1)
        if len(content) > MAX_UPLOAD_BYTES:
            self.fail(f"stdin holds more than {MAX_UPLOAD_BYTES:,} bytes", param, ctx)
        try:
            return content.decode("utf-8")
        except UnicodeDecodeError as exc:
            self.fail(f"stdin is not UTF-8 text (byte {exc.start})", param, ctx)


_STDIN_READ = "notte_ext.stdin_read_by"
JSON_VALUE = JsonValue()
