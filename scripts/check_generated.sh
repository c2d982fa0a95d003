#!/usr/bin/env bash
# Fail (and show the diff) when generated/ differs from a fresh regeneration.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
scripts/generate.sh "$scratch/generated" >/dev/null
if ! diff -ruN --exclude=__pycache__ --exclude=.ruff_cache generated "$scratch/generated"; then
  echo "check-generated: generated/ is not what 'make generate' produces from openapi.json;" \
       "run 'make generate' and commit, or move the change into codegen/ (overlay, config, templates)." >&2
  exit 1
fi
echo "check-generated: generated/ matches a fresh regeneration"
