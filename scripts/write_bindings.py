"""Write notte_ext/_bindings.py: what notte_ext uses of each operation, found by operation.

For every operation of openapi.json, read the generated client (the generator's own code, not a
second registry) and name, under names derived from the operationId: its endpoint module; the model
its 200 response parses into (`<Operation>Result`, or for a ``PaginatedResponse_*`` page
`<Operation>Page` and its `<Operation>Item`); its request body model (`<Operation>Body`); the enums
of those models' fields; and a ``TypedDict`` of its query parameters (generated argument names,
types from the generated signature). notte_ext imports only these names, so a component renamed
upstream is a regenerated alias, never a broken import, and an operation vendored later is bound
the same way. ``make generate`` runs this; ``make check-generated`` compares. It must not import
notte_ext: the package imports the bindings it is rewriting.

    python scripts/write_bindings.py openapi.json generated notte_ext/_bindings.py
"""

from __future__ import annotations

import ast
import enum
import importlib
import inspect
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

The generated names notte_ext uses, bound by operation: `<Operation>Result` (the model of its 200
response) or, for a page, `<Operation>Page` and `<Operation>Item`; `<Operation>Body` (its request
body model); `...<Field>` (the enum of a field of those); `<Operation>Query` (its query parameters
under the generated argument names) and `<OPERATION>_QUERY` (generated argument -> spec parameter
name and generated enum, for validation and conversion). `ValidationErrorBody` and `ValidationErrorItem`:
the model of a 422 and of one of its `detail` entries.
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


def spec_operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(method, path, operation) of every operation, in document order."""
    return [
        (method, path, operation)
        for path, item in spec.get("paths", {}).items()
        for method, operation in item.items()
        if isinstance(operation, dict) and "operationId" in operation  # path-item keys that are operations
    ]


def is_paginated(operation: dict[str, Any]) -> bool:
    """Whether the 200 JSON body is a `PaginatedResponse_*` component (a page with items)."""
    body = operation.get("responses", {}).get("200", {}).get("content", {}).get("application/json", {})
    return bool(body.get("schema", {}).get("$ref", "").startswith("#/components/schemas/PaginatedResponse_"))


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
    parts, nullable = [], False
    for member in typing.get_args(annotation) if isinstance(annotation, types.UnionType) else (annotation,):
        if member is unset:
            continue
        if member is type(None):
            nullable = True
        elif isinstance(member, type) and issubclass(member, enum.Enum):
            values = ", ".join(json.dumps(item.value) for item in member)
            parts += [imports.name(member), f"Literal[{values}]"]
        elif isinstance(member, type) and member.__module__ == "builtins":
            parts.append(member.__name__)
        else:
            raise BindingError(f"no rendering for parameter type {member!r}")
    return " | ".join([*parts, *(["None"] if nullable else [])])


def _enum_of(annotation: Any) -> type[enum.Enum] | None:
    members = typing.get_args(annotation) if isinstance(annotation, types.UnionType) else (annotation,)
    return next((m for m in members if isinstance(m, type) and issubclass(m, enum.Enum)), None)


def parsed_models(endpoint: types.ModuleType) -> dict[int, type]:
    """The model each status parses into, read from the generated `_parse_response`
    (`if response.status_code == 200: response_200 = Model.from_dict(...)`)."""
    tree = ast.parse(inspect.getsource(endpoint._parse_response))
    found: dict[int, type] = {}
    for branch in ast.walk(tree):
        test = branch.test if isinstance(branch, ast.If) else None
        if not (isinstance(test, ast.Compare) and isinstance(test.comparators[0], ast.Constant)):
            continue
        status = test.comparators[0].value
        for call in ast.walk(branch):
            if (
                isinstance(status, int)
                and isinstance(call, ast.Call)
                and isinstance(call.func, ast.Attribute)
                and call.func.attr == "from_dict"
                and isinstance(call.func.value, ast.Name)
            ):
                found.setdefault(status, getattr(endpoint, call.func.value.id))
    return found


def _models_and_enums(
    prefix: str, model: type, imports: _Imports, models: types.ModuleType
) -> tuple[list[str], list[str]]:
    """`<prefix> = Model` and `<prefix><Field> = Enum` for each enum field of the model."""
    lines, names = [f"{prefix} = {imports.name(model)}"], [prefix]
    for field_name, annotation in _hints(model, models).items():
        field_enum = _enum_of(annotation)
        if field_enum is not None:
            names.append(f"{prefix}{pascal(field_name)}")
            lines.append(f"{names[-1]} = {imports.name(field_enum)}")
    return lines, names


def _endpoint(operation_id: str) -> types.ModuleType:
    api = importlib.import_module("notte_api_client.api")
    for tag in Path(api.__path__[0]).iterdir():
        if (tag / f"{snake(operation_id)}.py").exists():
            return importlib.import_module(f"notte_api_client.api.{tag.name}.{snake(operation_id)}")
    raise BindingError(f"{operation_id}: no generated endpoint module")


def bind(label: str, operation: dict[str, Any], set_by_us: list[str], imports: _Imports) -> tuple[str, list[str]]:
    """The bindings of one operation, as source, and the names it defines."""
    operation_id = operation["operationId"]
    models = importlib.import_module("notte_api_client.models")
    unset = importlib.import_module("notte_api_client.types").Unset
    endpoint = _endpoint(operation_id)
    prefix, constant = pascal(operation_id), snake(operation_id).upper()
    imports.lines.add(f"from {endpoint.__package__} import {snake(operation_id)}")
    lines, names = [f"# {operation_id} ({label})"], [snake(operation_id)]

    result = parsed_models(endpoint).get(200)
    if is_paginated(operation):
        if result is None or not attrs.has(result) or "items" not in attrs.fields_dict(result):
            raise BindingError(f"{operation_id}: the generated client parses its 200 into no page model ({result!r})")
        (item,) = typing.get_args(_hints(result, models)["items"])
        lines.append(f"{prefix}Page = {imports.name(result)}")
        names.append(f"{prefix}Page")
        defined = _models_and_enums(f"{prefix}Item", item, imports, models)
    elif result is not None:
        defined = _models_and_enums(f"{prefix}Result", result, imports, models)
    else:  # the spec documents no model for its 200 (e.g. `schema: {}`): notte_ext reads it itself
        defined = ([], [])
    lines += defined[0]
    names += defined[1]

    arguments = _hints(endpoint._get_kwargs, models)
    if "body" in arguments:
        body = arguments["body"]
        if not (isinstance(body, type) and attrs.has(body)):
            raise BindingError(f"{operation_id}: the request body is not one generated model ({body!r})")
        body_lines, body_names = _models_and_enums(f"{prefix}Body", body, imports, models)
        lines += body_lines
        names += body_names

    query = [p for p in operation.get("parameters", []) if p.get("in") == "query"]
    keep = [p for p in query if p["name"] != PAGE_PARAMETER and p["name"] not in set_by_us]
    paged = any(p["name"] == PAGE_PARAMETER for p in query)
    own = ([f"{PAGE_PARAMETER} is the paginator's"] if paged else []) + (
        [f"notte_ext sets {', '.join(set_by_us)}"] if set_by_us else []
    )
    lines += [
        "",
        "",
        f"class {prefix}Query(TypedDict, total=False):",
        '    """What a caller may set' + (f" ({'; '.join(own)})" if own else "") + '."""',
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
    lines += ["", "", f"{constant}_QUERY: dict[str, tuple[str, type[Enum] | None]] = {{", *table, "}"]
    return "\n".join(lines), [*names, f"{prefix}Query", f"{constant}_QUERY"]


def bind_validation_error(spec: dict[str, Any], imports: _Imports) -> tuple[str, list[str]]:
    """`ValidationErrorBody` (the model a 422 parses into: FastAPI's HTTPValidationError) and
    `ValidationErrorItem` (one entry of its `detail`), whatever upstream names them."""
    models = importlib.import_module("notte_api_client.models")
    for _, _, operation in spec_operations(spec):
        body = parsed_models(_endpoint(operation["operationId"])).get(422)
        if body is None:
            continue
        detail = _hints(body, models).get("detail")
        lists = [m for m in typing.get_args(detail) if typing.get_origin(m) is list]
        if not lists:
            raise BindingError(f"{operation['operationId']}: its 422 model {body.__name__} has no list `detail`")
        (item,) = typing.get_args(lists[0])
        lines = [f"ValidationErrorBody = {imports.name(body)}", f"ValidationErrorItem = {imports.name(item)}"]
        return "# a 422 of any operation\n" + "\n".join(lines), ["ValidationErrorBody", "ValidationErrorItem"]
    raise BindingError("no operation documents a 422 model")


def write(spec_path: Path, generated_dir: Path, out: Path) -> None:
    sys.path.insert(0, str(generated_dir.resolve()))  # the client just generated, not the installed one
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    set_by_us: dict[str, list[str]] = yaml.safe_load(SETTINGS.read_text(encoding="utf-8"))["set_by_notte_ext"]
    imports = _Imports()
    bound = [
        bind(f"{method.upper()} {path}", op, set_by_us.get(op["operationId"], []), imports)
        for method, path, op in spec_operations(spec)
    ]
    bound.append(bind_validation_error(spec, imports))
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
