#!/usr/bin/env bash
# Benchmark (not a test): `kubectl llm test NAME` against a 4-replica served
# model, side by side with the kubectl script a user would write for the same
# stages on the same cluster (kubectl get endpointslices, then kubectl get
# --raw .../pods/POD:8000/proxy/health per pod, .../services/NAME:8000/proxy/
# v1/models, and kubectl create --raw for the completion): median wall time
# and API requests (-v=6 response lines). Target: at least 5x faster.
# The plugin does more (access preflight, the workload and its Service, a
# streamed completion): its requests are listed by verb.
#
#   LLM_CLUSTER_DIR=/tmp/x tests/bench/endpoint_test_bench.sh [RUNS]
#
# Needs the cluster's pod network (up.sh as root) and the engine simulator
# (built in BUILD, default build/: target llm-engine-sim); it is started if
# it is not running. The model answers at once (no steered latency), so the
# figures are the tools' own cost. RUNS (default 10) runs each, alternating.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_cluster
runs="${1:-10}"
build="${BUILD:-$root/build}"
ns="endpoint-bench-$$"
model="Qwen/Qwen2.5-0.5B-Instruct"

"$root/tests/cluster/pod-network.sh" start-simulator "$build/tests/llm-engine-sim"
bench_load before
bench_on_exit k delete namespace "$ns" --wait=false
k create namespace "$ns" >/dev/null
KUBECONFIG="$kubeconfig" "$plugin" serve chat -n "$ns" --model "$model" --gpus 1 --replicas 4 --wait >/dev/null
for _ in $(seq 1 120); do
  ready=$(k get endpointslices -n "$ns" -l kubernetes.io/service-name=chat \
    -o jsonpath='{range .items[*].endpoints[?(@.conditions.ready==true)]}{.addresses[0]}{"\n"}{end}')
  [[ $(grep -c . <<<"$ready") -eq 4 ]] && break
  sleep 0.5
done
mkdir -p "$state/engine-sim/pods"
for ip in $ready; do
  echo "{\"engine\":\"vllm\",\"model\":\"$model\"}" >"$state/engine-sim/pods/$ip.json"
  bench_on_exit rm -f "$state/engine-sim/pods/$ip.json"
done

# The user's script: the same stages, one kubectl per request.
cat >"$work/kubectl-test.sh" <<SH
#!/usr/bin/env bash
set -euo pipefail
k() { "$kubectl" --kubeconfig "$kubeconfig" "\$@"; }
pods=\$(k get endpointslices -n $ns -l kubernetes.io/service-name=chat \$V \\
  -o jsonpath='{range .items[*].endpoints[?(@.conditions.ready==true)]}{.targetRef.name}{"\n"}{end}')
for pod in \$pods; do k get --raw "/api/v1/namespaces/$ns/pods/\$pod:8000/proxy/health" \$V >/dev/null; done
k get --raw "/api/v1/namespaces/$ns/services/chat:8000/proxy/v1/models" \$V | grep -q '"$model"'
echo '{"model":"$model","prompt":"Hello","max_tokens":1,"temperature":0}' |
  k create --raw "/api/v1/namespaces/$ns/services/chat:8000/proxy/v1/completions" -f - \$V | grep -q '"choices"'
SH
chmod +x "$work/kubectl-test.sh"

bench_python "$runs" "$plugin" "$kubeconfig" "$work" "$ns" <<'PY'
import os, statistics, subprocess, sys
from bench import count_requests, print_load_average, timed

runs = int(sys.argv[1])
plugin, kubeconfig, work, ns = sys.argv[2:6]
env = dict(os.environ, KUBECONFIG=kubeconfig, KUBECACHEDIR=os.path.join(work, "cache"), V="")
tools = {
    "kubectl llm test": [plugin, "test", "chat", "-n", ns],
    "kubectl script": [os.path.join(work, "kubectl-test.sh")],
}
walls = {name: [] for name in tools}
for argv in tools.values():  # a first run fills the plugin's discovery cache, as any second use finds it
    timed(argv, env)
for _ in range(runs):
    for name, argv in tools.items():
        walls[name].append(timed(argv, env)[0])
plugin_log = subprocess.run(tools["kubectl llm test"] + ["-v=6"], env=env, capture_output=True, text=True)
script_log = subprocess.run(tools["kubectl script"], env=dict(env, V="-v=6"), capture_output=True, text=True)
if plugin_log.returncode != 0 or script_log.returncode != 0:
    sys.exit(plugin_log.stderr + script_log.stderr)
requests = {"kubectl llm test": count_requests(plugin_log.stderr), "kubectl script": count_requests(script_log.stderr)}
print(f"{'tool':<18} {'median wall':>12} {'API requests':>13}  by verb")
for name in tools:
    total, verbs = requests[name]
    print(f"{name:<18} {statistics.median(walls[name]) * 1000:>10.0f}ms {total:>13}  {verbs}")
ratio = statistics.median(walls["kubectl script"]) / statistics.median(walls["kubectl llm test"])
print(f"kubectl llm test is {ratio:.1f}x faster than the kubectl script (target: 5x), {runs} runs each;"
      " it also checks access, the workload, and a streamed completion")
print_load_average()
PY
