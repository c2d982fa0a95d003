"""The generated client: it exists, builds the right request, and never shows the key."""

from __future__ import annotations

import ast
import datetime
import difflib
import hashlib
import inspect
import io
import json
import re
import shutil
import subprocess
import textwrap
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import attrs
import httpx
import openapi_python_client
import pytest
import yaml
from notte_api_client import AuthenticatedClient, Client
from notte_api_client.api.functions import list_function_runs_by_function_id as list_runs
from packaging.specifiers import SpecifierSet

from notte_ext import _bindings
from notte_ext.drift import slice_document
from notte_ext.functions import FunctionRun, RunsPage
from notte_ext.testing.forms import parse_form
from scripts.check_operations import missing_operations
from scripts.vendor_spec import dump_document, load_document, selected_keys
from scripts.write_bindings import pascal
from tests.revision import UPSTREAM_COPY, generated_defaults, only_on

ROOT = Path(__file__).resolve().parents[1]
SECRET = "sk-SECRET-do-not-print"


def _captured_request(function_id: str) -> httpx.Request:
    """Send the generated call through a transport that records the request."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        body = {"items": [], "page": 1, "page_size": 10, "has_next": False, "has_previous": False}
        return httpx.Response(200, json=body)

    client = AuthenticatedClient(
        base_url="https://api.example", token=SECRET, httpx_args={"transport": httpx.MockTransport(handler)}
    )
    with client:
        parsed = list_runs.sync(function_id, client=client)
    assert isinstance(parsed, RunsPage)
    assert parsed.items == []
    (request,) = seen
    return request


def test_generated_call_builds_the_documented_request() -> None:
    request = _captured_request("fn-123")
    assert request.method == "GET"
    assert request.url.path == "/functions/fn-123/runs"
    # The spec's defaults are sent explicitly by the generated call.
    assert dict(request.url.params) == generated_defaults()
    assert request.headers["authorization"] == f"Bearer {SECRET}"


@pytest.mark.parametrize(
    ("function_id", "raw_path"),
    [("a/b", b"/functions/a%2Fb/runs"), ("../x", b"/functions/..%2Fx/runs"), ("é?#", b"/functions/%C3%A9%3F%23/runs")],
)
def test_function_id_is_percent_encoded_into_one_segment(function_id: str, raw_path: bytes) -> None:
    assert _captured_request(function_id).url.raw_path == raw_path + b"?" + urlencode(generated_defaults()).encode()


def test_no_client_repr_contains_the_key() -> None:
    authenticated = AuthenticatedClient(base_url="https://x", token=SECRET, headers={"X-Other": "1"})
    authenticated.get_httpx_client()  # puts "Authorization: Bearer <key>" into its headers
    authenticated.get_async_httpx_client()
    plain = Client(base_url="https://x", headers={"Authorization": f"Bearer {SECRET}"})
    for obj in (authenticated, plain, authenticated.with_headers({"a": "b"}), authenticated.get_httpx_client()):
        assert SECRET not in repr(obj)
        assert SECRET not in str(obj)


def test_the_documented_one_liner_prints_no_key() -> None:
    code = (
        "from notte_api_client import AuthenticatedClient as C; print(repr(C(base_url='https://x', token='sk-SECRET')))"
    )
    out = subprocess.run([str(ROOT / ".venv/bin/python"), "-c", code], capture_output=True, text=True, check=True)
    assert "AuthenticatedClient(" in out.stdout
    assert "sk-SECRET" not in out.stdout


@only_on("1.4.40")  # codegen/upstream/ holds the whole 1.4.40 document
def test_openapi_json_is_the_upstream_slice_verbatim() -> None:
    upstream = load_document(UPSTREAM_COPY.read_text(encoding="utf-8"))
    vendored_text = (ROOT / "openapi.json").read_text(encoding="utf-8")
    keys = selected_keys(upstream, yaml.safe_load((ROOT / "codegen/bindings.yaml").read_text(encoding="utf-8")))
    assert vendored_text == dump_document(slice_document(upstream, keys))  # same key order, 2-space indent
    meta = json.loads((ROOT / "openapi.meta.json").read_text(encoding="utf-8"))
    assert meta["sha256"] == hashlib.sha256(vendored_text.encode()).hexdigest()
    assert meta["api_version"] == upstream["info"]["version"] == "1.4.40"
    assert len(meta["operations"]) == 13


def test_template_override_is_upstream_plus_repr_edits_only() -> None:
    removed, added = _override_diff("client.py.jinja")
    assert len(removed) == len(added) == 4
    for before, after in zip(removed, added, strict=True):
        assert after.replace(", repr=False)", ")").replace('"field(repr=False)"', '""') == before


def test_pyproject_override_only_moves_uv_build_to_the_pinned_uv() -> None:
    """Upstream's uv_build range excludes the uv `make install` pins, so every install warned."""
    removed, added = _override_diff("pyproject_uv.toml.jinja")
    assert removed == ['requires = ["uv_build>=0.12.0,<0.13.0"]']
    root = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert added == [f"requires = {json.dumps(root['build-system']['requires'])}"]
    generated = tomllib.loads((ROOT / "generated/pyproject.toml").read_text())
    assert generated["build-system"]["requires"] == root["build-system"]["requires"]
    pinned = re.search(r"^UV_VERSION := (\S+)$", (ROOT / "Makefile").read_text(), re.MULTILINE)
    assert pinned is not None
    assert SpecifierSet(root["build-system"]["requires"][0].removeprefix("uv_build")).contains(pinned[1])


def test_check_operations_reports_a_dropped_endpoint(tmp_path: Path) -> None:
    spec = json.loads((ROOT / "openapi.json").read_text())
    package = ROOT / "generated/notte_api_client"
    assert missing_operations(spec, package) == []
    spec["paths"]["/sessions"] = {"get": {"operationId": "listSessions"}}
    assert missing_operations(spec, package) == ["GET /sessions (listSessions)"]


def test_every_vendored_operation_is_generated_and_bound() -> None:
    """openapi-python-client dropped two of the 13 (an undeclared path parameter, a multipart file it
    sends as text): the overlay fixes both; nothing is missing and every one has its bindings."""
    spec = json.loads((ROOT / "openapi.json").read_text())
    operation_ids = [op["operationId"] for item in spec["paths"].values() for op in item.values()]
    assert missing_operations(spec, ROOT / "generated/notte_api_client") == []
    assert all(hasattr(_bindings, name) and hasattr(_bindings, f"{pascal(name)}Query") for name in operation_ids)


def _project_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "project"
    for name in ("openapi.json", "codegen", "scripts", "generated"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            copy.mkdir(exist_ok=True)
            shutil.copy(source, copy / name)
    (copy / "notte_ext").mkdir()
    shutil.copy(ROOT / "notte_ext/_bindings.py", copy / "notte_ext/_bindings.py")
    (copy / ".venv").symlink_to(ROOT / ".venv")
    return copy


def test_check_generated_passes_clean_and_fails_on_any_hand_edit(tmp_path: Path) -> None:
    copy = _project_copy(tmp_path)
    clean = subprocess.run(["scripts/check_generated.sh"], cwd=copy, capture_output=True, text=True)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    target = copy / Path(inspect.getfile(FunctionRun)).relative_to(ROOT)  # the item model, whatever its name
    target.write_text(target.read_text().replace("function_run_id", "function_run_ID", 1))
    edited = subprocess.run(["scripts/check_generated.sh"], cwd=copy, capture_output=True, text=True)
    assert edited.returncode == 1
    assert "function_run_ID" in edited.stdout  # the diff is shown
    assert "make generate" in edited.stderr
    target.write_text(target.read_text().replace("function_run_ID", "function_run_id", 1))
    bindings = copy / "notte_ext/_bindings.py"
    bindings.write_text(bindings.read_text().replace("TypedDict, total=False", "TypedDict, total=True", 1))
    stale = subprocess.run(["scripts/check_generated.sh"], cwd=copy, capture_output=True, text=True)
    assert stale.returncode == 1
    assert "total=True" in stale.stdout


def _override_diff(relative: str) -> tuple[list[str], list[str]]:
    """(lines removed from, lines added to) upstream's template in our override, header comment aside."""
    upstream = (Path(openapi_python_client.__file__).parent / "templates" / relative).read_text()
    ours = (ROOT / "codegen/templates" / relative).read_text()
    header, _, body = ours.partition("-#}\n")
    assert header.startswith("{#- notte-ext override")
    diff = list(difflib.unified_diff(upstream.splitlines(), body.splitlines(), n=0, lineterm=""))
    removed = [line[1:] for line in diff if line.startswith("-") and not line.startswith("---")]
    added = [line[1:] for line in diff if line.startswith("+") and not line.startswith("+++")]
    return removed, added


def test_datetime_override_only_adds_the_utc_conversion_to_construct() -> None:
    removed, added = _override_diff("property_templates/datetime_property.py.jinja")
    assert removed == []
    assert added == [
        "{% if property.required %}",
        "if {{ property.python_name }}.tzinfo is not datetime.UTC:",
        "{% else %}",
        "if isinstance({{ property.python_name }}, datetime.datetime) and {{ property.python_name }}.tzinfo is not datetime.UTC:",
        "{% endif %}",
        "    {{ property.python_name }} = {{ property.python_name }}.replace(tzinfo=datetime.UTC) if {{ property.python_name }}.tzinfo is None else {{ property.python_name }}.astimezone(datetime.UTC)",
    ]


def test_union_override_only_replaces_the_parse_function_by_straight_line_code() -> None:
    removed, added = _override_diff("property_templates/union_property.py.jinja")
    assert removed == []
    counting = [
        "{% set constructed = namespace(count=0, checked=false, unmodified=false) %}",
        "{% for inner_property in property.inner_properties %}",
        '{% import "property_templates/" + inner_property.template as inner_template %}',
        "{% if inner_template.construct %}",
        "{% set constructed.count = constructed.count + 1 %}",
        "{% if inner_template.check_type_for_construct %}{% set constructed.checked = true %}{% endif %}",
        "{% else %}",
        "{% set constructed.unmodified = true %}",
        "{% endif %}",
        "{% endfor %}",
    ]
    nothing_to_construct = ["{% if constructed.count == 0 %}", "{{ property.python_name }} = {{ source }}"]
    one_member_to_construct = [
        "{% elif constructed.count == 1 and constructed.checked and constructed.unmodified %}",
        "{{ property.python_name }} = {{ source }}",
        "{% for inner_property in property.inner_properties %}",
        '{% import "property_templates/" + inner_property.template as inner_template %}',
        "{% if inner_template.construct %}",
        "if {{ inner_template.check_type_for_construct(inner_property, property.python_name) }}:",
        "    try:",
        "        {{ inner_template.construct(inner_property, property.python_name) | trim | indent(8) }}",
        "        {{ property.python_name }} = {{ inner_property.python_name }}",
        # The exceptions upstream's _parse_ function swallows before returning the value as it is.
        "    except (TypeError, ValueError, AttributeError, KeyError):",
        "        pass",
        "{% endif %}",
        "{% endfor %}",
    ]
    upstream_otherwise = ["{% else %}", "{% endif %}"]
    none_left_out_of_a_form = [
        '{% if inner_property.__class__.__name__ == "NoneProperty" %}',
        '    pass  # a form has no null: left out, as when unset (not the text "None")',
        "{% else %}",
        "{%- endif %}",
    ]
    assert (
        added
        == counting + nothing_to_construct + one_member_to_construct + upstream_otherwise + none_left_out_of_a_form
    )
    upstream = Path(openapi_python_client.__file__).parent / "templates/property_templates/union_property.py.jinja"
    assert "    except (TypeError, ValueError, AttributeError, KeyError):" in upstream.read_text()


def test_list_override_only_takes_lists_of_plain_items_as_they_are() -> None:
    removed, added = _override_diff("property_templates/list_property.py.jinja")
    cast_call = "cast({{ property.get_type_string(no_optional=True) | as_unembedded_code }}, {{ source }})"
    assert removed == ["{{ property.python_name }} = " + cast_call]
    assert added == ["{{ property.python_name }} = {{ source }}"]


def test_generated_from_dict_hands_out_aware_utc() -> None:
    run = {
        "function_id": "fn",
        "function_run_id": "run",
        "created_at": "2026-01-01T02:00:00+02:00",
        "updated_at": "2026-01-01T00:00:00",
        "status": "closed",
        "workflow_id": "fn",
        "workflow_run_id": "run",
        "session_id": None,
    }
    parsed = FunctionRun.from_dict(run)
    assert parsed.created_at.tzinfo is parsed.updated_at.tzinfo is datetime.UTC
    assert parsed.created_at == parsed.updated_at == datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    assert parsed.session_id is None


def test_model_override_only_moves_from_dict_imports_and_passes_fields_by_position() -> None:
    removed, added = _override_diff("model.py.jinja")
    lazy_import_loop = [
        "    {% for lazy_import in model.lazy_imports | sort %}",
        "        {{ lazy_import }} # noqa: PLC0415",
        "    {% endfor %}",
    ]
    by_keyword = [
        "{% for property in model.required_properties + model.optional_properties %}",
        "            {{ property.python_name }}={{ property.python_name }},",
    ]
    assert removed == lazy_import_loop + by_keyword
    both = "model.required_properties + model.optional_properties"
    # The same conditions as the two loops declaring the fields in the class body, in the same order.
    by_position = [
        f"{{% for property in {both} if property.default is none and property.required %}}",
        "            {{ property.python_name }},",
        "{% endfor %}",
        f"{{% for property in {both} if property.default is not none or not property.required %}}",
        "            {{ property.python_name }},",
    ]
    at_the_bottom = [
        "",
        "{% for lazy_import in model.lazy_imports | sort %}",
        "{% if loop.first %}",
        "",
        "",
        "# from_dict's imports, at the bottom (no import cycle: this module's class already exists).",
        "{% endif %}",
        "{{ lazy_import }}  # noqa: E402",
        "{% endfor %}",
    ]
    assert added == by_position + at_the_bottom
    ours = (ROOT / "codegen/templates/model.py.jinja").read_text()
    upstream = (Path(openapi_python_client.__file__).parent / "templates/model.py.jinja").read_text()
    assert ours.count(lazy_import_loop[1]) == upstream.count(lazy_import_loop[1]) - 1  # only from_dict's moved
    assert "    {% if property.default is none and property.required %}" in ours  # the class body's loops
    assert "    {% if property.default is not none or not property.required %}" in ours


def test_boolean_override_only_sends_a_form_field_as_json_true_or_false() -> None:
    removed, added = _override_diff("property_templates/boolean_property.py.jinja")
    assert removed == ['files.append(({{ name }}, (None, str({{source}}).encode(), "text/plain")))']
    assert added == ['files.append(({{ name }}, (None, ("true" if {{ source }} else "false").encode(), "text/plain")))']


def test_a_form_field_set_to_none_is_left_out_not_sent_as_the_text_none() -> None:
    """`client.api` users building the upload body themselves: name=None went as the name "None"."""
    from notte_api_client.types import File

    from notte_ext._bindings import FunctionCreateBody

    def form(name: str | None) -> dict[str, Any]:
        body = FunctionCreateBody(file=File(payload=io.BytesIO(b"x"), file_name="w.py"), name=name)
        return {field: part[1] for field, part in body.to_multipart() if field != "file"}

    assert "name" not in form(None)
    assert form("n")["name"] == b"n"


def test_endpoint_override_only_drops_the_fixed_multipart_boundary() -> None:
    removed, added = _override_diff("endpoint_module.py.jinja")
    assert [line.strip() for line in removed] == ['headers["Content-Type"] = "multipart/form-data; boundary=+++"'] * 2
    assert added == []


def test_an_uploaded_file_holding_the_old_fixed_boundary_arrives_whole() -> None:
    """Until the override, every upload was delimited by "--+++": a file holding that line was cut."""
    from notte_api_client.api.functions import function_create  # a multipart upload
    from notte_api_client.types import File

    workflow = b"print('before')\r\n--+++\r\nprint('after')\n"
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(500)

    client = AuthenticatedClient(base_url="https://api.example", token=SECRET)
    client.set_httpx_client(httpx.Client(base_url="https://api.example", transport=httpx.MockTransport(handler)))
    body = _bindings.FunctionCreateBody(file=File(payload=io.BytesIO(workflow), file_name="workflow.py"))
    function_create.sync_detailed(client=client, body=body)
    (request,) = seen
    content_type = request.headers["Content-Type"]
    assert content_type.startswith("multipart/form-data; boundary=")
    assert "+++" not in content_type
    uploaded = parse_form(content_type, request.read())["file"]
    assert uploaded.filename == "workflow.py"
    assert uploaded.content == workflow


def _generated_models() -> list[type]:
    import notte_api_client.models as models

    return [getattr(models, name) for name in models.__all__ if attrs.has(getattr(models, name))]


@pytest.mark.parametrize("model", _generated_models(), ids=lambda model: model.__name__)
def test_from_dict_passes_every_field_in_the_order_of_init(model: type) -> None:
    """By position, a field out of order would land in its neighbour: check each call against attrs."""
    from_dict = next(
        node
        for node in ast.walk(ast.parse(textwrap.dedent(inspect.getsource(model))))
        if isinstance(node, ast.FunctionDef) and node.name == "from_dict"
    )
    (call,) = [
        node
        for node in ast.walk(from_dict)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "cls"
    ]
    assert not call.keywords
    passed = [arg.id for arg in call.args if isinstance(arg, ast.Name)]
    assert passed == [field.alias for field in attrs.fields(model) if field.init]


def test_generated_package_is_mypy_strict_clean(tmp_path: Path) -> None:
    """The template overrides take values as they are where upstream cast them: types must still check."""
    result = subprocess.run(
        [str(ROOT / ".venv/bin/mypy"), "--strict", "--config-file=", f"--cache-dir={tmp_path}", "notte_api_client"],
        cwd=ROOT / "generated",
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
