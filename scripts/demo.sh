#!/usr/bin/env bash
# The demo: starts the local control plane (real etcd, kube-apiserver, scheduler,
# controller-manager, and kwok playing fake 8x H100 nodes), builds and installs
# kubectl-llm as a kubectl plugin, shows it working, then stops the cluster.
# Works on a fresh machine (the first run builds the control plane from Go
# modules: ~20-30 min on 2 cores; later runs start in seconds).
#   ./scripts/demo.sh          run the demo and stop the cluster afterwards
#   ./scripts/demo.sh --keep   leave the cluster running and print how to use it
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
keep=0
[[ ${1:-} == --keep ]] && keep=1
[[ -x /usr/local/go/bin/go ]] && export PATH="/usr/local/go/bin:$PATH"

scripts/install-deps.sh
export LLM_CLUSTER_DIR=${LLM_CLUSTER_DIR:-/tmp/kubectl-llm-demo}
kubeconfig=$(tests/cluster/up.sh | tail -n 1)
((keep)) || trap 'tests/cluster/down.sh' EXIT

cmake --preset default >/dev/null
cmake --build --preset default --target kubectl-llm >/dev/null
prefix="$PWD/build/demo-install"
cmake --install build/default --prefix "$prefix" >/dev/null

# kubectl finds plugins on PATH: the installed kubectl-llm next to the cluster's kubectl.
export PATH="$prefix/bin:$LLM_CLUSTER_DIR/bin:$PATH" KUBECONFIG="$kubeconfig"
step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }
step kubectl plugin list
step kubectl llm version
step kubectl get nodes -L nvidia.com/gpu.product,nvidia.com/gpu.count,topology.kubernetes.io/zone
if ((keep)); then
  printf '\nThe cluster keeps running. In this shell:\n  export PATH="%s" KUBECONFIG="%s"\nStop it with: LLM_CLUSTER_DIR=%s tests/cluster/down.sh\n' \
    "$prefix/bin:$LLM_CLUSTER_DIR/bin:\$PATH" "$kubeconfig" "$LLM_CLUSTER_DIR"
fi
