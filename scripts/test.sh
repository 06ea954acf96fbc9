#!/usr/bin/env bash
# Builds everything and runs every test. Works on a fresh machine: installs what
# is missing, builds what is missing (the control plane's Go build takes ~20-30
# min the first time, then is cached). Two trees:
#  - build/ci, what the tests run: one clang 16 tree with AddressSanitizer +
#    UndefinedBehaviorSanitizer and libFuzzer's coverage, gpu_check's CUDA code
#    included (CUDA's compiler and NCCL from PyPI wheels, for Ampere and Hopper,
#    so it is compiled in every run, GPU or not). In it: the unit tests, the
#    integration and fault-injection tests (tests/faults) against a real local
#    control plane that CTest starts once and always stops, the demo, and each
#    fuzz target for 30 s. A sanitizer report aborts the process, so the test
#    that caused it fails.
#  - build/release, what users get: kubectl-llm in Release (GCC, -O3), warnings
#    as errors, portable (every library but glibc static; libcurl and OpenSSL
#    in its network module beside it, kubectl-llm-net.so, opened at the first
#    request: scripts/build-curl.sh builds libcurl from Debian's source, scripts/check-needed.sh
#    checks the result). It is built while the tests run, at the lowest priority
#    (the tests mostly wait on the control plane), and a failure fails the run;
#    then run in a minimal Debian root (scripts/check-runs-in-root.sh).
# The linux/arm64 release is not built here (12 more minutes of compiling on
# 2 cores, after the tests): scripts/build-arm64.sh builds and checks it, and
# tests/integration/krew_install_test.sh takes both binaries.
# Extra arguments go to ctest, e.g. `./scripts/test.sh -L unit` or `-R version`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[[ -x /usr/local/go/bin/go ]] && export PATH="/usr/local/go/bin:$PATH"

scripts/install-deps.sh --sanitizers
tests/cluster/build.sh >/dev/null
eval "$(scripts/install-cuda.sh)"
cmake --preset ci -DCMAKE_CUDA_COMPILER="$LLM_CUDA_NVCC" -DNCCL_ROOT="$LLM_NCCL_ROOT" >/dev/null
cmake --build --preset ci

mkdir -p build
release_log=build/release-build.log
(curl_root=$(nice -n 19 scripts/build-curl.sh) && cmake --preset release -DLLM_CURL_ROOT="$curl_root" >/dev/null &&
  nice -n 19 cmake --build --preset release) >"$release_log" 2>&1 &
release_build=$!

# A safety net: CTest's cleanup fixture stops the cluster even when tests fail;
# this also stops it (and the release build) when ctest itself is interrupted.
# Each step may fail (the build has usually ended and been waited for, so kill
# finds nothing), and under `set -e` a failing command in the trap would replace
# the run's exit status with its own: a green run would exit 1.
trap 'kill "$release_build" 2>/dev/null || true
      LLM_CLUSTER_DIR="$PWD/build/ci/test-cluster" tests/cluster/down.sh >/dev/null 2>&1 || true' EXIT
tests_status=0
ctest --preset ci -j2 "$@" || tests_status=$?

if ! wait "$release_build"; then
  echo "Release build of kubectl-llm FAILED:" >&2
  tail -n 50 "$release_log" >&2
  exit 1
fi
echo "Release build of kubectl-llm: OK (build/release/cli/kubectl-llm)"
# Portable: it needs glibc alone, and runs in a minimal Debian 12 with nothing
# added (no libcurl, no OpenSSL).
scripts/check-needed.sh build/release/cli/kubectl-llm || exit 1
scripts/debian-root.sh "$(dpkg --print-architecture)" build/minimal-root || exit 1
scripts/check-runs-in-root.sh build/release/cli/kubectl-llm build/minimal-root || exit 1
exit "$tests_status"
