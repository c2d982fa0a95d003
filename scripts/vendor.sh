#!/usr/bin/env bash
# `make vendor [UPSTREAM=url-or-path]`: bump openapi.json to upstream's version of the operations
# codegen/bindings.yaml selects (its `vendor` section: tags and operations), and leave a consistent
# tree in one command:
#   1. read and slice upstream into build/vendor/ (unreadable, or a selection it can't satisfy: one
#      line on stderr, nothing written, exit 2);
#   2. print the drift report, vendored -> new (a breaking change is reported, not refused: reviewing
#      it is the point of the bump);
#   3. move openapi.json + openapi.meta.json into place, regenerate generated/ and notte_ext/_bindings.py;
#   4. re-lock (generated/pyproject.toml carries the API version) and sync .venv to the new lock.
# If a step after the report fails (the generator refuses the document, the API version is not a
# PEP 440 version...), the previous openapi.json, meta, generated/, bindings and uv.lock are put back.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.venv/bin
staged=build/vendor
rm -rf "$staged" && mkdir -p "$staged"
"$bin/python" scripts/vendor_spec.py "$@" --selection codegen/bindings.yaml --previous openapi.meta.json --out "$staged/openapi.json" >/dev/null

status=0
"$bin/notte-ext" spec diff openapi.json "$staged/openapi.json" || status=$?
if [ "$status" -gt 1 ]; then
  echo "vendor: could not compare the new spec with openapi.json; nothing written" >&2
  exit "$status"
fi

derived=(openapi.json openapi.meta.json uv.lock notte_ext/_bindings.py generated)
mkdir -p "$staged/previous/notte_ext"
for path in "${derived[@]}"; do cp -a "$path" "$staged/previous/$path"; done
restore() {
  for path in "${derived[@]}"; do rm -rf "$path" && cp -a "$staged/previous/$path" "$path"; done
  echo "vendor: failed after the report; put back the previous openapi.json, generated/, bindings and uv.lock" >&2
}
trap restore ERR

mv "$staged/openapi.json" openapi.json
mv "$staged/openapi.meta.json" openapi.meta.json
echo "vendor: wrote openapi.json and openapi.meta.json (API $("$bin/python" -c 'import json; print(json.load(open("openapi.json"))["info"]["version"])'))"
scripts/generate.sh generated >/dev/null
echo "vendor: regenerated generated/ and notte_ext/_bindings.py"
.tools/bin/uv lock --quiet
.tools/bin/uv sync --locked --all-extras --all-groups --quiet
trap - ERR
touch "$bin/.synced"
echo "vendor: re-locked uv.lock and synced .venv; review with 'git diff --stat', then run 'make test'"
