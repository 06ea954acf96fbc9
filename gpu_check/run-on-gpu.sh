#!/usr/bin/env bash
# Builds llm-gpu-check and runs the whole suite on this machine's GPUs, then
# prints the JSON document (stdout) and the termination summary (stderr).
#
#   gpu_check/run-on-gpu.sh [llm-gpu-check flags, e.g. --profile full --expect-gpus 8]
#
# Compiler and NCCL, first found wins:
#   1. CUDACXX or nvcc on PATH or /usr/local/cuda/bin/nvcc, with NCCL from
#      NCCL_ROOT or the system (/usr: libnccl-dev);
#   2. the PyPI wheels of scripts/install-cuda.sh (CUDA 13: needs an R580+ driver).
# Needs cmake, a C++20 compiler and the fmt, nlohmann-json and CLI11 headers
# (Debian/Ubuntu: libfmt-dev nlohmann-json3-dev libcli11-dev). Builds in
# build-gpu/ (override with BUILD_DIR); results are kept in $BUILD_DIR/out/.
# Exit status: llm-gpu-check's (gpu_check/README.md), or 1 when the build fails.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BUILD_DIR:-${root}/build-gpu}"

if ! command -v nvidia-smi >/dev/null || ! nvidia-smi -L >&2; then
  echo "run-on-gpu: no NVIDIA GPU or driver is visible (nvidia-smi -L failed)" >&2
  exit 3
fi

nvcc="${CUDACXX:-$(command -v nvcc || true)}"
[[ -z "${nvcc}" && -x /usr/local/cuda/bin/nvcc ]] && nvcc=/usr/local/cuda/bin/nvcc
nccl_root="${NCCL_ROOT:-}"
if [[ -z "${nccl_root}" ]]; then
  for prefix in /usr /usr/local/cuda /usr/local; do
    if [[ -e "${prefix}/include/nccl.h" ]]; then nccl_root="${prefix}"; break; fi
  done
fi
if [[ -z "${nvcc}" || -z "${nccl_root}" ]]; then
  echo "run-on-gpu: no system CUDA+NCCL; using the PyPI wheels (scripts/install-cuda.sh)" >&2
  eval "$("${root}/scripts/install-cuda.sh")"
  nvcc="${LLM_CUDA_NVCC}"
  nccl_root="${LLM_NCCL_ROOT}"
fi
echo "run-on-gpu: nvcc ${nvcc}, NCCL ${nccl_root}" >&2

generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
cmake -S "${root}/gpu_check" -B "${build}" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CUDA_COMPILER="${nvcc}" -DNCCL_ROOT="${nccl_root}" >&2 || exit 1
cmake --build "${build}" --target llm-gpu-check -j "$(nproc)" >&2 || exit 1
[[ -x "${build}/llm-gpu-check" ]] || { echo "run-on-gpu: llm-gpu-check was not built (see above)" >&2; exit 1; }

out="${build}/out"
mkdir -p "${out}"
status=0
"${build}/llm-gpu-check" --json "${out}/result.json" --termination-log "${out}/termination-log" "$@" || status=$?
if [[ -f "${out}/termination-log" ]]; then
  echo "run-on-gpu: termination summary ($(wc -c < "${out}/termination-log") bytes):" >&2
  cat "${out}/termination-log" >&2
  echo >&2
fi
echo "run-on-gpu: exit ${status}; full document in ${out}/result.json" >&2
exit "${status}"
