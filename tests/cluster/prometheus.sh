#!/usr/bin/env bash
# Starts Prometheus (built by build.sh from its Go module at PROMETHEUS_VERSION,
# Kubernetes service discovery only) for the local control plane that up.sh
# started, unless it runs already. It discovers pods through the local API
# server (the admin kubeconfig) and scrapes what a PodMonitor rendered by
# `kubectl llm serve --monitor` selects: the serving pods kubectl-llm made
# (app.kubernetes.io/component=serve, managed-by=kubectl-llm; LeaderWorkerSet
# leaders only), on the container port named http, at the path of their
# prometheus.io/path annotation (the engine's), with the namespace and pod
# target labels the Prometheus Operator gives a PodMonitor's targets. It
# scrapes every second, listens on a free loopback port and writes its URL to
# $LLM_CLUSTER_DIR/prometheus-url. down.sh stops it with the rest.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
state=${LLM_CLUSTER_DIR:-${TMPDIR:-/tmp}/kubectl-llm-cluster}
log() { echo "prometheus.sh: $*" >&2; }
die() { log "$*"; exit 1; }
source "$here/lib.sh"

[[ -d $state ]] && state=$(cd "$state" && pwd)
lock_running_cluster "$state" prometheus
answers() { curl -sf "$(<"$state/prometheus-url")/-/ready" >/dev/null 2>&1; }
if live_pid "$state/pids/prometheus.pid" >/dev/null && [[ -f $state/prometheus-url ]] && answers; then
  exit 0
fi
stop_stale_daemon "$state" prometheus

dir=$(addon_dir "$state" prometheus prometheus)
[[ -x $dir/prometheus ]] || die "build.sh did not build Prometheus into $dir"
mkdir -p "$state/prometheus"
cat >"$state/prometheus/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
- job_name: kubectl-llm-serve
  kubernetes_sd_configs:
  - role: pod
    kubeconfig_file: $state/admin.kubeconfig
  relabel_configs:
  - source_labels: [__meta_kubernetes_pod_label_app_kubernetes_io_component, __meta_kubernetes_pod_label_app_kubernetes_io_managed_by]
    regex: serve;kubectl-llm
    action: keep
  - source_labels: [__meta_kubernetes_pod_label_kubectl_llm_dev_role]
    regex: (|leader)
    action: keep
  - source_labels: [__meta_kubernetes_pod_container_port_name]
    regex: http
    action: keep
  - source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_path]
    regex: (.+)
    target_label: __metrics_path__
  - source_labels: [__meta_kubernetes_namespace]
    target_label: namespace
  - source_labels: [__meta_kubernetes_pod_name]
    target_label: pod
EOF
port=$(free_port)
# Not holding our lock (fd 7): a later prometheus.sh must get it.
{ start_daemon prometheus "$state" "$dir/prometheus" --config.file="$state/prometheus/prometheus.yml" \
    --storage.tsdb.path="$state/prometheus/data" --web.listen-address="127.0.0.1:$port"; } 7>&-
echo "http://127.0.0.1:$port" > "$state/prometheus-url"
wait_until 60 "Prometheus" answers || die "Prometheus did not answer on port $port; see $state/logs/prometheus.log"
log "Prometheus listening at http://127.0.0.1:$port"
