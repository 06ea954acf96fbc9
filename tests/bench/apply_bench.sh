#!/usr/bin/env bash
# Benchmark (not a test): applying one serve workload to the local control
# plane, side by side in one run:
#   A. kubectl llm serve NAME ...                  (no --wait: render, preflight, ApplySet apply)
#   B. kubectl llm serve NAME ... --skip-preflight
#   C. kubectl apply --server-side -f FILE, FILE being `kubectl llm render serve`
#      of the same flags (the same objects, without the ApplySet)
# each creating the objects in a fresh namespace, then re-applying them
# unchanged. Reported: median wall time per case and its ratio to C, and the
# API requests each made (the response lines each prints at -v=6, counted in a
# separate run so logging costs no time above) against the rendered objects:
# the target (#21) is at most 0.2x kubectl's time with at most one request per
# object plus two.
#
#   LLM_CLUSTER_DIR=/tmp/x tests/bench/apply_bench.sh [RUNS]    # default 10 runs each, after 1 warm-up
#
# RTT_MS=N measures both tools as if the API server were N ms away (a
# regional cluster: 10-50 ms): bench_remote's delaying relay on loopback.
#
# EXTRA_CLUSTERS=N gives both tools a copy of the kubeconfig (flattened: its
# certificates embedded) with N more clusters, users and contexts, written by
# `kubectl config set-* --embed-certs` from random certificate-sized files (as
# kind and the cloud CLIs write theirs), the current context unchanged: what
# reading a user's kubeconfig costs each tool.
#
# BACKGROUND_PODS=N first fills the cluster with N running pods elsewhere
# (bench_fill_pods, on fake CPU nodes): the preflight's cost must not grow
# with them, as it reads only the GPU nodes' pods.
#
# Both tools get the same warm discovery cache (--cache-dir in a temporary
# directory, filled by the warm-up; kubectl keeps its OpenAPI documents there
# too). The workload: --gpus 1 --cpu 1 --autoscale 2:4 --model-cache-pvc
# cache:10Gi, i.e. a PersistentVolumeClaim, Service, Deployment,
# PodDisruptionBudget and HorizontalPodAutoscaler (the claim binds to nothing,
# so no pod starts and the control plane stays quiet between runs).
# Environment: BUILD (default build/), KUBECTL_LLM (default: in BUILD), KUBECTL
# (default: the cluster's).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_cluster

runs="${1:-10}"
prefix="apply-bench-$$"
bench_on_exit k delete namespace -l "kubectl-llm.dev/bench=$prefix" --wait=false

background="${BACKGROUND_PODS:-0}"
if ((background > 0)); then
  k create namespace "$prefix-background" >/dev/null
  k label namespace "$prefix-background" "kubectl-llm.dev/bench=$prefix" >/dev/null
  bench_fill_pods "$prefix-background" "$background" "$(((background + 99) / 100))" "${READY_TIMEOUT:-900}" apply-bench
fi

bench_remote
extra_clusters="${EXTRA_CLUSTERS:-0}"
if ((extra_clusters > 0)); then
  # --flatten embeds the files the cluster's kubeconfig names relative to its own directory.
  "$kubectl" config view --kubeconfig "$kubeconfig" --raw --flatten >"$work/extra.kubeconfig"
  kubeconfig="$work/extra.kubeconfig"
  for ((i = 1; i <= extra_clusters; i++)); do
    head -c 1100 /dev/urandom >"$work/ca-$i" && head -c 1150 /dev/urandom >"$work/cert-$i"
    head -c 1700 /dev/urandom >"$work/key-$i"
    "$kubectl" config set-cluster "extra-$i" --kubeconfig "$kubeconfig" --server "https://127.0.0.1:$((9000 + i))" \
      --certificate-authority "$work/ca-$i" --embed-certs >/dev/null
    "$kubectl" config set-credentials "extra-$i" --kubeconfig "$kubeconfig" --client-certificate "$work/cert-$i" \
      --client-key "$work/key-$i" --embed-certs >/dev/null
    "$kubectl" config set-context "extra-$i" --kubeconfig "$kubeconfig" --cluster "extra-$i" --user "extra-$i" >/dev/null
  done
  echo "kubeconfig: $(wc -c <"$kubeconfig") bytes, $((extra_clusters + 1)) clusters"
fi
bench_load before
bench_python "$runs" "$plugin" "$kubectl" "$kubeconfig" "$work" "$prefix" <<'PY'
import json, os, statistics, subprocess, sys
from bench import print_load_average, requests, timed

runs = int(sys.argv[1])
plugin, kubectl, kubeconfig, work, prefix = sys.argv[2:7]
cache = os.path.join(work, "cache")
env = dict(os.environ, KUBECONFIG=kubeconfig, HOME=work)
flags = ["--model", "org/m", "--gpus", "1", "--cpu", "1", "--autoscale", "2:4", "--model-cache-pvc", "cache:10Gi"]
manifest = os.path.join(work, "chat.json")
with open(manifest, "w") as f:
    subprocess.run([plugin, "render", "serve", "chat", *flags, "-o", "json"], stdout=f, env=env, check=True)
with open(manifest) as f:
    objects = len(json.load(f)["items"])

cases = {
    "A": ("kubectl llm serve", lambda ns: [plugin, "--cache-dir", cache, "serve", "chat", "-n", ns, *flags]),
    "B": ("kubectl llm serve --skip-preflight",
          lambda ns: [plugin, "--cache-dir", cache, "serve", "chat", "-n", ns, *flags, "--skip-preflight"]),
    "C": ("kubectl apply --server-side -f",
          lambda ns: [kubectl, "--cache-dir", cache, "apply", "--server-side", "-n", ns, "-f", manifest]),
}
def namespaces(run):
    names = {key: f"{prefix}-{run}-{key.lower()}" for key in cases}
    items = [{"apiVersion": "v1", "kind": "Namespace",
              "metadata": {"name": name, "labels": {"kubectl-llm.dev/bench": prefix}}} for name in names.values()]
    subprocess.run([kubectl, "apply", "-f", "-"], input=json.dumps({"apiVersion": "v1", "kind": "List", "items": items}),
                   text=True, env=env, check=True, stdout=subprocess.DEVNULL)
    return names

def drop(names):
    subprocess.run([kubectl, "delete", "namespace", *names.values(), "--wait=false"], env=env, check=True,
                   stdout=subprocess.DEVNULL)

samples = {(key, phase): [] for key in cases for phase in ("create", "re-apply")}
for run in range(runs + 1):  # the first run warms the caches and is not counted
    names = namespaces(run)
    order = list(cases)[run % 3:] + list(cases)[:run % 3]  # each tool goes first as often as the others
    for phase in ("create", "re-apply"):
        for key in order:
            wall = timed(cases[key][1](names[key]), env).wall
            if run > 0:
                samples[(key, phase)].append(wall)
    drop(names)

names = namespaces(runs + 1)
counted = {}
for phase in ("create", "re-apply"):
    for key in cases:
        counted[(key, phase)] = requests(cases[key][1](names[key]), env)
drop(names)

budget = objects + 2
print(f"{objects} objects rendered; {runs} runs each: median wall time, and the API requests of one more run (-v=6)")
print(f"{'case':<44} {'phase':<9} {'wall ms':>8} {'x C':>6} {'requests':>9} {'/ (objects+2)':>14}  by verb")
for phase in ("create", "re-apply"):
    base = statistics.median(samples[("C", phase)])
    for key, (name, _) in cases.items():
        wall = statistics.median(samples[(key, phase)])
        count, verbs = counted[(key, phase)]
        by_verb = " ".join(f"{verb} {n}" for verb, n in verbs.items())
        print(f"{key + '. ' + name:<44} {phase:<9} {wall * 1000:>8.1f} {wall / base:>6.2f} {count:>9} "
              f"{count / budget:>14.2f}  {by_verb}")
print_load_average()
for key in ("A", "B"):
    for phase in ("create", "re-apply"):
        ratio = statistics.median(samples[(key, phase)]) / statistics.median(samples[("C", phase)])
        count = counted[(key, phase)][0]
        met = ratio <= 0.2 and count <= budget
        print(f"{key} {phase}: {ratio:.2f}x kubectl's time (target <= 0.2), {count} requests "
              f"(target <= {budget}): {'met' if met else 'NOT met'}")
PY
bench_load after
