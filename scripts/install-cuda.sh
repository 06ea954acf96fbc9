#!/usr/bin/env bash
# Installs CUDA's compiler and NCCL from pinned PyPI wheels, for compiling
# gpu_check's CUDA code where no CUDA toolkit is installed (CI, laptops).
# Nothing here runs CUDA code; running needs a GPU and a driver.
#
# Usage (how scripts/test.sh calls it):
#     eval "$(scripts/install-cuda.sh)"
#     cmake -S . -B build-cuda -DCMAKE_CUDA_COMPILER="$LLM_CUDA_NVCC" -DNCCL_ROOT="$LLM_NCCL_ROOT"
#
# Output contract: on success, stdout has exactly these lines (shell assignments):
#     LLM_CUDA_NVCC=<absolute path of nvcc>
#     LLM_CUDA_ROOT=<toolkit root: bin/ include/ lib64/ nvvm/>
#     LLM_NCCL_ROOT=<NCCL root: include/nccl.h lib/libnccl.so>
# Progress goes to stderr, and only while installing: a second run prints the
# three lines and nothing else (idempotent, about 10 ms). Exit status is non-zero,
# with a message on stderr, when pip or the check of the installed compiler fails.
#
# Environment:
#     LLM_CUDA_CACHE  where toolkits are kept (default ~/.cache/kubectl-llm/cuda);
#                     each pinned set lives in its own <version> folder.
#     PYTHON          the Python whose pip is used (default python3).
#
# Why CUDA 13 wheels: the nvidia-cuda-nvcc-cu12 wheels (12.0 to 12.9) hold only
# ptxas and libnvvm, no nvcc, cicc or crt headers. From CUDA 13 the wheels
# nvidia-cuda-nvcc + nvidia-nvvm (cicc) + nvidia-cuda-crt (crt/ headers) +
# nvidia-cuda-runtime (cudart) + nvidia-cuda-cccl (<nv/target>, which
# cuda_fp16.h and so nccl.h include) form a complete toolkit under nvidia/cu13/.
# nvidia-nvml-dev adds include/nvml.h: gpu_check declares the few NVML types and
# functions it uses itself (nvml_api.h, so the host library builds without any
# CUDA header), and a test compiled against this header checks them.
# CUDA 13 still targets sm_80 (Ampere) and sm_90 (Hopper); binaries built with
# it need an R580 or newer driver to run.
# Size (measured): about 301 MB downloaded (NCCL is 196 MB of it), 480 MB installed,
# 11 s for a cold install here (pip cache empty); a second run takes ~10 ms.
set -euo pipefail
export PIP_ROOT_USER_ACTION=ignore

readonly CUDA_VERSION=13.0.88
readonly CUDART_VERSION=13.0.96
readonly CCCL_VERSION=13.0.85
readonly NCCL_VERSION=2.28.9
readonly NVML_VERSION=13.0.87
readonly WHEELS=(
  "nvidia-cuda-nvcc==${CUDA_VERSION}"
  "nvidia-nvvm==${CUDA_VERSION}"
  "nvidia-cuda-crt==${CUDA_VERSION}"
  "nvidia-cuda-runtime==${CUDART_VERSION}"
  "nvidia-cuda-cccl==${CCCL_VERSION}"
  "nvidia-nccl-cu13==${NCCL_VERSION}"
  "nvidia-nvml-dev==${NVML_VERSION}"
)

cache="${LLM_CUDA_CACHE:-${HOME}/.cache/kubectl-llm/cuda}"
# The folder name changes with any pin, so a changed set installs beside the old one.
pins_hash="$(printf '%s\n' "${WHEELS[@]}" | sha256sum | cut -c1-8)"
prefix="${cache}/${CUDA_VERSION}-nccl${NCCL_VERSION}-${pins_hash}"
cuda_root="${prefix}/nvidia/cu13"
nccl_root="${prefix}/nvidia/nccl"
python="${PYTHON:-python3}"

print_paths() {
  echo "LLM_CUDA_NVCC=${cuda_root}/bin/nvcc"
  echo "LLM_CUDA_ROOT=${cuda_root}"
  echo "LLM_NCCL_ROOT=${nccl_root}"
}

if [[ -f "${prefix}/.complete" ]]; then
  print_paths
  exit 0
fi

log() { echo "install-cuda: $*" >&2; }

mkdir -p "${cache}"
# Install into a scratch folder and rename it at the end, so an interrupted
# run never leaves a half toolkit that a later run would take as complete.
staging="$(mktemp -d "${cache}/.staging.XXXXXX")"
trap 'rm -rf "${staging}"' EXIT

log "installing ${WHEELS[*]} into ${prefix}"
start=$(date +%s)
"${python}" -m pip install --quiet --disable-pip-version-check --no-deps --no-compile \
  --only-binary=:all: --target "${staging}" "${WHEELS[@]}" >&2

s_cuda="${staging}/nvidia/cu13"
s_nccl="${staging}/nvidia/nccl"
# nvcc.profile looks for libraries in lib64; CMake and the linker need the
# unversioned link names that only a full toolkit's -dev packages provide.
ln -sfn lib "${s_cuda}/lib64"
ln -sfn libcudart.so.13 "${s_cuda}/lib/libcudart.so"
ln -sfn libnccl.so.2 "${s_nccl}/lib/libnccl.so"

for f in bin/nvcc nvvm/bin/cicc bin/ptxas include/cuda_runtime.h include/crt/host_config.h \
         include/nv/target include/nvml.h lib/libcudart.so.13; do
  [[ -e "${s_cuda}/${f}" ]] || { log "error: ${f} is missing from the CUDA wheels"; exit 1; }
done
[[ -e "${s_nccl}/include/nccl.h" ]] || { log "error: nccl.h is missing from the NCCL wheel"; exit 1; }
"${s_cuda}/bin/nvcc" --version >/dev/null || { log "error: the installed nvcc does not run"; exit 1; }

touch "${staging}/.complete"
# Two runs at once: the first rename wins, the second finds a complete toolkit.
if ! mv -T "${staging}" "${prefix}" 2>/dev/null; then
  [[ -f "${prefix}/.complete" ]] || { log "error: cannot move the toolkit into ${prefix}"; exit 1; }
  rm -rf "${staging}"
fi
trap - EXIT
log "done in $(( $(date +%s) - start )) s, $(du -sh "${prefix}" | cut -f1) on disk"
print_paths
