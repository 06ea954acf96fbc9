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
# time, API requests per node (the -v=6 response lines), the plugin's peak RSS
# (GNU time), and the kubectl script's time per node over BASELINE_NODES
# (default 20) nodes, extrapolated to NODES for the ratio.
# Environment: BUILD (default build/), KUBECTL_LLM and FAKE_GPU_KUBELET (default:
# in BUILD), KUBECTL (default: the cluster's), MAX_PARALLEL (default 100).
# Measure release builds of both: the fake kubelet of a sanitizer tree (the ci
# preset's) is slow enough to pace the run. The release tree builds it with
#   cmake build/release -DLLM_BUILD_TESTS=ON && cmake --build build/release --target fake_gpu_kubelet
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_cluster

nodes="${1:-1000}"
baseline_nodes="${2:-20}"
max_parallel="${MAX_PARALLEL:-100}"
fake="${FAKE_GPU_KUBELET:-${BUILD:-$root/build}/tests/fake_gpu_kubelet}"

bench_load before
bench_add_nodes gpu "$nodes" bench-node- validate-nodes
# kwok goes on setting up nodes after they are Ready (a status patch and a
# list of the node's pods each): measured from here, a run on 1,000 fresh
# nodes shared the API server with their set-up.
bench_settle

"$fake" --kubeconfig "$kubeconfig" -n kubectl-llm-gpu-check 2>"$work/fake.err" &
fake_pid=$!
stop_fake() { kill "$fake_pid" && wait "$fake_pid"; }
bench_on_exit stop_fake

# One run, measured and logged at -v=6 (its requests are counted from the log).
# A failed run's log outlives the work folder, to find out why.
bench_python "$work" "${TMPDIR:-/tmp}/validate-nodes-bench-$$.log" "$plugin" --kubeconfig "$kubeconfig" -v=6 \
  validate-nodes -l kubectl-llm.dev/bench=validate-nodes --record --taint-failed --max-parallel "$max_parallel" \
  --timeout 5m -o json <<'PY'
import json, os, shutil, sys
from bench import peak_rss
work, kept, argv = sys.argv[1], sys.argv[2], sys.argv[3:]
with open(f"{work}/report.json", "w") as report, open(f"{work}/plugin.err", "w") as log:
    wall, rss, code = peak_rss(argv, os.environ, stdout=report, stderr=log, check=False)
with open(f"{work}/measured.json", "w") as measured:
    json.dump({"wall": wall, "rss": rss, "code": code}, measured)
if code != 0:
    shutil.copyfile(f"{work}/plugin.err", kept)
    print(f"validate-nodes failed: its -v=6 log is kept in {kept}")
PY
bench_load after
bench_python "$work" "$nodes" <<'PY'
import json, sys
from bench import count_requests
work, nodes = sys.argv[1], int(sys.argv[2])
m = json.load(open(f"{work}/measured.json"))
requests, by_verb = count_requests(open(f"{work}/plugin.err").read())
summary = json.load(open(f"{work}/report.json"))["status"]["summary"]
print(f"validate-nodes: {nodes} nodes, exit {m['code']}, summary {summary}")
print(f"  wall {int(m['wall'] // 60)}:{m['wall'] % 60:05.2f} (m:ss), peak RSS {m['rss'] / 1024:.1f} MiB, "
      f"{requests} API requests = {requests / nodes:.2f} per node")
for verb, count in by_verb.items():
    print(f"    {count:>7} {verb}")
PY

# The straightforward kubectl script, one node after another; its requests
# are counted from kubectl's own -v=6 log ("Response" verb=...).
bench_on_exit k delete namespace validate-bench-baseline --wait=false
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
bench_python "$work" "$start" "$end" "$baseline_nodes" "$nodes" <<'PY'
import json, sys
from bench import count_requests
work = sys.argv[1]
start, end, n, nodes = map(float, sys.argv[2:6])
wall = json.load(open(f"{work}/measured.json"))["wall"]
kreq, _ = count_requests(open(f"{work}/kubectl.log").read())
preq, _ = count_requests(open(f"{work}/plugin.err").read())
per_node = (end - start) / n
print(f"kubectl script: {end - start:.1f} s for {int(n)} nodes = {per_node:.2f} s per node, "
      f"{per_node * nodes:.0f} s extrapolated to {int(nodes)} nodes; "
      f"{int(kreq)} API requests = {kreq / n:.2f} per node")
print(f"ratio (kubectl script / validate-nodes) at {int(nodes)} nodes: {per_node * nodes / wall:.1f}x wall time, "
      f"{(kreq / n) / (preq / nodes):.1f}x requests per node")
PY
bench_load "at end"
