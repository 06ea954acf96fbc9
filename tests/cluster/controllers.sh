#!/usr/bin/env bash
# controllers.sh start|stop jobset|lws
#
# start: starts the real JobSet or LeaderWorkerSet controller manager (built by
# build.sh from its Go module at JOBSET_VERSION / LWS_VERSION) in the local
# control plane that up.sh started, unless it runs already; returns once the
# API server reaches its webhooks. Tests that need the controller run it first;
# down.sh stops them with the rest.
# stop: stops it and removes its webhook registrations and its leader election
# Lease, so the cluster is as before the start: the CRD served, no controller
# (what the "controller missing" tests need).
# Interface and how the webhooks are reached: tests/cluster/README.md.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
state=${LLM_CLUSTER_DIR:-${TMPDIR:-/tmp}/kubectl-llm-cluster}
start=$SECONDS
usage() { echo "usage: controllers.sh start|stop jobset|lws" >&2; exit 2; }
[[ $# -eq 2 ]] || usage
action=$1 name=$2
log() { echo "controllers.sh: $name: $*" >&2; }
die() { log "$*"; exit 1; }
source "$here/lib.sh"
source "$here/versions.sh"

# What differs between the two: the namespace the project installs into (its
# leader election Lease lives there), its configuration API, its Lease's name
# (the project's default), and an object whose server dry run goes through its
# webhooks (failurePolicy Fail), so an answer proves the API server reaches them.
case $name in
  jobset)
    version=$JOBSET_VERSION namespace=jobset-system config_api=config.jobset.x-k8s.io/v1alpha1
    lease=6d4f6a47.jobset.x-k8s.io
    probe='{"apiVersion":"jobset.x-k8s.io/v1alpha2","kind":"JobSet","metadata":{"name":"controllers-sh-probe",
      "namespace":"default"},"spec":{"replicatedJobs":[{"name":"w","template":{"spec":{"template":{"spec":{
      "restartPolicy":"Never","containers":[{"name":"c","image":"probe"}]}}}}}]}}' ;;
  lws)
    version=$LWS_VERSION namespace=lws-system config_api=config.lws.x-k8s.io/v1alpha1
    lease=b8b2488c.x-k8s.io
    probe='{"apiVersion":"leaderworkerset.x-k8s.io/v1","kind":"LeaderWorkerSet","metadata":{"name":"controllers-sh-probe",
      "namespace":"default"},"spec":{"leaderWorkerTemplate":{"workerTemplate":{"spec":{
      "containers":[{"name":"c","image":"probe"}]}}}}}' ;;
  *) usage ;;
esac
[[ $action == start || $action == stop ]] || usage
daemon=$name-manager

[[ -d $state ]] && state=$(cd "$state" && pwd)
lock_running_cluster "$state" "controllers-$name"
kubectl() { "$state/bin/kubectl" --kubeconfig="$state/admin.kubeconfig" "$@"; }
webhooks_answer() { kubectl create --dry-run=server -f - <<<"$probe" >/dev/null 2>&1; }
webhook_configs=("mutatingwebhookconfiguration/$name-mutating-webhook-configuration"
                 "validatingwebhookconfiguration/$name-validating-webhook-configuration")

if [[ $action == stop ]]; then
  stop_stale_daemon "$state" "$daemon"
  # Without its webhooks (failurePolicy Fail) the API server would refuse every
  # JobSet or LWS and their pods; without its Lease a later start leads at once.
  kubectl delete --ignore-not-found "${webhook_configs[@]}" >/dev/null
  kubectl delete --ignore-not-found -n "$namespace" lease "$lease" >/dev/null
  log "stopped"
  exit 0
fi

if live_pid "$state/pids/$daemon.pid" >/dev/null && webhooks_answer; then
  exit 0
fi
stop_stale_daemon "$state" "$daemon"

dir=$(addon_dir "$state" controllers "$name/$daemon")/$name
[[ -x $dir/$daemon && -f $dir/webhooks.yaml ]] || die "build.sh did not build it into $dir"
work="$state/$name"
pki="$state/pki"
rm -rf "$work"
mkdir -p "$work/certs"

# --- Certificates from the cluster CA: the webhook server's, for IP:127.0.0.1
# (the API server calls it there), and the manager's client certificate (an admin).
loopback_serving_cert "$work/certs/tls" "$name-webhook"
admin_kubeconfig "$state" "$name"

read -r webhook_port health_port < <(free_ports 2)
# The project's own default configuration (config/.../manager), with: its
# webhooks served on the loopback address with the certificate above (no
# internal certificate management, no Service), no metrics listener, and
# leader election kept (as installed), its Lease in the project's namespace:
# the Lease's renewals are how `kubectl llm doctor` and `--wait` tell a
# running controller from a missing one.
cat >"$work/config.yaml" <<CFG
apiVersion: $config_api
kind: Configuration
health:
  healthProbeBindAddress: 127.0.0.1:$health_port
metrics:
  bindAddress: "0"
webhook:
  host: 127.0.0.1
  port: $webhook_port
  certDir: $work/certs
leaderElection:
  leaderElect: true
  resourceNamespace: $namespace
  resourceName: $lease
internalCertManagement:
  enable: false
CFG

# --- Webhooks: registered as the project's kustomization writes them (build.sh
# applied its patches: object selectors), called on loopback, names with its prefix.
loopback_webhooks "$dir/webhooks.yaml" "$webhook_port" "$name" >"$work/webhooks.yaml" || die "see above"
kubectl create namespace "$namespace" --dry-run=client -o yaml | kubectl apply --server-side -f - >/dev/null
# A Lease left by a manager that was killed would hold off the new one for its 15 s.
kubectl delete --ignore-not-found -n "$namespace" lease "$lease" >/dev/null

# Not holding our lock (fd 7): a later controllers.sh must get it.
{ start_daemon "$daemon" "$state" "$dir/$daemon" --config="$work/config.yaml" --kubeconfig="$state/$name.kubeconfig" \
    --zap-log-level=info; } 7>&-
wait_until 120 "the $name controller manager to be ready" curl -sf "http://127.0.0.1:$health_port/readyz"
# Only now, so that no object is refused while the manager is not answering yet.
kubectl apply --server-side --force-conflicts -f "$work/webhooks.yaml" >/dev/null
wait_until 60 "the API server to reach the $name webhooks" webhooks_answer
log "$version up in $((SECONDS - start)) s, webhooks at https://127.0.0.1:$webhook_port"
