#!/usr/bin/env bash
# Benchmark (not a test): `kubectl llm validate-nodes` over many fake GPU nodes
# of the local control plane, side by side with the kubectl script an operator
# would otherwise write (per node: apply a Job pinned to the node, kubectl wait,
# read the result with -o jsonpath, label the node).
#
#   LLM_CLUSTER_DIR=/tmp/x tests/bench/validate_nodes_bench.sh [NODES] [BASELINE_NODES]
#
# NODES (default 1000) fake 8-GPU nodes bench-node-* are added to the running
# cluster (tests/cluster/up.sh) and removed at the end. No GPU runs here:
# fake_gpu_kubelet (built from tests/) ends each gpu-check pod kwok made
# Running with the summary gpu_check's own writer produces. Reported: wall
# time, API requests per node (the -v=6 request lines), the plugin's peak RSS
# (/usr/bin/time -v), and the kubectl script's time per node over
# BASELINE_NODES (default 20) nodes, extrapolated to NODES for the ratio.
# Environment: BUILD (default build/), KUBECTL_LLM and FAKE_GPU_KUBELET (default:
# in BUILD), MAX_PARALLEL (default 100).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
nodes="${1:-1000}"
baseline_nodes="${2:-20}"
build="${BUILD:-$root/build}"
max_parallel="${MAX_PARALLEL:-100}"
state="${LLM_CLUSTER_DIR:?set LLM_CLUSTER_DIR to a cluster started with tests/cluster/up.sh}"
kubeconfig="$state/admin.kubeconfig"
kubectl="$state/bin/kubectl"
plugin="${KUBECTL_LLM:-$build/cli/kubectl-llm}"
fake="${FAKE_GPU_KUBELET:-$build/tests/fake_gpu_kubelet}"
k() { "$kubectl" --kubeconfig "$kubeconfig" "$@"; }
work="$(mktemp -d)"
fake_pid=""
cleanup() {
  [[ -n "$fake_pid" ]] && kill "$fake_pid" 2>/dev/null && wait "$fake_pid" 2>/dev/null
  k delete nodes -l kubectl-llm.dev/bench=validate-nodes --wait=false >/dev/null 2>&1 || true
  k delete namespace validate-bench-baseline --wait=false >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
"$root/tests/cluster/nodes.sh" gpu "$nodes" bench-node- |
  sed 's|^      type: kwok$|      type: kwok\n      kubectl-llm.dev/bench: validate-nodes|' |
  k apply --server-side -f - >/dev/null
k wait --for=condition=Ready node -l kubectl-llm.dev/bench=validate-nodes --timeout=300s >/dev/null

"$fake" --kubeconfig "$kubeconfig" -n kubectl-llm-gpu-check 2>"$work/fake.err" &
fake_pid=$!

set +e
/usr/bin/time -v -o "$work/time" "$plugin" --kubeconfig "$kubeconfig" -v=6 validate-nodes \
  -l kubectl-llm.dev/bench=validate-nodes --record --taint-failed --max-parallel "$max_parallel" \
  --timeout 5m -o json >"$work/report.json" 2>"$work/plugin.err"
code=$?
set -e
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time")
rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time")
requests=$(grep -cE '^(GET|POST|PUT|PATCH|DELETE) https?://' "$work/plugin.err" || true)
python3 - "$work/report.json" "$nodes" "$requests" "$wall" "$rss" "$code" <<'PY'
import json, sys
report, nodes, requests, wall, rss, code = sys.argv[1:7]
summary = json.load(open(report))["status"]["summary"]
print(f"validate-nodes: {nodes} nodes, exit {code}, summary {summary}")
print(f"  wall {wall} (m:ss), peak RSS {int(rss) / 1024:.1f} MiB, "
      f"{requests} API requests = {int(requests) / int(nodes):.2f} per node")
PY
grep -oE '^(GET|POST|PUT|PATCH|DELETE) ' "$work/plugin.err" | sort | uniq -c | sed 's/^/    /'
wall_s=$(awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }' <<<"$wall")

# The straightforward kubectl script, one node after another; its requests
# are counted from kubectl's own -v=6 log ("Response" verb=...).
k create namespace validate-bench-baseline >/dev/null
kv() { "$kubectl" --kubeconfig "$kubeconfig" -v=6 "$@" 2>>"$work/kubectl.log"; }
start=$(date +%s.%N)
for ((i = 0; i < baseline_nodes; i++)); do
  node="bench-node-$i"
  cat <<JOB | kv apply -n validate-bench-baseline -f - >/dev/null
apiVersion: batch/v1
kind: Job
metadata:
  name: gpu-check-$node
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      nodeName: $node
      tolerations:
      - {key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}
      - {key: kubectl-llm.dev/gpu-check, operator: Exists, effect: NoSchedule}
      containers:
      - name: gpu-check
        image: ghcr.io/kubectl-llm/llm-gpu-check:0.1.0
        resources: {limits: {nvidia.com/gpu: 8}}
JOB
  kv wait -n validate-bench-baseline --for=condition=complete "job/gpu-check-$node" --timeout=300s >/dev/null
  result=$(kv get pods -n validate-bench-baseline -l "job-name=gpu-check-$node" \
    -o jsonpath='{.items[0].status.containerStatuses[0].state.terminated.exitCode}')
  verdict=pass; [[ "$result" == 0 ]] || verdict=fail
  kv label node "$node" --overwrite "kubectl-llm.dev/gpu-check=$verdict" >/dev/null
done
end=$(date +%s.%N)
kubectl_requests=$(grep -c '"Response" verb=' "$work/kubectl.log" || true)
python3 - "$start" "$end" "$baseline_nodes" "$nodes" "$wall_s" "$kubectl_requests" "$requests" <<'PY'
import sys
start, end, n, nodes, wall, kreq, preq = map(float, sys.argv[1:8])
per_node = (end - start) / n
print(f"kubectl script: {end - start:.1f} s for {int(n)} nodes = {per_node:.2f} s per node, "
      f"{per_node * nodes:.0f} s extrapolated to {int(nodes)} nodes; "
      f"{int(kreq)} API requests = {kreq / n:.2f} per node")
print(f"ratio (kubectl script / validate-nodes) at {int(nodes)} nodes: {per_node * nodes / wall:.1f}x wall time, "
      f"{(kreq / n) / (preq / nodes):.1f}x requests per node")
PY
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
