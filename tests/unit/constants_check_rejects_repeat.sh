#!/usr/bin/env bash
# The constants check must pass a tree where each constant has one home and
# fail once a second header defines one of the names (with another type, as
# the repeat it was written for): proof that it can fail.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
mkdir -p "$tree/cli/workload" "$tree/gpu_check"
printf 'inline constexpr const char* kLabel = "a/b";\n' >"$tree/cli/workload/record.h"
printf 'inline constexpr int kOther = 1;\n' >"$tree/cli/workload/nodes.h"
"$here/constants_defined_once_test.sh" "$tree"
printf 'inline constexpr std::string_view kLabel = "a/b";\n' >>"$tree/cli/workload/nodes.h"
if "$here/constants_defined_once_test.sh" "$tree" 2>"$tree/err"; then
  echo "the constants check passed a tree where kLabel is defined in two headers" >&2
  exit 1
fi
grep -q 'constant kLabel is defined in more than one header' "$tree/err"
echo "the constants check rejects a name defined in two headers"
