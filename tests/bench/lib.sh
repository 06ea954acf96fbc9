# What the benchmarks share (sourced, not run): their prelude (paths, the
# cluster and its tools, a work directory, cleanup at exit) and the three
# measurements they report, defined once so that two benchmarks' figures mean
# the same thing:
#   - API requests: the response lines a tool logs at -v=6;
#   - peak memory: GNU time's maximum RSS;
#   - wall and CPU time: posix_spawn + wait4, to the microsecond.
# The measurements are Python (the benchmarks' drivers are): bench_python runs
# a driver with them importable as `bench`.
#
# Sourcing it sets `root` (the checkout) and `work` (a temporary directory,
# removed at exit), and takes over the EXIT trap (add to it with bench_on_exit).

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d)"

# Cleanups run most recent first, each one even if another fails, and the work
# directory goes last: a benchmark that stops half-way (set -e) still removes
# the nodes and namespaces it added to a cluster that others keep using.
_bench_on_exit=()
bench_on_exit() { _bench_on_exit=("$(printf '%q ' "$@")" "${_bench_on_exit[@]}"); }
_bench_exit() {
  local cmd
  for cmd in "${_bench_on_exit[@]}"; do eval "$cmd" >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap _bench_exit EXIT

# bench_cluster: the running local control plane (tests/cluster/up.sh) in
# $LLM_CLUSTER_DIR and the programs measured against it. Sets state,
# kubeconfig, kubectl (KUBECTL, default the cluster's own: the version the
# cluster runs) and plugin (KUBECTL_LLM, default in BUILD, default build/), and
# defines k, kubectl as the cluster's admin.
bench_cluster() {
  state="${LLM_CLUSTER_DIR:?set LLM_CLUSTER_DIR to a cluster started with tests/cluster/up.sh}"
  kubeconfig="$state/admin.kubeconfig"
  kubectl="${KUBECTL:-$state/bin/kubectl}"
  plugin="${KUBECTL_LLM:-${BUILD:-$root/build}/cli/kubectl-llm}"
}
k() { "$kubectl" --kubeconfig "${kubeconfig_direct:-$kubeconfig}" "$@"; }

# bench_remote: with RTT_MS set (e.g. 20, a regional API server), points
# `kubeconfig` (the tools measured; `k` keeps the direct one) through
# loopback_relay.py, which delays every byte by half of RTT_MS each way: both
# tools then pay the round trips a remote cluster costs. Prints the delay;
# without RTT_MS it does nothing.
bench_remote() {
  [[ -n ${RTT_MS:-} ]] || return 0
  local port
  coproc BENCH_RELAY { exec python3 "$root/tests/bench/loopback_relay.py" "$RTT_MS" "$kubeconfig" "$work/remote.kubeconfig"; }
  bench_on_exit kill "$BENCH_RELAY_PID"
  read -r port <&"${BENCH_RELAY[0]}"
  kubeconfig_direct="$kubeconfig"
  kubeconfig="$work/remote.kubeconfig"
  echo "round trip to the API server: ${RTT_MS} ms (tests/bench/loopback_relay.py on port $port)"
}

# bench_load before|after|"at end": the load average, printed around a run
# because every wall time on a shared machine grows with it (and, first, the
# cores it is shared over).
bench_load() {
  local cores=""
  [[ $1 == before ]] && cores=" on $(nproc) cores"
  printf 'load %-7s %s%s\n' "$1:" "$(cut -d' ' -f1-3 /proc/loadavg)" "$cores"
}

# bench_settle: waits, up to 3 minutes, until the 1-minute load average is
# below half the cores, and prints it: a benchmark that has just filled the
# cluster (the API server and etcd still writing, the controllers catching up)
# would otherwise time its commands on a machine busy with its own set-up.
bench_settle() {
  local waited
  for ((waited = 0; waited < 180; waited++)); do
    awk -v cores="$(nproc)" '{ exit !($1 < cores / 2) }' /proc/loadavg && break
    sleep 1
  done
  bench_load settled
}

# bench_add_nodes gpu|cpu COUNT PREFIX NAME: COUNT more fake nodes (kwok), labelled
# kubectl-llm.dev/bench=NAME so that exactly these are deleted at exit, and
# Ready before it returns (the scheduler places nothing on a node before).
bench_add_nodes() {
  local kind=$1 count=$2 prefix=$3 name=$4
  bench_on_exit k delete nodes -l "kubectl-llm.dev/bench=$name" --wait=false
  "$root/tests/cluster/nodes.sh" "$kind" "$count" "$prefix" |
    sed "s|^      type: kwok\$|      type: kwok\n      kubectl-llm.dev/bench: $name|" |
    k apply --server-side -f - >/dev/null
  # Not kubectl wait: it checks the nodes one after another, and 10,000 of
  # them outlast any --timeout. One list every 2 s instead.
  local deadline=$((SECONDS + 300 + count / 20)) ready
  while :; do
    ready=$(k get nodes -l "kubectl-llm.dev/bench=$name" \
      -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' | grep -c '^True$' || true)
    ((ready >= count)) && return 0
    ((SECONDS < deadline)) || { echo "bench_add_nodes: $ready of $count nodes Ready" >&2; return 1; }
    sleep 2
  done
}

# bench_fill_pods NS PODS WORKLOADS TIMEOUT NAME: PODS running pods in NS, in
# WORKLOADS serve workloads (the Service and Deployment `kubectl llm render
# serve` makes, labelled as the tool's, without the GPU request: 5000 GPU pods
# would need 625 fake 8-GPU nodes), on PODS/100 more fake CPU nodes (kwok; 110
# pods per node at most) named NAME-node-N; returns once every pod is ready,
# failing after TIMEOUT seconds. Workload i's pods are bound to node
# i % nodes by the template's nodeName: through the scheduler, 2 cores bound
# about 21 pods a second, and 50,000 pods took over half an hour to place.
bench_fill_pods() {
  local ns=$1 pods=$2 workloads=$3 timeout=$4 name=$5
  local replicas=$(((pods + workloads - 1) / workloads)) nodes=$(((pods + 99) / 100)) start ready
  bench_add_nodes cpu "$nodes" "$name-node-" "$name"
  python3 - "$plugin" "$workloads" "$replicas" "$pods" "$nodes" "$name-node-" >"$work/workloads.json" <<'PY'
import json, subprocess, sys
plugin, workloads, replicas, pods = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
nodes, node_prefix = int(sys.argv[5]), sys.argv[6]
items = []
for i in range(workloads):
    count = min(replicas, pods - i * replicas)
    if count <= 0:
        break
    rendered = subprocess.run([plugin, "render", "serve", f"s{i}", "--model", f"org/model-{i}", "--gpus", "1",
                               "--cpu", "100m", "--memory", "64Mi", "--replicas", str(count), "-o", "json"],
                              capture_output=True, text=True, check=True)
    for item in json.loads(rendered.stdout)["items"]:
        if item["kind"] not in ("Deployment", "Service"):
            continue
        for container in item["spec"].get("template", {}).get("spec", {}).get("containers", []):
            for part in ("requests", "limits"):
                container.get("resources", {}).get(part, {}).pop("nvidia.com/gpu", None)
        if item["kind"] == "Deployment":
            item["spec"]["template"]["spec"]["nodeName"] = f"{node_prefix}{i % nodes}"
        items.append(item)
json.dump({"apiVersion": "v1", "kind": "List", "items": items}, sys.stdout)
PY
  start=$(date +%s)
  k apply --server-side -n "$ns" -f "$work/workloads.json" >/dev/null
  while true; do
    ready=$(k get deployments -n "$ns" -o jsonpath='{range .items[*]}{.status.readyReplicas}{"\n"}{end}' |
      awk '{s += $1} END {print s + 0}')
    [[ "$ready" -ge "$pods" ]] && break
    if (($(date +%s) - start > timeout)); then
      echo "only $ready of $pods pods ready after ${timeout}s" >&2
      return 1
    fi
    sleep 5
  done
  echo "$pods pods ready in $workloads workloads after $(($(date +%s) - start)) s on $nodes extra nodes"
  echo "pods in the cluster: $(k get pods -A --no-headers | wc -l)"
}

# bench_python ARGS... <<'PY' ... PY: runs the driver on stdin with ARGS as
# sys.argv[1:] and `bench` (below) and `loopback_relay` importable.
bench_python() { PYTHONPATH="$work:$root/tests/bench" python3 - "$@"; }

cat >"$work/bench.py" <<'PY'
"""The benchmarks' measurements (tests/bench/lib.sh)."""
import collections
import os
import re
import subprocess
import sys
import tempfile
import time

# One line per API response at -v=6, a failed attempt included (it was sent):
# kubectl `"Response" verb="GET" url="https://..." status="200 OK" ...`,
# the plugin `GET https://... 200 OK in 3 milliseconds, 120 bytes` or `... in 3 milliseconds: <error>`.
RESPONSE_LINE = re.compile(r'"Response" verb="([A-Z]+)"|^([A-Z]+) https?://\S+ ', re.M)


def count_requests(log):
    """(requests, {verb: requests}) in a -v=6 log of either tool."""
    verbs = [a or b for a, b in RESPONSE_LINE.findall(log)]
    return len(verbs), {verb: verbs.count(verb) for verb in sorted(set(verbs))}


def requests(argv, env):
    """count_requests of one more run of argv at -v=6: a run of its own, since
    logging costs the timed runs time."""
    out = subprocess.run(argv + ["-v=6"], env=env, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"failed: {' '.join(argv)}\n{out.stderr}")
    return count_requests(out.stderr)


_devnull = os.open(os.devnull, os.O_WRONLY)


Run = collections.namedtuple("Run", "wall cpu faults")


def timed(argv, env):
    """Run(wall seconds, CPU user+sys seconds, page faults) of one run, stdout
    discarded. posix_spawn and wait4 measure to the microsecond; GNU time's
    wall clock has 10 ms steps, too coarse for runs of a few milliseconds. The
    faults (minor and major) are the new program's alone: exec gives it a new
    memory map, and a short process pays a few microseconds for each."""
    start = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, env, file_actions=[(os.POSIX_SPAWN_DUP2, _devnull, 1)])
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(argv)}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_minflt + usage.ru_majflt)


def peak_rss(argv, env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True):
    """(wall seconds, peak RSS KiB, exit code) of one run, from GNU time: the
    ru_maxrss of a child spawned from Python would include Python's own pages
    (the high-water mark carries over exec), and GNU time's are few."""
    with tempfile.NamedTemporaryFile("r") as report:
        code = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", report.name] + argv, stdout=stdout,
                              stderr=stderr, env=env).returncode
        # A failed run adds a line "Command exited with non-zero status N" before ours.
        wall, rss = report.read().split()[-2:]
    if check and code != 0:
        sys.exit(f"failed: {' '.join(argv)}")
    return float(wall), int(rss), code


def print_load_average():
    """The last line of a table of times: they grow with load on a shared machine."""
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (wall times grow with load)")
PY
