#!/usr/bin/env bash
# Installs what building and testing kubectl-llm needs and is missing: the C++
# libraries and tools from Debian packages. Idempotent; silent when all is there.
# Go (>= 1.25, for the local control plane) must already be on PATH.
# `install-deps.sh --sanitizers` adds clang and its sanitizer runtimes for the
# asan, fuzz and ci presets (scripts/test.sh asks for them).
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config git curl openssl python3 util-linux
  iproute2  # the local cluster's pod network (network namespace, veth pair, routes)
  libcli11-dev libyaml-cpp-dev libyaml-dev libcurl4-openssl-dev libssl-dev libfmt-dev zlib1g-dev
  dpkg-dev  # scripts/build-curl.sh: the release's static libcurl, nghttp2 and zlib, from Debian's sources
  doctest-dev nlohmann-json3-dev libkainjow-mustache-dev
  chromium  # headless, for the test that screenshots validate-nodes --report
  clang-format  # scripts/format.sh and its unit test
  ccache  # the dev preset's compiler cache
  debootstrap qemu-user-static binutils-aarch64-linux-gnu  # Debian roots to run and cross-build the release in
)
[[ ${1:-} == --sanitizers ]] && packages+=(clang-16 libclang-rt-16-dev llvm)  # ASan, UBSan, libFuzzer; llvm-symbolizer for their stacks
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps.sh: installing ${missing[*]}" >&2
  sudo_cmd=()
  ((EUID == 0)) || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
if ! command -v go >/dev/null 2>&1; then
  for d in /usr/local/go/bin "$HOME/go/bin"; do [[ -x $d/go ]] && export PATH="$d:$PATH"; done
fi
command -v go >/dev/null 2>&1 || { echo "install-deps.sh: Go 1.25 or newer is needed to build the local control plane" >&2; exit 1; }
