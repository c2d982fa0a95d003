"""`--var KEY=TEXT` and `--var-json KEY=JSON`: a run's variables (`runs start`) or a schedule's
(`functions schedule`), parsed one way for both."""

from __future__ import annotations

import json
import math
from typing import Any

import click

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
    """`text` read as strict JSON, or a usage error naming `option` and `key`: as for a key given
    twice on the command line, an object with a key twice (json.loads keeps the last), and what
    json.loads takes beyond JSON (NaN, Infinity, 1e999) are refused here, not lost or refused later."""
    try:
        return json.loads(text, object_pairs_hook=_unique_keys, parse_float=_finite, parse_constant=_no_constant)
    except _NotStrictJSON as exc:
        raise click.BadParameter(f"{key!r:.60}: the JSON {exc}", param_hint=option) from None
    except json.JSONDecodeError as exc:
        raise click.BadParameter(f"{key!r:.60}: {text!r:.60} is not JSON ({exc.msg})", param_hint=option) from None
    except (ValueError, RecursionError):  # valid JSON past what Python reads
        problem = "nested too deep or with too long a number for Python to read"
        raise click.BadParameter(f"{key!r:.60}: the JSON is {problem}", param_hint=option) from None
