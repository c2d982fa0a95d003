#!/usr/bin/env bash
# Regenerate the attrs/httpx client from openapi.json into OUT_DIR (default: generated).
#   1. apply the declarative customizations (codegen/overlay.yaml, OpenAPI Overlay 1.0) to a
#      build-time copy: openapi.json itself stays byte-identical to upstream;
#   2. run the pinned openapi-python-client with --fail-on-warning (it otherwise skips
#      endpoints it cannot handle and still exits 0), our template overrides, and the
#      pinned ruff from .venv for its post-hooks (output must not depend on the machine);
#   3. fail if any operation of openapi.json is missing from the output.
set -euo pipefail
cd "$(dirname "$0")/.."
out_dir=${1:-generated}
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
"$bin/python" scripts/check_operations.py openapi.json "$out_dir"
