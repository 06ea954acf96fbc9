#!/usr/bin/env bash
# Builds everything (gpu_check's CUDA code included) and runs every test: unit
# tests, then integration and fault-injection tests (tests/faults)
# against a real local control plane that CTest starts once and always stops.
# Works on a fresh machine: installs what is missing, builds what is missing
# (the control plane's Go build takes ~20-30 min the first time, then is cached).
# Extra arguments go to ctest, e.g. `./scripts/test.sh -L unit` or `-R version`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[[ -x /usr/local/go/bin/go ]] && export PATH="/usr/local/go/bin:$PATH"

scripts/install-deps.sh
tests/cluster/build.sh >/dev/null
# CUDA's compiler and NCCL from PyPI wheels, so gpu_check's CUDA code is compiled
# (for Ampere and Hopper) in every run, GPU or not.
eval "$(scripts/install-cuda.sh)"
cmake --preset ci -DCMAKE_CUDA_COMPILER="$LLM_CUDA_NVCC" -DNCCL_ROOT="$LLM_NCCL_ROOT" >/dev/null
cmake --build --preset ci

# A safety net: CTest's cleanup fixture stops the cluster even when tests fail;
# this also stops it when ctest itself is interrupted.
trap 'LLM_CLUSTER_DIR="$PWD/build/ci/test-cluster" tests/cluster/down.sh >/dev/null 2>&1' EXIT
ctest --preset ci -j2 "$@"
