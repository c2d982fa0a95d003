"""Write notte_ext/_bindings.py: what notte_ext uses of each paginated operation, found by operation.

For every operation of openapi.json whose 200 response is a ``PaginatedResponse_*`` page, read
the generated client (the generator's own declarations, not a second registry) and name, under
names derived from the operationId, its endpoint module, page model, item model, the enums of the
item's fields, and a ``TypedDict`` of its query parameters (generated argument names, types from
the generated signature). notte_ext imports only these names, so a component renamed upstream is a
regenerated alias, never a broken import. ``make generate`` runs this; ``make check-generated``
compares. It must not import notte_ext: the package imports the bindings it is rewriting.

    python scripts/write_bindings.py openapi.json generated notte_ext/_bindings.py
"""

from __future__ import annotations

import enum
import importlib
import json
import re
import sys
import types
import typing
from pathlib import Path
from typing import Any

import attrs
import yaml

PAGE_PARAMETER = "page"  # set by the paginator, never by the caller
SETTINGS = Path(__file__).resolve().parent.parent / "codegen" / "bindings.yaml"
HEADER = '''"""Written by `make generate` (scripts/write_bindings.py from openapi.json and generated/): do not edit.

The generated names notte_ext uses, bound by operation: `<Operation>Page`, `<Operation>Item`,
`<Operation>Item<Field>` (the enum of an item field), `<Operation>Query` (its query parameters
under the generated argument names) and `<OPERATION>_QUERY` (generated argument -> spec parameter
name and generated enum, for validation and conversion).
"""

from __future__ import annotations

from enum import Enum
from typing import Literal, TypedDict

'''


class BindingError(Exception):
    """The generated client does not have the shape this script expects for an operation."""


def snake(name: str) -> str:
    """The generator's Python name for an operationId or parameter (snake case)."""
    words = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return re.sub(r"[^0-9a-zA-Z]+", "_", words).strip("_").lower()


def pascal(name: str) -> str:
    return "".join(word.capitalize() for word in snake(name).split("_"))


def paginated_operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Operations whose 200 JSON body is a `PaginatedResponse_*` component, in document order."""
    found = []
    for item in spec.get("paths", {}).values():
        for operation in item.values():  # path-item keys whose value is a mapping are operations
            if not isinstance(operation, dict):
                continue
            body = operation.get("responses", {}).get("200", {}).get("content", {}).get("application/json", {})
            if body.get("schema", {}).get("$ref", "").startswith("#/components/schemas/PaginatedResponse_"):
                found.append(operation)
    return found


class _Imports:
    """The `from module import Name` lines the bindings need, sorted by ruff afterwards."""

    def __init__(self) -> None:
        self.lines: set[str] = set()

    def name(self, cls: type) -> str:
        self.lines.add(f"from {cls.__module__} import {cls.__name__}")
        return cls.__name__


def _hints(target: Any, models: types.ModuleType) -> dict[str, Any]:
    # Generated modules import their sibling models under TYPE_CHECKING only: resolve against the package.
    return typing.get_type_hints(target, globalns={**vars(models), **vars(sys.modules[target.__module__])})


def _render(annotation: Any, imports: _Imports, unset: type) -> str:
    """A generated parameter annotation as source, without `Unset`; enums also accept their values."""
    parts = []
    for member in typing.get_args(annotation) if isinstance(annotation, types.UnionType) else (annotation,):
        if member is unset:
            continue
        if member is type(None):
            parts.append("None")
        elif isinstance(member, type) and issubclass(member, enum.Enum):
            values = ", ".join(json.dumps(item.value) for item in member)
            parts += [imports.name(member), f"Literal[{values}]"]
        elif isinstance(member, type) and member.__module__ == "builtins":
            parts.append(member.__name__)
        else:
            raise BindingError(f"no rendering for parameter type {member!r}")
    return " | ".join(parts)


def _enum_of(annotation: Any) -> type[enum.Enum] | None:
    members = typing.get_args(annotation) if isinstance(annotation, types.UnionType) else (annotation,)
    return next((m for m in members if isinstance(m, type) and issubclass(m, enum.Enum)), None)


def bind(operation: dict[str, Any], set_by_us: list[str], imports: _Imports) -> tuple[str, list[str]]:
    """The bindings of one operation, as source, and the names it defines."""
    operation_id = operation["operationId"]
    api = importlib.import_module("notte_api_client.api")
    models = importlib.import_module("notte_api_client.models")
    unset = importlib.import_module("notte_api_client.types").Unset
    endpoint = next(
        (
            importlib.import_module(f"notte_api_client.api.{tag.name}.{snake(operation_id)}")
            for tag in Path(api.__path__[0]).iterdir()
            if (tag / f"{snake(operation_id)}.py").exists()
        ),
        None,
    )
    if endpoint is None:
        raise BindingError(f"{operation_id}: no generated endpoint module")
    prefix, constant = pascal(operation_id), snake(operation_id).upper()
    imports.lines.add(f"from {endpoint.__package__} import {snake(operation_id)}")

    returned = _hints(endpoint.sync, models)["return"]
    page = next((m for m in typing.get_args(returned) if attrs.has(m) and "items" in attrs.fields_dict(m)), None)
    if page is None:
        raise BindingError(f"{operation_id}: the generated sync() returns no page model ({returned!r})")
    (item,) = typing.get_args(_hints(page, models)["items"])
    lines = [
        f"# {operation_id}: the page and item models and their enums",
        f"{prefix}Page = {imports.name(page)}",
        f"{prefix}Item = {imports.name(item)}",
    ]
    enum_names: list[str] = []
    for field_name, annotation in _hints(item, models).items():
        field_enum = _enum_of(annotation)
        if field_enum is not None:
            enum_names.append(f"{prefix}Item{pascal(field_name)}")
            lines.append(f"{enum_names[-1]} = {imports.name(field_enum)}")

    arguments = _hints(endpoint._get_kwargs, models)
    query = [p for p in operation.get("parameters", []) if p.get("in") == "query"]
    keep = [p for p in query if p["name"] != PAGE_PARAMETER and p["name"] not in set_by_us]
    lines += [
        "",
        "",
        f"class {prefix}Query(TypedDict, total=False):",
        f'    """What a caller may set ({PAGE_PARAMETER} is the paginator\'s'
        + (f"; notte_ext sets {', '.join(set_by_us)}" if set_by_us else "")
        + ')."""',
        "",
    ]
    table = []
    for parameter in keep:
        argument = snake(parameter["name"])
        if argument not in arguments:
            raise BindingError(f"{operation_id}: generated endpoint has no argument {argument!r}")
        lines.append(f"    {argument}: {_render(arguments[argument], imports, unset)}")
        field_enum = _enum_of(arguments[argument])
        converter = imports.name(field_enum) if field_enum else "None"
        table.append(f"    {json.dumps(argument)}: ({json.dumps(parameter['name'])}, {converter}),")
    if not keep:
        lines.append("    pass")
    lines += ["", "", f"{constant}_QUERY: dict[str, tuple[str, type[Enum] | None]] = {{", *table, "}"]
    return "\n".join(lines), [
        snake(operation_id),
        f"{prefix}Page",
        f"{prefix}Item",
        *enum_names,
        f"{prefix}Query",
        f"{constant}_QUERY",
    ]


def write(spec_path: Path, generated_dir: Path, out: Path) -> None:
    sys.path.insert(0, str(generated_dir.resolve()))  # the client just generated, not the installed one
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    set_by_us: dict[str, list[str]] = yaml.safe_load(SETTINGS.read_text(encoding="utf-8"))["set_by_notte_ext"]
    imports = _Imports()
    bound = [bind(op, set_by_us.get(op["operationId"], []), imports) for op in paginated_operations(spec)]
    names = ", ".join(json.dumps(name) for _, defined in bound for name in defined)
    sections = [*sorted(imports.lines), "", f"__all__ = [{names}]", *(f"\n\n{body}" for body, _ in bound)]
    out.write_text(HEADER + "\n".join(sections) + "\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    try:
        write(Path(argv[0]), Path(argv[1]), Path(argv[2]))
    except BindingError as exc:
        print(f"write_bindings: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
