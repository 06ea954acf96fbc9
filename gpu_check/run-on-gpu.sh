#!/usr/bin/env bash
# Builds llm-gpu-check and runs the whole suite on this machine's GPUs, then
# prints the JSON document (stdout) and the termination summary (stderr).
#
#   gpu_check/run-on-gpu.sh [llm-gpu-check flags, e.g. --profile full --expect-gpus 8]
#
# Compiler and NCCL, first found wins:
#   1. CUDACXX or nvcc on PATH or /usr/local/cuda/bin/nvcc, with NCCL from
#      NCCL_ROOT or the system (/usr: libnccl-dev);
#   2. NCCL from the nvidia-nccl wheel of python3 (PyTorch images have it);
#   3. the PyPI wheels of scripts/install-cuda.sh (CUDA 13: needs an R580+
#      driver, and the network).
# Needs cmake and a C++20 compiler, and the CLI11, fmt and nlohmann-json
# headers: installed packages (Debian/Ubuntu: libfmt-dev nlohmann-json3-dev
# libcli11-dev), or, on a machine without them, a folder holding CLI/, fmt/ and
# nlohmann/ (HEADER_ONLY_DEPS, default third_party/include beside gpu_check/
# when it exists), used header-only.
# Builds for this machine's GPU only (CUDA_ARCHITECTURES overrides, e.g. "80;90")
# in build-gpu/ (BUILD_DIR overrides); results are kept in $BUILD_DIR/out/.
# Exit status: llm-gpu-check's (gpu_check/README.md), or 1 when the build fails.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BUILD_DIR:-${root}/build-gpu}"

if ! command -v nvidia-smi >/dev/null || ! nvidia-smi -L >&2; then
  echo "run-on-gpu: no NVIDIA GPU or driver is visible (nvidia-smi -L failed)" >&2
  exit 3
fi

nvcc="${CUDACXX:-$(command -v nvcc || true)}"
if [[ -z "${nvcc}" ]]; then
  for candidate in /usr/local/cuda/bin/nvcc /usr/local/cuda-*/bin/nvcc; do
    if [[ -x "${candidate}" ]]; then nvcc="${candidate}"; fi
  done
fi
nccl_root="${NCCL_ROOT:-}"
if [[ -z "${nccl_root}" ]]; then
  for prefix in /usr /usr/local/cuda /usr/local; do
    if [[ -e "${prefix}/include/nccl.h" ]]; then nccl_root="${prefix}"; break; fi
  done
fi
if [[ -z "${nccl_root}" ]] && command -v python3 >/dev/null; then
  # The wheel ships include/nccl.h and lib/libnccl.so.2 but no unversioned
  # libnccl.so for the linker: link both names into a folder of our own.
  wheel=""
  for sp in $(python3 -c 'import site, sys; print(" ".join(site.getsitepackages() + [site.getusersitepackages()] + sys.path))' 2>/dev/null); do
    if [[ -e "${sp}/nvidia/nccl/include/nccl.h" && -e "${sp}/nvidia/nccl/lib/libnccl.so.2" ]]; then
      wheel="${sp}/nvidia/nccl"
      break
    fi
  done
  if [[ -n "${wheel}" ]]; then
    nccl_root="${build}/nccl-wheel"
    mkdir -p "${nccl_root}/lib"
    ln -sfn "${wheel}/include" "${nccl_root}/include"
    ln -sfn "${wheel}/lib/libnccl.so.2" "${nccl_root}/lib/libnccl.so.2"
    ln -sfn libnccl.so.2 "${nccl_root}/lib/libnccl.so"
    echo "run-on-gpu: NCCL from python3's wheel ${wheel}" >&2
  fi
fi
if [[ -z "${nvcc}" || -z "${nccl_root}" ]]; then
  echo "run-on-gpu: no system CUDA+NCCL; using the PyPI wheels (scripts/install-cuda.sh)" >&2
  eval "$("${root}/scripts/install-cuda.sh")"
  nvcc="${LLM_CUDA_NVCC}"
  nccl_root="${LLM_NCCL_ROOT}"
fi
echo "run-on-gpu: nvcc ${nvcc} ($("${nvcc}" --version | tail -1)), NCCL ${nccl_root}" >&2

archs="${CUDA_ARCHITECTURES:-}"
if [[ -z "${archs}" ]]; then
  archs="$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader 2>/dev/null | head -1 | tr -d ' .')"
  [[ "${archs}" =~ ^[0-9]+$ ]] || archs="80;90"
fi
deps=()
header_only="${HEADER_ONLY_DEPS:-${root}/third_party/include}"
if [[ -e "${header_only}/CLI/CLI.hpp" ]]; then
  deps=(-DLLM_GPU_CHECK_HEADER_ONLY_DEPS="${header_only}")
fi
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
cmake -S "${root}/gpu_check" -B "${build}" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release "${deps[@]}" \
  -DCMAKE_CUDA_COMPILER="${nvcc}" -DNCCL_ROOT="${nccl_root}" -DCMAKE_CUDA_ARCHITECTURES="${archs}" >&2 || exit 1
cmake --build "${build}" --target llm-gpu-check hbm-copy-sweep -j "$(nproc)" >&2 || exit 1
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
