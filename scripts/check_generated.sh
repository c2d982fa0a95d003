#!/usr/bin/env bash
# Fail (and show the diff) when generated/ or notte_ext/_bindings.py differs from a fresh regeneration.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
scripts/generate.sh "$scratch/generated" "$scratch/_bindings.py" >/dev/null
if ! diff -ruN --exclude=__pycache__ --exclude=.ruff_cache generated "$scratch/generated" \
  || ! diff -u notte_ext/_bindings.py "$scratch/_bindings.py"; then
  echo "check-generated: generated/ or notte_ext/_bindings.py is not what 'make generate' produces from" \
       "openapi.json; run 'make generate' and commit, or move the change into codegen/ (overlay, config," \
       "templates, bindings.yaml) or scripts/write_bindings.py." >&2
  exit 1
fi
echo "check-generated: generated/ and notte_ext/_bindings.py match a fresh regeneration"
