#!/usr/bin/env bash
# scripts/check-needed.sh must fail on a binary that needs libraries beyond
# glibc, naming them, or a newer glibc than allowed (itself or the network
# module beside it), and pass on one that needs only glibc: proof that the release build's check (scripts/test.sh runs
# it) can fail.
#
#   tests/unit/needed_check_rejects_shared_libraries.sh PATH/TO/kubectl-llm-of-a-non-portable-build
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
check="$here/../../scripts/check-needed.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if "$check" "$1" 2>"$work/err"; then
  echo "the NEEDED check passed $1, which links libstdc++ and yaml-cpp shared" >&2
  exit 1
fi
grep -q "needs shared libraries beyond glibc: .*libyaml-cpp.*libstdc++" "$work/err" || {
  echo "the NEEDED check failed without naming the libraries:" >&2
  cat "$work/err" >&2
  exit 1
}
printf 'int main() { return 0; }\n' >"$work/only_libc.c"
cc -o "$work/only_libc" "$work/only_libc.c"
"$check" "$work/only_libc" >/dev/null
# A glibc older than the binary needs (every binary built here needs GLIBC_2.34's __libc_start_main).
if LLM_MAX_GLIBC=2.2.5 "$check" "$work/only_libc" 2>"$work/err"; then
  echo "the NEEDED check passed a binary that needs a newer glibc than allowed" >&2
  exit 1
fi
grep -q "newer than the GLIBC_2.2.5" "$work/err"
# The release's network module beside the binary is held to the same rules.
mkdir "$work/release"
cp "$work/only_libc" "$work/release/kubectl-llm"
printf 'int f(void) { return 0; }\n' >"$work/module.c"
cc -shared -fPIC -o "$work/release/kubectl-llm-net.so" "$work/module.c" -Wl,--no-as-needed -lz
if "$check" "$work/release/kubectl-llm" 2>"$work/err"; then
  echo "the NEEDED check passed a network module that needs libz" >&2
  exit 1
fi
grep -q "kubectl-llm-net.so needs shared libraries beyond glibc: libz.so.1" "$work/err" || {
  echo "the NEEDED check failed the module without naming libz:" >&2
  cat "$work/err" >&2
  exit 1
}
echo "the NEEDED check rejects a binary with other shared libraries or a newer glibc, and passes one with glibc alone"
