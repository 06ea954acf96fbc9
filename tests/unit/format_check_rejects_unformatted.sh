#!/usr/bin/env bash
# scripts/format.sh --check must fail on a tree with a badly laid out file,
# naming it, pass on the same tree once scripts/format.sh has formatted it, and
# leave the files alone while checking: proof that the format check can fail.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
mkdir -p "$tree/scripts" "$tree/cli"
cp "$here/../../scripts/format.sh" "$tree/scripts/"
cp "$here/../../.clang-format" "$tree/"
printf 'int Answer() { return 42; }\n' >"$tree/cli/good.cpp"
printf 'int   Answer( ) {\n    return 42 ;}\n' >"$tree/cli/bad.cpp"
git -C "$tree" init -q && git -C "$tree" add -A
cp "$tree/cli/bad.cpp" "$tree/bad.before"
if "$tree/scripts/format.sh" --check 2>"$tree/err"; then
  echo "the format check passed a badly laid out file" >&2
  exit 1
fi
grep -qx 'not formatted: cli/bad.cpp' "$tree/err"
if grep -q good.cpp "$tree/err"; then
  echo "the format check named a formatted file" >&2
  exit 1
fi
cmp -s "$tree/cli/bad.cpp" "$tree/bad.before" || { echo "--check changed a file" >&2; exit 1; }
"$tree/scripts/format.sh"
"$tree/scripts/format.sh" --check
echo "the format check rejects an unformatted file and passes it once formatted"
