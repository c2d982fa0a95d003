#!/usr/bin/env bash
# Regenerate the attrs/httpx client from openapi.json into OUT_DIR (default: generated), and the
# operation bindings notte_ext imports into BINDINGS (default: notte_ext/_bindings.py).
#   1. apply the declarative customizations (codegen/overlay.yaml, OpenAPI Overlay 1.0) to a
#      build-time copy: openapi.json itself stays byte-identical to upstream;
#   2. run the pinned openapi-python-client with --fail-on-warning (it otherwise skips
#      endpoints it cannot handle and still exits 0), our template overrides, and the
#      pinned ruff from .venv for its post-hooks (output must not depend on the machine);
#   3. write the bindings (scripts/write_bindings.py: page/item models, enums, query TypedDict per
#      paginated operation), formatted by the same ruff;
#   4. fail if any operation of openapi.json is missing from the output.
set -euo pipefail
cd "$(dirname "$0")/.."
out_dir=${1:-generated}
bindings=${2:-notte_ext/_bindings.py}
bin=.venv/bin
export PATH="$PWD/$bin:$PATH"

mkdir -p build
"$bin/oas-patch" overlay openapi.json codegen/overlay.yaml -o build/openapi.generator.json >/dev/null
"$bin/openapi-python-client" generate \
  --path build/openapi.generator.json \
  --config codegen/generator.yaml \
  --custom-template-path codegen/templates \
  --meta uv \
  --fail-on-warning \
  --overwrite \
  --output-path "$out_dir"
"$bin/python" scripts/write_bindings.py openapi.json "$out_dir" "$bindings"
# --isolated: the same output wherever it runs (a scratch dir has no pyproject.toml).
"$bin/ruff" check --isolated --line-length 120 --select I,F401,RUF022 --fix-only --quiet --no-cache "$bindings"
"$bin/ruff" format --isolated --line-length 120 --quiet --no-cache "$bindings"
"$bin/python" scripts/check_operations.py openapi.json "$out_dir"
