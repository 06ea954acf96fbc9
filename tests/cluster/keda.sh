#!/usr/bin/env bash
# Starts the real KEDA operator (built by build.sh from its Go module at
# KEDA_VERSION) for the local control plane that up.sh started, unless it runs
# already; returns once it is ready. It reconciles ScaledObjects (making their
# HorizontalPodAutoscalers) and polls each trigger itself: it scales a
# workload from zero to its minimum when a trigger turns active, and back to
# zero after the cooldown, with no metrics API server involved. KEDA's metrics
# API server (keda-adapter, which the HPA asks for 1 -> N) is not run: see
# tests/cluster/README.md. Tests that need KEDA run this first; down.sh stops
# it with the rest.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
state=${LLM_CLUSTER_DIR:-${TMPDIR:-/tmp}/kubectl-llm-cluster}
start=$SECONDS
log() { echo "keda.sh: $*" >&2; }
die() { log "$*"; exit 1; }
source "$here/lib.sh"
source "$here/versions.sh"

[[ -d $state ]] && state=$(cd "$state" && pwd)
lock_running_cluster "$state" keda
work=$state/keda
ready() { curl -sf "http://127.0.0.1:$(<"$work/health-port")/readyz" >/dev/null 2>&1; }
if live_pid "$state/pids/keda-operator.pid" >/dev/null && [[ -f $work/health-port ]] && ready; then
  exit 0
fi
stop_stale_daemon "$state" keda-operator

dir=$(addon_dir "$state" keda keda-operator)
[[ -x $dir/keda-operator ]] || die "build.sh did not build the KEDA operator into $dir"
pki="$state/pki"
rm -rf "$work"
mkdir -p "$work/certs" "$work/ca"
# Its gRPC metrics service (what keda-adapter would call) serves TLS from
# --cert-dir: ca.crt, tls.crt and tls.key, here from the cluster CA.
loopback_serving_cert "$work/certs/tls" keda-operator
cp "$pki/ca.crt" "$work/certs/ca.crt"
admin_kubeconfig "$state" keda
"$state/bin/kubectl" --kubeconfig="$state/admin.kubeconfig" create namespace keda --dry-run=client -o yaml |
  "$state/bin/kubectl" --kubeconfig="$state/admin.kubeconfig" apply --server-side -f - >/dev/null

read -r health_port metrics_port grpc_port < <(free_ports 3)
echo "$health_port" >"$work/health-port"
# Every namespace watched (WATCH_NAMESPACE empty), its own objects in "keda",
# no leader election, listeners on loopback only. Not holding our lock (fd 7).
{ start_daemon keda-operator "$state" env KUBECONFIG="$state/keda.kubeconfig" WATCH_NAMESPACE= \
    KEDA_CLUSTER_OBJECT_NAMESPACE=keda "$dir/keda-operator" --leader-elect=false \
    --health-probe-bind-address="127.0.0.1:$health_port" --metrics-bind-address="127.0.0.1:$metrics_port" \
    --metrics-service-bind-address="127.0.0.1:$grpc_port" --cert-dir="$work/certs" --ca-dir="$work/ca" \
    --enable-cert-rotation=false --zap-log-level=info; } 7>&-
wait_until 120 "the KEDA operator to be ready" ready
log "KEDA operator $KEDA_VERSION up in $((SECONDS - start)) s"
