#!/usr/bin/env bash
# Benchmark (not a test): median process wall time and peak memory (max RSS) of
#   A. kubectl-llm render serve, multi-node (LeaderWorkerSet + Service + PDB)
#   B. kubectl create deployment --dry-run=client -o yaml (the control plane's kubectl)
#   C. helm template of an equivalent minimal chart (tests/bench/charts/llm-serve)
# and start-up alone:
#   D. kubectl-llm version --client
#   E. kubectl version --client
#   F. /bin/true: what starting and ending any process costs here
# measured side by side in one run, the cases taking turns, and reported as
# ratios to A, with each run's page faults (most of a short process's time
# beyond F: see tests/README.md); then each case's runs back to back, for
# comparison.
# Targets (#21): A <= 0.05x B's wall time and <= 1/5 of its peak memory; D <= 2 ms.
#
#   tests/bench/render_bench.sh [RUNS]          # default 30 runs each, after 3 warm-ups
#
# Environment: KUBECTL_LLM (default: the release preset's build, what a
# package ships: portable, with its network module), KUBECTL (default: the
# local control plane's kubectl, built by tests/cluster/build.sh), HELM
# (default: built by tests/bench/build_helm.sh).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

runs="${1:-30}"

if [[ -z "${KUBECTL_LLM:-}" ]]; then
  (cd "$root" && cmake --preset release -DLLM_CURL_ROOT="$(scripts/build-curl.sh)" >/dev/null &&
    cmake --build --preset release >/dev/null)
  KUBECTL_LLM="$root/build/release/cli/kubectl-llm"
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
    ("kubectl-llm version --client", [plugin, "version", "--client"]),
    ("kubectl version --client", [kubectl, "version", "--client"]),
    # What any program pays here to start and end, the part of A and D no
    # change of ours can take away.
    ("/bin/true (starting and ending a process)", ["/bin/true"]),
]

for _, argv in cases:
    for _ in range(3):
        timed(argv, env)

def medians(samples):
    return tuple(statistics.median(getattr(s, field) for s in samples) for field in ("wall", "cpu", "faults"))

# In turns: run by run, each case once, each run starting with the next case.
# A command a user types runs after other programs, not after itself: here
# each case runs after the others, and a spell of load from the machine (the
# local control plane's own work) falls on all of them alike. This is the
# measure the targets are checked against (the issue's "pairs").
in_turns = [[] for _ in cases]
for run in range(runs):
    for turn in range(len(cases)):
        i = (run + turn) % len(cases)
        in_turns[i].append(timed(cases[i][1], env))
# In a row: each case's runs back to back, the CPU's caches warm with what the
# previous run of the same program left: the best case for a short process.
in_a_row = [[timed(argv, env) for _ in range(runs)] for _, argv in cases]

results = []
for (name, argv), taken in zip(cases, in_turns):
    rss = max(peak_rss(argv, env)[1] for _ in range(5))
    wall, cpu, faults = medians(taken)
    results.append((name, wall, rss, cpu, faults))
row = [medians(taken)[0] for taken in in_a_row]

base_wall, base_mem, base_cpu = results[0][1], results[0][2], results[0][3]
print(f"{runs} runs each, the cases taking turns: median wall time, median CPU time (user+sys), median page "
      "faults, peak RSS (max of 5 runs)")
print(f"{'command':<52} {'wall ms':>8} {'x A':>6} {'CPU ms':>7} {'x A':>6} {'faults':>7} {'RSS MiB':>8} {'x A':>6}")
for i, (name, wall, mem, cpu, faults) in enumerate(results):
    label = f"{chr(ord('A') + i)}. {name}"
    print(f"{label:<52} {wall * 1000:>8.2f} {wall / base_wall:>6.1f} {cpu * 1000:>7.2f} {cpu / base_cpu:>6.1f} "
          f"{faults:>7.0f} {mem / 1024:>8.1f} {mem / base_mem:>6.1f}")
print_load_average()
wall_ratio, mem_ratio = base_wall / results[1][1], base_mem / results[1][2]
print(f"render serve takes {wall_ratio:.3f}x kubectl's generator's wall time (target <= 0.05x): "
      f"{'met' if wall_ratio <= 0.05 else 'NOT met'}; {mem_ratio:.2f}x its peak memory (target <= 0.2x): "
      f"{'met' if mem_ratio <= 0.2 else 'NOT met'}")
startup = results[3][1] * 1000
print(f"version --client takes {startup:.2f} ms, kubectl's {results[4][1] * 1000:.2f} ms (target <= 2 ms): "
      f"{'met' if startup <= 2 else 'NOT met'}")
print(f"in a row instead (each case's {runs} runs back to back): render serve {row[0] * 1000:.2f} ms, kubectl's "
      f"generator {row[1] * 1000:.2f} ms ({row[0] / row[1]:.3f}x), version --client {row[3] * 1000:.2f} ms")
PY
