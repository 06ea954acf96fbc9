#!/usr/bin/env bash
# Formats every C++ and CUDA source git knows with the repository's
# .clang-format. --check changes nothing: it lists the files that differ and
# exits 1 when there is one (the unit test "sources follow .clang-format").
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
check=0
case "${1:-}" in
  --check) check=1 ;;
  "") ;;
  *) echo "usage: scripts/format.sh [--check]" >&2; exit 2 ;;
esac
clang_format="${CLANG_FORMAT:-clang-format}"
command -v "$clang_format" >/dev/null || {
  echo "format.sh: $clang_format not found (scripts/install-deps.sh installs it)" >&2
  exit 1
}
cd "$root"
mapfile -d '' files < <(git ls-files -z -- '*.h' '*.cpp' '*.cu' '*.cuh')
if ((check == 0)); then
  printf '%s\0' "${files[@]}" | xargs -0 -n 50 "$clang_format" -i --style=file
  exit 0
fi
# One run over every file: clang-format names each file that would change in
# its "file:line:col: error: code should be clang-formatted" lines.
mapfile -t differ < <(printf '%s\0' "${files[@]}" |
  xargs -0 -n 100 "$clang_format" --style=file --dry-run --Werror 2>&1 |
  sed -n 's/^\(.*\):[0-9]*:[0-9]*: error: code should be clang-formatted.*/\1/p' | sort -u)
if ((${#differ[@]})); then
  printf 'not formatted: %s\n' "${differ[@]}" >&2
  echo "format.sh: ${#differ[@]} file(s) differ from .clang-format; run scripts/format.sh" >&2
  exit 1
fi
