#!/usr/bin/env bash
# Starts a real Kubernetes control plane on 127.0.0.1 (etcd, kube-apiserver with
# TLS, RBAC and ServiceAccount tokens, kube-controller-manager, kube-scheduler,
# and kwok playing the kubelet of fake GPU nodes). Prints, as the LAST line of
# stdout, the path of the admin kubeconfig. Starting it twice does not start a
# second cluster. Interface: tests/cluster/README.md.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
state=${LLM_CLUSTER_DIR:-${TMPDIR:-/tmp}/kubectl-llm-cluster}
gpu_nodes=${LLM_CLUSTER_GPU_NODES:-2}
start=$SECONDS
log() { echo "up.sh: $*" >&2; }
die() { log "$*"; exit 1; }

mkdir -p "$state"
state=$(cd "$state" && pwd)
exec 8>"$state/.lock"
flock 8   # a concurrent up.sh waits here, then finds the cluster running

source "$here/lib.sh"
if cluster_running "$state"; then
  log "already running in $state"
  echo "$state/admin.kubeconfig"
  exit 0
fi
[[ -d $state/pids ]] && "$here/down.sh" >&2   # leftovers of a cluster that died

bin=$("$here/build.sh")/bin
# A start that fails half-way stops what it started, so nothing is left running.
# (An EXIT trap, since an ERR trap does not fire for failures inside functions.)
started=0
trap '((started)) || { log "start failed; stopping what was started (logs in $state/logs)"; "$here/down.sh" >&2; }' EXIT
crds=$(dirname "$bin")/crds
ln -sfn "$bin" "$state/bin"
pki="$state/pki"
mkdir -p "$state/pids" "$state/logs" "$pki"
rm -f "$state/ready"
rm -rf "$state/etcd"

# --- Certificates: a CA, the API server's serving cert, one client cert per component.
new_cert() { signed_cert "$pki/$1" "$2" "$3"; }  # name subject extensions
new_key "$pki/ca.key"
openssl_quiet req -x509 -new -key "$pki/ca.key" -subj "/CN=kubectl-llm-test-ca" -days 3650 -out "$pki/ca.crt"
client_ext='keyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth'
new_cert apiserver "/CN=kube-apiserver" \
  'keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:10.0.0.1'
new_cert admin "/O=system:masters/CN=kubectl-llm-admin" "$client_ext"
new_cert controller-manager "/CN=system:kube-controller-manager" "$client_ext"
new_cert scheduler "/CN=system:kube-scheduler" "$client_ext"
# kwok plays the kubelet of every fake node at once, which no single node identity
# may do under the Node authorizer; it runs as an admin like kwokctl does.
new_cert kwok "/O=system:masters/CN=kwok" "$client_ext"
# kwok also serves the kubelet API of its nodes (pods/log), over TLS: the API
# server reaches it at the nodes' InternalIP and checks this cert against the CA.
new_cert kwok-serving "/CN=kwok" \
  'keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost'
new_key "$pki/sa.key"
openssl_quiet pkey -in "$pki/sa.key" -pubout -out "$pki/sa.pub"

read -r etcd_port etcd_peer_port api_port cm_port sched_port kwok_port < <(free_ports 6)
server="https://127.0.0.1:$api_port"
echo "$server" > "$state/server"
echo "http://127.0.0.1:$etcd_port" > "$state/etcd-endpoint"

# Component kubeconfigs use paths relative to the file, as kubectl resolves them.
cert_kubeconfig() {  # file user
  cat > "$state/$1" <<KC
apiVersion: v1
kind: Config
clusters:
- name: kubectl-llm-test
  cluster:
    server: $server
    certificate-authority: pki/ca.crt
users:
- name: $2
  user:
    client-certificate: pki/$2.crt
    client-key: pki/$2.key
contexts:
- name: $2@kubectl-llm-test
  context:
    cluster: kubectl-llm-test
    user: $2
current-context: $2@kubectl-llm-test
KC
}
for c in admin controller-manager scheduler kwok; do cert_kubeconfig "$c.kubeconfig" "$c"; done

# --- etcd
start_daemon etcd "$state" "$bin/etcd" --name=llm-test --data-dir="$state/etcd" \
  --listen-client-urls="http://127.0.0.1:$etcd_port" --advertise-client-urls="http://127.0.0.1:$etcd_port" \
  --listen-peer-urls="http://127.0.0.1:$etcd_peer_port" --initial-advertise-peer-urls="http://127.0.0.1:$etcd_peer_port" \
  --initial-cluster="llm-test=http://127.0.0.1:$etcd_peer_port" --listen-metrics-urls="" \
  --unsafe-no-fsync --quota-backend-bytes=8589934592 --log-level=warn
wait_until 30 "etcd" curl -sf "http://127.0.0.1:$etcd_port/health"

# --- kube-apiserver: TLS only, Node+RBAC, ServiceAccount tokens, default admission plus NodeRestriction.
# Service IPs from a /20 (4,094): status_bench.sh 50000 500 makes 500 Services.
start_daemon kube-apiserver "$state" "$bin/kube-apiserver" \
  --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$api_port" \
  --etcd-servers="http://127.0.0.1:$etcd_port" \
  --tls-cert-file="$pki/apiserver.crt" --tls-private-key-file="$pki/apiserver.key" \
  --client-ca-file="$pki/ca.crt" \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-account-key-file="$pki/sa.pub" --service-account-signing-key-file="$pki/sa.key" \
  --authorization-mode=Node,RBAC --anonymous-auth=false \
  --enable-admission-plugins=NodeRestriction,PodSecurity,Priority \
  --service-cluster-ip-range=10.0.0.0/20 --allow-privileged=true \
  --cert-dir="$pki" --profiling=false --event-ttl=1h \
  --kubelet-certificate-authority="$pki/ca.crt" --kubelet-preferred-address-types=InternalIP \
  --max-requests-inflight=800 --max-mutating-requests-inflight=400
kubectl() { "$bin/kubectl" --kubeconfig="$state/admin.kubeconfig" "$@"; }
wait_until 60 "kube-apiserver" kubectl get --raw=/readyz

# --- the rest of the control plane, each with its own credentials.
# Without the TTL controller: it patches an annotation for kubelets' object
# cache onto every node each time the node count crosses one of its steps
# (100, 500, 1,000, 2,000, 10,000), which on the benchmarks' fake nodes (whose
# kubelet, kwok, caches nothing) was 740 node patches of set-up still running
# beside a validate-nodes run on 1,000 fresh nodes, and over 20,000 on 10,000.
start_daemon kube-controller-manager "$state" "$bin/kube-controller-manager" \
  --controllers='*,-ttl-controller' \
  --kubeconfig="$state/controller-manager.kubeconfig" \
  --authentication-kubeconfig="$state/controller-manager.kubeconfig" \
  --authorization-kubeconfig="$state/controller-manager.kubeconfig" \
  --bind-address=127.0.0.1 --secure-port="$cm_port" --leader-elect=false \
  --use-service-account-credentials=true --service-account-private-key-file="$pki/sa.key" \
  --root-ca-file="$pki/ca.crt" --kube-api-qps=200 --kube-api-burst=400 --node-monitor-grace-period=900s
# The scheduler's client may bind 500 pods a second (its default, 50, would
# take 17 minutes to place the benchmarks' 50,000 pods).
start_daemon kube-scheduler "$state" "$bin/kube-scheduler" \
  --kubeconfig="$state/scheduler.kubeconfig" \
  --authentication-kubeconfig="$state/scheduler.kubeconfig" \
  --authorization-kubeconfig="$state/scheduler.kubeconfig" \
  --bind-address=127.0.0.1 --secure-port="$sched_port" --leader-elect=false \
  --kube-api-qps=500 --kube-api-burst=1000
# What every container "prints", in the CRI log format the kubelet serves
# ("TIME STREAM F LINE"): current.log for the running instance, previous.log
# for the one before a restart (?previous=true). Tests may rewrite them: kwok
# reads them on each request, and follows current.log for -f.
mkdir -p "$state/container-logs"
cri_log() {  # FILE LINE...: one line each, stamped now
  local file=$1 line
  shift
  : > "$file"
  for line in "$@"; do echo "$(date -u +%Y-%m-%dT%H:%M:%S.%NZ) stdout F $line" >> "$file"; done
}
cri_log "$state/container-logs/current.log" "INFO:     Started server process [1]" \
  "INFO:     Waiting for application startup." "INFO:     Application startup complete."
cri_log "$state/container-logs/previous.log" "INFO:     Loading model weights" \
  "Traceback (most recent call last):" '  File "/app/serve.py", line 42, in <module>' \
  "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB"
cat > "$state/kwok-logs.yaml" <<KL
apiVersion: kwok.x-k8s.io/v1alpha1
kind: ClusterLogs
metadata:
  name: container-logs
spec:
  logs:
  - logsFile: $state/container-logs/current.log
    previousLogsFile: $state/container-logs/previous.log
    follow: true
KL
# The pod network: kwok's pod IPs, from a range of this cluster's own, routed
# to a network namespace where the engine simulator answers (pod-network.sh).
if ! pod_cidr=$("$here/pod-network.sh" up); then
  pod_cidr=10.244.0.0/16
  log "no pod network (it needs root and iproute2): pod IPs answer nothing, so kubectl llm test and metrics cannot be tested"
fi
# Node Leases last 1,200 s (kwok renews them every quarter, 300 s; the
# controller-manager waits 900 s before calling a node NotReady): a kubelet's
# 40 s would make kwok renew 1,000 Leases a second for the 10,000 fake nodes of
# tests/bench/validate_nodes_bench.sh, on the same 2 cores as the control
# plane, which a real cluster's kubelets never cost it (33 a second now).
# Every node has kwok's address and port as its kubelet endpoint
# (status.addresses InternalIP, daemonEndpoints.kubeletEndpoint.Port).
start_daemon kwok "$state" "$bin/kwok" --kubeconfig="$state/kwok.kubeconfig" \
  --config="$here/kwok/kwok.yaml" --config="$here/kwok/stages.yaml" --config="$here/kwok/node-stages.yaml" \
  --config="$state/kwok-logs.yaml" \
  --manage-all-nodes=false --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
  --cidr="$pod_cidr" --node-ip=127.0.0.1 --node-port="$kwok_port" --node-lease-duration-seconds=1200 \
  --server-address="127.0.0.1:$kwok_port" \
  --tls-cert-file="$pki/kwok-serving.crt" --tls-private-key-file="$pki/kwok-serving.key"

# --- cluster contents: CRDs, the nvidia RuntimeClass, users, nodes.
kubectl apply --server-side -f "$crds" >/dev/null
# A CRD whose status is not written yet makes `kubectl wait` fail at once: retry.
wait_until 60 "CRDs to be Established" kubectl wait --for=condition=Established crd --all --timeout=10s
kubectl apply --server-side -f "$here/manifests" >/dev/null
# dev's Role: the least-privilege Role the plugin needs, from its one home in the
# product (the template takes only {{name}} and {{namespace}}, written here as
# the renderer writes strings: double-quoted).
sed -e 's/{{name}}/"kubectl-llm-user"/g' -e 's/{{namespace}}/"team-a"/g' \
  "$here/../../templates/rbac/kubectl-llm-user.yaml.mustache" | kubectl apply --server-side -f - >/dev/null
{ "$here/nodes.sh" gpu "$gpu_nodes" gpu-node-; "$here/nodes.sh" cpu 1 cpu-node-; } | kubectl apply --server-side -f - >/dev/null

# dev: a ServiceAccount token, allowed only what the plugin needs in team-a.
dev_token=$(kubectl create token dev -n team-a --duration=24h)
cat > "$state/dev.kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters:
- name: kubectl-llm-test
  cluster:
    server: $server
    certificate-authority-data: $(base64 -w0 < "$pki/ca.crt")
users:
- name: dev
  user:
    token: $dev_token
contexts:
- name: dev@kubectl-llm-test
  context:
    cluster: kubectl-llm-test
    user: dev
    namespace: team-a
current-context: dev@kubectl-llm-test
KC
# exec: the credential comes from an exec plugin (tests/cluster/exec-credential.sh),
# which hands out the token in exec-token; tests may rewrite that file.
kubectl create token exec-user -n kube-system --duration=24h > "$state/exec-token"
cat > "$state/exec.kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters:
- name: kubectl-llm-test
  cluster:
    server: $server
    certificate-authority: pki/ca.crt
users:
- name: exec-user
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: $here/exec-credential.sh
      args: ["$state"]
      interactiveMode: Never
      provideClusterInfo: false
      installHint: exec-credential.sh ships with kubectl-llm's tests (tests/cluster/).
contexts:
- name: exec@kubectl-llm-test
  context:
    cluster: kubectl-llm-test
    user: exec-user
current-context: exec@kubectl-llm-test
KC
chmod 600 "$state"/*.kubeconfig "$state/exec-token"

wait_until 60 "nodes to be Ready" kubectl wait --for=condition=Ready node --all --timeout=5s
wait_until 60 "the team-a default ServiceAccount" kubectl get serviceaccount default -n team-a
started=1
touch "$state/ready"
log "control plane up in $((SECONDS - start)) s ($gpu_nodes GPU nodes) at $server"
echo "$state/admin.kubeconfig"
