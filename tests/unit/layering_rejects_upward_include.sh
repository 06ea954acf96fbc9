#!/usr/bin/env bash
# The layering check must fail on a tree with an upward include (kube including
# commands), and pass on the same tree without it: proof that it can fail.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
cp "$here/../../HACKING.md" "$tree/"
mkdir -p "$tree/cli/kube" "$tree/cli/commands" "$tree/gpu_check"
printf '#include "kube/client.h"\n' >"$tree/cli/commands/run.cpp"
printf '#pragma once\n' >"$tree/cli/kube/client.h"
"$here/layering_test.sh" "$tree" >/dev/null
printf '#include "commands/run.h"\n' >>"$tree/cli/kube/client.h"
if "$here/layering_test.sh" "$tree" 2>"$tree/err"; then
  echo "the layering check passed a tree where kube includes commands" >&2
  exit 1
fi
grep -q 'kube includes "commands/run.h", a layer above it' "$tree/err"
echo "the layering check rejects an upward include"
