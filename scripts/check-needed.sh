#!/usr/bin/env bash
# Holds a portable kubectl-llm (the release preset, LLM_PORTABLE) to the shared
# libraries it may need: glibc's libc and libm, and the loader. Anything else
# in its NEEDED entries (libstdc++, yaml-cpp, fmt, OpenSSL, zlib, libcurl) is a
# library a user's machine might lack or have in another version, and one more
# for every start-up to load and relocate. libcurl is opened at run time
# (cli/kube/curl_library.h): the release's network module, kubectl-llm-net.so
# beside the binary, held to the same rules when it is there, or the system's.
# And to the glibc it
# needs: no symbol version above GLIBC_2.36 (Debian 12's; the static libstdc++
# calls arc4random, new in 2.36), the oldest glibc the README promises.
#
#   scripts/check-needed.sh PATH/TO/kubectl-llm     # and kubectl-llm-net.so beside it, if there
set -euo pipefail
allowed=(libc.so.6 libm.so.6 ld-linux-x86-64.so.2 ld-linux-aarch64.so.1)
max_glibc=${LLM_MAX_GLIBC:-2.36}  # a test lowers it to see the check fail
check() {
  local binary=$1 needed library ok allow highest
  needed=$(readelf -d "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
  local extra=()
  for library in $needed; do
    ok=0
    for allow in "${allowed[@]}"; do [[ $library == "$allow" ]] && ok=1; done
    [[ $ok == 1 ]] || extra+=("$library")
  done
  if ((${#extra[@]})); then
    echo "check-needed: $binary needs shared libraries beyond glibc: ${extra[*]} (allowed: ${allowed[*]})" >&2
    return 1
  fi
  highest=$(objdump -T "$binary" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -V | tail -n 1)
  if [[ -n $highest && $(printf '%s\n%s\n' "$highest" "$max_glibc" | sort -V | tail -n 1) != "$max_glibc" ]]; then
    echo "check-needed: $binary needs GLIBC_$highest, newer than the GLIBC_$max_glibc the README promises:" >&2
    objdump -T "$binary" | grep "GLIBC_$highest" | awk '{print "  " $NF}' >&2
    return 1
  fi
  echo "check-needed: $binary needs only: $(echo $needed), glibc $highest or newer"
}
check "$1"
module=$(dirname "$1")/kubectl-llm-net.so
[[ ! -f $module ]] || check "$module"
