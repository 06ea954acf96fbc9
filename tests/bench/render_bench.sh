#!/usr/bin/env bash
# Benchmark (not a test): median process wall time and peak memory (max RSS) of
#   A. kubectl-llm render serve, multi-node (LeaderWorkerSet + Service + PDB)
#   B. kubectl create deployment --dry-run=client -o yaml (the control plane's kubectl)
#   C. helm template of an equivalent minimal chart (tests/bench/charts/llm-serve)
# measured side by side in one run and reported as ratios to A.
#
#   tests/bench/render_bench.sh [RUNS]          # default 30 runs each, after 3 warm-ups
#
# Environment: KUBECTL_LLM (default: a Release build made in build-bench/),
# KUBECTL (default: the local control plane's kubectl, built by
# tests/cluster/build.sh), HELM (default: built by tests/bench/build_helm.sh).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

runs="${1:-30}"

if [[ -z "${KUBECTL_LLM:-}" ]]; then
  cmake -S "$root" -B "$root/build-bench" -G Ninja -DCMAKE_BUILD_TYPE=Release -DLLM_BUILD_TESTS=OFF >/dev/null
  ninja -C "$root/build-bench" -j"${BENCH_BUILD_JOBS:-2}" kubectl-llm >/dev/null
  KUBECTL_LLM="$root/build-bench/cli/kubectl-llm"
fi
if [[ -z "${KUBECTL:-}" ]]; then
  KUBECTL="$("$root/tests/cluster/build.sh" | tail -n 1)/bin/kubectl"
fi
HELM="${HELM:-$("$root/tests/bench/build_helm.sh")}"

bench_python "$runs" "$KUBECTL_LLM" "$KUBECTL" "$HELM" "$root/tests/bench/charts/llm-serve" <<'PY'
import os, statistics, sys
from bench import peak_rss, print_load_average, timed

runs = int(sys.argv[1])
plugin, kubectl, helm, chart = sys.argv[2:6]
env = dict(os.environ, KUBECONFIG=os.devnull, HOME=os.environ.get("HOME", "/tmp"))

cases = [
    ("kubectl-llm render serve (2 nodes, LWS)",
     [plugin, "render", "serve", "llama", "--model", "meta-llama/Llama-3.1-405B-Instruct",
      "--gpus", "8", "--nodes", "2", "--replicas", "2"]),
    ("kubectl create deployment --dry-run=client -o yaml",
     [kubectl, "create", "deployment", "llama", "--image=vllm/vllm-openai:v0.10.2",
      "--dry-run=client", "-o", "yaml"]),
    ("helm template (equivalent chart)", [helm, "template", "llama", chart]),
]

results = []
for name, argv in cases:
    for _ in range(3):
        timed(argv, env)
    samples = [timed(argv, env) for _ in range(runs)]
    rss = max(peak_rss(argv, env)[1] for _ in range(5))
    results.append((name, statistics.median(s[0] for s in samples), rss, statistics.median(s[1] for s in samples)))

base_wall, base_mem, base_cpu = results[0][1], results[0][2], results[0][3]
print(f"{runs} runs each: median wall time, median CPU time (user+sys), peak RSS (max of 5 runs)")
print(f"{'command':<52} {'wall ms':>8} {'x A':>6} {'CPU ms':>7} {'x A':>6} {'RSS MiB':>8} {'x A':>6}")
for i, (name, wall, mem, cpu) in enumerate(results):
    label = f"{chr(ord('A') + i)}. {name}"
    print(f"{label:<52} {wall * 1000:>8.2f} {wall / base_wall:>6.1f} {cpu * 1000:>7.2f} {cpu / base_cpu:>6.1f} "
          f"{mem / 1024:>8.1f} {mem / base_mem:>6.1f}")
print_load_average()
speedup = results[1][1] / base_wall
print(f"render serve is {speedup:.1f}x faster than kubectl's generator (target >= 10x): "
      f"{'met' if speedup >= 10 else 'NOT met'}")
PY
