#!/usr/bin/env bash
# Benchmark (not a test): `kubectl llm status -A` on a cluster with many pods,
# side by side with `kubectl get pods -A -o json` (what a user would otherwise
# read the same state from): median wall time, peak memory (max RSS, GNU
# time) and API requests (-v=6 response lines), as ratios. The
# target (#21, 50,000 pods in 500 workloads) is at most 1/20 of kubectl's peak
# memory, and faster. status reads the
# workloads (Deployment, LeaderWorkerSet, JobSet, Job) and Services, never
# the pods, so a third row shows kubectl reading just those, for scale.
#
#   LLM_CLUSTER_DIR=/tmp/x tests/bench/status_bench.sh [PODS] [WORKLOADS] [RUNS]
#
# PODS (default 5000) pods in WORKLOADS (default 50) serve workloads, each the
# Service and Deployment that `kubectl llm render serve` makes (labelled as the
# tool's), without the GPU request: 5000 GPU pods would need 625 fake 8-GPU
# nodes. They are applied with kubectl to one namespace of the running cluster
# (tests/cluster/up.sh), run on PODS/100 extra fake CPU nodes (kwok; 110 pods
# per node at most), and the benchmark waits until every pod is ready. All of
# it is removed at the end. RUNS (default 5) runs of each, alternating.
# Environment: BUILD (default build/), KUBECTL_LLM (default: in BUILD), KUBECTL
# (default: the cluster's), READY_TIMEOUT (seconds, default 900).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_cluster

pods="${1:-5000}"
workloads="${2:-50}"
runs="${3:-5}"
ready_timeout="${READY_TIMEOUT:-900}"
ns="status-bench-$$"

bench_load before
bench_on_exit k delete namespace "$ns" --wait=false
k create namespace "$ns" >/dev/null
bench_fill_pods "$ns" "$pods" "$workloads" "$ready_timeout" status

bench_python "$runs" "$plugin" "$kubectl" "$kubeconfig" "$work" <<'PY'
import os, statistics, subprocess, sys
from bench import peak_rss, print_load_average, requests

runs = int(sys.argv[1])
plugin, kubectl, kubeconfig, work = sys.argv[2:6]
cache = os.path.join(work, "cache")
env = dict(os.environ, KUBECONFIG=kubeconfig, HOME=work)
cases = [
    ("kubectl llm status -A", [plugin, "--cache-dir", cache, "status", "-A"]),
    ("kubectl get pods -A -o json", [kubectl, "--cache-dir", cache, "get", "pods", "-A", "-o", "json"]),
    # Not a target: kubectl reading what status reads (the workloads, not their pods).
    ("kubectl get deploy,svc -A -l ... -o json",
     [kubectl, "--cache-dir", cache, "get", "deployments,services", "-A", "-l",
      "app.kubernetes.io/managed-by=kubectl-llm", "-o", "json"]),
]
rows = {name: [] for name, _ in cases}  # (wall, peak RSS, exit code) of each run
for name, argv in cases:  # warm-up: fills the discovery cache
    peak_rss(argv, env)
for run in range(runs):
    for name, argv in (cases if run % 2 == 0 else cases[::-1]):
        rows[name].append(peak_rss(argv, env))
out = subprocess.run(cases[0][1], env=env, capture_output=True, text=True, check=True).stdout
print(f"status -A prints {len(out.splitlines()) - 1} workloads")
print(f"{runs} runs each: median wall time, peak RSS (max over the runs), API requests (one more run, -v=6)")
print(f"{'command':<44} {'wall ms':>8} {'x B':>7} {'RSS MiB':>8} {'x B':>7} {'requests':>9}")
base_wall = statistics.median(s[0] for s in rows[cases[1][0]])
base_rss = max(s[1] for s in rows[cases[1][0]])
for i, (name, argv) in enumerate(cases):
    wall = statistics.median(s[0] for s in rows[name])
    rss = max(s[1] for s in rows[name])
    print(f"{chr(ord('A') + i) + '. ' + name:<44} {wall * 1000:>8.0f} {wall / base_wall:>7.3f} {rss / 1024:>8.1f} "
          f"{rss / base_rss:>7.3f} {requests(argv, env)[0]:>9}")
ratio = max(s[1] for s in rows[cases[0][0]]) / base_rss
wall_ratio = statistics.median(s[0] for s in rows[cases[0][0]]) / base_wall
print_load_average()
print(f"status -A peak memory is {ratio:.3f}x kubectl's (target <= 0.05): {'met' if ratio <= 1 / 20 else 'NOT met'}; "
      f"wall time {wall_ratio:.3f}x (target < 1): {'met' if wall_ratio < 1 else 'NOT met'}")
PY
bench_load after
