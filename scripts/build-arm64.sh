#!/usr/bin/env bash
# Builds the linux/arm64 release of kubectl-llm on an x86-64 Debian 12 (as
# root): a Debian 12 arm64 root from Debian's packages to build against
# (build/arm64-root, made once), the release-arm64 preset (clang
# cross-compiling; cmake/aarch64-linux-gnu.cmake), then the checks the amd64
# release gets: glibc alone NEEDED, and it runs (under qemu-user) in that root.
#   scripts/build-arm64.sh      # -> build/release-arm64/cli/kubectl-llm
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/debian-root.sh arm64 build/arm64-root \
  libc6-dev libstdc++-12-dev libgcc-12-dev libssl-dev zlib1g-dev libyaml-cpp-dev libyaml-dev libcurl4-openssl-dev \
  libcli11-dev libfmt-dev nlohmann-json3-dev libkainjow-mustache-dev
cmake --preset release-arm64 >/dev/null
cmake --build --preset release-arm64
scripts/check-needed.sh build/release-arm64/cli/kubectl-llm
scripts/check-runs-in-root.sh build/release-arm64/cli/kubectl-llm build/arm64-root
