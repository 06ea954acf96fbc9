#!/usr/bin/env bash
# The demo: the job kubectl-llm exists for, on a local control plane (real etcd,
# kube-apiserver, scheduler and controller-manager; kwok plays two nodes of 8x
# H100 and a CPU node). Each step is one short line of narration, then a real
# command and its real output; a command that fails ends the demo with its exit
# code. Works on a fresh machine (the first run builds the control plane from
# Go modules, ~20-30 min on 2 cores; later runs take about a minute).
#   ./scripts/demo.sh          run the demo and stop the cluster afterwards
#   ./scripts/demo.sh --keep   leave the cluster running and print how to use it
# LLM_DEMO_BUILD=DIR uses the kubectl-llm and fake_gpu_kubelet already built in
# DIR (CI's test of the demo does) instead of building the default preset.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
keep=0
[[ ${1:-} == --keep ]] && keep=1
[[ -x /usr/local/go/bin/go ]] && export PATH="/usr/local/go/bin:$PATH"
start=$SECONDS

scripts/install-deps.sh
export LLM_CLUSTER_DIR=${LLM_CLUSTER_DIR:-/tmp/kubectl-llm-demo}
fake_kubelet_pid=
stop() {
  [[ -z $fake_kubelet_pid ]] || kill "$fake_kubelet_pid" 2>/dev/null || true
  ((keep)) || tests/cluster/down.sh
}
trap stop EXIT
kubeconfig=$(tests/cluster/up.sh | tail -n 1)
# The real JobSet and LeaderWorkerSet controllers (built from their Go modules), which train and serve --nodes use.
tests/cluster/controllers.sh start jobset
tests/cluster/controllers.sh start lws

build=${LLM_DEMO_BUILD:-}
if [[ -z $build ]]; then
  cmake --preset default >/dev/null
  cmake --build --preset default --target kubectl-llm fake_gpu_kubelet >/dev/null
  build=build/default
fi
build=$(cd "$build" && pwd)
prefix="$build/demo-install"
mkdir -p "$prefix/bin"
install -m 0755 "$build/cli/kubectl-llm" "$prefix/bin/kubectl-llm"

# kubectl finds plugins on PATH: the installed kubectl-llm next to the cluster's kubectl.
export PATH="$prefix/bin:$LLM_CLUSTER_DIR/bin:$PATH" KUBECONFIG="$kubeconfig"
say() { printf '\n\033[2m# %s\033[0m\n' "$*"; }
step() {
  printf '\033[1m$ %s\033[0m\n' "$*"
  local code=0
  "$@" || code=$?
  ((code == 0)) || { printf 'demo: `%s` failed with exit code %d\n' "$*" "$code" >&2; exit "$code"; }
}
model=Qwen/Qwen2.5-0.5B-Instruct

say "The cluster: two GPU nodes (8x H100 each, as NVIDIA's GPU feature discovery labels them) and a CPU node."
step kubectl llm nodes
say "Is this cluster ready for LLM work? One line per check."
step kubectl llm doctor
say "Validate the GPU nodes before jobs land on them (no GPU here: a fake GPU kubelet plays each self-test's passing result)."
"$build/tests/fake_gpu_kubelet" --kubeconfig "$kubeconfig" >"$LLM_CLUSTER_DIR/logs/demo-fake-gpu-kubelet.log" 2>&1 &
fake_kubelet_pid=$!
step kubectl llm validate-nodes --record
kill "$fake_kubelet_pid" && wait "$fake_kubelet_pid" 2>/dev/null || true
fake_kubelet_pid=
say "Serve a model on validated nodes only, and wait until it is rolled out."
step kubectl llm serve chat --model "$model" --gpus 1 --require-validated --wait --timeout 2m
step kubectl llm status chat
say "Two replicas; serve keeps this count when it is run again."
step kubectl llm scale chat --replicas 2
step kubectl llm logs chat --tail 3
say "A two-node training job (torchrun, 4 GPUs per node), followed until it completes."
step kubectl llm train finetune --image ghcr.io/example/trainer:1.0 --nodes 2 --gpus-per-node 4 --wait --timeout 2m \
  -- torchrun train.py --epochs 1
say "Every workload in the cluster, in the columns a script wants (kubectl's custom-columns)."
step kubectl llm status -A -o custom-columns=NAMESPACE:.namespace,NAME:.name,KIND:.kind,MODEL:.model,STATE:.state,GPUS:.gpus
say "What would change if chat served another model? kubectl diff's output, through a server dry run."
code=0
printf '\033[1m$ %s\033[0m\n' "kubectl llm diff serve chat --model Qwen/Qwen2.5-1.5B-Instruct --gpus 1 --require-validated"
kubectl llm diff serve chat --model Qwen/Qwen2.5-1.5B-Instruct --gpus 1 --require-validated || code=$?
# diff exits 1 when there are differences, as kubectl diff does: that is the expected answer here.
((code == 1)) || { echo "demo: diff exited $code, expected 1 (differences)" >&2; exit 1; }
say "Delete both workloads: everything their ApplySets hold, waiting until it is gone."
step kubectl llm delete chat --wait
step kubectl llm delete finetune --wait

printf '\n\033[2m# demo finished in %d s\033[0m\n' "$((SECONDS - start))"
if ((keep)); then
  printf '\nThe cluster keeps running. In this shell:\n  export PATH="%s" KUBECONFIG="%s"\nStop it with: LLM_CLUSTER_DIR=%s tests/cluster/down.sh\n' \
    "$prefix/bin:$LLM_CLUSTER_DIR/bin:\$PATH" "$kubeconfig" "$LLM_CLUSTER_DIR"
fi
