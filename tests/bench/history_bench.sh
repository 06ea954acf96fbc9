#!/usr/bin/env bash
# Benchmark (not a test): `kubectl llm history NAME` against `helm history
# NAME` and `helm list` when a namespace holds 1,000 revisions of 100
# workloads (10 each) and another 1,000 Helm release revisions of 100
# releases: median wall time, bytes received, peak memory (max RSS, GNU time),
# as ratios. Target: at least 10x less data and 5x faster. For reference, the
# curl program making the one GET that `history` makes shows the floor that
# libcurl, OpenSSL and one TLS handshake set.
#
#   LLM_CLUSTER_DIR=/tmp/x tests/bench/history_bench.sh [WORKLOADS] [REVISIONS] [RUNS]
#
# WORKLOADS (default 100) workloads, each served REVISIONS (default 10) times
# with another --model by the plugin (serve --nodes 2: a LeaderWorkerSet,
# Service and PodDisruptionBudget; the local cluster runs no LeaderWorkerSet
# controller, so no pods), and as many Helm releases of the equivalent chart
# (tests/bench/charts/llm-serve) upgraded as often, in a namespace each. Both
# tools record what they deployed in Secrets: the plugin its rendered objects
# (gzip) with every audit field in metadata, Helm its chart, values and
# manifest (gzip). `history` lists its revisions' metadata only; Helm reads
# whole release Secrets.
#
# Bytes received are counted on the wire (TLS records, after the server's
# gzip) by a TCP relay on loopback that both tools connect through, one run
# each; wall times (medians of RUNS, default 10, runs alternating) and peak
# memory are measured talking to the API server directly, once the load the
# filling left has settled (bench_settle). Filling the cluster takes a few minutes (2,000 commands, 4
# at a time); everything is deleted at exit. Environment: BUILD (default
# build/), KUBECTL_LLM, HELM (default: tests/bench/build_helm.sh), JOBS
# (default 4).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_cluster

workloads="${1:-100}"
revisions="${2:-10}"
runs="${3:-10}"
jobs="${JOBS:-4}"
ns_llm="history-bench-llm-$$"
ns_helm="history-bench-helm-$$"
helm="${HELM:-$("$root/tests/bench/build_helm.sh")}"
chart="$root/tests/bench/charts/llm-serve"
export HELM_CACHE_HOME="$work/helm/cache" HELM_CONFIG_HOME="$work/helm/config" HELM_DATA_HOME="$work/helm/data"

bench_load before
for ns in "$ns_llm" "$ns_helm"; do
  bench_on_exit k delete namespace "$ns" --wait=false
  k create namespace "$ns" >/dev/null
done

# One workload's (or release's) revisions in order, the workloads JOBS at a time.
fill_one() {
  local tool=$1 i=$2 r
  for r in $(seq 1 "$revisions"); do
    if [[ $tool == llm ]]; then
      KUBECONFIG="$kubeconfig" KUBECACHEDIR="$work/cache" "$plugin" serve "w$i" -n "$ns_llm" \
        --model "org/model-$i-v$r" --gpus 8 --nodes 2 --replicas 2 --skip-preflight --history-max 0 >/dev/null
    else
      KUBECONFIG="$kubeconfig" "$helm" upgrade --install "w$i" "$chart" -n "$ns_helm" \
        --set "model=org/model-$i-v$r" --history-max 0 >/dev/null
    fi
  done
}
export -f fill_one
export plugin helm chart kubeconfig work revisions ns_llm ns_helm
started=$SECONDS
for tool in llm helm; do
  seq 1 "$workloads" | xargs -P "$jobs" -I{} bash -c "fill_one $tool {}"
done
echo "filled $((workloads * revisions)) revisions per tool in $((SECONDS - started)) s"
echo "revision Secrets: plugin $(k get secrets -n "$ns_llm" -l kubectl-llm.dev/revision-of --no-headers | wc -l)," \
  "helm $(k get secrets -n "$ns_helm" -l owner=helm --no-headers | wc -l)"
bench_settle

bench_python "$runs" "$plugin" "$helm" "$kubeconfig" "$work" "$ns_llm" "$ns_helm" <<'PY'
import os, re, shutil, statistics, sys
from bench import peak_rss, print_load_average, timed
from loopback_relay import Relay, relayed_kubeconfig, server_port

runs = int(sys.argv[1])
plugin, helm, kubeconfig, work, ns_llm, ns_helm = sys.argv[2:8]

# The relay: loopback TCP to the API server, counting what comes back.
relay = Relay(server_port(kubeconfig))
relayed = os.path.join(work, "relayed.kubeconfig")
relayed_kubeconfig(kubeconfig, relay.port, relayed)

env = dict(os.environ, KUBECONFIG=kubeconfig, KUBECACHEDIR=os.path.join(work, "cache"))
relayed_env = dict(env, KUBECONFIG=relayed)
# Each tool as (argv to the API server, argv through the relay).
tools = {
    "kubectl llm history w1": [plugin, "history", "w1", "-n", ns_llm],
    "helm history w1": [helm, "history", "w1", "-n", ns_helm],
    "helm list": [helm, "list", "-n", ns_helm],
}
tools = {name: (argv, argv) for name, argv in tools.items()}
# The floor of the transport: the curl program (libcurl and OpenSSL, as the plugin uses) making
# the one request `history` makes, so the report shows how much of the wall time is ours.
files = dict(re.findall(r"^\s*(certificate-authority|client-certificate|client-key): (\S+)$", open(relayed).read(),
                        flags=re.M))
direct = re.search(r"server: (\S+)", open(kubeconfig).read()).group(1)
if len(files) == 3 and shutil.which("curl"):
    def curl(base):
        return [shutil.which("curl"), "-fsS", "-o", "/dev/null", "--cacert", files["certificate-authority"],
                "--cert", files["client-certificate"], "--key", files["client-key"],
                f"{base}/api/v1/namespaces/{ns_llm}/secrets/kubectl-llm.w1.index"]
    tools["curl GET of the index"] = (curl(direct), curl(f"https://127.0.0.1:{relay.port}"))


def bytes_of(argv):
    relay.reset()
    timed(argv, relayed_env)
    return relay.received


for argv, _ in tools.values():  # a first run fills discovery caches, as any second use finds them
    timed(argv, env)
data = {name: bytes_of(relayed_argv) for name, (_, relayed_argv) in tools.items()}
walls = {name: [] for name in tools}
for _ in range(runs):
    for name, (argv, _) in tools.items():
        walls[name].append(timed(argv, env)[0])
rss = {name: peak_rss(argv, env)[1] for name, (argv, _) in tools.items()}

ours = "kubectl llm history w1"
print(f"{'command':<24} {'median wall':>12} {'bytes received':>15} {'peak RSS':>10}")
for name in tools:
    print(f"{name:<24} {statistics.median(walls[name]) * 1000:>10.0f}ms {data[name]:>15,} {rss[name] / 1024:>8.1f}MiB")
for name in tools:
    if name == ours:
        continue
    print(f"{name} / {ours}: wall {statistics.median(walls[name]) / statistics.median(walls[ours]):.1f}x, "
          f"data {data[name] / data[ours]:.1f}x, peak memory {rss[name] / rss[ours]:.1f}x")
print(f"(targets: at least 10x less data and 5x faster; {runs} runs each, bytes as TLS on the wire)")
print_load_average()
PY
