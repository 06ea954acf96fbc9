#!/usr/bin/env bash
# Stops the control plane that up.sh started in $LLM_CLUSTER_DIR, ending only
# its own processes (by the pids it recorded), and removes its etcd data.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
state=${LLM_CLUSTER_DIR:-${TMPDIR:-/tmp}/kubectl-llm-cluster}
source "$here/lib.sh"
[[ -d $state/pids ]] || { "$here/pod-network.sh" down; echo "down.sh: no cluster in $state" >&2; exit 0; }

pids=()
# Reverse start order: clients first (the KEDA operator, Prometheus, toxiproxy,
# Kueue, the JobSet and LWS controller managers, started on demand by keda.sh,
# prometheus.sh, toxiproxy.sh, kueue.sh and controllers.sh), etcd last.
for c in keda-operator prometheus toxiproxy-server kueue jobset-manager lws-manager kwok kube-scheduler kube-controller-manager kube-apiserver etcd; do
  if pid=$(live_pid "$state/pids/$c.pid"); then
    kill -TERM "$pid" 2>/dev/null || true
    pids+=("$pid")
  fi
done
for _ in $(seq 1 50); do
  alive=0
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
  ((alive)) || break
  sleep 0.2
done
for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
# The engine simulator, then the pod network's routes, veth pair and namespace.
"$here/pod-network.sh" down
rm -rf "$state/pids" "$state/etcd" "$state/ready" "$state/kueue" "$state/jobset" "$state/lws" "$state/toxiproxy-api" \
  "$state/prometheus" "$state/prometheus-url" "$state/keda"
echo "down.sh: stopped the control plane in $state" >&2
