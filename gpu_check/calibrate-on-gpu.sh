#!/usr/bin/env bash
# Collects what calibrating a GPU model's floors takes, on a machine with the
# GPUs in question, into OUTDIR: nvidia-smi -q before and after, the quick and
# full profiles (each timed), the health check alone, the tests a node of this
# size skips (with their reasons), the copy kernel's launch-shape sweep, and
# PyTorch's own copies as the reference for the HBM and PCIe figures.
#
#   gpu_check/calibrate-on-gpu.sh OUTDIR [llm-gpu-check flags for every run]
#
# Builds through run-on-gpu.sh (the quick profile is its run). Progress on
# stderr; every step runs even when one before it failed, and OUTDIR/steps.txt
# lists each step's exit status and seconds. CALIBRATE_TARBALL=FILE: also
# re-pack OUTDIR into FILE after every step, so a cut-off session keeps what
# was done.
set -uo pipefail

out="${1:?usage: calibrate-on-gpu.sh OUTDIR [llm-gpu-check flags]}"
shift
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export BUILD_DIR="${BUILD_DIR:-${root}/build-gpu}"
bin="${BUILD_DIR}/llm-gpu-check"
mkdir -p "${out}"
: > "${out}/steps.txt"

# The health check dlopens the driver's libnvidia-ml.so.1 by its name; where
# the driver's folder is mounted outside the loader's path, name it.
if ! python3 -c 'import ctypes; ctypes.CDLL("libnvidia-ml.so.1")' 2>/dev/null; then
  for d in /usr/local/nvidia/lib64 /usr/local/nvidia/lib /usr/lib/x86_64-linux-gnu /usr/lib64; do
    if [[ -e "${d}/libnvidia-ml.so.1" ]]; then
      export LD_LIBRARY_PATH="${d}${LD_LIBRARY_PATH:+:${LD_LIBRARY_PATH}}"
      echo "calibrate: libnvidia-ml.so.1 is in ${d}, added to LD_LIBRARY_PATH" >&2
      break
    fi
  done
fi

step() {
  local name="$1"
  shift
  echo "[calibrate $(date -u +%T)] ${name}: $*" >&2
  local start=${EPOCHREALTIME}
  "$@"
  local status=$?
  local seconds
  seconds=$(python3 -c "print(f'{${EPOCHREALTIME} - ${start}:.1f}')" 2>/dev/null || echo "?")
  echo "${name} exit=${status} seconds=${seconds}" | tee -a "${out}/steps.txt" >&2
  if [[ -n "${CALIBRATE_TARBALL:-}" ]]; then tar czf "${CALIBRATE_TARBALL}" -C "$(dirname "${out}")" "$(basename "${out}")"; fi
  return 0
}

smi() {
  nvidia-smi -q > "${out}/nvidia-smi-q-$1.txt" 2>&1
  nvidia-smi --query-gpu=name,pci.device_id,pcie.link.gen.max,pcie.link.width.max,pcie.link.gen.current,pcie.link.width.current,clocks.max.memory,memory.total,driver_version,power.limit,temperature.gpu,persistence_mode,ecc.mode.current \
    --format=csv > "${out}/gpu-$1.csv" 2>&1
  nvidia-smi topo -m > "${out}/topo-$1.txt" 2>&1
  nvidia-smi nvlink -s >> "${out}/topo-$1.txt" 2>&1
}
run() {  # name, then llm-gpu-check flags
  local name="$1"
  shift
  "${bin}" --json "${out}/${name}.json" --termination-log "${out}/${name}.termination.json" "$@" \
    > /dev/null 2> "${out}/${name}.stderr"
}

step environment sh -c "{ uname -a; nproc; free -g; env | grep -E '^(CUDA|NVIDIA|LD_LIBRARY|PATH)' ; ldconfig -p | grep -E 'nvidia-ml|libcuda|nccl'; ls /usr/local/cuda*/bin/nvcc 2>&1; } > '${out}/environment.txt' 2>&1"
step smi-before smi before
step quick-profile sh -c "'${root}/gpu_check/run-on-gpu.sh' --profile quick $* > '${out}/quick.stdout' 2> '${out}/quick.stderr'; s=\$?; cp '${BUILD_DIR}/out/result.json' '${out}/quick.json'; cp '${BUILD_DIR}/out/termination-log' '${out}/quick.termination.json'; exit \$s"
step full-profile run full --profile full "$@"
step health-only run health --tests health "$@"
step one-gpu-skips run skips --tests p2p,nccl "$@"
step hbm-copy-sweep sh -c "'${BUILD_DIR}/hbm-copy-sweep' 512 1024 4096 > '${out}/hbm-copy-sweep.txt' 2>&1"
step torch-reference sh -c "PYTHONUNBUFFERED=1 python3 '${root}/gpu_check/tools/torch_copy_reference.py' > '${out}/torch-reference.txt' 2>&1"
step smi-after smi after
echo "[calibrate $(date -u +%T)] done: ${out}" >&2
