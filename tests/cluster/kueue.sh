#!/usr/bin/env bash
# Starts the real Kueue controller manager (built by build.sh from its Go module
# at KUEUE_VERSION) in the local control plane that up.sh started, unless it
# runs already; returns once the API server reaches its webhooks. Tests that
# need Kueue run it first; down.sh stops it with the rest. Interface and the
# details of how its webhooks are reached: tests/cluster/README.md.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
state=${LLM_CLUSTER_DIR:-${TMPDIR:-/tmp}/kubectl-llm-cluster}
start=$SECONDS
log() { echo "kueue.sh: $*" >&2; }
die() { log "$*"; exit 1; }
source "$here/lib.sh"
source "$here/versions.sh"

[[ -d $state ]] && state=$(cd "$state" && pwd)
lock_running_cluster "$state" kueue
kubectl() { "$state/bin/kubectl" --kubeconfig="$state/admin.kubeconfig" "$@"; }
# Ready: the process lives and the API server gets an answer from its webhooks
# (a server dry run of a ResourceFlavor goes through Kueue's mutating and
# validating webhooks, failurePolicy Fail).
probe_flavor='{"apiVersion":"kueue.x-k8s.io/v1beta2","kind":"ResourceFlavor","metadata":{"name":"kueue-sh-probe"}}'
webhooks_answer() { kubectl create --dry-run=server -f - <<<"$probe_flavor" >/dev/null 2>&1; }
if live_pid "$state/pids/kueue.pid" >/dev/null && webhooks_answer; then
  exit 0
fi
stop_stale_daemon "$state" kueue

kueue_dir=$(addon_dir "$state" kueue kueue)
[[ -x $kueue_dir/kueue && -f $kueue_dir/webhooks.yaml ]] || die "build.sh did not build Kueue into $kueue_dir"
work="$state/kueue"
pki="$state/pki"
rm -rf "$work"
mkdir -p "$work/certs" "$work/etc/upper/kueue/metrics/certs" "$work/etc/work"

# --- Certificates from the cluster CA: the webhook server's, for IP:127.0.0.1
# (the API server calls it there), and Kueue's client certificate (an admin).
loopback_serving_cert "$work/certs/tls" kueue-webhook
# Kueue insists on a metrics certificate at the fixed path /etc/kueue/metrics/certs
# when it does not manage its own certificates, even with metrics off; it gets
# one there in a mount namespace of its own (below), nothing is written to /etc.
loopback_serving_cert "$work/etc/upper/kueue/metrics/certs/tls" kueue-metrics
admin_kubeconfig "$state" kueue

read -r webhook_port health_port < <(free_ports 2)
# Kueue's own default configuration (config/components/manager), with: its
# webhooks served on the loopback address with the certificate above (no
# internal certificate management, no Service), no leader election, no
# metrics listener, and the integrations whose objects this plugin makes.
cat > "$work/config.yaml" <<CFG
apiVersion: config.kueue.x-k8s.io/v1beta2
kind: Configuration
namespace: kueue-system
health:
  healthProbeBindAddress: 127.0.0.1:$health_port
metrics:
  bindAddress: "0"
webhook:
  host: 127.0.0.1
  port: $webhook_port
  certDir: $work/certs
leaderElection:
  leaderElect: false
internalCertManagement:
  enable: false
clientConnection:
  qps: 50
  burst: 100
integrations:
  frameworks:
  - batch/job
  - jobset.x-k8s.io/jobset
  - pod
  - deployment
  - statefulset
  - leaderworkerset.x-k8s.io/leaderworkerset
CFG

# --- Webhooks: registered as Kueue's manifests register them, called on loopback.
loopback_webhooks "$kueue_dir/webhooks.yaml" "$webhook_port" kueue >"$work/webhooks.yaml" || die "see above"
ca_bundle=$(base64 -w0 <"$pki/ca.crt")
kubectl create namespace kueue-system --dry-run=client -o yaml | kubectl apply --server-side -f - >/dev/null
# The conversion webhooks Kueue's CRD kustomization adds (v1beta1 <-> v1beta2).
for crd in localqueues clusterqueues cohorts workloads multikueueclusters; do
  kubectl patch crd "$crd.kueue.x-k8s.io" --type=merge -p "{\"spec\":{\"conversion\":{\"strategy\":\"Webhook\",
    \"webhook\":{\"conversionReviewVersions\":[\"v1\"],\"clientConfig\":{\"url\":\"https://127.0.0.1:$webhook_port/convert\",
    \"caBundle\":\"$ca_bundle\"}}}}}" >/dev/null
done

# --- The manager, in a mount namespace of its own where /etc is an overlay
# holding kueue/metrics/certs (see above). It must not inherit fd 7, our lock:
# holding it for its life, it would block every later kueue.sh.
{ start_daemon kueue "$state" unshare --mount --propagation private -- sh -c \
    'mount -t overlay overlay -o "lowerdir=/etc,upperdir=$1/upper,workdir=$1/work" /etc && shift && exec "$@"' \
    sh "$work/etc" "$kueue_dir/kueue" --config="$work/config.yaml" --kubeconfig="$state/kueue.kubeconfig" \
    --feature-gates=VisibilityOnDemand=false --zap-log-level=info; } 7>&-
# Generous: on a loaded 2-core machine its start has taken over a minute.
wait_until 180 "Kueue to be ready" curl -sf "http://127.0.0.1:$health_port/readyz"
# Only now, so that no pod or job is refused while Kueue is not answering yet.
kubectl apply --server-side --force-conflicts -f "$work/webhooks.yaml" >/dev/null
wait_until 90 "the API server to reach Kueue's webhooks" webhooks_answer
log "Kueue $KUEUE_VERSION up in $((SECONDS - start)) s, webhooks at https://127.0.0.1:$webhook_port"
