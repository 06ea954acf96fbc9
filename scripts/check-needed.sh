#!/usr/bin/env bash
# Holds a portable kubectl-llm (the release preset, LLM_PORTABLE) to the shared
# libraries it may need: glibc's libc and libm, and the loader. Anything else
# in its NEEDED entries (libstdc++, yaml-cpp, fmt, OpenSSL, zlib, libcurl) is a
# library a user's machine might lack or have in another version, and one more
# for every start-up to load and relocate. libcurl is opened at run time
# (cli/kube/curl_library.h), so it is not NEEDED either.
#
#   scripts/check-needed.sh PATH/TO/kubectl-llm
set -euo pipefail
binary="$1"
allowed=(libc.so.6 libm.so.6 ld-linux-x86-64.so.2 ld-linux-aarch64.so.1)
needed=$(readelf -d "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
extra=()
for library in $needed; do
  ok=0
  for allow in "${allowed[@]}"; do [[ $library == "$allow" ]] && ok=1; done
  [[ $ok == 1 ]] || extra+=("$library")
done
if ((${#extra[@]})); then
  echo "check-needed: $binary needs shared libraries beyond glibc: ${extra[*]} (allowed: ${allowed[*]})" >&2
  exit 1
fi
echo "check-needed: $binary needs only: $(echo $needed)"
